"""Import an editor's corrected review file: map rows to blocks, report edits, learn approved pairs, publish.

Format readers (formats/docx/review.py, formats/xliff/review.py) hand over an `EditedFile`;
`apply_edits` does the rest.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..document import Block, block_ids, normalise
from ..errors import ReviewError, printable
from ..formats.record import BlockRecord
from ..formats.xliff.inline import broken_pairs
from ..memory import REVIEWED
from ..memory.tm import TranslationMemory
from ..pipeline.outputs import check_outputs_free, check_writable, safe_stem
from .edits import EditedBlock, EditedFile, listed
from .mapping import map_rows, publication_order
from .publish import publication_paths, publish

__all__ = ["EditedBlock", "EditedFile", "apply_edits", "import_review"]


def import_review(edited: str, out_dir: str = "out", tm_path: str | None = None, run_path: str | None = None,
                  force: bool = False) -> dict:
    """Read an edited review file (bilingual DOCX, or XLIFF), report, learn approved pairs, publish.

    `run_path` names the run's STEM.json for a DOCX that lost its embedded data (see formats/docx/review.py);
    existing publication files are replaced only with `force`."""
    from ..formats.xliff.review import is_xliff, read_xliff_edits

    if is_xliff(edited):
        found = read_xliff_edits(edited)
    else:
        from ..formats.docx.review import read_docx_edits

        found = read_docx_edits(edited, run_path=run_path, out_dir=out_dir)
    return apply_edits(found, out_dir, tm_path, force=force)


def apply_edits(found: EditedFile, out_dir: str = "out", tm_path: str | None = None, *, force: bool = False) -> dict:
    """Map edits onto the run's blocks (review/mapping.py), report the changes, store approved pairs, publish.

    A block with an error flag is stored only when the editor edited it (or deleted its QA comment);
    otherwise it is an "unreviewed failure". Orphan translations and added rows are published, never stored."""
    stem = safe_stem(found.stem)  # one sanitiser for every output name: never a path
    run = found.run
    if run is None:
        raise ReviewError("carries no block data: it is not a review file written by 'translate run' "
                          "(give the STEM.bilingual.docx or STEM.xlf)", found.path)
    blocks = run.blocks
    mapping = map_rows(found, blocks)
    if not mapping.rows and not mapping.conflicts and not mapping.orphans:
        raise ReviewError("no row could be matched to the run's blocks (no block ids, no source text in common): "
                          "nothing imported; give the STEM.bilingual.docx of this run, or --run STEM.json", found.path)
    out = Path(out_dir)
    check_writable(out)
    check_outputs_free(publication_paths(stem, out), force,  # before anything is stored
                       {"translation memory": [tm_path or str(out / "tm.sqlite")], "edited file": [found.path]})
    warnings = list(found.warnings) + mapping.warnings
    by_id = {b.id: b for b in blocks}
    report_rows, verdicts = [], {}
    for block_id, edit in mapping.rows.items():
        block = by_id[block_id]
        row = _row_report(block, edit)
        report_rows.append(row)
        verdict, warning = _verdict(block, edit, row)
        verdicts.setdefault(verdict, []).append(block_id)
        warnings += [f"{edit.where}: {warning}"] if warning else []
        if verdict == "unreviewed":
            row["unreviewed_failure"] = block.errors
    approved, unreviewed = verdicts.get("approved", []), verdicts.get("unreviewed", [])
    emptied, broken, unconfirmed, chinese = (verdicts.get(v, []) for v in ("emptied", "broken", "unconfirmed",
                                                                          "chinese"))
    if unconfirmed:
        warnings.append(f"{len(unconfirmed)} unit(s) left unconfirmed in the CAT tool (untouched, state "
                        "needs-review or initial): kept as machine translation, not stored: "
                        + listed(unconfirmed))
    qa_errors = _check_edits(by_id, mapping.rows, report_rows)
    if unreviewed:
        warnings.append(f"{len(unreviewed)} unreviewed failure(s) not stored (error flag, translation untouched; "
                        f"edit it, or {found.approve_hint} to approve it): " + listed(unreviewed))
    tm_file = tm_path or str(out / "tm.sqlite")
    changed = {r["id"] for r in report_rows if r["changed"]}
    stored, kept = _learn(blocks, {i: mapping.rows[i] for i in approved}, changed, tm_file, warnings)
    texts = {i: e.translation for i, e in {**mapping.rows, **mapping.orphans}.items()}
    for block_id, edit in mapping.moved.items():  # a translation moved to another row goes with its own source
        if block_id in mapping.conflicts or not texts.get(block_id, "").strip():
            texts[block_id] = edit.translation
    for block_id in sorted(mapping.conflicts - texts.keys()):
        if not by_id[block_id].translation.strip():  # no run data, and its own row holds another's text
            warnings.append(f"block {block_id}: no translation of its own is left in the file; published empty")
    added = {i: e.added for i, e in mapping.rows.items() if e.added}
    outputs, publish_notes = publish(stem, run, publication_order(found, blocks, mapping), texts, added, out)
    warnings += publish_notes
    total = sum(len(b.translation) for b in blocks) or 1
    report = {
        "file": printable(found.path),  # a name that is not UTF-8 would fail the JSON after the files were written
        "run_data": found.run_from or "embedded",
        "blocks": report_rows,
        "changed": len(changed),
        "run_blocks": len(blocks),
        # None where an edit could not be measured (no run data): a partial sum would understate the effort
        "effort": (None if any(r["changed"] and r["edit_distance"] is None for r in report_rows)
                   else sum(r["edit_distance"] or 0 for r in report_rows) / total),
        "comments": found.comments,
        "warnings": warnings,
        "stored": len(stored),
        "kept_reviewed": kept,
        "stored_edited": sum(1 for i in stored if i in changed),
        "stored_unedited": sum(1 for i in stored if i not in changed),
        "unreviewed_failures": unreviewed,
        "qa_errors": qa_errors,
        "conflicts": sorted(mapping.conflicts),
        "orphans": list(mapping.orphans),
        "emptied": emptied,
        "broken_codes": broken,
        "chinese": chinese,
        "unconfirmed": unconfirmed,
        "deleted": (mapping.deleted if found.deletions_are_edits else []) + found.deleted_places,
        "rejected_repairs": [c for c in (_source_change(by_id[i], e) for i, e in mapping.rows.items())
                             if c and c["kind"] == "repair rejected"],
        "source_edits": [c for c in (_source_change(by_id[i], e) for i, e in mapping.rows.items())
                         if c and c["kind"] == "source edited"],
        "tm": printable(tm_file),
        "outputs": outputs,
    }
    from ..pipeline.atomic import write_text

    write_text(out / f"{stem}.review.json", json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    report["outputs"].append(str(out / f"{stem}.review.json"))
    return report


def _source_change(block: BlockRecord, edit: EditedBlock) -> dict | None:
    """How the editor left the source when it is not the run's repaired source: repairs rejected (all or in
    part: worth learning from) or the source edited. Without run data the file's fingerprint tells."""
    from ..formats.docx.oxml import fingerprint

    shown = normalise(edit.source)
    repaired = normalise(block.repaired or block.source)
    if shown and shown != repaired:
        kind = "repair rejected" if normalise(block.source) != repaired else "source edited"
        return {"id": block.id, "where": edit.where, "kind": kind, "kept": edit.source, "repaired": block.repaired}
    # no run data: the file's fingerprint of the repaired source tells
    if edit.source_fp and fingerprint(edit.source, len(edit.source_fp)) != edit.source_fp:
        original = block_ids([edit.source])[0] == block.id.split("-")[0]
        return {"id": block.id, "where": edit.where, "kind": "repair rejected" if original else "source edited",
                "kept": edit.source, "repaired": None}
    return None


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


