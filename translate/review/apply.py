"""Import an editor's corrected review file: map rows to blocks, report edits, learn approved pairs, publish.

Format readers (formats/docx/review.py, formats/xliff/review.py) hand over an `EditedFile`;
`apply_edits` does the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..document import Block, Document, normalise
from ..errors import ReviewError
from ..formats.record import BlockRecord
from ..memory.tm import TranslationMemory
from ..pipeline.outputs import safe_stem
from .edits import EditedBlock, EditedFile

__all__ = ["EditedBlock", "EditedFile", "apply_edits", "import_review"]


def import_review(edited: str, out_dir: str = "out", tm_path: str | None = None, run_path: str | None = None) -> dict:
    """Read an edited review file (bilingual DOCX, or XLIFF), report, learn approved pairs, publish.

    `run_path` names the run's STEM.json for a DOCX that lost its embedded data (see formats/docx/review.py)."""
    if Path(edited).suffix.lower() in (".xlf", ".xliff"):
        from ..formats.xliff.review import read_xliff_edits

        found = read_xliff_edits(edited)
    else:
        from ..formats.docx.review import read_docx_edits

        found = read_docx_edits(edited, run_path=run_path, out_dir=out_dir)
    return apply_edits(found, out_dir, tm_path)


def apply_edits(found: EditedFile, out_dir: str = "out", tm_path: str | None = None) -> dict:
    """Map edits onto the run's blocks, report the changes, store approved pairs, write the publication files.

    Never maps silently: a row without a known id is matched by its source text, with a warning; a row whose
    id and source text disagree is reported and not stored. A block with an error flag is stored only when
    the editor edited it (or deleted its QA comment); otherwise it is an "unreviewed failure"."""
    stem = safe_stem(found.stem)  # one sanitiser for every output name: never a path
    run = found.run
    if run is None:
        raise ReviewError("carries no block data: it is not a review file written by 'translate run' "
                          "(give the STEM.bilingual.docx or STEM.xlf)", found.path)
    blocks = run.blocks
    mapping = _map_rows(found, blocks)
    if not mapping.rows and not mapping.conflicts:
        raise ReviewError("no row could be matched to the run's blocks (no block ids, no source text in common): "
                          "nothing imported; give the STEM.bilingual.docx of this run, or --run STEM.json", found.path)
    warnings = list(found.warnings) + mapping.warnings
    by_id = {b.id: b for b in blocks}
    edited_text = {block_id: edit.translation for block_id, edit in mapping.rows.items()}
    report_rows, approved, unreviewed = [], [], []
    for block_id, edit in mapping.rows.items():
        block = by_id[block_id]
        row = _row_report(block, edit.translation, edit.tracked_changes)
        report_rows.append(row)
        errors = block.errors
        if not errors or row["changed"] or _approved_as_is(edit):
            approved.append(block_id)
        else:
            unreviewed.append(block_id)
            row["unreviewed_failure"] = errors
    qa_errors = _check_edits(by_id, mapping.rows, report_rows)
    missing = [b.id for b in blocks if b.id not in edited_text and b.id not in mapping.conflicts]
    if missing:
        warnings.append(f"{len(missing)} block(s) not found in the edited file (kept as machine translation): "
                        + ", ".join(missing[:5]))
    if unreviewed:
        warnings.append(f"{len(unreviewed)} unreviewed failure(s) not stored (error flag, translation untouched; "
                        f"edit it, or {found.approve_hint} to approve it): " + ", ".join(unreviewed[:5]))
    out = Path(out_dir)
    tm_file = tm_path or str(out / "tm.sqlite")
    stored = _learn(blocks, {i: edited_text[i] for i in approved}, tm_file)
    outputs = _publish(stem, blocks, edited_text, out, dict(run.signature))
    total = sum(len(b.translation) for b in blocks) or 1
    report = {
        "file": found.path,
        "run_data": found.run_from or "embedded",
        "blocks": report_rows,
        "changed": sum(1 for r in report_rows if r["changed"]),
        "effort": sum(r["edit_distance"] for r in report_rows) / total,
        "comments": found.comments,
        "warnings": warnings,
        "stored": stored,
        "stored_edited": sum(1 for r in report_rows if r["changed"] and r["id"] in approved),
        "stored_unedited": sum(1 for r in report_rows if not r["changed"] and r["id"] in approved),
        "unreviewed_failures": unreviewed,
        "qa_errors": qa_errors,
        "conflicts": sorted(mapping.conflicts),
        "tm": tm_file,
        "outputs": outputs,
    }
    from ..pipeline.atomic import write_text

    write_text(out / f"{stem}.review.json", json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    report["outputs"].append(str(out / f"{stem}.review.json"))
    return report


def _check_edits(by_id: dict[str, BlockRecord], rows: dict[str, EditedBlock], report_rows: list[dict]) -> list[dict]:
    """The MT path's QA (numbers, names and terms of the shipped glossary, leftover Chinese, ...) on every
    translation the editor changed: a human's 2.215 million for 2215万 is reported like a machine's. The
    editor's text is still stored: it is theirs to decide; the report says what looks wrong (row "qa", and
    "qa_errors": one entry per changed block with error flags)."""
    from ..glossary.matcher import TermMatcher
    from ..glossary.model import load_glossaries
    from ..qa.checks import check_translation

    changed = [row for row in report_rows if row["changed"]]
    if not changed:
        return []
    matcher = TermMatcher(load_glossaries([]))
    with_errors = []
    for row in changed:
        run_block = by_id[row["id"]]
        if not run_block.kind.translatable:
            continue
        block = Block(id=run_block.id, kind=run_block.kind, source=run_block.source, repaired=run_block.repaired,
                      translation=rows[row["id"]].translation)
        check_translation(block, matcher)
        row["qa"] = [{"code": f.code, "severity": f.severity, "message": f.message} for f in block.flags]
        errors = [f for f in block.flags if f.severity == "error"]
        if errors:
            with_errors.append({"id": row["id"], "errors": [f"[{f.code}] {f.message}" for f in errors]})
    return with_errors


@dataclass
class _Mapping:
    rows: dict[str, EditedBlock] = field(default_factory=dict)  # block id -> its row, in file order
    conflicts: set[str] = field(default_factory=set)  # ids carried by rows that show another source
    warnings: list[str] = field(default_factory=list)


def _map_rows(found: EditedFile, blocks: list[BlockRecord]) -> _Mapping:
    by_id = {b.id: b for b in blocks}
    by_text: dict[str, list[str]] = {}
    for b in blocks:
        for text in {normalise(b.source), normalise(b.repaired or b.source)} - {""}:
            by_text.setdefault(text, []).append(b.id)
    result = _Mapping()

    def by_source(edit: EditedBlock, taken=()) -> BlockRecord | None:
        for text in (normalise(edit.source), normalise(edit.source_original)):
            for block_id in by_text.get(text, []):
                if block_id not in result.rows and block_id not in taken:
                    return by_id[block_id]
        return None

    for edit in found.edits:
        block = by_id.get(edit.block_id)
        if block is not None:
            agreement = _agreement(block, edit)
            if agreement == "differs":
                other = by_source(edit, taken=(block.id,))
                whose = f"the source of block {other.id}" if other else "another source text"
                result.warnings.append(f"{edit.where}: carries the id {block.id} but shows {whose} "
                                       "(ids swapped, or the source edited?); not stored")
                result.conflicts.add(block.id)
                continue
            if agreement == "close":
                result.warnings.append(f"{edit.where}: its source differs slightly from block {block.id}'s "
                                       "(a repair accepted in part, or the source edited?); kept under that id")
        else:
            block = by_source(edit)
            if block is None:
                result.warnings.append(f"{edit.where}: no known block id and its source matches no block; skipped")
                continue
            lost = "block id missing" if not edit.block_id else f"block id {edit.block_id} unknown to the run"
            result.warnings.append(f"{edit.where}: {lost}, matched by its source text to {block.id}")
        if block.id in result.rows:
            result.warnings.append(f"{edit.where}: block {block.id} appears twice; the first is kept")
            continue
        result.rows[block.id] = edit
    for block_id in result.conflicts & result.rows.keys():  # an id shown over the wrong source is trusted nowhere
        del result.rows[block_id]
    return result


def _agreement(block: BlockRecord, edit: EditedBlock) -> str:
    """'same' when the row shows the block's source (or its repaired form), 'close' when nearly, else 'differs'."""
    from rapidfuzz.fuzz import ratio

    shown = {normalise(edit.source), normalise(edit.source_original)} - {""}
    expected = {normalise(block.source), normalise(block.repaired or block.source)} - {""}
    if shown & expected:
        return "same"
    if not shown or not expected:
        return "differs"
    return "close" if max(ratio(a, b) for a in shown for b in expected) >= 90 else "differs"


def _approved_as_is(edit: EditedBlock) -> bool:
    """The editor approved a flagged translation unchanged: deleted its QA comment, or signed it off (XLIFF)."""
    return edit.qa_notes == [] or edit.state in ("final", "signed-off")


def _row_report(block: BlockRecord, translation: str, tracked: int) -> dict:
    from rapidfuzz.distance import Levenshtein

    distance = Levenshtein.distance(block.translation, translation)
    return {"id": block.id, "changed": distance > 0 or tracked > 0, "edit_distance": distance,
            "tracked_changes": tracked}


def _learn(blocks: list[BlockRecord], approved: dict[str, str], tm_path: str) -> int:
    tm = TranslationMemory(tm_path)
    stored = 0
    try:
        for block in blocks:
            text = approved.get(block.id)
            if not block.kind.translatable or not text or not text.strip():
                continue
            edited = text != block.translation
            # the machine's text beside the editor's: `glossary suggest --tm` learns the renderings editors replace
            tm.add(block.repaired, text, origin="review" if edited else "approved",
                   machine=block.translation if edited else None)
            stored += 1
    finally:
        tm.close()
    return stored


def _publish(stem: str, blocks: list[BlockRecord], edited: dict[str, str], out: Path, signature: dict) -> list[str]:
    from ..formats.docx.writer import target_docx
    from ..formats.markdown import target_markdown
    from ..pipeline import atomic

    document = Document(name=stem, blocks=[b.to_block(edited.get(b.id)) for b in blocks])
    signature["reviewed"] = True
    paths = [out / f"{stem}.en.docx", out / f"{stem}.en.md"]
    atomic.write_bytes(paths[0], target_docx(document, signature))
    atomic.write_text(paths[1], target_markdown(document))
    return [str(p) for p in paths]


