"""Lossless sentence segmentation: spans that cover a block's text exactly, in order."""

from __future__ import annotations

import re
import unicodedata

from .document import Block, Segment

_ENDERS = set("。！？!?；;…")
_CLOSERS = set("”’」』）)]】\"'")
_OPEN_CLOSE = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "【": "】"}
_CLAUSE = set("，,、：:；;")
_WORDLIKE = re.compile(r"[0-9A-Za-z.%％_\-+]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_MARKDOWN_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\(")
DEFAULT_MAX_CHARS = 250


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split at sentence punctuation outside quotes and brackets; never inside numbers or Latin words.

    A quote or bracket that is never closed in the block (a typo, a quotation running into the next
    paragraph) opens nothing, so the sentences after it are still split."""
    spans: list[tuple[int, int]] = []
    start = 0
    closers: list[str] = []
    ascii_quote_open = False
    opening = _matched_openers(text)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _OPEN_CLOSE:
            if i in opening:
                closers.append(_OPEN_CLOSE[ch])
        elif closers and ch == closers[-1]:
            closers.pop()
            if not closers and i > 0 and text[i - 1] in _ENDERS:  # “……。” ends the sentence too
                j = _end_of_sentence(text, i + 1)
                spans.append((start, j))
                start = i = j
                continue
        elif ch == '"':
            ascii_quote_open = not ascii_quote_open and i in opening
        elif not closers and not ascii_quote_open and (
                ch in _ENDERS and not _inside_word(text, i) or ch == "." and _latin_full_stop(text, i, start)
                or text.startswith("...", i) and _dotted_ellipsis(text, i)):
            j = i
            while j < n and text[j] == ".":
                j += 1
            j = _end_of_sentence(text, j)
            spans.append((start, j))
            start = i = j
            continue
        i += 1
    if start < n:
        spans.append((start, n))
    return spans


def _matched_openers(text: str) -> set[int]:
    """Positions of the quotes and brackets that have their closing partner later in the text
    (a straight '"' opens only when another follows it)."""
    matched: set[int] = set()
    stack: list[tuple[str, int]] = []
    waiting = dict.fromkeys(_OPEN_CLOSE.values(), 0)  # closers on the stack, by character: no scan of it
    straight: int | None = None
    for i, ch in enumerate(text):
        if ch == '"':
            if straight is None:
                straight = i
            else:
                matched.add(straight)
                straight = None
        elif ch in _OPEN_CLOSE:
            stack.append((_OPEN_CLOSE[ch], i))
            waiting[_OPEN_CLOSE[ch]] += 1
        elif waiting.get(ch):
            while stack:  # openers between this closer and its opener stay unmatched
                closer, at = stack.pop()
                waiting[closer] -= 1
                if closer == ch:
                    matched.add(at)
                    break
    return matched


def _dotted_ellipsis(text: str, i: int) -> bool:
    """'......' typed for '……' after Chinese: it ends the sentence as '……' does (not after Latin: 'etc...')."""
    return i > 0 and bool(_HAN.match(text[i - 1])) or i > 0 and text[i - 1] in _ENDERS


def _latin_full_stop(text: str, i: int, start: int = 0) -> bool:
    """A '.' that ends an English sentence inside Chinese text: after a word (not an abbreviation such
    as 'Mr.', 'U.S.' or 'Inc.', nor a list number '2. ' opening the sentence) or a '%', and before a space
    and a Chinese character."""
    j = i + 1
    while j < len(text) and text[j] in _CLOSERS:
        j += 1
    if j >= len(text) or not text[j].isspace():
        return False
    while j < len(text) and text[j].isspace():
        j += 1
    if j >= len(text) or not _HAN.match(text[j]):
        return False
    k = i
    while k > 0 and text[k - 1].isascii() and text[k - 1].isalnum():
        k -= 1
    word = text[k:i]
    if not word:
        return i > 0 and (text[i - 1] in _CLOSERS or text[i - 1] in "%％")
    if word.isdigit() and len(word) <= 3 and not text[start:k].strip():
        return False  # "1. 建立机制。2. 完善制度。": a list number, not a sentence
    return not (word[0].isupper() and len(word) <= 3 or k > 0 and text[k - 1] == ".")


def _end_of_sentence(text: str, j: int) -> int:
    """Trailing enders, closing quotes and whitespace belong to the sentence before them."""
    while j < len(text) and (text[j] in _ENDERS or text[j] in _CLOSERS or text[j].isspace()):
        j += 1
    return j


def _inside_word(text: str, i: int) -> bool:
    """A half-width '?', '!' or ';' glued between Latin/digits (URLs, code), or the '!' of a Markdown image
    '![alt](url)', does not end a sentence."""
    if text[i] not in "?!;":
        return False
    if text[i] == "!" and _MARKDOWN_IMAGE.match(text, i):
        return True
    return 0 < i < len(text) - 1 and bool(_WORDLIKE.match(text[i - 1])) and bool(_WORDLIKE.match(text[i + 1]))


def chunk_spans(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut an over-long span at clause punctuation, else at a character that is not inside a word."""
    if end - start <= max_chars:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    cut_from = start
    while end - cut_from > max_chars:
        limit = cut_from + max_chars
        cut = next((k + 1 for k in range(limit - 1, cut_from, -1) if text[k] in _CLAUSE), None)
        if cut is None:
            cut = next(
                (k for k in range(limit, cut_from, -1) if not (_WORDLIKE.match(text[k - 1]) and _WORDLIKE.match(text[k]))),
                limit,
            )
        pieces.append((cut_from, cut))
        cut_from = cut
    pieces.append((cut_from, end))
    return pieces


