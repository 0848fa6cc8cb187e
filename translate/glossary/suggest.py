"""`translate glossary suggest`: term candidates in articles, each with a proposed English rendering and
where it came from, as a table or as a CSV that `glossary import` takes once the editor has deleted the
rows they reject.

Candidates come from candidates.py (names by evidence, terms by termhood). Proposals, best first:
  translation  the English a translator used, from an aligned translation (--translation);
  review       what editors consistently put in place of the machine's rendering (--tm, pairs they edited);
  tm           the English of the memory's approved pairs (--tm);
  dictionary   CC-CEDICT: a proper name, a word's gloss, or its words' glosses joined;
  pinyin       a person's name in the standard form (Wang Chuanfu); an unknown name as one pinyin word;
  source       a Latin token kept as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .candidates import Candidate, find_candidates
from .model import Glossary

COLUMNS = ("source", "target", "kind", "note", "count", "proposed_by", "evidence", "example")
NOTES = {"person": "person", "organisation": "organisation", "product": "product", "title": "title",
         "place": "place", "name": "", "latin": "Latin token", "quoted": "quoted"}
CONSISTENT = 0.8  # share of a term's sentence pairs in which an unexplained rendering must occur
ALIGNED = 3  # candidates aligned per row shown: more of them compete for the words of each sentence


@dataclass
class Suggestion:
    source: str
    target: str
    kind: str  # the glossary's kind: term, name or keep
    note: str
    count: int
    proposed_by: str
    evidence: str
    example: str

    def row(self) -> list[str]:
        return [self.source, self.target, self.kind, self.note, str(self.count), self.proposed_by, self.evidence,
                self.example]


@dataclass
class SuggestReport:
    suggestions: list[Suggestion] = field(default_factory=list)
    contradicted: list[Suggestion] = field(default_factory=list)  # glossary entries the memory renders otherwise


def suggest(articles: list[str], glossary: Glossary, translations: list[str] = (), tm_path: str | None = None,
            limit: int = 40) -> SuggestReport:
    """Candidates in `articles` that `glossary` lacks, best first, each with a proposal and its evidence.

    `translations` (one per article, in order) are English translations aligned with their articles;
    `tm_path` is a translation memory whose approved pairs (and edits) are read."""
    from ..errors import InputError
    from .bitext import Memory, read_memory, units_from_translation
    from .review_learning import contradictions, editors_replacements
    from .term_alignment import TermAligner, names_by_pinyin

    if translations and len(translations) != len(articles):
        raise InputError(f"{len(translations)} --translation file(s) for {len(articles)} article(s); give one "
                         "English translation per article, in the same order")
    article_blocks = [_blocks(path) for path in articles]
    translated = [u for blocks, path in zip(article_blocks, translations) for u in units_from_translation(blocks, path)]
    memory = read_memory(tm_path) if tm_path else Memory([], [])
    known = set(glossary.by_source())
    blocks = [b for group in article_blocks for b in group]
    discovered = set(names_by_pinyin(translated))
    candidates = find_candidates(blocks, known, also_names=sorted(discovered))
    tm_units = _memory_units(memory, candidates[:limit * ALIGNED])
    more = set(names_by_pinyin(tm_units)) - discovered
    if more:  # names the memory writes in pinyin
        candidates = find_candidates(blocks, known, also_names=sorted(discovered | more))
        tm_units = _memory_units(memory, candidates[:limit * ALIGNED])
    shown = candidates[:limit]
    aligned = [(c.text, c.kind) for c in candidates[:limit * ALIGNED]]
    renderings = {name: _align_all(TermAligner(units), aligned) for name, units in
                  (("translation", translated), ("tm", tm_units)) if units}
    terms = [c.text for c in candidates[:limit * ALIGNED]]
    edited = [(m, r) for m, r in memory.edited if any(term in m.source for term in terms)]
    replaced = editors_replacements(aligned, edited)
    report = SuggestReport([_suggestion(c, renderings, replaced) for c in shown])
    for found in contradictions(glossary, memory.pairs):
        report.contradicted.append(_contradiction(found))
    return report


def _memory_units(memory, candidates: list[Candidate]) -> list:
    """Sentence pairs of the memory's pairs that hold a candidate (a large memory is not cut up whole)."""
    from .bitext import sentence_pairs

    terms = [c.text for c in candidates]
    return sentence_pairs([p for p in memory.pairs if any(term in p.source for term in terms)])


def _blocks(path: str) -> list[str]:
    from ..readers import read_document
    from ..repair import repair_document

    document = read_document(path)
    repair_document(document)
    return [b.text for b in document.blocks if b.kind.translatable]


def _align_all(aligner, terms: list[tuple[str, str]]) -> dict:
    """Two passes: the first pass's confident renderings compete for their words on the second."""
    first = {term: aligner.align(term, kind) for term, kind in terms}
    for term, kind in terms:
        if first[term] is not None:
            aligner.claim(term, first[term], kind)
    return {term: aligner.align(term, kind) for term, kind in terms}


