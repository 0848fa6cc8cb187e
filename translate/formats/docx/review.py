"""Read an editor's bilingual DOCX (table or interleaved layout) back as an `EditedFile`.

Block identity: each source paragraph carries a bookmark `_tr_<id>`. Bookmarks are core
WordprocessingML that Word (hidden, as the name starts with "_"), LibreOffice and WPS all implement and
keep; the LibreOffice round trip is tested. LibreOffice drops content-control tags and our embedded
JSON part, so neither is relied on. Block ids are a hash of the source text, so a row that lost its bookmark is still
identified by its source text. The run's data (machine translations, flags) comes, in this order, from
`--run STEM.json`, the JSON embedded in the DOCX (an accelerator), STEM.json beside the DOCX or in the
output folder, and as a last resort from the DOCX itself (sources, translations with tracked changes
rejected, flags from our QA comments).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ...document import BlockKind, block_ids, normalise
from ...errors import InputError, ReviewError
from ...review.edits import EditedBlock, EditedFile
from ..record import BlockRecord, FlagRecord, RunRecord, load_record, read_record_file
from . import oxml as docx_xml
from .writer import QA_AUTHOR, STYLE_BY_KIND

OUR_AUTHORS = {QA_AUTHOR, docx_xml.REPAIR_AUTHOR}
FROM_DOCX = "the DOCX itself"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HAN = re.compile(r"[\u3400-\u9fff]")
_QA_LINE = re.compile(r"^\[([\w-]+)\] (error|warning|info): (.*)$")


def read_docx_edits(edited: str, run_path: str | None = None, out_dir: str | None = None) -> EditedFile:
    """Rows of an edited bilingual DOCX, with the run's blocks found as described in the module doc."""
    document = _open(edited)
    stem = _stem(document, edited)
    run, run_from = _find_run(document, edited, stem, run_path, out_dir)
    comments = _comments(document)
    rows, warnings = _rows(document, run)
    if not rows:
        if run is None:
            raise ReviewError("carries no block ids and no run data: it is not a bilingual DOCX written by "
                              "'translate run'; give the STEM.bilingual.docx, or the run's JSON with --run STEM.json",
                              edited)
        raise ReviewError("no row carries a block id or a source text of the run: nothing to import "
                          "(was the table rebuilt?); check that --run STEM.json belongs to this article", edited)
    qa_seen = any(author == QA_AUTHOR for author, _ in comments.values())
    edits = [_edited_block(row, comments, qa_seen) for row in rows]
    if run is None:
        run, run_from = _run_from_rows(rows, edits), FROM_DOCX
        warnings.append("no run data found (embedded JSON, STEM.json): blocks recovered from the DOCX itself; "
                        "untracked edits cannot be told apart from the machine translation "
                        "(give --run STEM.json to measure them)")
    return EditedFile(path=edited, run=run, edits=edits, stem=stem, warnings=warnings,
                      comments=[{"author": a, "text": t} for a, t in comments.values() if a not in OUR_AUTHORS],
                      run_from=run_from)


def _open(path: str):
    import docx

    p = Path(path)
    if not p.is_file():
        raise InputError("no such file; check the path", path)
    data = p.read_bytes()
    from ...readers.limits import check_zip_package

    check_zip_package(data, path)  # zip bombs and XML limits, before python-docx parses anything
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReviewError("is not a valid .docx (corrupt, or not a Word file); give the edited STEM.bilingual.docx",
                          path) from exc


def _stem(document, edited: str) -> str:
    """Output name: the file's name while it keeps ours, else the title we wrote (a bare name only)."""
    name = Path(edited).name
    if name.endswith(".bilingual.docx"):
        return name[: -len(".bilingual.docx")]
    title = _title(document)
    return title if title and Path(title).name == title else name.split(".")[0]


