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
_LATIN_FIRST = re.compile(r"[^\u3400-\u9fff]*[A-Za-z]")
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
    foreign: str = ""  # the block another row has whose translation mark this row's translation carries
    merged_down: bool = False  # its translation cell continues the one above (Merge Cells: w:vMerge)

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
    rows: list[Row] = []
    ours: list = []
    numbered = 0
    for table in body.iter(f"{_W}tbl"):  # Word's Split Table leaves two tables: rows of every one of ours
        if any(outer in ours for outer in table.iterancestors(f"{_W}tbl")):
            continue  # a table inside one of our cells is that cell's content
        found, count = _table_rows(table, path, known, warnings, numbered)
        if found:
            ours.append(table)
            rows += found
            numbered += count
    if rows:
        if len(ours) > 1:
            warnings.append(f"the review table is split into {len(ours)} tables; their rows are read in order")
        rows = _refill_merged_cells(_unmerge(rows, path, warnings))
        _mark_foreign(rows)
        return rows
    _refuse_joined_rows(body, path, known)
    # a translation moved with its mark below another pair goes back to its source (the marks say whose it is)
    return _give_back_by_marks(_interleaved_rows(body, known, machine, warnings), lambda row: True, warnings)


def _refuse_joined_rows(body, path: str, known: set[str]) -> None:
    """Word's Table > Convert to Text (and LibreOffice's) puts each row in one paragraph, its cells split by
    tabs; deleting the paragraph mark after a source joins it to its translation, and after a translation
    joins it to the next block's source. Each reads as one edited source with no translation (or a
    translation keyed on text that is not the source): refused, as nothing can be stored safely."""
    for number, p in enumerate(body.iter(f"{_W}p"), start=1):
        marks = docx_xml.block_marks(p)
        sources = {m.block_id for m in marks}
        targets = {m.block_id for m in docx_xml.block_marks(p, "target")}
        text = docx_xml.accepted_text(p)
        if (sources & targets or (sources and targets and _translation_first(text, marks[0], known))) \
                and _HAN.search(text):
            joined = ("a source and its translation" if sources & targets
                      else "a translation and the next block's source")
            raise ReviewError(f"paragraph {number} holds {joined} together (the table converted to text, or two "
                              "paragraphs joined); nothing imported: split them again (Convert Text to Table at "
                              "tabs, or Enter between the English and the Chinese) or give the STEM.bilingual.docx "
                              "as written", path)


def _translation_first(text: str, mark, known: set[str]) -> bool:
    """A paragraph with a block's source mark that has Latin text before its first Chinese and is not that
    source: the translation above ran into it (a translation deleted whole leaves only its mark, and the source)."""
    if not _LATIN_FIRST.match(text) or normalise(text) in known:
        return False
    return not mark.source or docx_xml.fingerprint(text, len(mark.source)) != mark.source


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


def _table_rows(table, path: str, known: set[str], warnings: list[str], before: int = 0) -> tuple[list[Row], int]:
    """Rows of our table: those with an id or a known source; with no run data, any row with a source
    once the table is known to be ours (its id is then derived from the source text). `before`: rows of
    our tables above this one (a split table is numbered on). Also the number of rows the table has."""
    raw = []
    trs = wrapped_children(table, f"{_W}tr")
    for number, tr in enumerate(trs, start=before + 1):
        if number > MAX_ROWS:
            raise ReviewError(f"has a table of over {MAX_ROWS} rows; it is not a review file: give the "
                              "STEM.bilingual.docx as written", path)
        if tr.find(f"{_W}trPr/{_W}del") is not None:
            continue  # a row deleted with Track Changes on: deleted, as if the change were accepted
        cells = _cells(tr, number, path)
        raw.append((cells[0], cells[-1], number) if len(cells) >= 2 else (None, None, number))
    if not any(s is not None and is_source(s, known) for s, _, _ in raw):
        return [], len(trs)
    rows: list[Row] = []
    for source, target, number in raw:
        where = f"row {number}"
        if source is None:
            warnings.append(f"{where}: fewer than 2 cells (table restructured); row skipped")
        elif is_source(source, known) or (not known and _HAN.search(docx_xml.accepted_text(source))):
            merge = target.find(f"{_W}tcPr/{_W}vMerge")
            continued = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
            rows.append(Row(source, [target], where, merged_down=continued))
        elif docx_xml.accepted_text(source).strip():
            warnings.append(f"{where}: its source matches no block and carries no id; row skipped")
        elif _orphan_mark(target, rows):
            rows.append(Row(None, [target], where, orphan_id=_orphan_mark(target, rows)))
        elif rows and docx_xml.accepted_text(target).strip():
            rows[-1].added.append(target)
    return rows, len(trs)


def paragraphs_of(elements) -> list:
    """The w:p elements of `elements` (paragraphs, or cells holding them), in order."""
    return [p for e in elements for p in ([e] if e.tag == f"{_W}p" else e.iter(f"{_W}p"))]


