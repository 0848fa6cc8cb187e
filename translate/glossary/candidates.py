"""Glossary candidates in articles: names found by evidence and terms found by termhood, ranked together,
without what the given glossaries already hold."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..lexicon.english import is_common_word, proper_nouns
from ..lexicon.names import split_name
from .corpus import Corpus
from .name_finder import KIND_WEIGHT, Found, find_names
from .term_finder import find_terms

# Names are ranked with at least this specificity: 百度 is common in general Chinese and still a name.
NAME_SPECIFICITY = 2.0
NAME_KINDS = ("person", "organisation", "product", "title", "name")
TERM_WEIGHT = 1.0
MIN_SPECIFICITY = 1.5  # a term occurs at least about 30 times more often here than in general Chinese
INSIDE_SHARE = 0.8  # a candidate found this often inside one longer candidate is part of it (宁德 in 宁德时代)


@dataclass
class Candidate:
    text: str
    kind: str  # person, organisation, product, title, name, place, latin, quoted, term
    count: int
    score: float
    example: str
    evidence: list[str] = field(default_factory=list)
    english: str = ""  # a name CC-CEDICT gives it, if any
    also: list[str] = field(default_factory=list)  # other spellings counted with it

    @property
    def glossary_kind(self) -> str:
        """The glossary CSV's kind: keep for Latin tokens, name for names, term otherwise."""
        if self.kind == "latin":
            return "keep"
        return "term" if self.kind in ("term", "quoted") else "name"


def find_candidates(blocks: list[str], known: set[str] = frozenset(),
                    also_names: list[str] = ()) -> list[Candidate]:
    """Candidates in the translatable text `blocks`, best first; none that `known` (glossary sources) holds.
    `also_names` are names found another way (a translation writes them in pinyin)."""
    corpus = Corpus(blocks)
    candidates: dict[str, Candidate] = {}
    names = find_names(corpus)
    taken = {f.text for f in names}
    for text in also_names:
        if text not in taken and corpus.count(text):
            kind = "person" if split_name(text) and _person_shaped(corpus, text) else "name"
            names.append(Found(text, kind, ["the translation writes it in pinyin"]))
    for found in names:
        count = found.count or corpus.count(found.text)
        specificity = corpus.specificity(found.text, count)
        if found.kind in NAME_KINDS:
            specificity = max(specificity, NAME_SPECIFICITY)
        score = KIND_WEIGHT.get(found.kind, 1.0) * specificity * math.log2(1 + count)
        candidates[found.text] = Candidate(found.text, found.kind, count, score, corpus.example(found.text),
                                           found.evidence, found.english, found.also)
    people = [c.text for c in candidates.values() if c.kind == "person"]
    for term in find_terms(corpus):
        if term.text in candidates or any(term.text.startswith(p) for p in people):
            continue
        if term.specificity < MIN_SPECIFICITY:
            continue  # 工作, 发展: as common here as anywhere
        evidence = [f"termhood {term.termhood:.1f} (C-value {term.cvalue:.1f}, specificity {term.specificity:.1f})"]
        kind = "term"
        if not is_common_word(term.text) and _name_words(corpus, term.text):
            kind, evidence = "name", evidence + ["jieba: part of a name"]
        candidates[term.text] = Candidate(term.text, kind, term.count, TERM_WEIGHT * term.termhood,
                                          corpus.example(term.text), evidence)
    ranked = [c for c in candidates.values()
              if c.count > 0 and not _known(c, known) and not _inside_another(corpus, c, candidates)]
    ranked.sort(key=lambda c: (-c.score, -c.count, c.text))
    return ranked


def _person_shaped(corpus: Corpus, text: str) -> bool:
    """jieba reads `text` as a person's name, or CC-CEDICT does not know it as a word or name."""
    return corpus.tagged(text, "nr") or not is_common_word(text) and not proper_nouns(text)


def _name_words(corpus: Corpus, text: str) -> bool:
    """jieba reads a word of `text` as a name (person, place, organisation) where it occurs."""
    at = corpus.text.find(text)
    return any(w.flag.startswith(("nr", "ns", "nt")) and len(w.text) >= 2 and not is_common_word(w.text)
               for w in corpus.words_in(at, at + len(text)))


def _inside_another(corpus: Corpus, candidate: Candidate, candidates: dict[str, Candidate]) -> bool:
    """Most occurrences of `candidate` lie inside one longer candidate: 宁德 in 宁德时代, 幻方 in 幻方量化 is not."""
    if candidate.kind not in ("place", "organisation", "name"):
        return False  # nested terms are weighed by their C-value instead
    for other in candidates.values():
        if candidate.kind == other.kind == "organisation":
            continue  # 招商银行 inside 招商银行研究院 is a name of its own
        if len(other.text) > len(candidate.text) and candidate.text in other.text \
                and other.count * other.text.count(candidate.text) >= INSIDE_SHARE * candidate.count:
            return True
    return False


def _known(candidate: Candidate, known: set[str]) -> bool:
    texts = [candidate.text, *candidate.also]
    lowered = {k.lower() for k in known}
    return any(t.lower() in lowered for t in texts) or any(candidate.text in k for k in known if len(k) > len(candidate.text))
