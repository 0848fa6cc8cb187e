"""Block kinds of a Chinese news article: title, byline, heading, caption, quote, paragraph."""

from __future__ import annotations

import re

from ..controls import is_blank
from ..document import BlockKind
from ..segment import has_words

_ORIGINAL_TITLE = re.compile(r"^[（(]\s*原标题\s*[:：]")
# "作者 | 叶二 编辑 | 魏晓", "文/张三", "记者 李四" (and their spun forms 作家 / 裁剪).
_BYLINE = re.compile(r"^(作者|作家|编辑|裁剪|责编|责任编辑|记者|撰文|文|来源|出品|策划)\s*[|｜/:：]\s*\S")
# "记者 王立新 发自上海", "本报记者 李四", "摄影 张三": a role, a space and a name of 2-4 characters
_BYLINE_SPACED = re.compile(r"^(?:本报|本刊|本台)?(?:特约)?(?:记者|通讯员|实习生|摄影|撰文|作者|编辑)\s+"
                            r"[\u4e00-\u9fff·]{2,4}(?:$|\s|[，,、])")
BYLINE_MAX_CHARS = 40
_BYLINE_ANY = re.compile(r"(作者|作家|编辑|裁剪|责编|记者)\s*[|｜/:：]")
_CAPTION = re.compile(r"^(图片?(来自|来源|源|自|为|片来自)|图\s*[|｜/:：]|配图|摄影|视觉中国|▲|△)")
_SENTENCE_END = "。！？!?；;…」』”\"’"
_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", '"': '"'}
HEADING_MAX_CHARS = 16


def classify_lines(lines: list[str], *, first_is_title: bool = True) -> list[tuple[BlockKind, str, str]]:
    """One block per non-empty line, each with its kind. Returns (kind, text, markup) triples."""
    items: list[tuple[BlockKind, str, str]] = []
    for raw in lines:
        text = raw.strip()
        if is_blank(text):
            continue
        items.append((classify(text, first=first_is_title and not items), text, ""))
    return items


def classify(text: str, *, first: bool = False) -> BlockKind:
    if _ORIGINAL_TITLE.match(text):
        return BlockKind.TITLE
    if _BYLINE.match(text) or len(_BYLINE_ANY.findall(text)) >= 2 or (
            _BYLINE_SPACED.match(text) and len(text) <= BYLINE_MAX_CHARS):
        return BlockKind.BYLINE
    if _CAPTION.match(text) and len(text) <= 60:
        return BlockKind.CAPTION
    if first and len(text) <= 60 and not text.endswith(("。", ".")):
        return BlockKind.TITLE
    if _is_quote(text):
        return BlockKind.QUOTE
    if (len(text) <= HEADING_MAX_CHARS and text[-1] not in _SENTENCE_END and not _has_clause_punct(text)
            and has_words(text)):
        return BlockKind.HEADING
    return BlockKind.PARAGRAPH


def _is_quote(text: str) -> bool:
    closing = _QUOTE_PAIRS.get(text[0])
    if not closing or len(text) < 4:
        return False
    body = text.rstrip("。.!！?？")
    # A quote block is one quotation from its first to its last character.
    return body.endswith(closing) and body[1:-1].count(text[0]) == body[1:-1].count(closing) if closing != text[0] else body.endswith(closing)


def _has_clause_punct(text: str) -> bool:
    return any(ch in text for ch in "，,、：:")
