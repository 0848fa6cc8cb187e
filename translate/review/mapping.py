"""Map an edited file's rows onto the run's blocks, and say what the editor did to the structure.

Never maps silently: a row without a known id is matched by its source text (with a warning); a row whose
id names one block and whose source is another block's is a conflict (reported, not stored); a source
that differs from its block's and from every other is a source edit (kept, the TM keyed on it). Orphan
translations (their source deleted), deleted and moved rows are each named in a warning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..document import normalise
from ..formats.record import BlockRecord
from .edits import EditedBlock, EditedFile, listed


MAX_EACH = 20  # warnings of one kind given one by one; more are summed up in one line


@dataclass
class Mapping:
    rows: dict[str, EditedBlock] = field(default_factory=dict)  # block id -> its row, in file order
    orphans: dict[str, EditedBlock] = field(default_factory=dict)  # block id -> its translation, source deleted
    conflicts: set[str] = field(default_factory=set)  # ids carried by rows that show another block's source
    order: list[str] = field(default_factory=list)  # block ids as the file has them, each once
    deleted: list[str] = field(default_factory=list)  # run blocks the file no longer has
    unmatched: list[str] = field(default_factory=list)  # rows with no known id whose source matches no block
    moved: dict[str, EditedBlock] = field(default_factory=dict)  # block id -> the row showing its translation
    warnings: list[str] = field(default_factory=list)


def map_rows(found: EditedFile, blocks: list[BlockRecord]) -> Mapping:
    by_id = {b.id: b for b in blocks}
    by_text: dict[str, list[str]] = {}
    for b in blocks:
        for text in {normalise(b.source), normalise(b.repaired or b.source)} - {""}:
            by_text.setdefault(text, []).append(b.id)
    result = Mapping()
    where: dict[str, str] = {}

    def by_source(edit: EditedBlock, taken=()) -> BlockRecord | None:
        for text in (normalise(edit.source), normalise(edit.source_original)):
            for block_id in by_text.get(text, []):
                if block_id not in result.rows and block_id not in taken:
                    return by_id[block_id]
        return None

    with_rows = {e.block_id for e in found.edits if not e.orphan}
    carried = Counter(e.block_id for e in found.edits if not e.orphan and e.block_id)  # a mark on several rows
    repeated: list[str] = []
    placed: set[str] = set()
    for edit in found.edits:
        if edit.orphan and edit.block_id in with_rows:  # its block has a row of its own: a paragraph added here
            if result.order and result.order[-1] in result.rows:
                result.rows[result.order[-1]].added.append(edit.translation)
                result.warnings.append(f"{edit.where}: a paragraph added after block {result.order[-1]}; published, "
                                       "not stored in the translation memory")
            continue
        block = by_id.get(edit.block_id) if edit.orphan else _block_of(edit, by_id, by_source, result,
                                                                          carried[edit.block_id] > 1)
        if block is None:
            if edit.orphan:
                result.warnings.append(f"{edit.where}: a translation whose source was deleted names no block of the "
                                       "run; skipped")
            continue
        if block.id in placed:
            repeated.append(f"{edit.where}: block {block.id} appears twice; the first is kept")
            continue
        where[block.id] = edit.where
        result.order.append(block.id)
        placed.add(block.id)  # a set beside the list: a file of 100,000 rows is read in linear time
        if edit.moved_from and not edit.orphan:
            result.warnings.append(f"{edit.where}: shows the translation of block {edit.moved_from} (by its mark) "
                                   f"beside the source of block {block.id} (translations moved between rows?); "
                                   "published under the block its mark names, not stored")
            result.conflicts.add(block.id)
            result.moved[edit.moved_from] = edit
        if block.id in result.conflicts:
            continue
        if edit.orphan:
            result.orphans[block.id] = edit
            result.warnings.append(f"{edit.where}: block {block.id}'s source paragraph was deleted; its translation "
                                   "is published in its place and not stored in the translation memory")
            continue
        if edit.added:
            result.warnings.append(f"{edit.where}: {len(edit.added)} paragraph(s) added after the translation of "
                                   f"block {block.id}; published as paragraphs, not stored in the translation memory")
        if edit.paragraphs > 1:
            result.warnings.append(f"{edit.where}: the translation of block {block.id} is now {edit.paragraphs} "
                                   "paragraphs (published as such)")
        result.rows[block.id] = edit
    for block_id in result.conflicts & result.rows.keys():  # the other half of a swap
        del result.rows[block_id]
    if len(repeated) > MAX_EACH:  # a crafted file repeats a row thousands of times: one line for all
        result.warnings.append(f"{len(repeated)} rows repeat a block already read (the first of each is kept): "
                               + listed([r.split(":")[0] for r in repeated]))
    else:
        result.warnings += repeated
    if result.unmatched:
        result.warnings.append(f"{len(result.unmatched)} row(s) with no known block id and a source that matches no "
                               "block; skipped: " + listed(result.unmatched))
    _structure_warnings(found, blocks, result, where)
    return result


def _block_of(edit: EditedBlock, by_id: dict, by_source, result: Mapping, repeated_id: bool) -> BlockRecord | None:
    """The block a row is: by its id, checked against its source; `repeated_id` when other rows carry the
    same id (a mark pasted or forged into them): a row showing another block's source is then that block."""
    block = by_id.get(edit.block_id)
    if block is None:
        block = by_source(edit)
        if block is None:
            result.unmatched.append(edit.where)  # one warning for all of them (a hostile file has thousands)
            return None
        lost = "block id missing" if not edit.block_id else f"block id {edit.block_id} unknown to the run"
        result.warnings.append(f"{edit.where}: {lost}, matched by its source text to {block.id}")
        return block
    agreement = _agreement(block, edit)
    if agreement == "differs":
        other = by_source(edit, taken=(block.id,))
        if other is not None and repeated_id:  # the mark is another row's: this row is the block it shows
            result.warnings.append(f"{edit.where}: carries the id of block {block.id}, which another row carries "
                                   f"too; read by its own source text as block {other.id}")
            return other
        if other is not None:  # an id shown over another block's source is trusted nowhere
            result.warnings.append(f"{edit.where}: carries the id {block.id} but shows the source of block {other.id} "
                                   "(ids swapped?); not stored")
            result.conflicts.add(block.id)
            return block
        result.warnings.append(f"{edit.where}: the source of block {block.id} was edited; its translation is stored "
                               "under the source as edited")
    elif agreement == "close":
        result.warnings.append(f"{edit.where}: its source differs slightly from block {block.id}'s "
                               "(a repair rejected in part, or the source edited); stored under the source as shown")
    return block