def _closed_by_marks(paragraphs: list) -> list[tuple[str, list]]:
    """Translation paragraphs cut after each of our target marks (written at a translation's end):
    (block id, its paragraphs); paragraphs after the last mark come as ("", [...])."""
    parts, current = [], []
    for p in paragraphs:
        current.append(p)
        marks = docx_xml.block_marks(p, "target")
        if marks:
            parts.append((marks[-1].block_id, current))
            current = []
    if current:
        parts.append(("", current))
    return parts


def _unmerge(rows: list[Row], path: str, warnings: list[str]) -> list[Row]:
    """Rows merged into one (Merge Cells over two rows, or one row's paragraphs pasted into another): the
    source cell then carries several blocks' marks. Each block is read as its own row again when its
    translation can be told by its mark; otherwise nothing is imported, rather than one block's text
    stored under another."""
    result: list[Row] = []
    for row in rows:
        ids = list(dict.fromkeys(docx_xml.hidden_ids(row.source))) if row.source is not None else []
        if len(ids) < 2:
            result.append(row)
            continue
        sources: list[tuple[str, list]] = []
        for p in paragraphs_of([row.source]):
            marks = docx_xml.block_marks(p)
            if marks and (not sources or marks[0].block_id != sources[-1][0]):
                sources.append((marks[0].block_id, [p]))
            elif sources:
                sources[-1][1].append(p)
            elif docx_xml.accepted_text(p).strip():
                sources.append(("", [p]))
        targets: dict[str, list] = {}
        for block_id, paragraphs in _closed_by_marks(paragraphs_of(row.targets)):
            targets.setdefault(block_id, []).extend(paragraphs)  # a mark twice: both parts kept, in order
        if any(block_id not in targets for block_id, _ in sources):
            raise ReviewError(f"{row.where} holds {len(ids)} blocks merged into one row, and their translations "
                              "cannot be told apart; nothing imported: split the row again (one block per row) "
                              "or give the STEM.bilingual.docx as written", path)
        for n, (block_id, paragraphs) in enumerate(sources, start=1):
            result.append(Row(_holder(paragraphs), targets[block_id], f"{row.where}, block {n} of {len(sources)} "
                              "merged there"))
        result[-1].added += targets.get("", []) + row.added
        warnings.append(f"{row.where}: {len(sources)} blocks merged into one row; each read as its own row")
    return result


def _holder(paragraphs: list):
    """A cell holding copies of `paragraphs`: one block's part of a merged source cell."""
    import copy

    cell = docx_xml.OxmlElement("w:tc")
    for p in paragraphs:
        cell.append(copy.deepcopy(p))
    return cell


def _refill_merged_cells(rows: list[Row]) -> list[Row]:
    """Merge Cells down the translation column moves every row's translation into the first cell and
    leaves the others empty, continuing it (w:vMerge): a translation closed by the mark of such a row goes
    back to it. A translation pasted over another row's (no merge) is a move, reported as one."""
    return _give_back_by_marks(rows, lambda row: row.merged_down)


def _give_back_by_marks(rows: list[Row], may_take, warnings: list[str] | None = None) -> list[Row]:
    """Translation paragraphs closed by the mark of another row's block go back to that row when it has
    no translation of its own and `may_take(row)` says it may take one; each move named in `warnings`."""
    by_id = {r.block_id: r for r in rows if r.source is not None and r.block_id}
    for row in rows:
        if row.source is None:
            continue
        parts = _closed_by_marks(paragraphs_of(row.targets))
        moved = [(block_id, ps) for block_id, ps in parts if block_id != row.block_id and block_id in by_id
                 and by_id[block_id] is not row and may_take(by_id[block_id])
                 and not _has_text(by_id[block_id].targets)]
        if not moved:
            continue
        for block_id, paragraphs in moved:
            by_id[block_id].targets = paragraphs
            if warnings is not None:
                warnings.append(f"the translation of block {block_id} was found after {row.where}; read as its own "
                                "by its mark, in the source's place")
        kept = {id(p) for _, ps in moved for p in ps}
        row.targets = [p for p in paragraphs_of(row.targets) if id(p) not in kept]
    return rows


def _has_text(elements) -> bool:
    return any(docx_xml.accepted_text(e).strip() for e in elements)


def _mark_foreign(rows: list[Row]) -> None:
    """A row whose translation carries only the mark of another row's block: translations moved or swapped
    between rows. Named so that the import reports it instead of storing one block's text under another."""
    with_rows = {r.block_id for r in rows if r.source is not None and r.block_id}
    for row in rows:
        if row.source is None or not row.block_id:
            continue
        marked = {m.block_id for t in row.targets for m in docx_xml.block_marks(t, "target")}
        others = sorted((marked & with_rows) - {row.block_id})
        if others and row.block_id not in marked:
            row.foreign = others[0]


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
