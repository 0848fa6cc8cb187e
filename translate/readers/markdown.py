"""Markdown into blocks, by its CommonMark structure (markdown-it-py): each paragraph, heading, list
item and table cell is a block whose Markdown markers (`> `, `- `, `1. `, `## `, `| `) are kept out of
translation as its markup; code, bare HTML, rules, link definitions and front matter pass through.
Text inside block-level HTML (`<p>…</p>` lines, as CMS exports write them) is translated with its
tags kept as markup. Every non-blank line of the source ends up in some block."""

from __future__ import annotations

import re

from ..controls import is_blank, text_lines
from ..document import BlockKind
from .structure import classify

_FRONT_MATTER = {"---": "---", "+++": "+++"}
_MD_IMAGE_ONLY = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$")
_FOOTNOTE = re.compile(r"^(\[\^[^\]\s]+\]:[ \t]+)(\S.*)$")
# One block-level element on one line: <p ...>text</p>, <h2>text</h2>, <div>text</div>, ...
_HTML_BLOCK = re.compile(r"^(<(p|div|h[1-6]|li|blockquote|section|article|figcaption|summary|td|th|dd|dt|center)"
                         r"\b[^>]*>)"
                         r"(.*)(</\2\s*>)$", re.I | re.S)
# HTML that CommonMark keeps whole to its end marker: comments, <script>/<pre>/<style>/<textarea>, <?…?>, <!…>
_RAW_HTML = re.compile(r"^\s*<(?:!|\?|(?:script|pre|style|textarea)\b)", re.I)
_TAG = re.compile(r"<[^<>]*>")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I)
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2018-\u201f\u2026]")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)$")
_CONTAINER_CHARS = re.compile(r"^[\s>]*")
_LEAVES = {"heading_open", "paragraph_open", "table_open", "fence", "code_block", "hr", "html_block"}
# Quote and list markers at the start of a line; what follows is the line's text
_MARKERS = re.compile(r"^(?:[ \t>]|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))*")
_LINK_DEFINITION = re.compile(r"^\s*\[[^\]]+\]:")
_HTML_OR_FENCE = re.compile(r"^\s*(?:<|```|~~~)")
MAX_NESTING = 20  # deeper quotes/lists are read as text: markdown-it's own guard against pathological input


def markdown_items(text: str, warnings: list[str] | None = None) -> list[tuple]:
    """Markdown blocks as (kind, text, markup[, markup_end]) tuples, in order."""
    lines = text_lines(text)
    items: list[tuple] = []
    first = 0
    if lines and lines[0].strip() in _FRONT_MATTER:
        close = _FRONT_MATTER[lines[0].strip()]
        end = next((j for j in range(1, len(lines)) if lines[j].strip() == close), None)
        if end is not None:
            items.append((BlockKind.CODE, "\n".join(lines[: end + 1]), ""))
            first = end + 1
    _Walker(lines, first, items, warnings).walk()
    return items


