"""Bilingual review DOCX (table or interleaved) and the target-only DOCX."""

from __future__ import annotations

import io
import re
from pathlib import Path

from ...controls import is_blank, xml_safe
from ...document import Block, BlockKind, Document
from ...repair import LOW_CONFIDENCE
from ..markdown import is_table_cell
from ..record import record_json, run_record
from . import build as docx_build
from . import oxml as docx_xml
from . import template as docx_template

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
MAX_MARKS = 200  # highlighted spans per block


def bilingual_docx(document: Document, signature: dict, *, layout: str = "table", show_repairs: bool = True) -> bytes:
    """Source (with repairs as tracked changes) beside or above the translation, one block per row."""
    from docx.shared import Pt

    out = docx_template.new_document()
    _record_signature(out, document, signature)
    docx_xml.embed_run(out, record_json(run_record(document, signature)))
    ids = docx_xml.RevisionIds()
    comments = docx_build.CommentWriter(out)
    deferred = docx_build.DeferredXml()
    style_ids = _style_ids()
    _styled(out.add_paragraph(f"{xml_safe(document.name)}: source (Chinese) and translation (English). "
                              "Edit the English only; repairs of the source are tracked changes."),
            docx_template.style_id("No Spacing"))
    new_paragraph = _paragraph_maker(out)
    if layout == "interleaved":
        for position, block in enumerate(document.blocks, start=1):
            source = _styled(new_paragraph(), style_ids[block.kind])
            _source_paragraph(comments, deferred, source, block, ids, show_repairs, position)
            target = _styled(new_paragraph(), style_ids[block.kind])
            target.paragraph_format.left_indent = Pt(18)
            _translation_runs(comments, target, block)
            docx_xml.add_target_mark(target, block.id, ids, position)
    else:
        table = _table(out, docx_template.style_id("Table Grid"))
        new_row = _row_maker(table)
        for position, block in enumerate(document.blocks, start=1):
            cells = new_row()
            _source_paragraph(comments, deferred, cells[0].paragraphs[0], block, ids, show_repairs, position)
            _styled(cells[0].paragraphs[0], style_ids[block.kind])
            _styled(cells[1].paragraphs[0], style_ids[block.kind])
            _translation_runs(comments, cells[1].paragraphs[0], block)
            docx_xml.add_target_mark(cells[1].paragraphs[0], block.id, ids, position)
    return docx_template.save(out, deferred.splice)


def target_docx(document: Document, signature: dict, translations: dict[str, str] | None = None,
                keep_layout_only: bool = False) -> bytes | None:
    """The translation alone, styled by kind. A DOCX input keeps its own layout: each paragraph's
    text is replaced in place, so tables, headers, lists, pictures and links survive (None with
    `keep_layout_only` when that cannot be done). A blank line in a translation starts a paragraph."""
    if document.encoding == "docx" and document.path and Path(document.path).is_file():
        kept = _translate_in_place(document, signature, translations or {})
        if kept is not None or keep_layout_only:
            return kept
    out = docx_template.new_document()
    _record_signature(out, document, signature)
    style_ids = _style_ids()
    rows: list[list[str]] = []  # a Markdown table's cells, put in a Word table when it ends
    markdown = Path(document.path).suffix.lower() in (".md", ".markdown") or any(b.markup for b in document.blocks)
    add_text = docx_build.append_markdown_runs if markdown else docx_build.append_run
    for block in document.blocks:
        text = (translations or {}).get(block.id, block.translation)
        if is_table_cell(block):
            _place_cell(rows, block, " ".join(text.split()))
            if block.markup_end:
                _add_table(out, rows)
            continue
        _add_table(out, rows)
        style, number = _list_item(block.markup)
        for n, part in enumerate(split_paragraphs(text)):
            add_text(_styled(out.add_paragraph(), style or style_ids[block.kind]),
                     f"{number} {part}" if number and n == 0 else part)
    _add_table(out, rows)
    return docx_template.save(out)


_LIST_MARKER = re.compile(r"^( *)(?:([-*+])|(\d{1,9}[.)]))[ \t]")


def _place_cell(rows: list[list[str]], block: Block, text: str) -> None:
    """Put a Markdown cell in its row and column. The pipes around it say where: an empty cell has no block of
    its own, only one more pipe ('| 百度 |  | 无 |'); a line break starts a row (after the delimiter row)."""
    lines = block.markup.split("\n")
    if rows and len(lines) > 1:
        rows[-1].extend([""] * max(0, lines[0].count("|") - 1))  # empty cells closing the row before
    if not rows or len(lines) > 1:
        rows.append([])
    rows[-1].extend([""] * max(0, lines[-1].count("|") - 1))
    rows[-1].append(text)
    if block.markup_end:
        rows[-1].extend([""] * max(0, block.markup_end.count("|") - 1))


