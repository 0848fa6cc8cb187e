"""The rows of an edited bilingual DOCX: which paragraphs are a block's source, its translation, an orphan
translation (its source deleted), or a paragraph the editor added.

Tables are read from the XML (`w:tr`/`w:tc`), never through python-docx's `row.cells`: that materialises
horizontal spans (a crafted `w:gridSpan` of two billion is gigabytes) and follows vertical merges
recursively (thousands of merged rows overflow the stack).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...document import normalise
from ...errors import ReviewError
from . import oxml as docx_xml

_W = docx_xml.W
_HAN = re.compile(r"[\u3400-\u9fff]")
MAX_ROWS = 100_000  # a review table of more rows is not one of ours
MAX_SPAN = 64  # columns one cell may span


@dataclass
class Row:
    """One block as the file shows it."""

    source: object | None  # the source paragraph or cell; None for an orphan translation
    targets: list  # translation paragraphs or cells
    where: str  # "row 3", "block 5": named in warnings
    orphan_id: str = ""  # the block whose translation this is, its source paragraph deleted
    added: list = field(default_factory=list)  # rows the editor added after this one (published, never stored)

    @property
    def block_id(self) -> str:
        if self.source is None:
            return self.orphan_id
        ids = docx_xml.hidden_ids(self.source)
        return ids[0] if len(ids) == 1 else ""


def document_rows(document, path: str, known: set[str], machine: dict[str, str],
                  warnings: list[str]) -> list[Row]:
    """Rows of our table, or else of the interleaved layout. `known`: the run's sources (normalised);
    `machine`: normalised machine translation -> block id (both empty without run data)."""
    body = document.element.body
    for table in body.iter(f"{_W}tbl"):
        rows = _table_rows(table, path, known, warnings)
        if rows:
            return rows
    _refuse_joined_rows(body, path)
    return _interleaved_rows(body, known, machine, warnings)


def _refuse_joined_rows(body, path: str) -> None:
    """Word's Table > Convert to Text (and LibreOffice's) puts each row in one paragraph, its cells split by
    tabs; deleting the paragraph mark after a source joins it to its translation. Either reads as one edited
    source with no translation: refused, as nothing can be stored safely."""
    for number, p in enumerate(body.iter(f"{_W}p"), start=1):
        sources = {m.block_id for m in docx_xml.block_marks(p)}
        if sources & {m.block_id for m in docx_xml.block_marks(p, "target")} \
                and _HAN.search(docx_xml.accepted_text(p)):
            raise ReviewError(f"paragraph {number} holds a source and its translation together (the table "
                              "converted to text, or the two paragraphs joined); nothing imported: split them again "
                              "(Convert Text to Table at tabs, or Enter after the Chinese) or give the "
                              "STEM.bilingual.docx as written", path)


def is_source(element, known: set[str]) -> bool:
    if docx_xml.hidden_ids(element):
        return True
    text = normalise(docx_xml.accepted_text(element))
    return bool(text) and (text in known or normalise(docx_xml.original_text(element)) in known)


_WRAPPERS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"})


def wrapped_children(element, tag: str) -> list:
    """Children with `tag`, also those inside content controls (w:sdt, e.g. Word's repeating sections) and
    custom XML wrapped around rows or cells: read as the table's own, never as rows deleted."""
    found = []
    for child in element:
        if child.tag == tag:
            found.append(child)
        elif child.tag in _WRAPPERS:
            found += wrapped_children(child, tag)
    return found


def _cells(tr, number: int, path: str) -> list:
    cells = wrapped_children(tr, f"{_W}tc")
    for tc in cells:
        span = tc.find(f"{_W}tcPr/{_W}gridSpan")
        value = span.get(f"{_W}val", "1") if span is not None else "1"
        if not value.isdigit() or int(value) > MAX_SPAN:
            raise ReviewError(f"row {number}: a cell spans {value[:12]} columns (at most {MAX_SPAN} in a review "
                              "table); the table is damaged: give the STEM.bilingual.docx as written", path)
    return cells


def _table_rows(table, path: str, known: set[str], warnings: list[str]) -> list[Row]:
    """Rows of our table: those with an id or a known source; with no run data, any row with a source
    once the table is known to be ours (its id is then derived from the source text)."""
    raw = []
    for number, tr in enumerate(wrapped_children(table, f"{_W}tr"), start=1):
        if number > MAX_ROWS:
            raise ReviewError(f"has a table of over {MAX_ROWS} rows; it is not a review file: give the "
                              "STEM.bilingual.docx as written", path)
        cells = _cells(tr, number, path)
        raw.append((cells[0], cells[-1], number) if len(cells) >= 2 else (None, None, number))
    if not any(s is not None and is_source(s, known) for s, _, _ in raw):
        return []
    rows: list[Row] = []
    for source, target, number in raw:
        where = f"row {number}"
        if source is None:
            warnings.append(f"{where}: fewer than 2 cells (table restructured); row skipped")
        elif is_source(source, known) or (not known and _HAN.search(docx_xml.accepted_text(source))):
            rows.append(Row(source, [target], where))
        elif docx_xml.accepted_text(source).strip():
            warnings.append(f"{where}: its source matches no block and carries no id; row skipped")
        elif _orphan_mark(target, rows):
            rows.append(Row(None, [target], where, orphan_id=_orphan_mark(target, rows)))
        elif rows and docx_xml.accepted_text(target).strip():
            rows[-1].added.append(target)
    return rows


def _orphan_mark(target, rows: list[Row]) -> str:
    """The block a translation's mark names when that is not the block of the row above: its source was deleted."""
    marks = docx_xml.block_marks(target, "target")
    current = rows[-1].block_id if rows else ""
    return marks[0].block_id if marks and marks[0].block_id != current else ""


def _interleaved_rows(body, known: set[str], machine: dict[str, str], warnings: list[str]) -> list[Row]:
    """Everything between one source paragraph and the next is that block's translation, except a
    translation that names (by its mark, or by being its machine text) a block whose source is gone."""
    rows: list[Row] = []
    for p in body.iter(f"{_W}p"):
        text = docx_xml.accepted_text(p)
        last = rows[-1] if rows else None
        if last and last.source is not None and not last.targets and _HAN.search(text) \
                and not docx_xml.accepted_text(last.source).strip():
            last.source = _with_ids(p, last.source)  # Enter at the start of a source: its bookmark moved up
        elif _took_source_mark(p, text):  # the source paragraph deleted: its bookmark fell into the translation
            block_id = docx_xml.block_marks(p)[0].block_id
            rows.append(Row(None, [p], f"the translation of block {block_id}", orphan_id=block_id))
        elif is_source(p, known):
            rows.append(Row(p, [], f"block {sum(1 for r in rows if r.source is not None) + 1}"))
        elif last is not None:
            orphan = _orphan_mark(p, rows) or _machine_of_another(text, last, machine)
            if orphan and orphan not in {r.block_id for r in rows}:
                rows.append(Row(None, [p], f"the translation after {last.where}", orphan_id=orphan))
            else:
                last.targets.append(p)
    return rows


def _took_source_mark(p, text: str) -> bool:
    """A translation paragraph carrying a source mark: its own target mark beside it, or its text is the
    machine translation the mark's fingerprint names, and no Chinese."""
    marks = docx_xml.block_marks(p)
    if not marks or _HAN.search(text) or not text.strip():
        return False
    return bool(docx_xml.block_marks(p, "target")) or marks[0].machine == docx_xml.fingerprint(text)


def _machine_of_another(text: str, last: Row, machine: dict[str, str]) -> str:
    """With the run's data: a paragraph that is, word for word, another block's machine translation, once
    the current block has its own translation."""
    if not last.targets or not text.strip():
        return ""
    owner = machine.get(normalise(text), "")
    return owner if owner and owner != last.block_id else ""


def _with_ids(paragraph, empty_with_ids):
    """The source paragraph, keeping the ids of the empty paragraph above it that took its bookmark."""
    for bookmark in list(empty_with_ids.iter(f"{_W}bookmarkStart")):
        paragraph.insert(0, bookmark)
    return paragraph
