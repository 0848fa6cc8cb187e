"""What a format reader (DOCX, XLIFF) hands to `review.apply_edits`: the edited file, row by row.

Kept apart from apply.py so that readers and the review front door import it without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the record is only named here; readers build it
    from ..formats.record import RunRecord


@dataclass
class EditedBlock:
    """One block as an edited file gives it back: what a format reader hands to `apply_edits`."""

    block_id: str  # the id the file carries ("" when it lost it)
    source: str  # the source text as the file shows it (for matching when the id is missing)
    translation: str  # the editor's translation, tracked changes accepted
    tracked_changes: int = 0
    state: str = ""  # the CAT tool's state (XLIFF), "" for DOCX
    where: str = ""  # "row 3", "unit b12ab": named in warnings
    source_original: str = ""  # the source with tracked changes rejected (repairs undone), "" if the same
    qa_notes: list[str] | None = None  # the QA comments the row still carries; None when the format has none
    # What the review file itself says about the run (DOCX bookmarks): fingerprints of the machine
    # translation and of the repaired source ("" when the file carries none).
    machine_fp: str = ""
    source_fp: str = ""
    position: int = 0  # the block's 1-based place in the run, as the file's bookmark says (0: unknown)
    machine_unknown: bool = False  # edited without tracking and no run data: the machine text is not known
    orphan: bool = False  # a translation whose source paragraph the editor deleted: published, never stored
    added: list[str] = field(default_factory=list)  # rows the editor added after this one: published, never stored
    paragraphs: int = 1  # paragraphs of the translation (an editor may split one)
    moved_from: str = ""  # another row's block whose translation (by its mark) this row shows: moved or swapped


@dataclass
class EditedFile:
    """What a format reader found in an edited file."""

    path: str
    run: RunRecord | None  # the run record embedded in (or next to) the file
    edits: list[EditedBlock]
    stem: str  # output name, from the file name (never unchecked metadata)
    warnings: list[str] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    run_from: str = ""  # where the run's blocks came from: "embedded", a STEM.json path, or "the DOCX itself"
    # A block missing from the file was deleted by the editor (DOCX); in XLIFF a CAT tool just left it out.
    deletions_are_edits: bool = False
    deleted_places: list[str] = field(default_factory=list)  # deleted rows found by the reader (no run data)
    # How an editor approves a flagged translation unchanged in this format (named in warnings).
    approve_hint: str = "delete its QA comment"


def listed(ids: list[str], shown: int = 5) -> str:
    """Block ids for a one-line warning: the first few, then how many more (the report lists them all)."""
    more = len(ids) - shown
    return ", ".join(ids[:shown]) + (f" and {more} more (all in the review report)" if more > 0 else "")
