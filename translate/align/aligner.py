"""Align an existing English translation with its Chinese source, paragraphs then sentences.

A banded dynamic programme in the manner of Gale and Church (1993): each link type (1-1, 1-2,
2-1, 1-0, 0-1) costs its prior plus how unlikely its length ratio is, less what the two sides
share: numbers normalised across notations (2215万 = 22.15 million), Latin tokens, glossary
targets, and, with --mt, words shared with a machine translation of the source (Bleualign-style).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..qa.numbers import source_values, target_values

# Gale & Church's priors for link types, as costs (-log P).
_PRIOR = {(1, 1): -math.log(0.89), (1, 0): -math.log(0.0099), (0, 1): -math.log(0.0099),
          (2, 1): -math.log(0.089), (1, 2): -math.log(0.089)}
ANCHOR_WEIGHT = 8.0
MT_WEIGHT = 4.0
# A merge or split whose parts do not each show the other side's anchors is likely a drop or an
# addition beside a 1-1 link. Weight and temperature were set on the example article's edit
# sweep (translate bench --align), keeping the 100-paragraph test pairs at 95% or better.
PARTS_WEIGHT = 4.0
LENGTH_FLOOR = 1e-4  # a half-finished paragraph is still its paragraph: the length tail is not Gaussian
LOW_CONFIDENCE = 0.5
BLANK_COST = 1.0  # a source paired with a blank left for it: far cheaper than a drop plus an addition
BLOCKED = 50.0  # a link that cannot be (a blank inside a merge or split); finite, so that softmin stays defined
MERGE_EVIDENCE = 1.0  # how much better one source alone must fit a target for a 2-1 link to be a drop
POSTERIOR_BAND = 6  # cells either side of the best path that the posteriors sum over
TEMPERATURE = 2.0  # how flat the posterior over alignments is; costs are roughly -log P
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]|[A-Za-z]")
_EN_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # possessive 's falls away
_EN_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“(A-Z0-9])")


@dataclass
class Link:
    source: list[int]
    target: list[int]
    confidence: float
    sentences: list[dict] = field(default_factory=list)
    posterior: float = 1.0

    def to_json(self) -> dict:
        data = {"source": self.source, "target": self.target, "confidence": round(self.confidence, 3),
                "posterior": round(self.posterior, 3)}
        if self.sentences:
            data["sentences"] = self.sentences
        return data


@dataclass
class Side:
    """What the aligner knows of one paragraph (or sentence): its length and its anchors."""

    length: float
    anchors: frozenset
    words: frozenset = frozenset()
    blank: bool = False  # a blank paragraph of the translation that stands for a missing one


def chinese_side(text: str, term_targets: list[str] = ()) -> Side:
    numbers = {_number_key(v) for _, v in source_values(text)}
    latin = {m.lower() for m in _LATIN.findall(text) if len(m) > 1}
    terms = {w for t in term_targets for w in _EN_WORD.findall(t.lower()) if len(w) > 2}
    length = len(_HAN.findall(text)) + 0.5 * len(" ".join(_LATIN.findall(text)))
    return Side(max(length, 1.0), frozenset(numbers | latin | terms))


def english_side(text: str) -> Side:
    if not text.strip():
        return Side(1.0, frozenset(), blank=True)
    words = set(_EN_WORD.findall(text.lower()))
    numbers = {_number_key(v) for v in target_values(text)}
    return Side(max(len(text), 1.0), frozenset(numbers), frozenset(words | numbers))


def _number_key(value) -> str:
    text = f"{value.normalize():f}"
    return "#" + (text.rstrip("0").rstrip(".") if "." in text else text)


def _prefix(values: list[float]) -> list[float]:
    sums = [0.0]
    for value in values:
        sums.append(sums[-1] + value)
    return sums


def _softmin(costs: list[float]) -> float:
    """-T log sum exp(-cost / T): the cost of all the ways together."""
    low = min(costs)
    return low - TEMPERATURE * math.log(sum(math.exp((low - c) / TEMPERATURE) for c in costs))


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


class Aligner:
    def __init__(self, sources: list[Side], targets: list[Side], mt: list[Side] | None = None, band: int | None = None):
        self.sources, self.targets, self.mt = sources, targets, mt
        total_source = sum(s.length for s in sources) or 1.0
        self.ratio = (sum(t.length for t in targets) or 1.0) / total_source
        self.variance = 3.0 * self.ratio  # measured on a zh -> en news translation: about 2.7 x ratio
        n, m = len(sources), len(targets)
        self.band = band or 20 + abs(n - m) + int(0.005 * max(n, m))
        self._blanks = any(t.blank for t in targets)

    def length_probability(self, source_length: float, target_length: float) -> float:
        if source_length == 0 or target_length == 0:
            return 1.0  # a dropped or added paragraph: its prior alone says how rare that is
        delta = (target_length - self.ratio * source_length) / math.sqrt(source_length * self.variance)
        return max(2.0 * (1.0 - _phi(abs(delta))), LENGTH_FLOOR)

    def agreement(self, i0: int, i1: int, j0: int, j1: int) -> float | None:
        """Share of the source's anchors (and MT words) found in the target, or None if no evidence."""
        anchors = self.sources[i0].anchors if i1 - i0 == 1 else frozenset().union(*(s.anchors for s in self.sources[i0:i1]))
        words = self.targets[j0].words if j1 - j0 == 1 else frozenset().union(*(t.words for t in self.targets[j0:j1]))
        scores = []
        if anchors:
            scores.append(len(anchors & words) / len(anchors))
        if self.mt is not None:
            mt_words = frozenset().union(*(self.mt[i].words for i in range(i0, i1)))
            if mt_words and words:
                scores.append(2 * len(mt_words & words) / (len(mt_words) + len(words)))
        return sum(scores) / len(scores) if scores else None

    def parts_covered(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """In a merge or split, the share of the parts on the longer side that show any of the other
        side's anchors: a paragraph the translator added or dropped next to a real one shows none."""
        sources = frozenset().union(*(s.anchors for s in self.sources[i0:i1]))
        targets = frozenset().union(*(t.words for t in self.targets[j0:j1]))
        if i1 - i0 > 1:
            parts = [s.anchors & targets for s in self.sources[i0:i1] if s.anchors]
        else:
            parts = [sources & t.words for t in self.targets[j0:j1]] if len(sources) >= 2 else []
        return sum(1 for p in parts if p) / len(parts) if parts else 1.0

    def cost(self, i: int, j: int, di: int, dj: int) -> float:
        """Cost of the link that ends at source i and target j and spans di sources, dj targets."""
        if dj and self._blanks and any(t.blank for t in self.targets[j - dj:j]):
            # A blank left for a missing paragraph stands for exactly one source paragraph, or for none.
            return _PRIOR[(1, 1)] + BLANK_COST if (di, dj) == (1, 1) else _PRIOR[(0, 1)] if di == 0 else BLOCKED
        source_length = self._source_prefix[i] - self._source_prefix[i - di]
        target_length = self._target_prefix[j] - self._target_prefix[j - dj]
        cost = _PRIOR[(di, dj)] - math.log(self.length_probability(source_length, target_length))
        if di and dj:
            agree = self.agreement(i - di, i, j - dj, j)
            if agree is not None:
                cost += ANCHOR_WEIGHT * (0.5 - agree)
            if di + dj > 2:
                cost += PARTS_WEIGHT * (1.0 - self.parts_covered(i - di, i, j - dj, j))
        return cost

    def align(self) -> list[Link]:
        n, m = len(self.sources), len(self.targets)
        self._source_prefix = _prefix([s.length for s in self.sources])
        self._target_prefix = _prefix([t.length for t in self.targets])
        # One dict per source row holding only the band: memory and time grow linearly.
        rows: list[dict[int, tuple[float, int, int]]] = [dict() for _ in range(n + 1)]
        rows[0][0] = (0.0, 0, 0)
        slope = m / n if n else 1.0
        moves = list(_PRIOR)
        cost = self.cost
        for i in range(n + 1):
            centre = int(round(i * slope))
            row = rows[i]
            for j in range(max(0, centre - self.band), min(m, centre + self.band) + 1):
                if i == 0 and j == 0:
                    continue
                best_total, best_move = math.inf, None
                for di, dj in moves:
                    if i < di or j < dj:
                        continue
                    previous = rows[i - di].get(j - dj)
                    if previous is None or previous[0] >= best_total:
                        continue
                    total = previous[0] + cost(i, j, di, dj)
                    if total < best_total:
                        best_total, best_move = total, (di, dj)
                if best_move is not None:
                    row[j] = (best_total, *best_move)
        if m not in rows[n]:
            raise ValueError("alignment band too narrow")
        return self._trace(rows, n, m)

    def _trace(self, rows, n: int, m: int) -> list[Link]:
        steps = []
        i, j = n, m
        while i > 0 or j > 0:
            _, di, dj = rows[i][j]
            steps.append((i, j, di, dj))
            i, j = i - di, j - dj
        steps.reverse()
        before, after = self._sums([(0, 0)] + [(i, j) for i, j, _, _ in steps])
        links = []
        for i, j, di, dj in steps:
            # the share of all alignments, weighed by their cost, that contain this link
            posterior = math.exp(-(before[i - di][j - dj] + self.cost(i, j, di, dj) + after[i][j] - after[0][0])
                                 / TEMPERATURE)
            links.append(self._link(i - di, i, j - dj, j, min(1.0, posterior)))
        return _pair_substitutions(self, self._split_doubtful_merges(links))

    def _sums(self, path: list[tuple[int, int]]) -> tuple[list[dict[int, float]], list[dict[int, float]]]:
        """Softmin costs of every way from the start to each cell and from each cell to the end
        (forward-backward), over the cells near the best path: those far from it weigh nothing."""
        n, m = len(self.sources), len(self.targets)
        near: list[list[int]] = [[] for _ in range(n + 1)]
        for i, j in path:
            for k in range(max(0, i - 1), min(n, i + 1) + 1):
                near[k].extend(range(max(0, j - POSTERIOR_BAND), min(m, j + POSTERIOR_BAND) + 1))
        cells = [sorted(set(row)) for row in near]
        cost = self.cost
        before: list[dict[int, float]] = [dict() for _ in range(n + 1)]
        before[0][0] = 0.0
        for i in range(n + 1):
            for j in cells[i]:
                totals = [before[i - di][j - dj] + cost(i, j, di, dj) for di, dj in _PRIOR
                          if i >= di and j - dj in before[i - di]]
                if totals and (i, j) != (0, 0):
                    before[i][j] = _softmin(totals)
        after: list[dict[int, float]] = [dict() for _ in range(n + 1)]
        after[n][m] = 0.0
        for i in range(n, -1, -1):
            for j in reversed(cells[i]):
                totals = [cost(i + di, j + dj, di, dj) + after[i + di][j + dj] for di, dj in _PRIOR
                          if i + di <= n and j + dj in after[i + di]]
                if totals and (i, j) != (n, m):
                    after[i][j] = _softmin(totals)
        return before, after

    def _split_doubtful_merges(self, links: list[Link]) -> list[Link]:
        """A 2-1 link whose target fits one of its sources alone better than both (by length and
        anchors) is a dropped paragraph beside a 1-1 link: only the length evidence says merge."""
        out: list[Link] = []
        for link in links:
            if len(link.source) != 2 or len(link.target) != 1:
                out.append(link)
                continue
            (a, b), j = link.source, link.target[0]
            merged = self._fit(a, b + 1, j)
            alone = max((self._fit(a, a + 1, j), a), (self._fit(b, b + 1, j), b))
            if alone[0] <= merged * MERGE_EVIDENCE:
                out.append(link)
                continue
            kept = alone[1]
            dropped = Link([a + b - kept], [], 0.3, posterior=link.posterior)
            single = self._link(kept, kept + 1, j, j + 1, link.posterior)
            out += [dropped, single] if kept == b else [single, dropped]
        return out

    def _fit(self, i0: int, i1: int, j: int) -> float:
        """How well sources i0..i1 explain target j alone: length probability, weighed by anchors."""
        source_length = sum(s.length for s in self.sources[i0:i1])
        probability = self.length_probability(source_length, self.targets[j].length)
        agree = self.agreement(i0, i1, j, j + 1)
        return probability * math.exp(-ANCHOR_WEIGHT * (0.5 - agree)) if agree is not None else probability

    def _link(self, i0: int, i1: int, j0: int, j1: int, posterior: float = 1.0) -> Link:
        """A link whose confidence is its evidence (length fit, shared anchors) times its posterior:
        a link that other alignments of nearly the same cost do not share is in doubt."""
        if i0 == i1 or j0 == j1:
            confidence = 0.3
        elif any(t.blank for t in self.targets[j0:j1]):
            confidence = posterior  # the translator marked the place: only other alignments put it in doubt
        else:
            source_length = self._source_prefix[i1] - self._source_prefix[i0]
            target_length = self._target_prefix[j1] - self._target_prefix[j0]
            # the length evidence, on a scale where an average ratio scores 1
            length = min(1.0, 2.0 * self.length_probability(source_length, target_length))
            agree = self.agreement(i0, i1, j0, j1)
            confidence = length if agree is None else 0.4 * length + 0.6 * agree
            if (i1 - i0, j1 - j0) != (1, 1):
                confidence *= 0.9 * self.parts_covered(i0, i1, j0, j1)
            confidence *= posterior
        return Link(list(range(i0, i1)), list(range(j0, j1)), confidence, posterior=posterior)


def _pair_substitutions(aligner: Aligner, links: list[Link]) -> list[Link]:
    """A paragraph 'dropped' right where one was 'added' is one paragraph translated badly (cut
    short, rewritten): pair them, in doubt, so that QA compares the two."""
    paired: list[Link] = []
    for link in links:
        previous = paired[-1] if paired else None
        if previous is not None and {len(previous.source), len(link.source)} == {0, 1} \
                and {len(previous.target), len(link.target)} == {0, 1}:
            source, target = previous.source + link.source, previous.target + link.target
            doubt = min(previous.posterior, link.posterior)
            paired[-1] = aligner._link(source[0], source[0] + 1, target[0], target[0] + 1, doubt)
            paired[-1].confidence = min(paired[-1].confidence, LOW_CONFIDENCE / 2)
            continue
        paired.append(link)
    return paired


def english_sentences(text: str) -> list[str]:
    return [s for s in _EN_SENTENCE.split(text.strip()) if s.strip()]


def align_sentences(source_text: str, target_text: str) -> list[dict]:
    from ..segment import segment_text

    sources = [s.text for s in segment_text(source_text)]
    targets = english_sentences(target_text)
    if len(sources) <= 1 or len(targets) <= 1 or not targets:
        return []
    links = Aligner([chinese_side(s) for s in sources], [english_side(t) for t in targets]).align()
    return [link.to_json() for link in links]
