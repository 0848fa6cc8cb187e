"""Import an editor's corrected bilingual DOCX: map rows to blocks, report edits, learn, publish."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .document import Block, BlockKind, Document, normalise
from .errors import InputError, ReviewError
from .memory import TranslationMemory
from .outputs import safe_stem
from .writers import docx_xml
from .writers.docx_writer import QA_AUTHOR

OUR_AUTHORS = {QA_AUTHOR, docx_xml.REPAIR_AUTHOR}


@dataclass
class EditedBlock:
    """One block as an edited file gives it back: what a format reader hands to `apply_edits`."""

    block_id: str  # the id the file carries ("" when it lost it)
    source: str  # the source text as the file shows it (for matching when the id is missing)
    translation: str  # the editor's translation, tracked changes accepted
    tracked_changes: int = 0
    state: str = ""  # the CAT tool's state (XLIFF), "" for DOCX
    where: str = ""  # "row 3", "unit b12ab": named in warnings


@dataclass
class EditedFile:
    """What a format reader found in an edited file."""

    path: str
    run: dict | None  # the run's JSON as embedded in (or next to) the file: signature, blocks
    edits: list[EditedBlock]
    stem: str  # output name, from the file name (never unchecked metadata)
    warnings: list[str] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)


def import_review(edited: str, out_dir: str = "out", tm_path: str | None = None) -> dict:
    """Read an edited review file (bilingual DOCX, or XLIFF), report, learn approved pairs, publish."""
    if Path(edited).suffix.lower() in (".xlf", ".xliff"):
        from .xliff_review import read_xliff_edits

        found = read_xliff_edits(edited)
    else:
        found = read_docx_edits(edited)
    return apply_edits(found, out_dir, tm_path)


def read_docx_edits(edited: str) -> EditedFile:
    document = _open(edited)
    rows, warnings = _rows(document)
    edits = []
    for number, (source_element, target_element) in enumerate(rows, start=1):
        ids = docx_xml.hidden_ids(source_element)
        edits.append(EditedBlock(block_id=ids[0] if len(ids) == 1 else "",
                                 source=docx_xml.accepted_text(source_element),
                                 translation=docx_xml.accepted_text(target_element),
                                 tracked_changes=docx_xml.tracked_change_count(target_element),
                                 where=f"row {number}"))
    return EditedFile(path=edited, run=docx_xml.embedded_run(document), edits=edits,
                      stem=document.core_properties.title or Path(edited).name.split(".")[0],
                      warnings=warnings, comments=_editor_comments(document))


def apply_edits(found: EditedFile, out_dir: str = "out", tm_path: str | None = None) -> dict:
    """Map edits onto the run's blocks, report the changes, store approved pairs, write the publication files."""
    run = found.run
    if run is None:
        raise ReviewError("carries no block data: it is not a bilingual DOCX written by 'translate run' "
                          "(give the STEM.bilingual.docx)", found.path)
    blocks = run["blocks"]
    by_id = {b["id"]: b for b in blocks}
    by_source = {}
    for b in blocks:
        by_source.setdefault(normalise(b["source"]), b)
        by_source.setdefault(normalise(b["repaired"]), b)
    warnings = list(found.warnings)
    edited_text: dict[str, str] = {}
    report_rows = []
    for edit in found.edits:
        block = by_id.get(edit.block_id)
        if block is None:
            block = by_source.get(normalise(edit.source))
            if block is None:
                warnings.append(f"{edit.where}: no block id and its source matches no block; skipped")
                continue
            warnings.append(f"{edit.where}: block id missing, matched by its source text to {block['id']}")
        if block["id"] in edited_text:
            warnings.append(f"{edit.where}: block {block['id']} appears twice; the first is kept")
            continue
        edited_text[block["id"]] = edit.translation
        report_rows.append(_row_report(block, edit.translation, edit.tracked_changes))
    missing = [b["id"] for b in blocks if b["id"] not in edited_text]
    if missing:
        warnings.append(f"{len(missing)} block(s) not found in the edited file (kept as machine translation): "
                        + ", ".join(missing[:5]))
    stem = safe_stem(found.stem)  # the title property is the editor's to change: never a path
    out = Path(out_dir)
    stored = _learn(blocks, edited_text, tm_path or str(out / "tm.sqlite"))
    outputs = _publish(stem, blocks, edited_text, out, dict(run.get("signature", {})))
    total = sum(len(b["translation"]) for b in blocks) or 1
    report = {
        "file": found.path,
        "blocks": report_rows,
        "changed": sum(1 for r in report_rows if r["changed"]),
        "effort": sum(r["edit_distance"] for r in report_rows) / total,
        "comments": found.comments,
        "warnings": warnings,
        "stored": stored,
        "tm": tm_path or str(out / "tm.sqlite"),
        "outputs": outputs,
    }
    from .atomic import write_text

    write_text(out / f"{stem}.review.json", json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    report["outputs"].append(str(out / f"{stem}.review.json"))
    return report


def _open(path: str):
    import docx

    p = Path(path)
    if not p.is_file():
        raise InputError("no such file; check the path", path)
    data = p.read_bytes()
    from .readers.limits import check_zip_package

    check_zip_package(data, path)
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReviewError("is not a valid .docx (corrupt, or not a Word file); give the edited STEM.bilingual.docx",
                          path) from exc


def _rows(document) -> tuple[list[tuple], list[str]]:
    """(source element, translation element) pairs, from the table or the interleaved layout."""
    warnings = []
    for table in document.tables:
        rows = []
        for row in table.rows:
            cells = row.cells
            if len(cells) < 2:
                warnings.append("a table row has fewer than 2 cells (table restructured); row skipped")
                continue
            rows.append((cells[0]._tc, cells[-1]._tc))
        if any(docx_xml.hidden_ids(s) for s, _ in rows):
            return rows, warnings
    paragraphs = list(document.paragraphs)
    rows = [(p._p, paragraphs[i + 1]._p) for i, p in enumerate(paragraphs[:-1]) if docx_xml.hidden_ids(p._p)]
    return rows, warnings


def _row_report(block: dict, translation: str, tracked: int) -> dict:
    from rapidfuzz.distance import Levenshtein

    distance = Levenshtein.distance(block["translation"], translation)
    return {"id": block["id"], "changed": distance > 0 or tracked > 0, "edit_distance": distance,
            "tracked_changes": tracked}


def _learn(blocks: list[dict], edited: dict[str, str], tm_path: str) -> int:
    tm = TranslationMemory(tm_path)
    stored = 0
    try:
        for block in blocks:
            text = edited.get(block["id"])
            if block["kind"] == BlockKind.CODE.value or not text or not text.strip():
                continue
            tm.add(block["repaired"], text, origin="review" if text != block["translation"] else "approved")
            stored += 1
    finally:
        tm.close()
    return stored


def _publish(stem: str, blocks: list[dict], edited: dict[str, str], out: Path, signature: dict) -> list[str]:
    from . import atomic
    from .writers.docx_writer import target_docx
    from .writers.markdown import target_markdown

    document = Document(name=stem, blocks=[
        Block(id=b["id"], kind=BlockKind(b["kind"]), source=b["source"], repaired=b["repaired"],
              translation=edited.get(b["id"], b["translation"]), markup=b.get("markup", "")) for b in blocks])
    signature["reviewed"] = True
    paths = [out / f"{stem}.en.docx", out / f"{stem}.en.md"]
    atomic.write_bytes(paths[0], target_docx(document, signature))
    atomic.write_text(paths[1], target_markdown(document))
    return [str(p) for p in paths]


def _editor_comments(document) -> list[dict]:
    comments = []
    try:
        items = list(document.comments)
    except Exception:  # noqa: BLE001 - a file without a comments part has none
        return comments
    for comment in items:
        if comment.author not in OUR_AUTHORS:
            comments.append({"author": comment.author, "text": comment.text})
    return comments
