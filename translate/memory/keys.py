"""The key a translation memory stores and finds a source by."""

from __future__ import annotations

import re

from ..document import normalise

_SPACE_BY_HAN = re.compile(r"(?<=[\u3400-\u9fff\u3000-\u303f])\s+|\s+(?=[\u3400-\u9fff\u3000-\u303f])")


def tm_key(source: str) -> str:
    """The key a source is stored and found by: NFKC with whitespace collapsed (`normalise`, so full-width
    commas are commas), no space beside Chinese (a source re-saved as 北京市 今天 is the same source) and 。
    as '.' (a re-typed full stop)."""
    return _SPACE_BY_HAN.sub("", normalise(source)).replace("\u3002", ".")
