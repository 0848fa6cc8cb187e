"""Reply hygiene for LLM engines: the translation out of what a chat model actually sends back."""

from __future__ import annotations

import re

from ..controls import strip_controls

_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.S | re.I)
# A reply that opened a think block and never closed it was cut off inside its reasoning.
_OPEN_THINK = re.compile(r"<(think|thinking|reasoning)>", re.I)
_STRAY_CLOSE = re.compile(r"^.*?</(think|thinking|reasoning)>", re.S | re.I)
# "Here is the translation:", "Translation:", "English translation:" and the like, on their own.
_CHATTER_OPENING = re.compile(
    r"^\s*(?:(?:sure|certainly|of course|okay|ok)[,!.]?\s*)?(?:here(?:'s| is| are)\s+(?:the|my|your)?\s*"
    r"(?:english\s+|corrected\s+|revised\s+|complete\s+)*(?:translation|version|rendering)[^:\n]*|"
    r"(?:english\s+)?translation)\s*:\s*\n?", re.I)
_CHATTER_CLOSING = re.compile(r"\n\s*(?:note|notes|explanation|translator's note)s?\s*:.*\Z", re.S | re.I)
# Sign-offs after the answer ("I hope this helps! Let me know if..."): on a line of their own any
# offer or question to the user; at the end of the last line only the unmistakable ones, so a
# sentence of the article that begins "If you want..." stays.
_OFFER = (r"(?:i hope (?:this|that|it) helps|hope (?:this|that|it) helps|(?:please )?let me know\b|"
          r"feel free to\b|(?:please )?do not hesitate\b|don't hesitate\b|is there anything else\b)")
_CLOSING_LINE = re.compile(r"\n\s*(?:" + _OFFER + r"|if you (?:need|have|would like|want)\b|would you like\b|"
                           r"do you (?:want|need)\b|i can also\b|happy to help\b).*\Z", re.S | re.I)
_CLOSING_TAIL = re.compile(r"(?<=[.!?\u201d\"])\s+" + _OFFER + r"[^\n]*\Z", re.I)
_FENCE = re.compile(r"^\s*```[a-z]*\n(.*?)\n```\s*$", re.S)
_QUOTES = [('"', '"'), ("\u201c", "\u201d"), ("'", "'"), ("\u300c", "\u300d")]
_REFUSAL = re.compile(r"^\s*(?:i'?m sorry|i am sorry|sorry,|i can(?:no|')t (?:help|assist|translate|provide)|"
                      r"i cannot (?:help|assist|translate|provide)|as an ai\b|i'?m unable to|i am unable to|"
                      r"i won'?t (?:translate|help))", re.I)
_TAGS = re.compile(r"^\s*<text>\s*(.*?)\s*</text>\s*$", re.S)
_HAN = re.compile(r"[\u3400-\u9fff]+")


class ReplyProblem(Exception):
    """The reply holds no usable translation (refusal, truncation, empty)."""


def clean_reply(content: str | None, finish_reason: str | None = None, source: str = "") -> tuple[str, list[str]]:
    """(translation, notes): think blocks, chatter, fences and wrapping quotes removed.

    Raises ReplyProblem when the reply was cut off (finish_reason 'length'), is empty or refuses.
    Quotes around the whole answer stay when the source itself is quoted.
    `notes` say what was cleaned ('think', 'chatter', 'quotes'), for the record.
    """
    text = content or ""
    notes = []
    if _THINK.search(text):
        text, notes = _THINK.sub("", text), notes + ["think"]
    elif _STRAY_CLOSE.match(text) and not _OPEN_THINK.search(text):  # template put <think> in the prompt
        text, notes = _STRAY_CLOSE.sub("", text, count=1), notes + ["think"]
    if _OPEN_THINK.search(text):
        raise ReplyProblem("the reply ended inside its reasoning (<think> never closed)")
    if finish_reason == "length":
        raise ReplyProblem("the reply was cut off (finish_reason 'length'): raise --max-tokens or the server's context")
    text = strip_controls(text).strip()  # a control character would break every XML output
    fenced = _FENCE.match(text) or _TAGS.match(text)
    if fenced:
        text = fenced.group(1).strip()
    opened = _CHATTER_OPENING.sub("", text, count=1)
    closed = _CLOSING_TAIL.sub("", _CLOSING_LINE.sub("", _CHATTER_CLOSING.sub("", opened)).rstrip())
    if closed != text:
        text, notes = closed.strip(), notes + ["chatter"]
    unquoted = text if source.strip()[:1] in "\"'\u201c\u300c\u300e" and source.strip() else _unquote(text)
    if unquoted != text:
        text, notes = unquoted, notes + ["quotes"]
    if not text:
        raise ReplyProblem("the reply is empty")
    if _REFUSAL.match(text):
        raise ReplyProblem(f"the model refused: {text[:80]}")
    return text, notes


def _unquote(text: str) -> str:
    """Quotes around the whole answer go; quotes that open and close inside it stay."""
    for left, right in _QUOTES:
        if len(text) > 2 and text.startswith(left) and text.endswith(right) and left not in text[1:-1] \
                and right not in text[1:-1]:
            return text[1:-1].strip()
    return text


def leftover_chinese(text: str) -> list[str]:
    """Runs of Chinese characters left in a translation."""
    return _HAN.findall(text)
