"""A second look at every ambiguous site of a spun document, with a language model.

The table's evidence (repair/evidence.py) sees the form, its two neighbours and the document; it cannot
tell 群众举报 (genuine) from 群众文化交流 (spun 全球). A causal language model reads the whole sentence:
each site is scored as written and with each original put back, the other sites as the first pass
decided. The judge's decision weighs the model's log-odds beside the table's own site evidence and the
form's word cues, with weights fitted by logistic regression on the tuning and earlier held-out sets
(`translate bench --repair`; held-out sets 3, 4 and 5 were not used). Only documents the gate reads as
spun are judged, so clean text is never changed by it.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from ..document import Repair
from .evidence import DocumentEvidence, site_logit, word_reading
from .language_model import SentenceScorer
from .table import CONTEXT, SpinTable

# Fitted weights: per nat of the model's log-odds (capped; one-character forms move the model less, so
# theirs count more), per unit of the table's site log-odds (capped), per unit of the strongest word cue
# (a negative bias, capped), and the intercept.
MODEL_WEIGHT, SINGLE_CHARACTER_WEIGHT, MODEL_CAP = 0.361, 0.279, 12.0
TABLE_WEIGHT, TABLE_CAP = 0.219, 8.0
CUE_WEIGHT, CUE_CAP = 0.548, 6.0
INTERCEPT = -1.126
THRESHOLD = 0.85  # a genuine word changed costs the editor more than a spun one left for them to see
# A first-pass repair the table was sure of (its ceiling) stands unless the judge finds it unlikely: the
# table's own evidence is worth most in dense real spinning, where the model's one sentence says least.
TRUSTED_FIRST_PASS, TRUSTED_FLOOR = 0.85, 0.5
CEILING = 0.95
SENTENCE_WINDOW = 40  # characters each side, cut at sentence ends
# A site that opens its sentence keeps this much of the sentence before: with no left context the model's
# odds are those of the two words as sentence openers (过去十年 against 当年十年), not of the words in this text.
MIN_LEFT = 8
_SENTENCE_END = re.compile(r"[。！？!?\n]")


@dataclass
class _Site:
    start: int
    spun: str
    left: str
    right: str


def rejudge(text: str, repairs: list[Repair], table: SpinTable, evidence: DocumentEvidence,
            scorer: SentenceScorer, nearby: Callable[[int], float], threshold: float = THRESHOLD
            ) -> tuple[str, list[Repair]]:
    """Decide every context site of `text` again. `repairs` are the first pass's (offsets index `text`);
    `nearby(offset)`: the non-word spun forms around a site, as the first pass counted them."""
    first = {r.offset: r for r in repairs}
    sites = _context_sites(text, first, table)
    if not sites:
        return _apply(text, repairs), repairs
    judged: dict[int, Repair | None] = {}
    read = []
    for site in sites:
        if _model_can_decide(site, first.get(site.start), table, evidence, nearby(site.start), threshold):
            read.append(site)
        else:
            judged[site.start] = None
    scores = iter(scorer.log_likelihoods(_variants(read, table)))
    for site in read:
        kept = next(scores)
        model_odds = {original: next(scores) - kept for original in _originals(site.spun, table)}
        probabilities = {original: (rule, _probability(model_odds[original], odds, site, table))
                         for original, (rule, odds) in candidates(site, table, evidence, nearby(site.start)).items()}
        earlier = first.get(site.start)
        if (earlier is not None and earlier.confidence >= TRUSTED_FIRST_PASS
                and probabilities.get(earlier.restored, (None, 1.0))[1] >= TRUSTED_FLOOR):
            continue
        rule, probability = max(probabilities.values(), key=lambda pair: pair[1])
        judged[site.start] = (Repair(offset=site.start, spun=site.spun, restored=rule.original, rule=rule.rule,
                                     confidence=round(min(CEILING, probability), 3))
                              if probability >= threshold else None)
    final = [r for r in repairs if r.offset not in judged]
    final += [r for r in judged.values() if r is not None]
    final.sort(key=lambda r: r.offset)
    return _apply(text, final), final


def sentences(text: str, repairs: list[Repair], table: SpinTable, evidence: DocumentEvidence,
              nearby: Callable[[int], float], threshold: float = THRESHOLD) -> list[str]:
    """The sentences `rejudge` will score for `text`: a caller scores many paragraphs' in one batch first."""
    first = {r.offset: r for r in repairs}
    return _variants([site for site in _context_sites(text, first, table)
                      if _model_can_decide(site, first.get(site.start), table, evidence, nearby(site.start), threshold)],
                     table)