def _structure_warnings(found: EditedFile, blocks: list[BlockRecord], result: Mapping, where: dict) -> None:
    """Deleted and moved rows, each named. Places in the run come from the run, or (run recovered from the
    file) from the rows' bookmarks."""
    from_file = {e.block_id: e.position - 1 for e in found.edits if e.position}
    position = {b.id: n for n, b in enumerate(blocks)}
    if found.run_from == "the DOCX itself" and all(i in from_file for i in result.order):
        position = from_file
    furthest = -1
    for block_id in result.order:
        if position[block_id] < furthest:
            order = "the editor's order" if found.deletions_are_edits else "the run's order (units sorted on export)"
            result.warnings.append(f"{where[block_id]}: block {block_id} was moved (it is block "
                                   f"{position[block_id] + 1} of the run); published in {order}")
        furthest = max(furthest, position[block_id])
    present = set(result.order)
    previous = "the start"
    if position is from_file:  # deletions were found by the reader, from the gaps in the places
        return
    for block in blocks:
        if block.id in present:
            previous = where[block.id]
            continue
        result.deleted.append(block.id)
        if found.deletions_are_edits:
            result.warnings.append(f"block {block.id} (after {previous}): deleted by the editor; left out of the "
                                   "published text")
    kept = [b for b in result.deleted if not found.deletions_are_edits]
    if kept:
        result.warnings.append(f"{len(kept)} block(s) missing or untranslated in the edited file (kept as machine "
                               "translation, not stored): " + listed(kept))


def publication_order(found: EditedFile, blocks: list[BlockRecord], mapping: Mapping) -> list[str]:
    """Block ids in the order to publish. A DOCX: the editor's order, the rows they deleted left out. An XLIFF:
    the run's, every block: translators cannot move paragraphs in a CAT tool, and units it sorted or left out
    on export are no edit (the ones it lacks keep their machine translation)."""
    if found.deletions_are_edits:
        return list(mapping.order)
    return [b.id for b in blocks]


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
