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
# "（新华社记者 李四 摄）", "资料图", "图源：网络": photo credits are captions wherever they stand.
_PHOTO_CREDIT = re.compile(r"(?:\s摄|供图|资料图|视觉中国)\s*[）)]?$|^[（(]?\s*(?:资料图|供图|图源)")
# "2024-12-05 10:30", "2024年12月20日": a date (and time) line; with 来源/作者… after it, a byline.
_DATE = re.compile(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?")
_META = re.compile(r"来源|作者|编辑|记者|发布|阅读|字号")
# "（完）", "（作者系北京大学教授）": a whole line in brackets is an aside, never a title or a heading.
_ASIDE = re.compile(r"^[（(][^（()）]*[）)]$")
_EDITOR_NOTE = re.compile(r"^(?:[【\[（(]\s*(?:编者按|编者的话|编者注|导读|导语|提要|摘要)\s*[】\]）)]"
                          r"|(?:编者按|编者的话|编者注|导读|导语|提要|摘要)\s*[:：])")
# Section numbers (一、 （一） 1. 第三章 ①) open headings: their 、 is not clause punctuation.
_SECTION_NUMBER = re.compile(r"^(?:第[一二三四五六七八九十百零〇\d]+[章节部分篇条]\s*|[一二三四五六七八九十百]+[、．.]\s*"
                             r"|[（(][一二三四五六七八九十\d]{1,3}[）)]\s*|\d{1,2}[.、．]\s*(?!\d)|[①-⑳]\s*)")
_DECORATION = "■□●○◆◇★☆►▶◼◾•—-～~ 　"  # put before a byline by a CMS ("■ 本报记者 张三")
_SENTENCE_END = "。！？!?；;…」』”\"’"
_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", '"': '"'}
HEADING_MAX_CHARS = 16


def classify_lines(lines: list[str], *, first_is_title: bool = True) -> list[tuple[BlockKind, str, str]]:
    """One block per non-empty line, each with its kind. Returns (kind, text, markup) triples.

    The title is the first line that can be one, before any paragraph: a date, source or byline line or an
    editor's note may stand above it. A heading introduces text, so a short line with none after it (an
    office's name and a date closing a notice, "（完）") is a paragraph."""
    items: list[tuple[BlockKind, str, str]] = []
    title_open = first_is_title
    for raw in lines:
        text = raw.strip()
        if is_blank(text):
            continue
        kind = classify(text, first=title_open)
        if kind is BlockKind.TITLE or kind in (BlockKind.PARAGRAPH, BlockKind.QUOTE, BlockKind.HEADING) and not (
                is_furniture(text) or _EDITOR_NOTE.match(text)):
            title_open = False
        items.append((kind, text, ""))
    _numbered_runs_are_lists(items)
    introduced = False
    for index in range(len(items) - 1, -1, -1):
        kind, text, markup = items[index]
        if kind is BlockKind.HEADING and not introduced:
            items[index] = (BlockKind.PARAGRAPH, text, markup)
        elif kind in (BlockKind.PARAGRAPH, BlockKind.QUOTE) and not is_furniture(text):
            introduced = True
    return items


def _numbered_runs_are_lists(items: list[tuple[BlockKind, str, str]]) -> None:
    """Short numbered lines one after another with the same kind of number (1、身份证 / 2、户口本) are a list, not
    headings: a heading has text of its own after it."""
    def numbering(text: str) -> str:
        found = _SECTION_NUMBER.match(text)
        if not found:
            return ""  # 一、 and 1、 (or （一） and （1）) are two levels, not one list
        shape = re.sub(r"[一二三四五六七八九十百零〇]+", "C", found.group().strip())
        return re.sub(r"\d+", "N", re.sub(r"[①-⑳]", "O", shape))

    for index in range(len(items) - 1):
        text, next_text = items[index][1], items[index + 1][1]
        if numbering(text) and numbering(text) == numbering(next_text):
            for at in (index, index + 1):
                kind, item_text, markup = items[at]
                if kind is BlockKind.HEADING:
                    items[at] = (BlockKind.PARAGRAPH, item_text, markup)


def is_furniture(text: str) -> bool:
    """A date alone or a bracketed aside: it neither opens nor introduces anything."""
    return bool(_ASIDE.match(text)) or bool(_DATE.match(text)) and not has_words(_DATE.sub("", text, 1))


def classify(text: str, *, first: bool = False) -> BlockKind:
    if _ORIGINAL_TITLE.match(text):
        return BlockKind.TITLE
    plain = text.lstrip(_DECORATION) or text
    date = _DATE.match(plain)
    # "2024-05-20 10:30 来源：新华社 作者：王一，李二": a date, then what a byline says (not "2024年12月5日，记者从…")
    dateline = date and len(text) <= BYLINE_MAX_CHARS + 20 and _META.match(plain[date.end():].lstrip())
    if _is_byline(plain) or dateline:
        return BlockKind.BYLINE
    if (_CAPTION.match(plain) or _PHOTO_CREDIT.search(plain)) and len(text) <= 60:
        return BlockKind.CAPTION
    if is_furniture(plain) or _EDITOR_NOTE.match(plain):
        return BlockKind.PARAGRAPH
    if first and len(text) <= 60 and not text.endswith(("。", ".")) and not _SECTION_NUMBER.match(text):
        return BlockKind.TITLE
    if _is_quote(text):
        return BlockKind.QUOTE
    body = _SECTION_NUMBER.sub("", text, count=1)
    if (len(text) <= HEADING_MAX_CHARS and text[-1] not in _SENTENCE_END and not _has_clause_punct(body)
            and has_words(body)):
        return BlockKind.HEADING
    return BlockKind.PARAGRAPH


def _is_byline(text: str) -> bool:
    if len(_BYLINE_ANY.findall(text)) >= 2:
        return True
    if _BYLINE_SPACED.match(text):
        return len(text) <= BYLINE_MAX_CHARS
    # "记者：张三" (or "来源：人民日报。") is a byline; "记者：您如何看待……？" or "记者：您好！" is the interviewer speaking.
    found = _BYLINE.match(text)
    if not found:
        return False
    body = text if found.group(1) == "记者" else text.rstrip("。")
    return not any(ch in body for ch in "。？！?!；") and len(text) <= 2 * BYLINE_MAX_CHARS


def _is_quote(text: str) -> bool:
    """One quotation from the first character to the last: “…” or “…。”, not “…”他说，“…”."""
    closing = _QUOTE_PAIRS.get(text[0])
    body = text.rstrip("。.!！?？")
    if not closing or len(text) < 4 or not body.endswith(closing) or len(body) < 2:
        return False
    if closing == text[0]:
        return body[1:-1].count(closing) == 0
    depth = 0
    for ch in body[:-1]:
        depth += (ch == text[0]) - (ch == closing)
        if depth <= 0:
            return False
    return depth == 1


def _has_clause_punct(text: str) -> bool:
    return any(ch in text for ch in "，,、：:")
