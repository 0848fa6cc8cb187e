"""Bilingual review DOCX (table or interleaved) and the target-only DOCX."""

from __future__ import annotations

import io
from pathlib import Path

from ..document import Block, BlockKind, Document
from ..repair import LOW_CONFIDENCE
from . import docx_xml

STYLE_BY_KIND = {
    BlockKind.TITLE: "Title",
    BlockKind.BYLINE: "Subtitle",
    BlockKind.HEADING: "Heading 2",
    BlockKind.CAPTION: "Caption",
    BlockKind.QUOTE: "Quote",
    BlockKind.PARAGRAPH: "Normal",
    BlockKind.CODE: "No Spacing",
}
QA_AUTHOR, QA_INITIALS = "translate QA", "QA"


def bilingual_docx(document: Document, signature: dict, *, layout: str = "table", show_repairs: bool = True) -> bytes:
    """Source (with repairs as tracked changes) beside or above the translation, one block per row."""
    import docx
    from docx.shared import Pt

    out = docx.Document()
    _record_signature(out, document, signature)
    docx_xml.embed_run(out, signature, [{"id": b.id, "kind": b.kind.value, "source": b.source, "repaired": b.text,
                                         "translation": b.translation, "markup": b.markup,
                                         "flags": [{"code": f.code, "severity": f.severity} for f in b.flags]}
                                        for b in document.blocks])
    ids = docx_xml.RevisionIds()
    style_ids = _style_ids(out)
    out.add_paragraph(f"{document.name}: source (Chinese) and translation (English). "
                      "Edit the English only; repairs of the source are tracked changes.", style="No Spacing")
    if layout == "interleaved":
        for block in document.blocks:
            _source_paragraph(out, _styled(out.add_paragraph(), style_ids[block.kind]), block, ids, show_repairs)
            target = _styled(out.add_paragraph(), style_ids[block.kind])
            target.paragraph_format.left_indent = Pt(18)
            _translation_runs(out, target, block)
    else:
        table = out.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for block in document.blocks:
            cells = table.add_row().cells
            _source_paragraph(out, cells[0].paragraphs[0], block, ids, show_repairs)
            _styled(cells[0].paragraphs[0], style_ids[block.kind])
            _styled(cells[1].paragraphs[0], style_ids[block.kind])
            _translation_runs(out, cells[1].paragraphs[0], block)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def target_docx(document: Document, signature: dict, translations: dict[str, str] | None = None) -> bytes:
    """The translation alone, styled by kind. A DOCX input keeps its own layout: each paragraph's
    text is replaced in place, so tables, headers, lists, pictures and links survive."""
    if document.encoding == "docx" and document.path and Path(document.path).is_file():
        kept = _translate_in_place(document, signature, translations or {})
        if kept is not None:
            return kept
    import docx

    out = docx.Document()
    _record_signature(out, document, signature)
    style_ids = _style_ids(out)
    for block in document.blocks:
        text = (translations or {}).get(block.id, block.translation)
        _styled(out.add_paragraph(text), style_ids[block.kind])
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _translate_in_place(document: Document, signature: dict, translations: dict[str, str]) -> bytes | None:
    import docx

    source = docx.Document(document.path)
    notes = docx_xml.note_parts(source)
    paragraphs = [p for _, p in docx_xml.paragraph_elements(source, notes) if docx_xml.accepted_text(p).strip()]
    if len(paragraphs) != len(document.blocks):  # the file changed since it was read: rebuild instead
        return None
    for p, block in zip(paragraphs, document.blocks):
        docx_xml.replace_paragraph_text(p, translations.get(block.id, block.translation))
    docx_xml.save_note_parts(notes)
    _record_signature(source, document, signature)
    buffer = io.BytesIO()
    source.save(buffer)
    return buffer.getvalue()


def _style_ids(out) -> dict[BlockKind, str]:
    return {kind: out.styles[name].style_id for kind, name in STYLE_BY_KIND.items()}


def _styled(paragraph, style_id: str):
    # Setting paragraph.style by name looks the style up each time (milliseconds per block);
    # the id is resolved once per document instead.
    paragraph._p.style = style_id
    return paragraph


def _record_signature(out, document: Document, signature: dict) -> None:
    props = out.core_properties
    props.title = document.name
    props.subject = "translate bilingual review"
    # Word caps this field at 255 characters; the full signature is in the embedded run data.
    props.comments = " | ".join(f"{k}={v}" for k, v in signature.items())[:255]


def _source_paragraph(out, paragraph, block: Block, ids, show_repairs: bool) -> None:
    docx_xml.add_hidden_id(paragraph, block.id, ids)
    if not show_repairs or not block.repairs:
        docx_xml.set_east_asian_font(paragraph.add_run(block.source))
        return
    position = 0
    for repair in block.repairs:
        if repair.offset > position:
            docx_xml.set_east_asian_font(paragraph.add_run(block.source[position : repair.offset]))
        deleted, inserted = docx_xml.add_tracked_replacement(paragraph, repair.spun, repair.restored, ids)
        from docx.text.run import Run

        for element in (deleted, inserted):
            docx_xml.set_east_asian_font(Run(element, paragraph))
        if repair.confidence < LOW_CONFIDENCE:
            out.add_comment(Run(inserted, paragraph), text=f"Repair '{repair.spun}' -> '{repair.restored}' is uncertain "
                            f"(confidence {repair.confidence:.2f}); reject the change if the original was right.",
                            author=docx_xml.REPAIR_AUTHOR, initials="TR")
        position = repair.offset + len(repair.spun)
    if position < len(block.source):
        docx_xml.set_east_asian_font(paragraph.add_run(block.source[position:]))


def _translation_runs(out, paragraph, block: Block) -> None:
    """The translation with enforced terms highlighted and the flags as highlighted, commented spans."""
    from docx.enum.text import WD_COLOR_INDEX

    text = block.translation
    position = 0
    flagged_runs = []
    for start, end, kind in _marks(block, text):
        if start > position:
            paragraph.add_run(text[position:start])
        run = paragraph.add_run(text[start:end])
        run.font.highlight_color = WD_COLOR_INDEX.BRIGHT_GREEN if kind == "term" else WD_COLOR_INDEX.YELLOW
        if kind == "flag":
            flagged_runs.append(run)
        position = end
    if position < len(text) or not paragraph.runs:
        paragraph.add_run(text[position:])
    # The severity is written out so that an import without the run's data still knows the errors.
    notes = [f"[{f.code}] {f.severity}: {f.message}" for f in block.flags]
    if block.origin == "tm":
        notes.append("[tm] reused from the translation memory")
    if notes:
        if not flagged_runs:  # no span to point at: the whole translation is in question
            flagged_runs = list(paragraph.runs)
            if block.flags:
                for run in flagged_runs:
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        out.add_comment(flagged_runs, text="\n".join(notes), author=QA_AUTHOR, initials=QA_INITIALS)


def _marks(block: Block, text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, 'term'|'flag') spans of the translation, in order."""
    lowered = text.lower()
    marks = []
    for hit in block.terms:
        if hit.enforced:
            at = lowered.find(hit.target.lower())
            if at >= 0:
                marks.append((at, at + len(hit.target), "term"))
    for flag in block.flags:
        if flag.span:
            at = lowered.find(flag.span.lower())
            if at >= 0:
                marks.append((at, at + len(flag.span), "flag"))
    marks.sort()
    result, last_end = [], 0
    for start, end, kind in marks:
        if start >= last_end:
            result.append((start, end, kind))
            last_end = end
    return result