def _model_can_decide(site: _Site, earlier: Repair | None, table: SpinTable, evidence: DocumentEvidence,
                      nearby: float, threshold: float) -> bool:
    """False where no reading of the model could restore the site (the table and the word cues weigh too much
    against it) and the first pass did not trust a repair there: the answer is "keep the form", unread."""
    if earlier is not None and earlier.confidence >= TRUSTED_FIRST_PASS:
        return True
    best = max((odds for _, odds in candidates(site, table, evidence, nearby).values()), default=None)
    return best is not None and _probability(MODEL_CAP, best, site, table) >= threshold


def _originals(spun: str, table: SpinTable) -> list[str]:
    return list(dict.fromkeys(rule.original for rule in table.rules[spun]))


def _variants(sites: list[_Site], table: SpinTable) -> list[str]:
    variants = []
    for site in sites:
        variants.append(site.left + site.spun + site.right)
        variants += [site.left + original + site.right for original in _originals(site.spun, table)]
    return variants


def candidates(site: _Site, table: SpinTable, evidence: DocumentEvidence, nearby: float) -> dict[str, tuple]:
    """original -> (rule, the table's site log-odds): per original, its best rule. The rules' context patterns
    (当年 only before a number) are not required here: the model reads the context they approximate."""
    best: dict[str, tuple] = {}
    for rule in table.rules[site.spun]:
        odds = site_logit(rule, site.left, site.right, table, evidence, nearby)
        if rule.original not in best or odds > best[rule.original][1]:
            best[rule.original] = (rule, odds)
    return best


def _probability(model_odds: float, table_odds: float, site: _Site, table: SpinTable) -> float:
    cue = word_reading(table.word_cues.get(site.spun, ()), site.left, site.right)
    model_odds = _cap(model_odds, MODEL_CAP)
    logit = (MODEL_WEIGHT * model_odds + SINGLE_CHARACTER_WEIGHT * model_odds * (len(site.spun) == 1)
             + TABLE_WEIGHT * _cap(table_odds, TABLE_CAP) + CUE_WEIGHT * _cap(cue, CUE_CAP) + INTERCEPT)
    return 1.0 / (1.0 + math.exp(-logit))


def _cap(value: float, cap: float) -> float:
    return max(-cap, min(cap, value))


def _context_sites(text: str, first: dict[int, Repair], table: SpinTable) -> list[_Site]:
    """Each context site with its sentence as the first pass left it (this site as written)."""
    repaired, where = _apply_with_offsets(text, first)
    sites = []
    for match in table.pattern.finditer(text):
        spun, start = match.group(), match.start()
        if table.rules[spun][0].rule != CONTEXT or text[:start].endswith(spun) or text[match.end():].startswith(spun):
            continue  # doubled forms (职责职责) keep the first pass's reading
        at = where(start)
        width = len(first[start].restored) if start in first else len(spun)
        left = repaired[max(0, at - SENTENCE_WINDOW):at]
        cuts = [m.end() for m in _SENTENCE_END.finditer(left) if m.end() <= len(left) - MIN_LEFT]
        left = left[cuts[-1]:] if cuts else left
        right = repaired[at + width:at + width + SENTENCE_WINDOW]
        end = _SENTENCE_END.search(right)
        right = right[:end.end()] if end else right
        sites.append(_Site(start, spun, left.lstrip("\n"), right.rstrip("\n")))
    return sites


def _apply_with_offsets(text: str, repairs: dict[int, Repair]) -> tuple[str, Callable[[int], int]]:
    """`text` with `repairs` made, and a map from a site's start in `text` to its start in the result."""
    out, offsets, shifts, position = [], [], [0], 0
    for offset in sorted(repairs):
        repair = repairs[offset]
        out += [text[position:offset], repair.restored]
        position = offset + len(repair.spun)
        offsets.append(offset)
        shifts.append(shifts[-1] + len(repair.restored) - len(repair.spun))  # shifts[i]: of the first i repairs
    out.append(text[position:])
    return "".join(out), lambda offset: offset + shifts[bisect_left(offsets, offset)]


def _apply(text: str, repairs: list[Repair]) -> str:
    return _apply_with_offsets(text, {r.offset: r for r in repairs})[0]
