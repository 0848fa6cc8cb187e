"""The English a translator used for a Chinese term, from aligned sentence pairs.

For a term, every English span (one to six words, never starting or ending on a function word) of the
sentence pairs that hold it is scored by
  - co-occurrence: Dice's coefficient between the term's pairs and the pairs whose English holds the span;
  - dictionary evidence: the share of the span's words that CC-CEDICT glosses of the term (or of its words),
    its pinyin (Wang Chuanfu, Ningde) or its Latin letters and numerals explain, and the share of the term's
    characters those matches cover;
  - competition: words that another Chinese word of the same sentence explains (by its glosses, or by the
    rendering found for another candidate on a first pass) count against the span;
  - for names, capitalisation, and not stopping inside a longer capitalised name.
The best span, counted over the pairs, is the translator's rendering. Measured on three articles with
their translations (tests/data/suggest): see the README's glossary section.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..lexicon.english import gloss_words, is_common_word, stem
from ..lexicon.names import syllables
from .bitext import Unit
from .term_evidence import LATIN, EnglishSide, TermEvidence, glossed_by, span_text

_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
NAME_KINDS = ("person", "organisation", "product", "title", "name", "place")
# Where the term sits in the Chinese sentence and the span in the English one: both run in much the same
# order, so a span at the other end of the sentence is less likely (三元锂电池和磷酸铁锂电池 / ternary
# lithium batteries and lithium iron phosphate batteries).
POSITION_WEIGHT = 0.5
CLAIM_SHARE = 0.5  # a first-pass rendering found in this share of a term's pairs competes with other terms
CONFIDENT_SHARE = 0.8  # ... even for words its term does not explain, when found in this share
FREE_CREDIT = 0.6  # a word no Chinese word explains is likely the translator's rendering of the term
EDGE_FACTOR = 0.7  # a span stopping next to such a word likely stops short


@dataclass
class Rendering:
    english: str
    count: int  # sentence pairs holding the term whose English holds the rendering
    total: int  # sentence pairs holding the term
    score: float
    alternatives: list[tuple[str, int]] = field(default_factory=list)
    coverage: float = 0.0  # the share of the term its words account for (glosses, pinyin, letters)


class TermAligner:
    def __init__(self, units: list[Unit]):
        self.units = units
        self.english = [EnglishSide(u.target) for u in units]
        self.frequency = Counter(key for side in self.english for key in side.keys)
        self.first_scores: dict[str, float] = {}  # term -> its first-pass rendering's score
        self.claims: dict[str, tuple[tuple, tuple]] = {}  # term -> its rendering's key, and the words it claims

    def units_with(self, term: str) -> list[int]:
        return [i for i, u in enumerate(self.units) if term in u.source]

    def align(self, term: str, kind: str) -> Rendering | None:
        holding = self.units_with(term)
        if not holding:
            return None
        if LATIN.fullmatch(term):
            found = self._latin(term, holding)
            if found:
                return found
        evidence = TermEvidence(term, kind == "person")
        found: dict[tuple, list] = defaultdict(list)
        surfaces: dict[tuple, Counter] = defaultdict(Counter)
        for index in holding:
            side, elsewhere = self.english[index], self._elsewhere(index, term)
            source = self.units[index].source
            places = [(m.start() + len(term) / 2) / len(source) for m in re.finditer(re.escape(term), source)]
            seen = set()
            for key, words, (r, i, j) in side.spans():
                content = [w for w in words if not w.function]
                if key in seen or not content or kind in NAME_KINDS and not all(w.capital for w in content):
                    continue
                seen.add(key)
                fit = self._fit(evidence, side.runs[r], r, i, j, elsewhere, kind)
                middle = (side.runs[r][i].position + side.runs[r][j - 1].position + 1) / 2 / max(side.size, 1)
                found[key].append(fit + (1 - POSITION_WEIGHT * min(abs(middle - p) for p in places),))
                surfaces[key][(span_text(words), words[0].initial)] += 1
        ranked = sorted(((self._score(term, key, fits, len(holding)), key) for key, fits in found.items()),
                        reverse=True)
        if not ranked or ranked[0][0] <= 0:
            return None
        best_score, best = ranked[0]
        alternatives = [(_surface(surfaces[k], kind), len(found[k])) for s, k in ranked[1:4] if s >= best_score / 2]
        return Rendering(_surface(surfaces[best], kind), len(found[best]), len(holding), best_score, alternatives,
                         max(f[1] for f in found[best]))

    @staticmethod
    def _fit(evidence: TermEvidence, run: list, r: int, i: int, j: int, elsewhere: tuple, kind: str):
        """How span run[i:j] fits the term in one pair: (explained share, coverage, share explained by other
        words, edge factor, words). A word nothing explains (the translator's own) earns part credit; a span
        that stops next to such a word, or next to one the term explains, loses some (lithium iron |
        phosphate; Robin | Zeng; medium-term | lending)."""
        glossed, claimed = elsewhere
        content = [(k, w) for k, w in enumerate(run[i:j], i) if not w.function]
        credit, taken, glossed_here = 0.0, 0, 0
        for k, word in content:
            weight = 0.0 if (r, k) in claimed else evidence.explains(word)
            if weight:
                credit += weight
            elif (r, k) in claimed:
                taken += 1
            elif glossed_by(word, glossed):
                glossed_here += 1
            else:
                credit += FREE_CREDIT
        edge = 1.0
        for k in (i - 1, j):
            if 0 <= k < len(run) and not run[k].function and (r, k) not in claimed:
                word = run[k]
                ours = evidence.explains(word) > 0
                free = not ours and not glossed_by(word, glossed)
                if ours or free and (kind not in NAME_KINDS or word.capital and not word.initial):
                    edge *= EDGE_FACTOR
        words = [w for _, w in content]
        n = len(content)
        return credit / n, evidence.coverage(words), glossed_here / n, taken / n, edge, n

    def _score(self, term: str, key: tuple, fits: list, total: int) -> float:
        together = len(fits)
        dice = 2 * together / (total + self.frequency[key])
        # the translator's choice is the rendering found in most of the term's pairs: a dictionary's word
        # found in two of ten (large, for 大厂) loses to the one found in six (big companies)
        consistency = (together / total) ** 0.5
        explained = sum(f[0] for f in fits) / together
        coverage = max(f[1] for f in fits)
        # Another word's glosses may explain a word in one pair and not in the next (An RRR cut, a rate cut):
        # the pair where they do not decides. A first-pass rendering's claim is exact, and counts in full.
        glossed = min(f[2] for f in fits)
        taken = sum(f[3] for f in fits) / together
        edge = sum(f[4] for f in fits) / together
        expected = max(1, len(term) // 2)
        length = 0.85 ** max(0, fits[0][5] - expected - 1)
        position = sum(f[6] for f in fits) / together
        return dice * consistency * (0.25 + explained) * (0.4 + 0.6 * coverage) * (1 - 0.9 * glossed) * (1 - 0.9 * taken) \
            * edge * length * position

    def _latin(self, term: str, holding: list[int]) -> Rendering | None:
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])", re.IGNORECASE)
        found = Counter(m.group() for i in holding for m in [pattern.search(self.units[i].target)] if m)
        count = sum(found.values())
        if count * 2 < len(holding):
            return None
        return Rendering(found.most_common(1)[0][0], count, len(holding), 1.0, coverage=1.0)

    def _elsewhere(self, index: int, term: str) -> tuple[frozenset[str], frozenset[tuple[int, int]]]:
        """English stems the other Chinese words of pair `index` may explain (their glosses and pinyin), and
        the word positions that other terms' first-pass renderings take there (stronger: they win over the
        term's own glosses)."""
        source, side = self.units[index].source, self.english[index]
        own = self.first_scores.get(term, 0.0)  # a claim beats only a term that fitted worse on the first pass
        masks = dict(self.claims[o][:2] for o in self.claims if o != term and o in source and o not in term
                     and term not in o and self.first_scores[o] >= own)
        claimed = {(r, k) for key, _, (r, i, j) in side.spans() if key in masks
                   for k, mine in zip(range(i, j), masks[key]) if mine}
        return _other_words_glosses(source.replace(term, "，")), frozenset(claimed)

    def claim(self, term: str, rendering: Rendering, kind: str = "term") -> None:
        """Let a confident rendering compete: where its term occurs, the words of it that the term explains
        are its own (利率's 'rate' in 'reverse repo rate', not 'reverse repo'); all its words when the term,
        a name no dictionary knows, explains none (CATL) but the translator used it nearly always."""
        self.first_scores[term] = rendering.score
        if rendering.count < CLAIM_SHARE * rendering.total:
            return
        evidence = TermEvidence(term, kind == "person")
        words = [w for run in EnglishSide(rendering.english).runs for w in run]
        mask = tuple(not w.function and evidence.explains(w) == 1.0 for w in words)
        if not any(mask):
            if rendering.count < 3 or rendering.count < CONFIDENT_SHARE * rendering.total or is_common_word(term):
                return  # 人士 next to 'reverse repo' twice is chance; CATL for 宁德时代 nine times is not
            mask = tuple(not w.function for w in words)
        self.claims[term] = (tuple(w.stem for w in words), mask)


@functools.lru_cache(maxsize=4096)
def _other_words_glosses(source: str) -> frozenset[str]:
    import jieba

    stems: set[str] = set()
    for token in jieba.lcut(source):
        if LATIN.fullmatch(token):
            stems.add(stem(token))
        elif len(token) >= 2 and _HAN_RUN.fullmatch(token):
            stems |= gloss_words(token)
            stems.add(stem("".join(syllables(token))))
    # numbers and dates: 1月8日 explains January 8, 2亿 explains 200
    stems.update(re.findall(r"\d+", source))
    stems.update(stem(_MONTHS[int(m) - 1]) for m in re.findall(r"(?<!\d)(1[0-2]|[1-9])月", source))
    return frozenset(stems)


def _surface(counter: Counter, kind: str) -> str:
    """The spelling the translator used most, where capitals are not just the sentence's start."""
    inside = Counter({text: n for (text, initial), n in counter.items() if not initial})
    if inside:
        return inside.most_common(1)[0][0]
    text = counter.most_common(1)[0][0][0]
    first = text.split(" ")[0]
    if kind not in NAME_KINDS and first[1:].islower():
        return first[:1].lower() + text[1:]
    return text


def names_by_pinyin(units: list[Unit]) -> dict[str, str]:
    """Chinese names whose English in the pair is their pinyin (通义千问 -> Tongyi Qianwen, 豆包 -> Doubao):
    names no dictionary knows, confirmed by the translator. Chinese text -> the English."""
    from ..lexicon.english import english_vocabulary
    from ..lexicon.names import surname_of

    found: dict[str, str] = {}
    for unit in units:
        readings: dict[str, str] = {}  # joined pinyin -> Chinese, for every 2..4-character string
        for run in _HAN_RUN.findall(unit.source):
            sounds = [s.replace("ü", "u") for s in syllables(run)]
            for start in range(len(run)):
                for end in range(start + 2, min(len(run), start + 4) + 1):
                    text = run[start:end]
                    readings.setdefault("".join(sounds[start:end]), text)
                    surname = surname_of(text)
                    if surname is not None:
                        readings.setdefault(surname.reading.replace("ü", "u") + "".join(
                            sounds[start + len(surname.text):end]), text)
        side = EnglishSide(unit.target)
        for run in side.runs:
            for i in range(len(run)):
                for j in range(i + 1, min(len(run), i + 3) + 1):
                    words = run[i:j]
                    if not all(w.capital and w.surface.isalpha() for w in words):
                        continue
                    if j - i == 1 and words[0].initial and words[0].surface.lower() in english_vocabulary():
                        continue
                    key = "".join(w.surface.lower() for w in words)
                    if len(key) >= 4 and key in readings:
                        found.setdefault(readings[key], " ".join(w.surface for w in words))
    return found
