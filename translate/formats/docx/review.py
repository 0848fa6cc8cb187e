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
from .odt import other_word_format, to_docx
from .review_rows import Row, document_rows, paragraphs_of
from .writer import QA_AUTHOR, STYLE_BY_KIND

OUR_AUTHORS = {QA_AUTHOR, docx_xml.REPAIR_AUTHOR}
FROM_DOCX = "the DOCX itself"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_QA_LINE = re.compile(r"^\[([\w-]+)\] (error|warning|info): (.*)$")


def read_docx_edits(edited: str, run_path: str | None = None, out_dir: str | None = None) -> EditedFile:
    """Rows of an edited bilingual DOCX, with the run's blocks found as described in the module doc."""
    document = _open(edited)
    stem = _stem(document, edited)
    run, run_from = _find_run(document, edited, stem, run_path, out_dir)
    comments = _comments(document)
    warnings: list[str] = []
    machine = {normalise(b.translation): b.id for b in run.blocks if b.translation.strip()} if run else {}
    rows = document_rows(document, edited, _known_sources(run), machine, warnings)
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
        _refuse_guesses(edits, edited)
        run, run_from = _run_from_rows(rows, edits, warnings), FROM_DOCX
        deleted = missing_positions(rows, edits)
        warnings += [f"block {n} of the run (after {after}): deleted by the editor; left out of the published text"
                     for n, after in deleted]
        warnings.append("no run data found (embedded JSON, STEM.json): blocks recovered from the DOCX itself, "
                        "edited rows told apart by the fingerprints it carries; an edit made without tracked "
                        "changes is not measured, and a Markdown or HTML article's markup (tables, lists, links, "
                        "tags) is not given back: give --run STEM.json for both")
    else:
        deleted = []
    where_of = _comment_rows(rows, edits)
    return EditedFile(path=edited, run=run, edits=edits, stem=stem, warnings=warnings,
                      comments=[{"author": a, "text": t, "block": where_of.get(i, ("", ""))[0],
                                 "where": where_of.get(i, ("", ""))[1]}
                                for i, (a, t) in comments.items() if a not in OUR_AUTHORS],
                      run_from=run_from, deletions_are_edits=True,
                      deleted_places=[f"block {n} of the run" for n, _ in deleted])


def _refuse_guesses(edits: list[EditedBlock], edited: str) -> None:
    """Without the run's data, a row whose machine text is unknown (no fingerprint: an older file, or a
    bookmark lost) and shows no tracked change may be edited or not: refuse rather than store a guess."""
    unknown = [e.where for e in edits if not e.orphan and not e.machine_fp and not e.tracked_changes]
    if unknown:
        raise ReviewError(f"{len(unknown)} row(s) ({', '.join(unknown[:3])}) carry no fingerprint of their machine "
                          "translation and no run data was found: edited rows cannot be told from untouched ones; "
                          "nothing imported: pass the run's data with --run STEM.json", edited)


def missing_positions(rows: list[Row], edits: list[EditedBlock]) -> list[tuple[int, str]]:
    """Without run data: the places in the run (bookmark positions) that no row has: rows the editor deleted."""
    seen = {e.position for e in edits if e.position}
    if not seen:
        return []
    by_position = {e.position: row.where for row, e in zip(rows, edits) if e.position}
    last = 0
    for row, edit in zip(rows, edits):  # a row whose place is unknown fills the free place after the row above
        if edit.position:
            last = edit.position
        elif not edit.orphan and last + 1 not in seen:
            last += 1
            seen.add(last)
            by_position[last] = row.where
    missing, after = [], "the start"
    for position in range(1, max(seen) + 1):
        if position in seen:
            after = by_position[position]
        else:
            missing.append((position, after))
    return missing


def _comment_rows(rows: list, edits: list[EditedBlock]) -> dict[str, tuple[str, str]]:
    """Comment id -> (block id, row) for comments anchored in a row's source or translation."""
    found: dict[str, tuple[str, str]] = {}
    for row, edit in zip(rows, edits):
        for comment_id in _comment_ids(([row.source] if row.source is not None else []) + row.targets + row.added):
            found.setdefault(comment_id, (edit.block_id, row.where))
    return found