def _list_item(markup: str) -> tuple[str | None, str]:
    """A Markdown list item's Word style and number: List Bullet (2, 3 when nested) for bullets; for numbered
    items List Continue and the article's own number as text, so that each list counts as the article does
    (Word's List Number would run on from one list into the next)."""
    found = _LIST_MARKER.match(markup)
    if not found:
        return None, ""
    level = min(3, 1 + len(found.group(1)) // 2)
    name = ("List Bullet" if found.group(2) else "List Continue") + (f" {level}" if level > 1 else "")
    try:
        return docx_template.style_id(name), found.group(3) or ""
    except KeyError:
        return None, found.group(3) or ""


def _add_table(out, rows: list[list[str]]) -> None:
    """The rows gathered so far as a Word table (Table Grid), first row bold as a header; `rows` emptied."""
    if not rows:
        return
    table = out._body.add_table(len(rows), max(len(row) for row in rows), out._block_width)
    table._tbl.tblStyle_val = docx_template.style_id("Table Grid")
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            run = docx_build.append_run(table.cell(r, c).paragraphs[0], text)
            if r == 0:
                run.bold = True
    rows.clear()


def split_paragraphs(text: str) -> list[str]:
    """A translation's paragraphs (an editor may split one; a blank line separates them); at least one."""
    parts = [part.strip("\n") for part in re.split(r"\n[ \t]*\n", text)]
    return [p for p in parts if p.strip()] or [text]


def _translate_in_place(document: Document, signature: dict, translations: dict[str, str]) -> bytes | None:
    from copy import deepcopy

    import docx

    from .remote import drop_remote_relationships

    source = docx.Document(document.path)
    drop_remote_relationships(source)  # the reader warned: nothing in our output fetches a URL on opening
    notes = docx_xml.note_parts(source)
    paragraphs = [p for _, p in docx_xml.paragraph_elements(source, notes) if not is_blank(docx_xml.accepted_text(p))]
    if len(paragraphs) != len(document.blocks):  # the file changed since it was read: rebuild instead
        return None
    for p, block in zip(paragraphs, document.blocks):
        parts = split_paragraphs(translations.get(block.id, block.translation))
        docx_xml.replace_paragraph_text(p, parts[0])
        for part in reversed(parts[1:]):  # added paragraphs: copies of this one (its style), in order
            copy = deepcopy(p)
            docx_xml.replace_paragraph_text(copy, part)
            p.addnext(copy)
    docx_xml.mirror_text_box_fallbacks(source.element.body)
    docx_xml.save_note_parts(notes)
    _record_signature(source, document, signature)
    buffer = io.BytesIO()
    source.save(buffer)
    return buffer.getvalue()


def _paragraph_maker(out):
    """A function adding an empty body paragraph in constant time.

    python-docx's add_paragraph looks for the section properties at the end of the body on
    every call, which makes a document of tens of thousands of paragraphs quadratic.
    """
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = out.element.body
    section = body.find(qn("w:sectPr"))

    def new_paragraph():
        p = docx_build.make_element("w:p")
        if section is not None:
            section.addprevious(p)
        else:
            body.append(p)
        return Paragraph(p, out._body)

    return new_paragraph


def _row_maker(table):
    """A function adding a table row (and returning its cells) in constant time, by copying an empty row.

    python-docx's add_row looks up the table grid among all rows on every call (quadratic).
    """
    from copy import deepcopy

    from docx.oxml.ns import qn
    from docx.table import _Cell

    first = table.add_row()._tr
    pristine = deepcopy(first)
    tbl = table._tbl
    rows = iter([first])

    def new_row():
        tr = next(rows, None)
        if tr is None:
            tr = deepcopy(pristine)
            tbl.append(tr)
        return [_Cell(tc, table) for tc in tr.iterchildren(qn("w:tc"))]

    return new_row


def _style_ids() -> dict[BlockKind, str]:
    return {kind: docx_template.style_id(name) for kind, name in STYLE_BY_KIND.items()}


def _table(out, style: str):
    """An empty two-column table at the end of the body, in table style `style` (an id), as
    `add_table(rows=0, cols=2, style=...)` makes it without looking up the style part."""
    table = out._body.add_table(0, 2, out._block_width)
    table._tbl.tblStyle_val = style
    return table


def _styled(paragraph, style_id: str):
    # Setting paragraph.style by name looks the style up each time (milliseconds per block);
    # the id is resolved once per document instead.
    paragraph._p.style = style_id
    return paragraph


def _record_signature(out, document: Document, signature: dict) -> None:
    _adopt_core_properties(out)
    props = out.core_properties
    props.title = xml_safe(document.name)
    props.subject = "translate bilingual review"
    # Word caps this field at 255 characters; the full signature is in the embedded run data.
    props.comments = " | ".join(f"{k}={v}" for k, v in signature.items())[:255]


def _adopt_core_properties(out) -> None:
    """LibreOffice links docProps/core.xml by a misspelt relationship type (`officedocument/.../metadata/
    core-properties`); python-docx does not know it and adds a second core.xml, so the saved zip holds
    two parts of one name. The existing part is linked by the standard type instead."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    package = out.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype != RT.CORE_PROPERTIES and rel.reltype.lower().endswith("/metadata/core-properties"):
            del package.rels[rid]
            package.relate_to(rel.target_part, RT.CORE_PROPERTIES)


def _source_paragraph(comments, deferred, paragraph, block: Block, ids, show_repairs: bool, position: int) -> None:
    """The source with its block id; repairs as tracked changes (uncertain ones commented).

    Built as one XML string and parsed once: a paragraph of megabytes holds hundreds of
    thousands of runs, and creating them one element at a time takes minutes.
    """
    docx_xml.add_hidden_id(paragraph, block.id, ids, machine=xml_safe(block.translation), source=block.text,
                           position=position)
    if not show_repairs or not block.repairs:
        docx_build.append_run(paragraph, block.source, east_asian=True)
        return
    pieces = []
    position = 0
    for repair in block.repairs:
        if repair.offset > position:
            pieces.append(docx_build.run_xml(block.source[position : repair.offset], east_asian=True))
        comment_id = None
        if repair.confidence < LOW_CONFIDENCE:
            comment_id = comments.new(f"Repair '{repair.spun}' -> '{repair.restored}' is uncertain (confidence "
                                      f"{repair.confidence:.2f}); reject the change if the original was right.",
                                      author=docx_xml.REPAIR_AUTHOR, initials="TR")
        pieces.append(docx_build.tracked_replacement_xml(repair.spun, repair.restored, ids, docx_xml.REPAIR_AUTHOR,
                                                        comment_id=comment_id))
        position = repair.offset + len(repair.spun)
    if position < len(block.source):
        pieces.append(docx_build.run_xml(block.source[position:], east_asian=True))
    deferred.append(paragraph, "".join(pieces))


def _translation_runs(comments, paragraph, block: Block) -> None:
    """The translation with enforced terms highlighted and the flags as highlighted, commented spans."""
    from docx.enum.text import WD_COLOR_INDEX

    text = xml_safe(block.translation)
    position = 0
    flagged_runs = []
    for start, end, kind in _marks(block, text):
        if start > position:
            docx_build.append_run(paragraph, text[position:start])
        run = docx_build.append_run(paragraph, text[start:end])
        run.font.highlight_color = WD_COLOR_INDEX.BRIGHT_GREEN if kind == "term" else WD_COLOR_INDEX.YELLOW
        if kind == "flag":
            flagged_runs.append(run)
        position = end
    if position < len(text) or not paragraph.runs:
        docx_build.append_run(paragraph, text[position:])
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
        comments.add(flagged_runs, xml_safe("\n".join(notes)), author=QA_AUTHOR, initials=QA_INITIALS)


def _marks(block: Block, text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, 'term'|'flag') spans of the translation, in order."""
    lowered = text.lower()
    marks = []
    wanted = [(hit.target, "term") for hit in block.terms if hit.enforced]
    wanted += [(flag.span, "flag") for flag in block.flags if flag.span]
    found: dict[str, int] = {}
    for needle, kind in wanted[:MAX_MARKS]:  # each find scans the text: bounded so huge blocks stay linear
        if needle.lower() not in found:
            found[needle.lower()] = lowered.find(needle.lower())
        at = found[needle.lower()]
        if at >= 0:
            marks.append((at, at + len(needle), kind))
    marks.sort()
    result, last_end = [], 0
    for start, end, kind in marks:
        if start >= last_end:
            result.append((start, end, kind))
            last_end = end
    return result
