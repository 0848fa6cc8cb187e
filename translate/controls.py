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


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# U+2028 LINE SEPARATOR is a soft break inside a paragraph (web editors, Word's Shift+Enter copied out):
# nothing between Chinese characters, a space elsewhere.
_HAN_OR_FULL_WIDTH = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SOFT_BREAK_HAN = re.compile(f"(?<=[{_HAN_OR_FULL_WIDTH}])\u2028|\u2028(?=[{_HAN_OR_FULL_WIDTH}])")


def text_lines(text: str) -> list[str]:
    """The lines of an article as its author broke them: at LF, CRLF and CR only. `str.splitlines` also
    breaks at form feeds, U+0085, U+2028 and FS/GS/RS, which would cut a sentence in two blocks; here a
    U+2028 inside a line joins its halves, and the control characters are removed on reading (the JSON
    keeps them in `raw_source`)."""
    text = _SOFT_BREAK_HAN.sub("", text).replace("\u2028", " ")
    lines = _LINE_BREAK.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


# U+202A-202E and U+2066-2069: bidi embeddings, overrides and isolates (a review file would show text in
# another order than the engine reads it); U+200B, U+2060, U+FEFF, U+00AD: zero-width space, word joiner,
# BOM, soft hyphen (they split terms). ZWJ/ZWNJ stay: emoji sequences and scripts need them.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u00ad]")


def visible_text(text: str) -> str:
    """`text` without control characters and invisible ones: what readers keep, and what a glossary or TM stores."""
    return _INVISIBLE.sub("", strip_controls(text))


def strip_controls(text: str) -> str:
    """`text` without control characters (tab and newlines kept)."""
    return _CONTROL.sub("", text)


def xml_safe(text: str) -> str:
    """Text every XML writer can store; a no-op (no copy) for clean text."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def is_blank(text: str) -> bool:
    """Whitespace and zero-width characters only: not a block."""
    return not text.strip(_BLANK)