def _title(document) -> str:
    # LibreOffice names the core-properties relationship with a lower-case 'officedocument' URI, which
    # python-docx does not recognise (it then reports the default title), so the part is read directly.
    from lxml import etree

    for rel in document.part.package.rels.values():
        if rel.reltype.lower().endswith("/metadata/core-properties") and not rel.is_external:
            title = etree.fromstring(rel.target_part.blob).find("{http://purl.org/dc/elements/1.1/}title")
            return (title.text or "").strip() if title is not None else ""
    return ""


def _find_run(document, edited: str, stem: str, run_path: str | None,
              out_dir: str | None) -> tuple[RunRecord | None, str]:
    if run_path:
        return read_record_file(run_path), run_path
    embedded = docx_xml.embedded_run(document)
    if embedded is not None:
        return load_record(embedded, edited, "embedded run data"), "embedded"
    for folder in (Path(edited).parent, Path(out_dir) if out_dir else None):
        candidate = folder / f"{stem}.json" if folder is not None else None
        if candidate is not None and candidate.is_file():
            return read_record_file(str(candidate)), str(candidate)
    return None, ""


def _rows(document, run: RunRecord | None) -> tuple[list[tuple], list[str]]:
    """[(source element, [translation elements], where)] from the table or the interleaved layout."""
    known = _known_sources(run)
    warnings: list[str] = []
    for table in document.tables:
        rows = _table_rows(table, known, warnings)
        if rows:
            return rows, warnings
    return _interleaved_rows(document, known), warnings


def _known_sources(run: RunRecord | None) -> set[str]:
    if run is None:
        return set()
    return {normalise(text) for b in run.blocks for text in (b.source, b.repaired) if text}


def _is_source(element, known: set[str]) -> bool:
    if docx_xml.hidden_ids(element):
        return True
    text = normalise(docx_xml.accepted_text(element))
    return bool(text) and (text in known or normalise(docx_xml.original_text(element)) in known)


def _table_rows(table, known: set[str], warnings: list[str]) -> list[tuple]:
    """Rows of our table: those with an id or a known source; with no run data, any row with a source
    once the table is known to be ours (its id is then derived from the source text)."""
    raw = []
    for number, row in enumerate(table.rows, start=1):
        cells = row.cells
        if len(cells) < 2:
            raw.append((None, None, number))
            continue
        raw.append((cells[0]._tc, cells[-1]._tc, number))
    if not any(s is not None and _is_source(s, known) for s, _, _ in raw):
        return []
    rows: list[tuple] = []
    for source, target, number in raw:
        if source is None:
            warnings.append(f"row {number}: fewer than 2 cells (table restructured); row skipped")
        elif _is_source(source, known) or (not known and _HAN.search(docx_xml.accepted_text(source))):
            rows.append((source, [target], f"row {number}"))
        elif docx_xml.accepted_text(source).strip():
            warnings.append(f"row {number}: its source matches no block and carries no id; row skipped")
        elif rows and _joined_text([target]):  # a row added under a row: the editor continued that translation
            rows[-1][1].append(target)
            warnings.append(f"row {number}: no source text; its translation is joined to {rows[-1][2]}")
    return rows


def _interleaved_rows(document, known: set[str]) -> list[tuple]:
    """Everything between one source paragraph and the next is that block's translation."""
    paragraphs = list(document.element.body.iter(f"{_W}p"))
    rows: list[tuple] = []
    for p in paragraphs:
        if rows and not rows[-1][1] and not docx_xml.accepted_text(rows[-1][0]).strip() and docx_xml.accepted_text(p):
            rows[-1][0] = _with_ids(p, rows[-1][0])  # Enter at the start of a source: its bookmark moved up
        elif _is_source(p, known):
            rows.append([p, [], f"block {len(rows) + 1}"])
        elif rows:
            rows[-1][1].append(p)
    return [tuple(r) for r in rows]


def _with_ids(paragraph, empty_with_ids):
    """The source paragraph, keeping the ids of the empty paragraph above it that took its bookmark."""
    for bookmark in list(empty_with_ids.iter(f"{_W}bookmarkStart")):
        paragraph.insert(0, bookmark)
    return paragraph