def _suggestion(candidate: Candidate, renderings: dict, replaced: dict) -> Suggestion:
    from ..lexicon.english import is_common_word
    from ..lexicon.names import pinyin_name

    note = NOTES.get(candidate.kind, "")
    found = [(name, table.get(candidate.text)) for name, table in renderings.items()]
    found = [(name, r) for name, r in found if r is not None]
    if candidate.kind == "person" and pinyin_name(candidate.text):
        # a person's English holds their surname at least (Robin Zeng, William Li); else it is someone else
        found = [(name, r) for name, r in found if r.coverage > 0]
    elif candidate.kind == "term" and is_common_word(candidate.text):
        # an ordinary word whose English the dictionary does not explain is taken only when the translator
        # used it nearly every time (出海: 'drugs go' once is a neighbour, not a rendering)
        found = [(name, r) for name, r in found if r.coverage > 0 or r.count >= max(2, CONSISTENT * r.total)]
    evidence = [f"{name}: {r.english} in {r.count} of {r.total} sentence pairs"
                + (f" (also {', '.join(f'{a} {n}' for a, n in r.alternatives)})" if r.alternatives else "")
                for name, r in found]
    if candidate.text in replaced:
        swap = replaced[candidate.text]
        target, proposed_by = swap.reviewed, "review"
        evidence.insert(0, f"editors replaced '{swap.machine}' with '{swap.reviewed}' in {swap.replaced} of "
                           f"{swap.pairs} edited pairs")
    elif found:
        target, proposed_by = found[0][1].english, found[0][0]
    else:
        target, proposed_by, how = _without_translation(candidate)
        evidence.append(how)
    evidence.append("found by " + "; ".join(candidate.evidence))
    kind = candidate.glossary_kind
    if kind == "term" and proposed_by in ("translation", "tm", "review") and _capitalised(target):
        kind = "name"
    if candidate.also:
        evidence.append("also written " + "|".join(candidate.also))
    return Suggestion(candidate.text, target, kind, note, candidate.count, proposed_by, "; ".join(evidence),
                      candidate.example)


def _without_translation(candidate: Candidate) -> tuple[str, str, str]:
    """(English, proposed_by, evidence) from the dictionary or pinyin."""
    from ..lexicon.english import dictionary_rendering
    from ..lexicon.names import pinyin_name, pinyin_word

    text = candidate.text
    if candidate.kind == "latin":
        return text, "source", "Latin: kept as written"
    if candidate.kind == "person":
        if candidate.english:
            return candidate.english, "dictionary", "CC-CEDICT name"
        name = pinyin_name(text)
        if name:
            return name, "pinyin", "pinyin: surname first, given name joined"
        parts = [p for p in text.replace("•", "·").split("·") if p]
        return " ".join(pinyin_word(p) for p in parts), "pinyin", "pinyin of a transliterated name: check it"
    if candidate.english:
        return candidate.english, "dictionary", "CC-CEDICT name"
    if candidate.kind == "organisation":
        composed = _organisation_name(text)
        if composed:
            return composed
    found = dictionary_rendering(text)
    if found:
        english, how = found
        return english, "dictionary", f"CC-CEDICT {'glosses of its words' if how == 'composed' else how}"
    capitalise = candidate.kind not in ("term", "quoted")
    return pinyin_word(text, capitalise), "pinyin", "pinyin: no dictionary entry"


def _organisation_name(text: str) -> tuple[str, str, str] | None:
    """国盛证券 -> Guosheng Securities: the name before the suffix (its CC-CEDICT name, the glosses of a long
    descriptive one, or its pinyin) and the suffix's usual English."""
    from ..lexicon.english import dictionary_rendering, proper_nouns
    from ..lexicon.names import pinyin_word
    from .corpus import cues

    for suffix, english in cues()["organisation"]["suffixes"]:
        head = text[:-len(suffix)]
        if not text.endswith(suffix) or not head:
            continue
        names = proper_nouns(head)
        if names:
            return f"{names[0].english} {english}", "dictionary", "CC-CEDICT name and the suffix's English"
        found = dictionary_rendering(head, max_parts=8) if len(head) >= 4 else None
        if found:
            words = " ".join(w[:1].upper() + w[1:] for w in found[0].split())
            return f"{words} {english}", "dictionary", "CC-CEDICT glosses of its words and the suffix's English"
        return f"{pinyin_word(head)} {english}", "pinyin", "pinyin of the name and the suffix's English"
    return None


def _capitalised(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    return bool(words) and all(w[:1].isupper() for w in words)


def _contradiction(found) -> Suggestion:
    entry = found.entry
    used = found.used or entry.target
    evidence = (f"contradicts {entry.origin}: the glossary has '{entry.target}', approved translations leave it "
                f"out in {found.missing} of {found.pairs} pairs" + (f" and use '{found.used}'" if found.used else ""))
    return Suggestion("|".join(entry.sources), used, entry.kind, entry.note, found.pairs, "tm", evidence,
                      found.example)


def to_csv(report: SuggestReport) -> str:
    """The suggestions (then the contradicted entries) as a glossary CSV for `glossary import`: source,
    target, kind, note first; cells that a spreadsheet would run as a formula neutralised as export does."""
    from . import csv_file

    layout = csv_file.CsvLayout()
    lines = [csv_file.format_row(list(COLUMNS), layout)]
    for suggestion in report.suggestions + report.contradicted:
        lines.append(csv_file.format_row([csv_file.neutralise(c) for c in suggestion.row()], layout))
    return "".join(lines)


def to_table(report: SuggestReport) -> str:
    """One line per suggestion: source, target, kind (note), count, proposed by, evidence, example."""
    lines = []
    for s in report.suggestions:
        kind = f"{s.kind} ({s.note})" if s.note else s.kind
        lines.append(f"{s.source}\t{s.target}\t{kind}\t{s.count}\t{s.proposed_by}\t{s.evidence}\t{s.example}")
    if report.contradicted:
        lines.append("")
        lines.append("glossary entries the translation memory contradicts:")
        lines += [f"{s.source}\t{s.target}\t{s.kind}\t{s.count}\t{s.evidence}" for s in report.contradicted]
    return "\n".join(lines) + "\n"
