"""Characters no article text should carry: C0/C1 controls, XML-forbidden code points, zero-width fillers.

Readers strip them at reading time, the TM and glossary never store them, and writers pass
every text through `xml_safe` so that a stray control character can never crash a write.
"""

from __future__ import annotations

import re

# C0 controls except tab, newline and carriage return; DEL; C1 controls; surrogates; U+FFFE/U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Zero-width characters that make a line look non-empty while showing nothing.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_BLANK = " \t\r\n\u3000\u00a0" + ZERO_WIDTH


def strip_controls(text: str) -> str:
    """`text` without control characters (tab and newlines kept)."""
    return _CONTROL.sub("", text)


def xml_safe(text: str) -> str:
    """Text every XML writer can store; a no-op (no copy) for clean text."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def is_blank(text: str) -> bool:
    """Whitespace and zero-width characters only: not a block."""
    return not text.strip(_BLANK)