def _paragraph_texts(elements) -> list[str]:
    """Accepted text of each paragraph; a paragraph whose mark is deleted runs into the next one."""
    texts, pending = [], ""
    for element in elements:
        for p in ([element] if element.tag == f"{_W}p" else element.iter(f"{_W}p")):
            text = pending + docx_xml.accepted_text(p)
            mark = p.find(f"{_W}pPr/{_W}rPr")
            if mark is not None and (mark.find(f"{_W}del") is not None or mark.find(f"{_W}moveFrom") is not None):
                pending = text
                continue
            pending = ""
            texts.append(text)
    if pending:
        texts.append(pending)
    return texts


def _joined_text(elements) -> str:
    """Several paragraphs joined with a newline, empty ones dropped."""
    return "\n".join(t.strip() for t in _paragraph_texts(elements) if t.strip())


def _edited_block(row: tuple, comments: dict, qa_seen: bool) -> EditedBlock:
    source, targets, where = row
    ids = docx_xml.hidden_ids(source)
    accepted, original = docx_xml.accepted_text(source), docx_xml.original_text(source)
    notes = [comments[i][1] for i in _comment_ids(targets) if i in comments and comments[i][0] == QA_AUTHOR]
    return EditedBlock(block_id=ids[0] if len(ids) == 1 else "", source=accepted,
                       source_original=original if normalise(original) != normalise(accepted) else "",
                       translation=_joined_text(targets),
                       tracked_changes=sum(docx_xml.tracked_change_count(t) for t in targets),
                       where=where, qa_notes=notes if qa_seen else None)


def _comments(document) -> dict[str, tuple[str, str]]:
    """Comment id -> (author, text)."""
    try:
        return {str(c.comment_id): (c.author, c.text) for c in document.comments}
    except Exception:  # noqa: BLE001 - a file without a comments part has none
        return {}


def _comment_ids(elements) -> list[str]:
    found = []
    for element in elements:
        for node in element.iter(f"{_W}commentRangeStart", f"{_W}commentReference"):
            if node.get(f"{_W}id") not in found:
                found.append(node.get(f"{_W}id"))
    return found


def _run_from_rows(rows: list[tuple], edits: list[EditedBlock]) -> RunRecord:
    """The run's blocks as the DOCX shows them; an id that disagrees with its source text gets no source,
    so that the import reports that row instead of storing it."""
    kinds = {name: kind for kind, name in STYLE_BY_KIND.items()}
    originals = [normalise(e.source_original or e.source) for e in edits]
    derived = block_ids(originals)
    blocks = []
    for (source, targets, _), edit, own_id in zip(rows, edits, derived):
        base = edit.block_id.split("-")[0]
        agrees = not edit.block_id or base == own_id.split("-")[0] or base == block_ids([edit.source])[0]
        block_id = edit.block_id or own_id  # the edit keeps "": the import then says it matched by source
        flags = [FlagRecord(m.group(1), m.group(2), m.group(3))
                 for note in (edit.qa_notes or []) for m in map(_QA_LINE.match, note.splitlines()) if m]
        blocks.append(BlockRecord(id=block_id, kind=kinds.get(_style_name(source), BlockKind.PARAGRAPH),
                                  source=edit.source_original or edit.source if agrees else "",
                                  repaired=edit.source if agrees else "",
                                  translation=_original_joined(targets), flags=flags))
    return RunRecord({}, blocks)


def _original_joined(elements) -> str:
    """The translation as written before the editor's tracked changes, joined as `_joined_text` does."""
    paragraphs = [p for e in elements for p in ([e] if e.tag == f"{_W}p" else e.iter(f"{_W}p"))]
    return "\n".join(t for t in (docx_xml.original_text(p).strip() for p in paragraphs) if t)


def _style_name(element) -> str:
    p = element if element.tag == f"{_W}p" else next(element.iter(f"{_W}p"), None)
    style = p.find(f"{_W}pPr/{_W}pStyle") if p is not None else None
    value = style.get(f"{_W}val") if style is not None else ""
    return {"Heading2": "Heading 2", "NoSpacing": "No Spacing"}.get(value, value)
