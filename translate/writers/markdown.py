"""Bilingual and target-only Markdown."""

from __future__ import annotations

from ..document import BlockKind, Document


def bilingual_markdown(document: Document, signature: dict) -> str:
    """Each source block (as received) followed by its translation; ids as HTML comments, flags as footnotes."""
    lines = [f"<!-- translate {signature.get('tool', '')} model={signature.get('model', '')} -->", ""]
    notes: list[str] = []
    for block in document.blocks:
        lines.append(f"<!-- block {block.id} {block.kind.value} -->")
        if block.kind is BlockKind.CODE:
            lines += [block.source, ""]
            continue
        prefix = _prefix(block)
        lines += [prefix + _escape(block.source), ""]
        marker = ""
        for flag in block.flags:
            notes.append(f"[^{len(notes) + 1}]: **{flag.code}** ({block.id}): {flag.message}")
            marker += f" ⚠[^{len(notes)}]"
        origin = " <!-- from translation memory -->" if block.origin == "tm" else ""
        lines += [prefix + _escape(block.translation) + marker + origin, ""]
    if any(b.repairs for b in document.blocks):
        lines += ["<details><summary>Source repairs</summary>", ""]
        for block in document.blocks:
            for repair in block.repairs:
                lines.append(f"- {block.id} @{repair.offset}: {repair.spun} → {repair.restored} "
                             f"({repair.rule}, {repair.confidence:.2f})")
        lines += ["", "</details>", ""]
    lines += notes
    return "\n".join(lines).rstrip() + "\n"


def target_markdown(document: Document, translations: dict[str, str] | None = None) -> str:
    out = []
    for block in document.blocks:
        if block.kind is BlockKind.CODE:
            out.append(block.source)
            continue
        text = (translations or {}).get(block.id, block.translation)
        if block.kind is BlockKind.BYLINE or block.kind is BlockKind.CAPTION:
            text = f"*{text}*"
        out.append(_prefix(block) + text)
    return "\n\n".join(out) + "\n"


def _prefix(block) -> str:
    """The block's own Markdown marker, or one for its kind (a .txt title becomes '# ')."""
    return block.markup or {BlockKind.TITLE: "# ", BlockKind.HEADING: "## ", BlockKind.QUOTE: "> "}.get(block.kind, "")


def _escape(text: str) -> str:
    # A leading '#' or '>' in prose would turn into Markdown structure.
    return "\\" + text if text[:1] in ("#", ">") else text
