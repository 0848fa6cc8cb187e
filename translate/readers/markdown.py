"""Markdown into blocks: front matter, fences and bare HTML pass through; text inside block-level
HTML (`<p>…</p>` lines, as CMS exports write them) is translated with its tags kept as markup."""

from __future__ import annotations

import re

from ..controls import is_blank
from ..document import BlockKind
from .structure import classify, classify_lines

_FENCE = re.compile(r"^(```|~~~)")
_MD_HEADING = re.compile(r"^(#{1,6}\s+)(.*)$")
_MD_PREFIX = re.compile(r"^((?:>\s?)+|[-*+]\s+|\d+[.)]\s+)(.*)$")
_MD_IMAGE_ONLY = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$")
# One block-level element on one line: <p ...>text</p>, <h2>text</h2>, <div>text</div>, ...
_HTML_BLOCK = re.compile(r"^(<(p|div|h[1-6]|li|blockquote|section|article|figcaption|td|th|dd|dt|center)\b[^>]*>)"
                         r"(.*)(</\2\s*>)$", re.I | re.S)
_TAG = re.compile(r"<[^<>]*>")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I)


def markdown_items(text: str, warnings: list[str] | None = None) -> list[tuple]:
    """Markdown blocks as (kind, text, markup[, markup_end]) tuples, in order."""
    lines = text.splitlines()
    items: list[tuple] = []
    i = 0
    if lines and lines[0].strip() == "---":
        end = next((j for j in range(1, len(lines)) if lines[j].strip() == "---"), None)
        if end is not None:
            items.append((BlockKind.CODE, "\n".join(lines[: end + 1]), ""))
            i = end + 1
    paragraph: list[str] = []
    seen_text = False  # a '# ' heading before any text is the title

    def flush():
        if paragraph:
            items.extend(classify_lines(["".join(paragraph)], first_is_title=False))
            paragraph.clear()

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if _FENCE.match(stripped):
            flush()
            fence = stripped[:3]
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(fence):
                j += 1
            if j >= len(lines) and warnings is not None:
                warnings.append(f"the code fence opened on line {i + 1} is never closed; it runs to the end of "
                                "the file, so nothing after it is translated")
            items.append((BlockKind.CODE, "\n".join(lines[i : j + 1]), ""))
            i = j + 1
            continue
        if not stripped:
            flush()
        elif stripped.startswith("<"):
            flush()
            html = _html_block(stripped, first=not seen_text)
            items.append(html or (BlockKind.CODE, line, ""))
            seen_text = seen_text or html is not None
        elif _MD_IMAGE_ONLY.match(stripped):
            flush()
            items.append((BlockKind.CODE, line, ""))
        elif m := _MD_HEADING.match(stripped):
            flush()
            kind = BlockKind.TITLE if m.group(1).strip() == "#" and not seen_text else BlockKind.HEADING
            items.append((kind, m.group(2), m.group(1)))
            seen_text = True
        elif m := _MD_PREFIX.match(stripped):
            flush()
            kind = BlockKind.QUOTE if m.group(1).startswith(">") else BlockKind.PARAGRAPH
            items.append((kind, m.group(2), m.group(1)))
            seen_text = True
        else:
            paragraph.append(stripped)
            seen_text = True
        i += 1
    flush()
    return items


def _html_block(line: str, first: bool) -> tuple | None:
    """(kind, inner text, opening tag, closing tag) for a block element with text, else None."""
    m = _HTML_BLOCK.match(line)
    if not m:
        return None
    inner = m.group(3)
    if "<" in _TAG.sub("", inner) or is_blank(_ENTITY.sub("", _TAG.sub("", inner))):
        return None  # nested blocks or no text of its own: carried through untouched
    tag = m.group(2).lower()
    if tag == "h1" and first:
        kind = BlockKind.TITLE
    elif tag.startswith("h"):
        kind = BlockKind.HEADING
    elif tag == "blockquote":
        kind = BlockKind.QUOTE
    else:
        kind = classify(_TAG.sub("", inner).strip() or inner, first=False)
    return kind, inner.strip(), m.group(1), m.group(4)
