"""What a reviewed translation memory teaches a glossary.

`review import` stores, beside each pair an editor changed, the machine translation they replaced (the TM's
`machine` column). For a source term, the rendering the machine used and the one the editor put in its
place are found with the term aligner, each over its own side; an editor who replaced the one with the other
in most pairs that hold the term, twice at least, proposes an entry. Glossary entries whose English the
memory's approved translations leave out, in most pairs that hold the source and twice at least, are
listed as contradicted, with the English the memory uses instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .bitext import Unit
from .model import Entry, Glossary
from .term_alignment import TermAligner

MIN_PAIRS = 2
MIN_SHARE = 0.6


@dataclass
class Replacement:
    term: str
    machine: str  # what the machine wrote for the term
    reviewed: str  # what editors wrote instead
    replaced: int  # pairs where the editor swapped the one for the other
    pairs: int  # edited pairs whose machine translation holds the machine's rendering


@dataclass
class Contradiction:
    entry: Entry
    source: str  # the variant found
    used: str  # the memory's rendering, or "" when none stands out
    missing: int  # approved pairs holding the source without any of the entry's English
    pairs: int  # approved pairs holding the source
    example: str


def editors_replacements(terms: list[tuple[str, str]], edited: list[tuple[Unit, Unit]]) -> dict[str, Replacement]:
    """For (term, kind) pairs: the renderings editors consistently put in place of the machine's."""
    if not edited:
        return {}
    machine = TermAligner([m for m, _ in edited])
    reviewed = TermAligner([r for _, r in edited])
    found = {}
    for term, kind in terms:
        before, after = machine.align(term, kind), reviewed.align(term, kind)
        if before is None or after is None or _same(before.english, after.english):
            continue
        holding = [(m.target, r.target) for m, r in edited if term in m.source]
        had = [(m, r) for m, r in holding if _holds(m, before.english)]
        replaced = sum(1 for m, r in had if not _holds(r, before.english) and _holds(r, after.english))
        if replaced >= MIN_PAIRS and replaced >= MIN_SHARE * len(had):
            found[term] = Replacement(term, before.english, after.english, replaced, len(had))
    return found


def contradictions(glossary: Glossary, pairs: list[Unit]) -> list[Contradiction]:
    """Glossary entries the memory's approved translations (whole pairs) consistently render otherwise."""
    from .bitext import sentence_pairs
    from .matcher import TermMatcher, present

    if not pairs or not glossary.entries:
        return []
    matcher = TermMatcher(glossary)
    if matcher.pattern is None:
        return []
    holding = [p for p in pairs if matcher.pattern.search(p.source)]  # one regex first: a memory may be large
    by_key = {e.key: e for e in glossary.entries}  # later files win, as in matching
    tally: dict[int, list] = {}
    for unit in holding:
        for span in matcher.find(unit.source):
            entry = by_key.get(span.key)
            if entry is None:
                continue
            record = tally.setdefault(id(entry), [entry, span.source, 0, 0, ""])
            record[3] += 1
            if not present(unit.target, span):
                record[2] += 1
                record[4] = record[4] or unit.source
    found = []
    for entry, source, missing, count, example in tally.values():
        if missing >= MIN_PAIRS and missing >= MIN_SHARE * count:
            aligner = TermAligner(sentence_pairs([p for p in holding if source in p.source]))
            rendering = aligner.align(source, "name" if entry.kind == "name" else "term")
            used = rendering.english if rendering and rendering.count >= MIN_PAIRS else ""
            found.append(Contradiction(entry, source, used, missing, count, example))
    return found


def _same(a: str, b: str) -> bool:
    return _key(a) == _key(b)


def _key(text: str) -> str:
    from ..lexicon.english import stem

    return " ".join(stem(w) for w in re.findall(r"[A-Za-z0-9]+", text))


def _holds(text: str, rendering: str) -> bool:
    key = _key(rendering)
    return bool(key) and f" {key} " in f" {_key(text)} "