def _open(path: str):
    import docx

    p = Path(path)
    if p.is_dir():
        raise InputError("is a folder; give the edited review file (STEM.bilingual.docx)", path)
    from ...readers.limits import check_zip_package, read_capped

    data = read_capped(path, "review file", split="give the STEM.bilingual.docx of one article")
    kind = other_word_format(p, data)
    if kind:
        data = to_docx(data, path, kind)  # LibreOffice converts it back; bookmarks survive (see odt.py)
    check_zip_package(data, path)  # zip bombs and XML limits, before python-docx parses anything
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReviewError("is not a valid .docx (corrupt, or not a Word file); give the edited STEM.bilingual.docx",
                          path) from exc


def _stem(document, edited: str) -> str:
    """Output name: the file's name while it keeps ours, else the title we wrote (a bare name only)."""
    name = Path(edited).name
    for suffix in (".bilingual.docx", ".bilingual.odt"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
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


def _known_sources(run: RunRecord | None) -> set[str]:
    if run is None:
        return set()
    return {normalise(text) for b in run.blocks for text in (b.source, b.repaired) if text}


def _paragraph_texts(elements) -> list[str]:
    """Accepted text of each paragraph; a paragraph whose mark is deleted runs into the next one."""
    texts, pending = [], ""
    for p in paragraphs_of(elements):
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
    """Several paragraphs joined as paragraphs (a blank line between), empty ones dropped."""
    return "\n\n".join(t.strip() for t in _paragraph_texts(elements) if t.strip())


def _edited_block(row: Row, comments: dict, qa_seen: bool) -> EditedBlock:
    source, targets = row.source, row.targets
    marks = docx_xml.block_marks(source) if source is not None else []
    mark = marks[0] if len(marks) == 1 else None
    target_marks = [m for t in targets for m in docx_xml.block_marks(t, "target") if m.block_id == row.block_id]
    position = mark.position if mark else target_marks[0].position if target_marks else 0
    accepted = docx_xml.accepted_text(source) if source is not None else ""
    original = docx_xml.original_text(source) if source is not None else ""
    notes = [comments[i][1] for i in _comment_ids(targets) if i in comments and comments[i][0] == QA_AUTHOR]
    own, extra = _own_paragraphs(targets, row.block_id)
    translation = _joined_text(own)
    tracked = sum(docx_xml.tracked_change_count(t) for t in own)
    machine_fp = mark.machine if mark else ""
    return EditedBlock(block_id=row.block_id, source=accepted,
                       source_original=original if normalise(original) != normalise(accepted) else "",
                       translation=translation, tracked_changes=tracked, where=row.where,
                       qa_notes=notes if qa_seen else None, machine_fp=machine_fp,
                       source_fp=mark.source if mark else "", position=position,
                       orphan=source is None or not accepted.strip(),
                       added=[t.strip() for t in _paragraph_texts(extra + row.added) if t.strip()],
                       paragraphs=sum(1 for t in _paragraph_texts(own) if t.strip()), moved_from=row.foreign)


def _own_paragraphs(targets: list, block_id: str) -> tuple[list, list]:
    """The translation's paragraphs, and those the editor added after it: the translation ends with the
    paragraph that carries its mark (written at its end, so a split keeps it in the last part)."""
    paragraphs = paragraphs_of(targets)
    marked = [n for n, p in enumerate(paragraphs)
              if any(m.block_id == block_id for m in docx_xml.block_marks(p, "target"))]
    if not marked or not block_id:
        return paragraphs, []
    return paragraphs[: marked[-1] + 1], paragraphs[marked[-1] + 1:]


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


def _run_from_rows(rows: list[Row], edits: list[EditedBlock], warnings: list[str]) -> RunRecord:
    """The run's blocks as the DOCX shows them: the machine text is the translation with tracked changes
    rejected where its fingerprint agrees (else unknown: the row is marked so); an id that disagrees with
    its source text is a source edit, unless the text is another row's source (ids swapped): that row gets
    no source, so that the import reports it instead of storing it."""
    kinds = {name: kind for kind, name in STYLE_BY_KIND.items()}
    derived = block_ids([normalise(e.source_original or e.source) for e in edits])
    own_ids = {i.split("-")[0] for i in derived}
    _claim_repeated_ids(edits, derived, warnings)
    blocks, seen = [], set()
    for row, edit, own_id in zip(rows, edits, derived):
        if edit.block_id and edit.block_id in seen:
            continue  # a row copied with its mark: the run had the block once (the import warns of the copy)
        seen.add(edit.block_id)
        base = edit.block_id.split("-")[0]
        agrees = _agrees(edit, own_id)
        swapped = not agrees and base in own_ids
        if not agrees and not swapped and not edit.orphan:
            warnings.append(f"{edit.where}: its source differs from the text its id {edit.block_id} was made from "
                            "(source edited?); kept under that id, stored under the source as shown")
        machine = _original_joined(row.targets)
        if edit.machine_fp and docx_xml.fingerprint(machine) != edit.machine_fp:
            edit.machine_unknown, machine = True, ""
        block_id = edit.block_id or own_id  # the edit keeps "": the import then says it matched by source
        flags = [FlagRecord(m.group(1), m.group(2), m.group(3))
                 for note in (edit.qa_notes or []) for m in map(_QA_LINE.match, note.splitlines()) if m]
        kind = kinds.get(_style_name(row.source if row.source is not None else row.targets[0]), BlockKind.PARAGRAPH)
        blocks.append(BlockRecord(id=block_id, kind=kind, source="" if swapped else edit.source_original or edit.source,
                                  repaired="" if swapped else edit.source, translation=machine, flags=flags))
    return RunRecord({}, blocks)


def _agrees(edit: EditedBlock, own_id: str) -> bool:
    """The row shows the source its id was made from: the id is its text's hash, or (its repairs accepted,
    so the spun text is gone) the mark's fingerprint of the repaired source matches what it shows."""
    if not edit.block_id or edit.block_id.split("-")[0] in (own_id.split("-")[0], block_ids([edit.source])[0]):
        return True
    return bool(edit.source_fp) and docx_xml.fingerprint(edit.source, len(edit.source_fp)) == edit.source_fp


def _claim_repeated_ids(edits: list[EditedBlock], derived: list[str], warnings: list[str]) -> None:
    """Rows that carry the same id (a mark forged or pasted into other rows): the row whose source agrees
    with the id keeps it; the others are read by their own source text, each named."""
    rows_of: dict[str, list[int]] = {}
    for n, edit in enumerate(edits):
        if edit.block_id and not edit.orphan:
            rows_of.setdefault(edit.block_id, []).append(n)
    for block_id, numbers in rows_of.items():
        if len(numbers) < 2:
            continue
        owner = next((n for n in numbers if _agrees(edits[n], derived[n])), numbers[0])
        for n in numbers:
            if n != owner and not _agrees(edits[n], derived[n]):
                warnings.append(f"{edits[n].where}: carries the id of block {block_id}, which {edits[owner].where} "
                                "shows; read by its own source text")
                edits[n].block_id, edits[n].position = "", 0  # its place, too, was the other block's


def _original_joined(elements) -> str:
    """The translation as written before the editor's tracked changes, joined as `_joined_text` does."""
    paragraphs = paragraphs_of(elements)
    return "\n\n".join(t for t in (docx_xml.original_text(p).strip() for p in paragraphs) if t)


def _style_name(element) -> str:
    p = element if element.tag == f"{_W}p" else next(element.iter(f"{_W}p"), None)
    style = p.find(f"{_W}pPr/{_W}pStyle") if p is not None else None
    value = style.get(f"{_W}val") if style is not None else ""
    names = {name.replace(" ", "").lower(): name for name in STYLE_BY_KIND.values()}
    key = value.replace(" ", "").lower()
    # LibreOffice renames a style it re-saves when the name clashes with its own: Caption -> Caption1 ("caption")
    return names.get(key) or names.get(re.sub(r"(?<=[a-z])\d+$", "", key)) or value
