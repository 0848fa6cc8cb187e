"""Align an existing English translation with its Chinese source, paragraphs then sentences.

A banded dynamic programme in the manner of Gale and Church (1993): each link type (1-1, 1-2,
2-1, 1-0, 0-1) costs its prior plus how unlikely its length ratio is, less what the two sides
share: numbers normalised across notations (2215万 = 22.15 million), Latin tokens, glossary
targets, the source words whose CC-CEDICT glosses the English has (Hunalign-style), and, with
--mt, words shared with a machine translation of the source (Bleualign-style).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .paths import best_path, corridor, forward_backward, phi, prefix_sums, search
from .sides import Side, chinese_side, english_sentences, english_side

__all__ = ["Aligner", "Link", "Side", "align_sentences", "chinese_side", "english_sentences", "english_side"]

# Gale & Church's priors for link types, as costs (-log P).
_PRIOR = {(1, 1): -math.log(0.89), (1, 0): -math.log(0.0099), (0, 1): -math.log(0.0099),
          (2, 1): -math.log(0.089), (1, 2): -math.log(0.089)}
ANCHOR_WEIGHT = 8.0
# The dictionary score (Hunalign-style), less than zero where the dictionary finds much of the source in
# the target: right pairs have about 45% of their glossed source words in the English, wrong ones about
# 6%; the midpoint between them costs nothing. A paragraph with fewer than DICT_WORDS glossed words gets
# proportionally less say.
DICT_WEIGHT = 8.0
DICT_MIDPOINT = 0.2
DICT_WORDS = 10
VOUCHED_LENGTH = 0.5  # how much of the worst length cost a pair the dictionary fully vouches for is spared
LEXICAL_GOOD = 0.35  # in a link's confidence, this share of dictionary words found counts as full agreement
# A part of a merge or split matching this share of dictionary words is shown in full; one matching no more
# than PART_FLOOR (what an unrelated paragraph matches by chance) is not shown at all.
PART_COVERAGE, PART_FLOOR = 0.3, 0.1
PART_WORDS = 3  # fewer glossed words than this tell nothing about a part
# Above this many cells, the dictionary search runs in a corridor of CORRIDOR cells around the path found
# without it (a 5,000-paragraph text: 101 cells a row become about 17).
LARGE_SEARCH, CORRIDOR = 20_000, 8
# Added per paragraph a link covers, in the search only: every path to a cell covers the same paragraphs,
# so the best path is unchanged, and no link costs less than zero, which the search's pruning needs.
STEP_OFFSET = (ANCHOR_WEIGHT * 0.5 + DICT_WEIGHT * (1.0 - DICT_MIDPOINT)) / 2
# A merge or split whose parts do not each show the other side's anchors is likely a drop or an
# addition beside a 1-1 link. Weights and temperature were set on the edit sweep of the example
# article and of two articles of other domains (translate bench --align), keeping the 100-paragraph
# test pairs at 95% or better.
PARTS_WEIGHT = 6.0
LENGTH_FLOOR = 1e-4  # a half-finished paragraph is still its paragraph: the length tail is not Gaussian
LOW_CONFIDENCE = 0.5
BLANK_COST = 1.0  # a source paired with a blank left for it: far cheaper than a drop plus an addition
BLOCKED = 50.0  # a link that cannot be (a blank inside a merge or split); finite, so that softmin stays defined
MERGE_EVIDENCE = 1.0  # how much better one source alone must fit a target for a 2-1 link to be a drop
POSTERIOR_BAND = 6  # cells either side of the best path that the posteriors sum over
TEMPERATURE = 2.0  # how flat the posterior over alignments is; costs are roughly -log P


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


class Aligner:
    def __init__(self, sources: list[Side], targets: list[Side], mt: list[Side] | None = None, band: int | None = None):
        self.sources, self.targets, self.mt = sources, targets, mt
        total_source = sum(s.length for s in sources) or 1.0
        self.ratio = (sum(t.length for t in targets) or 1.0) / total_source
        self.variance = 3.0 * self.ratio  # measured on a zh -> en news translation: about 2.7 x ratio
        n, m = len(sources), len(targets)
        self.band = band or 20 + abs(n - m) + int(0.005 * max(n, m))
        self._blanks = any(t.blank for t in targets)
        self._lexicon = any(s.glossed for s in sources)
        self._captions = any(t.caption for t in targets)
        self._masks: dict[int, int] = {}
        self._costs: dict[int, float] = {}  # the search's link costs, for the posteriors to reuse
        self._width = m + 1

    def length_probability(self, source_length: float, target_length: float) -> float:
        if source_length == 0 or target_length == 0:
            return 1.0  # a dropped or added paragraph: its prior alone says how rare that is
        delta = (target_length - self.ratio * source_length) / math.sqrt(source_length * self.variance)
        return max(2.0 * (1.0 - phi(abs(delta))), LENGTH_FLOOR)

    def agreement(self, i0: int, i1: int, j0: int, j1: int) -> float | None:
        """Share of the source's anchors (and MT words) found in the target, or None if no evidence."""
        anchors = self.sources[i0].anchors if i1 - i0 == 1 else frozenset().union(*(s.anchors for s in self.sources[i0:i1]))
        if not anchors and self.mt is None:
            return None
        words = self.targets[j0].words if j1 - j0 == 1 else frozenset().union(*(t.words for t in self.targets[j0:j1]))
        scores = []
        if anchors:
            scores.append(len(anchors & words) / len(anchors))
        if self.mt is not None:
            mt_words = frozenset().union(*(self.mt[i].words for i in range(i0, i1)))
            if mt_words and words:
                scores.append(2 * len(mt_words & words) / (len(mt_words) + len(words)))
        return sum(scores) / len(scores) if scores else None

    def _mask(self, i: int, j: int) -> int:
        """The dictionary words of source i (as bits) whose gloss is in target j; kept, as links share them."""
        key = i * self._width + j
        mask = self._masks.get(key)
        if mask is None:
            mask = 0
            glosses = self.sources[i].glosses
            for s in self.sources[i].gloss_keys & self.targets[j].stems:
                mask |= glosses[s]
            self._masks[key] = mask
        return mask

    def lexical(self, i0: int, i1: int, j0: int, j1: int) -> tuple[int, int]:
        """(source words whose dictionary gloss is in targets j0..j1, source words the dictionary glosses)."""
        covered = words = 0
        for i in range(i0, i1):
            if self.sources[i].glossed:
                mask = self._mask(i, j0)
                for j in range(j0 + 1, j1):
                    mask |= self._mask(i, j)
                covered += mask.bit_count()
                words += self.sources[i].glossed
        return covered, words

    def parts_covered(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """In a merge or split, how well each part on the longer side shows the other side: its anchors,
        or the share of dictionary words it matches (PART_COVERAGE and more counts fully). A paragraph
        the translator added or dropped next to a real one shows neither."""
        total = count = 0.0
        if i1 - i0 > 1:
            targets = self.targets[j0].words if j1 - j0 == 1 else frozenset().union(*(t.words for t in self.targets[j0:j1]))
            for k in range(i0, i1):
                anchors = self.sources[k].anchors
                score = _part_score(bool(anchors & targets) if anchors else None,
                                    self.lexical(k, k + 1, j0, j1) if self._lexicon else (0, 0))
                if score is not None:
                    total, count = total + score, count + 1
        else:
            source = self.sources[i0]  # a split: one source
            for k in range(j0, j1):
                shown = bool(source.anchors & self.targets[k].words) if len(source.anchors) >= 2 else None
                stems = self.targets[k].stems  # how much of this part of the translation the source explains
                score = _part_score(shown, (len(stems & source.gloss_keys), len(stems)) if source.glossed else (0, 0))
                if score is not None:
                    total, count = total + score, count + 1
        return total / count if count else 1.0

    def cost(self, i: int, j: int, di: int, dj: int) -> float:
        """Cost of the link that ends at source i and target j and spans di sources, dj targets."""
        if dj and self._blanks and any(t.blank for t in self.targets[j - dj:j]):
            # A blank left for a missing paragraph stands for exactly one source paragraph, or for none.
            return _PRIOR[(1, 1)] + BLANK_COST if (di, dj) == (1, 1) else _PRIOR[(0, 1)] if di == 0 else BLOCKED
        if not (di and dj):
            return _PRIOR[(di, dj)]  # a dropped or added paragraph: its prior alone says how rare that is
        key = (i * self._width + j) * 8 + di * 3 + dj
        cost = self._costs.get(key)
        if cost is not None:
            return cost
        source_length = self._source_prefix[i] - self._source_prefix[i - di]
        target_length = self._target_prefix[j] - self._target_prefix[j - dj]
        length_cost = -math.log(self.length_probability(source_length, target_length))
        cost = _PRIOR[(di, dj)]
        agree = self.agreement(i - di, i, j - dj, j)
        if agree is not None:
            cost += ANCHOR_WEIGHT * (0.5 - agree)
        if self._captions and any(t.caption for t in self.targets[j - dj:j]) \
                and not any(s.caption for s in self.sources[i - di:i]):
            cost += ANCHOR_WEIGHT * 0.5  # a caption of the translation for a source that is none
        if self._lexicon:
            covered, words = self.lexical(i - di, i, j - dj, j)
            if words:
                cost += DICT_WEIGHT * min(1.0, words / DICT_WORDS) * (DICT_MIDPOINT - covered / words)
                # A pair the dictionary vouches for is that pair however short its translation (cut off,
                # half rendered): the length is then QA's to report, and costs the aligner less.
                vouched = min(1.0, words / DICT_WORDS) * min(1.0, covered / words / LEXICAL_GOOD)
                length_cost = min(length_cost, -math.log(LENGTH_FLOOR) * (1.0 - VOUCHED_LENGTH * vouched))
        cost += length_cost
        if di + dj > 2:
            cost += PARTS_WEIGHT * (1.0 - self.parts_covered(i - di, i, j - dj, j))
        if self._lexicon:  # not in the rough pass, whose costs are not the final ones
            self._costs[key] = cost
        return cost

    def align(self) -> list[Link]:
        n, m = len(self.sources), len(self.targets)
        self._source_prefix = prefix_sums([s.length for s in self.sources])
        self._target_prefix = prefix_sums([t.length for t in self.targets])
        slope = m / n if n else 1.0
        band = [(max(0, round(i * slope) - self.band), min(m, round(i * slope) + self.band)) for i in range(n + 1)]
        if self._lexicon and n * (2 * self.band + 1) > LARGE_SEARCH:
            # A long text: find the path without the dictionary over the whole band, then search again
            # with it in a corridor around that path; the dictionary moves links by a few paragraphs.
            self._lexicon = False
            rough = self._search(band)
            self._lexicon = True
            band = corridor(best_path(rough, n, m), n, m, CORRIDOR)
        return self._trace(self._search(band), n, m)

    def _search(self, band: list[tuple[int, int]]) -> list[dict[int, tuple[float, int, int]]]:
        # The least each move can cost (its prior, the offset, every bonus taken): the search skips a move
        # whose least cost cannot beat the best found so far for the cell.
        floors = {(di, dj): _PRIOR[(di, dj)] + STEP_OFFSET * (di + dj) - (2 * STEP_OFFSET if di and dj else 0.0)
                  for di, dj in _PRIOR}
        return search(self.cost, floors, STEP_OFFSET, len(self.sources), len(self.targets), band)

    def _trace(self, rows, n: int, m: int) -> list[Link]:
        steps = best_path(rows, n, m)
        before, after = forward_backward(self.cost, list(_PRIOR), [(0, 0)] + [(i, j) for i, j, _, _ in steps], n, m,
                                         POSTERIOR_BAND, TEMPERATURE)
        links = []
        for i, j, di, dj in steps:
            # the share of all alignments, weighed by their cost, that contain this link
            posterior = math.exp(-(before[i - di][j - dj] + self.cost(i, j, di, dj) + after[i][j] - after[0][0])
                                 / TEMPERATURE)
            links.append(self._link(i - di, i, j - dj, j, min(1.0, posterior)))
        return _pair_substitutions(self, self._split_doubtful_merges(links))

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
            # anchors and dictionary words, the dictionary weighed by how many words it glossed
            agree = self.agreement(i0, i1, j0, j1)
            covered, words = self.lexical(i0, i1, j0, j1)
            evidence = [(agree, 1.0)] if agree is not None else []
            if words >= PART_WORDS:
                evidence.append((min(1.0, covered / words / LEXICAL_GOOD), min(1.0, words / DICT_WORDS)))
            weight = sum(w for _, w in evidence)
            confidence = 0.4 * length + 0.6 * sum(e * w for e, w in evidence) / weight if evidence else length
            if (i1 - i0, j1 - j0) != (1, 1):
                confidence *= 0.9 * self.parts_covered(i0, i1, j0, j1)
            confidence *= posterior
        return Link(list(range(i0, i1)), list(range(j0, j1)), confidence, posterior=posterior)


def _part_score(anchors_shown: bool | None, lexical: tuple[int, int]) -> float | None:
    covered, words = lexical
    known = [float(anchors_shown)] if anchors_shown is not None else []
    if words >= PART_WORDS:  # from nothing at PART_FLOOR (chance) to full at PART_COVERAGE
        known.append(min(1.0, max(0.0, (covered / words - PART_FLOOR) / (PART_COVERAGE - PART_FLOOR))))
    return sum(known) / len(known) if known else None


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


def align_sentences(source_text: str, target_text: str) -> list[dict]:
    from ..segment import segment_text

    sources = [s.text for s in segment_text(source_text)]
    targets = english_sentences(target_text)
    if len(sources) <= 1 or len(targets) <= 1 or not targets:
        return []
    links = Aligner([chinese_side(s) for s in sources], [english_side(t) for t in targets]).align()
    return [link.to_json() for link in links]
