"""Bilingual and target-only Markdown."""

from __future__ import annotations

import re

from ..document import BlockKind, Document

_BLOCK_COMMENT = re.compile(r"^<!-- block (\S+) ", re.M)
_EMPHASIS = re.compile(r"(?<!\\)[*_]")
_HTML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# A link to a script or data scheme, inline `[x](javascript:…)` or as a reference definition
# `[1]: data:…` (which a `[x][1]` anywhere uses): the `(` or `:` after the `]` is escaped, so no link forms.
_UNSAFE_LINK = re.compile(r"\]([(:])(\s*)(?=(?:javascript|vbscript|data|file):)", re.I)


def bilingual_markdown(document: Document, signature: dict) -> str:
    """Each source block (as received) followed by its translation; ids as HTML comments, flags as footnotes."""
    lines = [f"<!-- translate {signature.get('tool', '')} model={signature.get('model', '')} -->", ""]
    notes: list[str] = []
    for block in document.blocks:
        lines.append(f"<!-- block {block.id} {block.kind.value} -->")
        if block.kind is BlockKind.CODE:
            lines += [_as_code(block.source), ""]
            continue
        # HTML markup (<p class=...>) is the source's, not ours: the kind's marker stands in for it
        prefix = _prefix(block) if not block.markup.startswith("<") else _KIND_PREFIX.get(block.kind, "")
        lines += [prefix + _escape(block.source), ""]
        marker = ""
        for flag in block.flags:
            notes.append(f"[^{len(notes) + 1}]: **{flag.code}** ({block.id}): {_escape(flag.message)}")
            marker += f" ⚠[^{len(notes)}]"
        origin = " <!-- from translation memory -->" if block.origin == "tm" else ""
        lines += [prefix + _escape(block.translation) + marker + origin, ""]
    if any(b.repairs for b in document.blocks):
        lines += ["<details><summary>Source repairs</summary>", ""]
        for block in document.blocks:
            for repair in block.repairs:
                lines.append(f"- {block.id} @{repair.offset}: {_escape(repair.spun)} → {_escape(repair.restored)} "
                             f"({repair.rule}, {repair.confidence:.2f})")
        lines += ["", "</details>", ""]
    lines += notes
    return "\n".join(lines).rstrip() + "\n"


def target_markdown(document: Document, translations: dict[str, str] | None = None) -> str:
    out = []
    previous = None
    for block in document.blocks:
        if previous is not None and _in_open_row(previous):
            out.append("")  # a table's cells are one row of text: no paragraph break between them
        elif previous is not None:
            out.append("\n\n")
        previous = block
        if block.kind is BlockKind.CODE:
            out.append(block.source)
            continue
        text = (translations or {}).get(block.id, block.translation)
        parts = re.split(r"\n[ \t]*\n", text) if not block.markup.startswith("<") else [text]
        parts = [p.strip("\n") for p in parts if p.strip()] or [text]
        if block.kind is BlockKind.BYLINE or block.kind is BlockKind.CAPTION:
            # italic, unless the text has emphasis of its own ('**编辑：** 小李'): '***' around it would break it
            parts = [p if _EMPHASIS.search(p) else f"*{p}*" for p in parts]
        # a paragraph the editor added is a paragraph of its own, in the block's form
        if _is_table_cell(block):
            parts = [" ".join(p.split()).replace("|", "\\|") for p in parts]  # one line, its pipes escaped
        out.append("\n\n".join(_prefix(block) + p for p in parts) + block.markup_end)
    return "".join(out) + "\n"


def _is_table_cell(block) -> bool:
    """A Markdown table cell (the reader gives it the pipes before it as markup)."""
    return block.markup.endswith("| ") and not block.markup.startswith("<")


def _in_open_row(block) -> bool:
    """The cell is followed by more of its table (only a table's last cell carries the closing pipes)."""
    return _is_table_cell(block) and not block.markup_end


def _prefix(block) -> str:
    """The block's own Markdown marker, or one for its kind (a .txt title becomes '# ')."""
    return block.markup or _KIND_PREFIX.get(block.kind, "")


_KIND_PREFIX = {BlockKind.TITLE: "# ", BlockKind.HEADING: "## ", BlockKind.QUOTE: "> "}


def _escape(text: str) -> str:
    """Text for the bilingual file: HTML from the source shows as text (it can neither run nor
    forge our block comments), links to script schemes are broken, and every line of a
    multi-line text is kept from turning into Markdown structure."""
    text = _UNSAFE_LINK.sub(r"]\\\1\2", text.translate(_HTML_SPECIAL))
    return "\n".join("\\" + line if line[:1] in ("#", ">") else line for line in text.split("\n"))


def _as_code(text: str) -> str:
    """Carried-through source (fences, HTML, front matter) as an indented code block: shown, never rendered."""
    return "\n".join("    " + line for line in text.split("\n"))


def block_ids_in(bilingual: str) -> list[str]:
    """The block ids of a bilingual Markdown file, in order (its block comments)."""
    return _BLOCK_COMMENT.findall(bilingual)