class _Walker:
    """Turns markdown-it's block tokens into items; lines no token covers (link definitions) are kept as code."""

    def __init__(self, lines: list[str], first: int, items: list[tuple], warnings: list[str] | None):
        from markdown_it import MarkdownIt

        self.lines, self.first, self.items, self.warnings = lines, first, items, warnings
        # block structure only: inline Markdown (links, emphasis) stays in the text as written
        parser = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").disable(["inline", "text_join"])
        self.tokens = parser.parse("\n".join(lines[first:]))
        self.containers: list[list] = []  # [kind, marker, marker shown yet]
        self.seen_text = False  # a '# ' heading before any text is the title
        self.covered = first

    def walk(self) -> None:
        tokens, i = self.tokens, 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind in _LEAVES and token.map:
                self._gap(token.map[0] + self.first)
                self.covered = max(self.covered, token.map[1] + self.first)
            if kind == "blockquote_open":
                self.containers.append(["quote", "> ", True])
            elif kind == "list_item_open":
                marker = f"{token.info}{token.markup} " if token.info else f"{token.markup} "
                self.containers.append(["item", marker, False])
            elif kind in ("blockquote_close", "list_item_close"):
                self.containers.pop()
            elif kind == "heading_open":
                self._heading(token, tokens[i + 1].content)
                i += 2
            elif kind == "paragraph_open":
                self._paragraph(token, tokens[i + 1].content)
                i += 2
            elif kind == "table_open":
                i = self._table(i)
            elif kind in ("fence", "code_block", "hr"):
                self._code(token.map)
                if kind == "fence" and self._unclosed(token):
                    self.warnings is not None and self.warnings.append(
                        f"the code fence opened on line {token.map[0] + self.first + 1} is never closed; it runs to "
                        "the end of the file, so nothing after it is translated")
            elif kind == "html_block":
                self._html(token.map)
            i += 1
        self._gap(len(self.lines))

    # -- containers ---------------------------------------------------------------------------------
    def _prefix(self) -> str:
        """The container markers before a block's first line; a list item's marker only once."""
        parts = []
        for container in self.containers:
            parts.append(container[1] if container[0] == "quote" or not container[2] else " " * len(container[1]))
            container[2] = True
        return "".join(parts)

    def _continuation(self) -> str:
        """The container markers before a block's later lines (list markers become indentation)."""
        return "".join(c[1] if c[0] == "quote" else " " * len(c[1]) for c in self.containers)

    def _in_quote(self) -> bool:
        return any(c[0] == "quote" for c in self.containers)

    def _in_list(self) -> bool:
        return any(c[0] == "item" for c in self.containers)

    # -- leaf blocks --------------------------------------------------------------------------------
    def _heading(self, token, content: str) -> None:
        level = int(token.tag[1])
        text = _join_lines(content)
        if is_blank(text):
            self._code(token.map)
            return
        kind = BlockKind.TITLE if level == 1 and not self.seen_text and not self.containers else BlockKind.HEADING
        self.items.append((kind, text, self._prefix() + "#" * level + " "))
        self.seen_text = True

    def _paragraph(self, token, content: str) -> None:
        lines = content.split("\n")
        while lines and _MD_IMAGE_ONLY.match(lines[0].strip()):  # an image on its own line: carried through
            self.items.append((BlockKind.CODE, self._prefix() + lines.pop(0).strip(), ""))
        if not lines:
            return
        text = _join_lines("\n".join(lines))
        prefix = self._prefix()
        note = _FOOTNOTE.match(text)
        if note and not self.containers:
            prefix, text = note.group(1), note.group(2)
        if self._in_quote():
            kind = BlockKind.QUOTE
        elif self._in_list():
            kind = BlockKind.PARAGRAPH
        else:
            kind = classify(text.strip("*_ ") or text, first=False)  # '*图为…*' is a caption
        self.items.append((kind, text, prefix))
        self.seen_text = True

    def _table(self, i: int) -> int:
        """Each non-empty cell a block; the pipes, the delimiter row and empty cells are its markup."""
        tokens, start = self.tokens, i
        prefix, cont = self._prefix(), self._continuation()
        cells: list[list] = []  # [markup, text, markup_end]
        pending = prefix + "|"
        rows = 0
        while tokens[i].type != "table_close":
            token = tokens[i]
            if token.type == "tr_open":
                pending += "\n" + cont + "|" if rows else ""
                rows += 1
            elif token.type == "thead_close" and tokens[start].map:
                delimiter = self.lines[tokens[start].map[0] + self.first + 1]
                pending += "\n" + cont + _CONTAINER_CHARS.sub("", delimiter).strip()
            elif token.type == "inline":
                text = _join_lines(token.content)
                if is_blank(text):
                    pending += "  |"
                else:
                    cells.append([pending + " ", text, ""])
                    pending = " |"
            i += 1
        if not cells:
            self._code(tokens[start].map)
            return i
        cells[-1][2] = pending
        self.items.extend((BlockKind.PARAGRAPH, text, markup, end) for markup, text, end in cells)
        self.seen_text = True
        return i

    def _html(self, span) -> None:
        """Raw HTML kept whole; a run of block-element lines line by line (their text is translated)."""
        raw = self.lines[span[0] + self.first : span[1] + self.first]
        if self.containers or _RAW_HTML.match(raw[0]):
            self._code(span)
            return
        code: list[str] = []
        for line in raw:
            stripped = line.strip()
            html = _html_block(stripped, first=not self.seen_text) if stripped.startswith("<") else None
            if html is None and stripped.startswith("<") or is_blank(stripped):
                code.append(line)
                continue
            if code:
                self.items.append((BlockKind.CODE, "\n".join(code), ""))
                code = []
            self.items.append(html or (classify(stripped), stripped, ""))
            self.seen_text = True
        if code:
            self.items.append((BlockKind.CODE, "\n".join(code), ""))

    def _code(self, span) -> None:
        self._prefix()  # the raw lines carry the list marker: later blocks of the item are indented
        if span:
            text = "\n".join(self.lines[span[0] + self.first : span[1] + self.first])
            if not is_blank(text):
                self.items.append((BlockKind.CODE, text, ""))

    def _gap(self, upto: int) -> None:
        """Lines no block holds: link reference definitions and footnotes (kept, the footnote translated),
        and text nested deeper than MAX_NESTING (translated line by line, its markers kept as markup)."""
        for line in self.lines[self.covered : upto]:
            markers = _MARKERS.match(line).group()
            rest = line[len(markers):]
            note = _FOOTNOTE.match(rest.strip())
            if note:
                self.items.append((BlockKind.PARAGRAPH, note.group(2), markers + note.group(1)))
            elif _LINK_DEFINITION.match(rest) or _HTML_OR_FENCE.match(rest):
                self.items.append((BlockKind.CODE, line, ""))
            elif not is_blank(rest):
                kind = BlockKind.QUOTE if ">" in markers else BlockKind.PARAGRAPH
                self.items.append((kind, rest.strip(), markers))
        self.covered = max(self.covered, upto)

    def _unclosed(self, token) -> bool:
        if token.map[1] - token.map[0] < 2:
            return True
        last = _CONTAINER_CHARS.sub("", self.lines[token.map[1] + self.first - 1]).rstrip()
        return not re.fullmatch(re.escape(token.markup[0]) + "{%d,}" % len(token.markup), last)


def _join_lines(content: str) -> str:
    """A paragraph's lines as one: no space between Chinese characters, one between Latin words;
    hard line-break markers (two spaces, a backslash) are dropped with the break."""
    out = ""
    for line in content.split("\n"):
        line = _HARD_BREAK.sub("", line).strip()
        if out and line and not (_WIDE.match(out[-1]) and _WIDE.match(line[0])):
            out += " "
        out += line
    return out


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
