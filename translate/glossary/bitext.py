"""Sentence pairs for glossary suggestions: an article aligned with its English translation (paragraphs,
then sentences, with the aligner of `translate align`), or the pairs of a translation memory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

# A translation of the article aligns with confidence in 80-90% of its paragraphs (the three test articles);
# another article's translation in under 20%.
MIN_CONFIDENT_SHARE = 0.4
MIN_LINKS = 3


@dataclass(frozen=True)
class Unit:
    """Chinese sentences and the English that translates them."""

    source: str
    target: str
    origin: str  # "translation", "tm", or "machine" (the machine translation an editor replaced)


def units_from_translation(blocks: list[str], translation_path: str) -> list[Unit]:
    """The article's blocks aligned with the paragraphs of `translation_path`, cut into sentence pairs."""
    from ..align.aligner import LOW_CONFIDENCE, Aligner, chinese_side, english_side
    from ..readers import read_document

    paragraphs = [b.source for b in read_document(translation_path).blocks if b.source.strip()]
    if not paragraphs:
        raise InputError("has no paragraphs to align; give the English translation of the article", translation_path)
    if not blocks:
        return []
    links = Aligner([chinese_side(b) for b in blocks], [english_side(p) for p in paragraphs]).align()
    paired = [link for link in links if link.source and link.target]
    confident = sum(1 for link in paired if link.confidence >= LOW_CONFIDENCE)
    if len(paired) >= MIN_LINKS and confident < MIN_CONFIDENT_SHARE * len(paired):
        raise InputError(f"does not read as a translation of its article: {confident} of {len(paired)} paragraphs "
                         "align with confidence; give each article's own translation, in the same order",
                         translation_path)
    units = []
    for link in links:
        if link.source and link.target:
            source = "".join(blocks[i] for i in link.source)
            target = " ".join(paragraphs[j] for j in link.target)
            units += sentence_units(source, target, "translation")
    return units


@dataclass
class Memory:
    """A translation memory's approved pairs (whole), and for each pair an editor changed, the machine
    translation's pair beside the editor's."""

    pairs: list[Unit]
    edited: list[tuple[Unit, Unit]]


def read_memory(tm_path: str) -> Memory:
    from ..memory.tm import TranslationMemory

    path = Path(tm_path)
    if not path.is_file():
        raise InputError("no such translation memory; give the .sqlite file 'review import' or 'tm import' wrote",
                         tm_path)
    if not _holds_a_memory(path):
        raise InputError("is not a translation memory (no tm table); give the .sqlite file 'review import', "
                         "'align --tm' or 'tm import' wrote", tm_path)
    tm = TranslationMemory(path)
    try:
        rows = tm.entries_with_machine()
    finally:
        tm.close()
    memory = Memory([], [])
    for source, target, machine in rows:
        if not source.strip() or not target.strip():
            continue
        memory.pairs.append(Unit(source, target, "tm"))
        if machine and machine.strip() and machine != target:
            memory.edited.append((Unit(source, machine, "machine"), Unit(source, target, "tm")))
    return memory


def sentence_pairs(pairs: list[Unit]) -> list[Unit]:
    """Whole pairs cut into aligned sentence pairs."""
    return [u for pair in pairs for u in sentence_units(pair.source, pair.target, pair.origin)]


def _holds_a_memory(path: Path) -> bool:
    """A SQLite file with a tm table, checked read-only: another file is never changed."""
    import sqlite3

    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as db:
            return db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='tm'").fetchone() is not None
    except sqlite3.DatabaseError:
        return False


def sentence_units(source: str, target: str, origin: str) -> list[Unit]:
    """One pair cut into aligned sentence pairs (the whole pair when it has one sentence a side, or the
    sentences do not align)."""
    from ..align.aligner import align_sentences, english_sentences
    from ..segment import segment_text

    links = align_sentences(source, target)
    if not links:
        return [Unit(source, target, origin)]
    sources = [s.text for s in segment_text(source)]
    targets = english_sentences(target)
    units = []
    for link in links:
        if link["source"] and link["target"]:
            units.append(Unit("".join(sources[i] for i in link["source"]),
                              " ".join(targets[j] for j in link["target"]), origin))
    return units or [Unit(source, target, origin)]