# XLIFF states that say the translator has not confirmed the target (1.2 needs-*, new; 2.x initial)
UNCONFIRMED_STATES = frozenset({"new", "needs-translation", "needs-adaptation", "needs-l10n",
                                "needs-review-translation", "needs-review-adaptation", "needs-review-l10n", "initial"})


def _verdict(block: BlockRecord, edit: EditedBlock, row: dict) -> tuple[str, str]:
    """What becomes of a row: approved (stored), unreviewed (an error left untouched), unconfirmed (a CAT tool's
    untouched unit still awaiting review), emptied, chinese or broken (published as the editor left it, not
    stored); and the warning that says so."""
    if not edit.translation.strip() and (block.translation.strip() or edit.machine_unknown):
        # the whole translation deleted, its source kept: never publish the machine text the editor removed
        return "emptied", (f"the translation of block {block.id} was deleted (its source kept); left out of the "
                           "published text and not stored; delete the whole row to drop the paragraph, or type "
                           "its translation")
    if _mostly_chinese(edit.translation):
        # the source pasted over the translation, or never translated: never a pair for the memory
        why = "the source pasted in?" if row["changed"] else "left untranslated"
        return "chinese", (f"the translation of block {block.id} is in Chinese ({why}); published as written, "
                           "not stored")
    if row["changed"] and broken_pairs(block.source, edit.translation):
        # a CAT tool's tag moved or half deleted: the published Markdown/HTML would be broken
        return "broken", (f"the translation of block {block.id} breaks the source's paired codes ("
                          f"{', '.join(broken_pairs(block.source, edit.translation)[:3])} out of place); published "
                          "as written, not stored: put the codes back in order and import again")
    if block.errors and not row["changed"] and not _approved_as_is(edit):
        return "unreviewed", ""
    if not row["changed"] and edit.state in UNCONFIRMED_STATES:
        return "unconfirmed", ""
    return "approved", ""