def has_words(text: str) -> bool:
    """Whether the text has a letter or a digit: a line of only punctuation, emoji or symbols
    ('！！！', '⚽⚽⚽', '* * *') has nothing to translate, and a model given one invents words."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


# Chinese (and the kana and hangul a Chinese article quotes): text without any has nothing to translate.
_SOURCE_SCRIPT = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]")


def has_source_text(text: str) -> bool:
    """Whether the text has Chinese to translate: a line that is a URL, a number, a model name ('Qwen2.5',
    '72B') or an English sentence is already what the English side needs, and a model given one garbles it."""
    return bool(_SOURCE_SCRIPT.search(text))


# Full-width ASCII forms (Ｑｗｅｎ, ２０２４, （）：) and the ideographic space, half-width; nothing else changes
# (²、⁹、①、™ and ½ stay as written).
_ENGLISH_PUNCTUATION = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | dict(zip(range(0xFFE0, 0xFFE7), "¢£¬¯¦¥₩")) | {
    0x3000: " ", ord("。"): ".", ord("《"): "\u201c", ord("》"): "\u201d", ord("「"): "\u201c", ord("」"): "\u201d",
    ord("【"): "[", ord("】"): "]", ord("〔"): "(", ord("〕"): ")"}
_CHINESE_MARK = {"，": ",", "、": ",", "：": ":", "；": ";", "！": "!", "？": "?"}
_NO_SPACE_BEFORE = set("”’）)]】》」』.,:;!?") | set(_CHINESE_MARK)


def english_punctuation(text: str) -> str:
    """A copied sentence with no Chinese, punctuated as English: full-width forms half-width, 。《》 as . “ ”,
    a list number's 、 as '.', and a space after a Chinese , : ; ! ? where English needs one
    ('CPI：+0.2%；PPI' -> 'CPI: +0.2%; PPI'; '2022、2023' -> '2022, 2023'); URLs, 10:30 and 1,000 stay."""
    text = re.sub(r"^(\s*\d{1,3})、", r"\1. ", text)
    out = []
    for i, ch in enumerate(text):
        mark = _CHINESE_MARK.get(ch)
        if mark is None:
            out.append(ch)
            continue
        after = text[i + 1:i + 2]
        between_digits = ch in "，：" and i > 0 and text[i - 1].isdigit() and after.isdigit()
        out.append(mark if between_digits or not after or after.isspace() or after in _NO_SPACE_BEFORE else mark + " ")
    return "".join(out).translate(_ENGLISH_PUNCTUATION)


def segment_text(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[Segment]:
    spans = [piece for s, e in sentence_spans(text) for piece in chunk_spans(text, s, e, max_chars)]
    return [Segment(start=s, end=e, text=text[s:e]) for s, e in spans]


def segment_block(block: Block, max_chars: int = DEFAULT_MAX_CHARS) -> None:
    block.segments = segment_text(block.text, max_chars) if block.kind.translatable else []


def reassemble(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments)


def join_translations(parts: list[str]) -> str:
    """English sentences joined by one space."""
    return " ".join(p.strip() for p in parts if p.strip())
