"""Multi-word terms: strings that recur in the articles far more often than in general Chinese.

Candidates are the Chinese strings (two to ten characters) that occur at least twice, stand whole (the
characters around them vary, and jieba's word boundaries fall at their edges) and neither begin nor end
with a particle or numeral. Each is scored by termhood: its C-value (Frantzi, Ananiadou & Mima 2000: its
count less the average count of the longer candidates it sits inside, so 宁德 inside 宁德时代 scores low)
times its specificity against jieba's dictionary frequencies (corpus.Corpus.specificity). Words jieba
does not know and CC-CEDICT does not either are kept even when they occur once: they are new words.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from ..lexicon.cedict import load_cedict
from .corpus import HAN_RUN, Corpus, background, cues

MIN_LENGTH, MAX_LENGTH = 2, 10


@dataclass
class Term:
    text: str
    count: int
    cvalue: float
    specificity: float

    @property
    def termhood(self) -> float:
        return self.specificity * math.log2(1.0 + max(self.cvalue, 0.0))


def find_terms(corpus: Corpus) -> list[Term]:
    kept: dict[str, list[int]] = {}
    for text, starts in _repeated_strings(corpus).items():
        if _well_formed(corpus, text) and _stands_whole(corpus, text, starts):
            kept[text] = starts
    for word in _new_words(corpus):
        if _well_formed(corpus, word):
            kept.setdefault(word, corpus.positions(word))
    containing: dict[str, list[int]] = defaultdict(list)  # a kept string -> counts of longer ones holding it
    for text, starts in kept.items():
        if len(starts) >= 2:
            inner = {text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)} - {text}
            for piece in inner & kept.keys():
                containing[piece].append(len(starts))
    terms = []
    for text, starts in kept.items():
        longer = containing.get(text, [])
        cvalue = len(starts) - (sum(longer) / len(longer) if longer else 0.0)
        terms.append(Term(text, len(starts), cvalue, corpus.specificity(text, len(starts))))
    return terms


def _well_formed(corpus: Corpus, text: str) -> bool:
    """Neither begins nor ends with a particle or a counted numeral, and holds no conjunction or particle."""
    words = cues()["words"]
    if text[0] in words["edge_chars"] or text[-1] in words["edge_chars"] or re.match(words["counted"], text):
        return False
    at = corpus.text.find(text)
    inner = set(words["inner_flags"])
    return not any(w.flag in inner for w in corpus.words_in(at, at + len(text))[1:-1])


def _repeated_strings(corpus: Corpus) -> dict[str, list[int]]:
    """Every Han string of MIN_LENGTH..MAX_LENGTH characters that occurs twice or more -> its offsets."""
    found: dict[str, list[int]] = defaultdict(list)
    for run in HAN_RUN.finditer(corpus.text):
        text, base = run.group(), run.start()
        for start in range(len(text)):
            for length in range(MIN_LENGTH, min(MAX_LENGTH, len(text) - start) + 1):
                found[text[start:start + length]].append(base + start)
    return {t: s for t, s in found.items() if len(s) >= 2}


def _stands_whole(corpus: Corpus, text: str, starts: list[int]) -> bool:
    """The characters around `text` vary (it is not always part of one longer string, nor always the
    tail of a number: 7天期), most occurrences start on a word that can begin a term, and one at least
    ends on a word that can end one."""
    whole, length = corpus.text, len(text)
    before = {whole[s - 1] if s > 0 else "^" for s in starts}
    after = {whole[s + length] if s + length < len(whole) else "$" for s in starts}
    if len(before) == 1 and next(iter(before)) >= "\u3400" or len(after) == 1 and next(iter(after)) >= "\u3400":
        return False
    if all(c.isdigit() for c in before):
        return False  # the tail of a number: 7天期, 10年期
    starting = sum(1 for s in starts if _can_start(corpus.word_at(s)))
    ending = sum(1 for s in starts if _can_end(corpus.word_ending_at(s + length)))
    return starting * 2 >= len(starts) and ending >= 1


def _can_start(word) -> bool:
    return _can_edge(word, "start_flags")


def _can_end(word) -> bool:
    return _can_edge(word, "end_flags")


def _can_edge(word, flags: str) -> bool:
    if word is None:
        return False
    if len(word.text) == 1:
        return word.text not in cues()["words"]["single_stops"] and word.text not in cues()["words"]["edge_chars"]
    return word.flag not in cues()["words"][flags]


def _new_words(corpus: Corpus):
    """jieba words (found by its HMM) that neither its dictionary nor CC-CEDICT knows: 豆包, 幻方."""
    frequencies, _ = background()
    lexicon = load_cedict()
    flags, stops = cues()["words"]["new_word_flags"], cues()["words"]["single_stops"]
    for word in corpus.words:
        if len(word.text) >= 2 and word.flag in flags and HAN_RUN.fullmatch(word.text) \
                and not frequencies.get(word.text) and word.text not in lexicon \
                and word.text[0] not in stops and word.text[-1] not in stops:  # 地发力: jieba's guess ran on
            yield word.text
