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
# A refusal talks about the request: what the model will not translate, assist or help with, or a content policy
# ("I'm sorry, but I can't help with that", "I must decline to translate this text", "As an AI language model,
# I…"). A sentence of the article ("Unfortunately, I cannot attend the wedding", "I cannot provide more details",
# "As an AI language model, ChatGPT cannot…") names no such object, so it is a translation.
_APOLOGY = (r"(?:(?:i'?m|i\s+am)\s+(?:very\s+|so\s+|really\s+|truly\s+)?(?:sorry|afraid)|i\s+apologi[sz]e|my\s+apologies"
            r"|unfortunately|sorry)\s*[,.!\u2014\u2013-]*\s*(?:but\s*,?\s*)?")
_REFUSAL_OPENING = re.compile(r"^\s*(?:" + _APOLOGY + r")?(?:i\b|i'|can'?t\b|cannot\b)"
                              r"|^\s*" + _APOLOGY + r"(?:this|that|your)\b", re.I)
_REFUSAL_OBJECT = re.compile(
    r"\btranslat(?:e|ing|ion)\b[^.!?]*\b(?:this|that|these|those|it|the|your|such|content|text|request|material)\b"
    r"|\b(?:this|that|the|your)\s+translation\b"
    r"|\b(?:assist|help)(?:ing)?\s+(?:you\s+)?with\s+(?:this|that|your|the|such)\b|\bwith\s+that\s+request\b"
    r"|\b(?:this|that|your)\s+(?:request|content|text|message)\b|\bcontent\s+(?:like|of\s+this|that)\b"
    r"|\bcomply\b|\bfulfil+\b|\b(?:usage|content)\s+polic|\bviolat(?:e|es|ing)\s+(?:our|my|the)\b"
    r"|\bdecline\s+to\b|\bfeel\s+comfortable\b|\bcan\s+only\s+translate\b|\bcan'?t\s+help\s+with\s+that\b", re.I)
_AS_AN_AI = re.compile(r"^\s*as\s+an\s+ai(?:\s+language)?(?:\s+model|\s+assistant)?(?:\s+developed\s+by\s+[^,]+)?\s*,\s*i\b",
                       re.I)
# The source's own apology or label: then the reply's "Sorry…" or "Translation:" is the translation.
_SOURCE_APOLOGY = re.compile(r"抱歉|对不起|對不起|不好意思|遗憾|遺憾|可惜|恐怕|道歉|致歉|原谅|原諒|恕|翻译|翻譯")
_SOURCE_LABEL = re.compile(r"^\s*(?:翻译|翻譯|译者|譯者|译文|譯文|译|譯)\s*[:：/|｜]")
_SOURCE_NOTE = re.compile(r"(?:^|\n)\s*(?:注|备注|附注|说明|注释|註|備註)\s*[:：]")
_QUOTE_MARKS = "\"\u201c\u201d\u2018\u2019'"
# Most of a reply in Chinese: the source repeated or left untranslated, not an English translation.
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_PROMPT_ECHO = re.compile(r"</text>\s*(.+)\Z", re.S)
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
    echoed = _PROMPT_ECHO.search(text) if "<text>" in text else None
    if echoed:  # the prompt's <text>…</text> repeated before the answer
        text, notes = echoed.group(1).strip(), notes + ["echo"]
    closed = text if _SOURCE_LABEL.match(source) else _CHATTER_OPENING.sub("", text, count=1)
    if text.count("\n") > source.strip().count("\n"):  # lines the source does not have: chatter after it
        closed = _CLOSING_LINE.sub("", closed if _SOURCE_NOTE.search(source) else _CHATTER_CLOSING.sub("", closed))
    tail = _CLOSING_TAIL.search(closed.rstrip())
    if tail and not any(mark in tail.group() for mark in _QUOTE_MARKS):  # never half a quotation
        closed = closed.rstrip()[: tail.start()]
    if closed.strip() != text:
        text, notes = closed.strip(), notes + ["chatter"]
    unquoted = text if source.strip()[:1] in "\"'\u201c\u300c\u300e" and source.strip() else _unquote(text)
    if unquoted != text:
        text, notes = unquoted, notes + ["quotes"]
    if not text:
        raise ReplyProblem("the reply is empty")
    plain = text.replace("\u2019", "'")
    first = re.split(r"(?<=[.!?])\s", plain, maxsplit=1)[0][:200]
    refused = _AS_AN_AI.match(plain) or _REFUSAL_OPENING.match(first) and _REFUSAL_OBJECT.search(first)
    if refused and not _SOURCE_APOLOGY.search(source):
        raise ReplyProblem(f"the model refused: {text[:80]}")
    han = sum(len(run) for run in _HAN.findall(text))
    if source and han >= 4 and han > len(_LATIN_LETTER.findall(text)):
        raise ReplyProblem(f"the reply is mostly Chinese, not a translation: {text[:60]}")
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