def _mostly_chinese(text: str) -> bool:
    """More Chinese characters than Latin letters: not an English translation (names in brackets are fine)."""
    han = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    return han > 0 and han >= sum(1 for ch in text if ch.isascii() and ch.isalpha())


def _approved_as_is(edit: EditedBlock) -> bool:
    """The editor approved a flagged translation unchanged: deleted its QA comment, or signed it off (XLIFF)."""
    return edit.qa_notes == [] or edit.state in ("final", "signed-off")


def _row_report(block: BlockRecord, edit: EditedBlock) -> dict:
    """Changed or not, and by how many characters (None when the machine text is not known: the file's
    fingerprint says the row was edited, without run data to measure it against)."""
    from rapidfuzz.distance import Levenshtein

    if edit.machine_unknown:
        return {"id": block.id, "where": edit.where, "changed": True, "edit_distance": None,
                "tracked_changes": edit.tracked_changes}
    distance = Levenshtein.distance(block.translation, edit.translation)
    return {"id": block.id, "where": edit.where, "changed": distance > 0 or edit.tracked_changes > 0,
            "edit_distance": distance, "tracked_changes": edit.tracked_changes}


def _learn(blocks: list[BlockRecord], approved: dict[str, EditedBlock], changed: set[str], tm_path: str,
           warnings: list[str]) -> tuple[list[str], list[str]]:
    """Store approved pairs, keyed on the source as the editor left it: (the ids stored, the ids whose
    reviewed pair in the memory was kept), in run order. A row approved unedited never replaces another
    translation an editor reviewed (a second editor's copy of the same file); an edit replaces it, and
    the warning says so."""
    tm = TranslationMemory(tm_path)
    stored, kept = [], []
    try:
        for block in blocks:
            edit = approved.get(block.id)
            if edit is None or not block.kind.translatable or not edit.translation.strip():
                continue
            edited = block.id in changed
            source = edit.source if edit.source.strip() else block.repaired
            existing = tm.entry(source)
            if existing is not None and existing[1] in REVIEWED and normalise(existing[0]) != normalise(edit.translation):
                if not edited:
                    kept.append(block.id)
                    warnings.append(f"{edit.where}: left as the machine translated it, but the memory holds a "
                                    f"reviewed translation of block {block.id}; that one is kept")
                    continue
                warnings.append(f"{edit.where}: this edit replaces another reviewed translation of block {block.id} "
                                "in the memory (two editors' copies?)")
            # the machine's text beside the editor's: `glossary suggest --tm` learns the renderings editors replace
            tm.add(source, edit.translation, origin="review" if edited else "approved",
                   machine=block.translation if edited and block.translation else None)
            stored.append(block.id)
    finally:
        tm.close()
    return stored, kept
