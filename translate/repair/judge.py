"""A second look at every ambiguous site of a spun document, with a language model.

The table's evidence (repair/evidence.py) sees the form, its two neighbours and the document; it cannot
tell 群众举报 (genuine) from 群众文化交流 (spun 全球). A causal language model reads the whole sentence:
each site is scored as written and with each original put back, the other sites as the first pass
decided. The judge's decision weighs the model's log-odds beside the table's own site evidence and the
form's word cues, with weights fitted by logistic regression on the tuning and earlier held-out sets
(`translate bench --repair`; held-out sets 3, 4 and 5 were not used); `translate.measure.judge_sites` replays
the decisions from what `judge_sites` returns and refits the weights. Only documents the gate reads as spun are
judged, so clean text is never changed by it.
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
from .table import CONTEXT, SpinRule, SpinTable

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
class Site:
    start: int
    spun: str
    left: str
    right: str


@dataclass
class Reading:
    """One original a site may stand for: the table's log-odds, the model's (None where it was not asked) and the
    judge's probability of restoring it."""

    rule: SpinRule
    table_odds: float
    model_odds: float | None = None
    probability: float | None = None


@dataclass
class Judgement:
    """What the judge saw and decided at one context site; `decision` None keeps the form as written."""

    site: Site
    earlier: Repair | None
    readings: dict[str, Reading]
    decision: Repair | None


def rejudge(text: str, repairs: list[Repair], table: SpinTable, evidence: DocumentEvidence,
            scorer: SentenceScorer, nearby: Callable[[int], float], threshold: float = THRESHOLD
            ) -> tuple[str, list[Repair]]:
    """Decide every context site of `text` again. `repairs` are the first pass's (offsets index `text`);
    `nearby(offset)`: the non-word spun forms around a site, as the first pass counted them."""
    judged = {j.site.start: j.decision for j in judge_sites(text, repairs, table, evidence, scorer, nearby, threshold)}
    final = [r for r in repairs if r.offset not in judged] + [r for r in judged.values() if r is not None]
    final.sort(key=lambda r: r.offset)
    return _apply(text, final), final


def judge_sites(text: str, repairs: list[Repair], table: SpinTable, evidence: DocumentEvidence,
                scorer: SentenceScorer, nearby: Callable[[int], float], threshold: float = THRESHOLD
                ) -> list[Judgement]:
    """Every context site of `text` with its evidence and the judge's decision (`rejudge` applies them;
    `translate.measure.judge_sites` studies them)."""
    first = {r.offset: r for r in repairs}
    sites = _context_sites(text, first, table)
    read = [site for site in sites
            if _model_can_decide(site, first.get(site.start), table, evidence, nearby(site.start), threshold)]
    scores = iter(scorer.log_likelihoods(_variants(read, table)) if read else ())
    model_odds: dict[tuple[int, str], float] = {}
    for site in read:
        kept = next(scores)
        model_odds.update({(site.start, original): next(scores) - kept for original in _originals(site.spun, table)})
    judgements = []
    for site in sites:
        readings = {original: Reading(rule, odds, model_odds.get((site.start, original)))
                    for original, (rule, odds) in candidates(site, table, evidence, nearby(site.start)).items()}
        earlier = first.get(site.start)
        decision = None
        if all(reading.model_odds is not None for reading in readings.values()):
            for reading in readings.values():
                reading.probability = _probability(reading.model_odds, reading.table_odds, site, table)
            decision = _decide(site, earlier, readings, threshold)
        judgements.append(Judgement(site, earlier, readings, decision))
    return judgements


def _decide(site: Site, earlier: Repair | None, readings: dict[str, Reading], threshold: float) -> Repair | None:
    probabilities = {original: reading.probability for original, reading in readings.items()}
    choice = choose(probabilities, (earlier.restored, earlier.confidence) if earlier is not None else None, threshold)
    if choice is None:
        return None
    original, trusted = choice
    if trusted:
        return earlier
    return Repair(offset=site.start, spun=site.spun, restored=original, rule=readings[original].rule.rule,
                  confidence=round(min(CEILING, probabilities[original]), 3))


def choose(probabilities: dict[str, float], earlier: tuple[str, float] | None, threshold: float = THRESHOLD,
           floor: float = TRUSTED_FLOOR) -> tuple[str, bool] | None:
    """The original to restore at a site and whether it is the trusted first pass's repair, or None to keep the
    form. `earlier`: the first pass's (original, confidence) there."""
    if earlier is not None:
        original, confidence = earlier
        if confidence >= TRUSTED_FIRST_PASS and probabilities.get(original, 1.0) >= floor:
            return original, True
    best = max(probabilities, key=probabilities.get)
    return (best, False) if probabilities[best] >= threshold else None


def sentences(text: str, repairs: list[Repair], table: SpinTable, evidence: DocumentEvidence,
              nearby: Callable[[int], float], threshold: float = THRESHOLD) -> list[str]:
    """The sentences `rejudge` will score for `text`: a caller scores many paragraphs' in one batch first."""
    first = {r.offset: r for r in repairs}
    return _variants([site for site in _context_sites(text, first, table)
                      if _model_can_decide(site, first.get(site.start), table, evidence, nearby(site.start), threshold)],
                     table)


def _model_can_decide(site: Site, earlier: Repair | None, table: SpinTable, evidence: DocumentEvidence,
                      nearby: float, threshold: float) -> bool:
    """False where no reading of the model could restore the site (the table and the word cues weigh too much
    against it) and the first pass did not trust a repair there: the answer is "keep the form", unread."""
    if earlier is not None and earlier.confidence >= TRUSTED_FIRST_PASS:
        return True
    best = max((odds for _, odds in candidates(site, table, evidence, nearby).values()), default=None)
    return best is not None and _probability(MODEL_CAP, best, site, table) >= threshold


def _originals(spun: str, table: SpinTable) -> list[str]:
    return list(dict.fromkeys(rule.original for rule in table.rules[spun]))


def _variants(sites: list[Site], table: SpinTable) -> list[str]:
    variants = []
    for site in sites:
        variants.append(site.left + site.spun + site.right)
        variants += [site.left + original + site.right for original in _originals(site.spun, table)]
    return variants


def candidates(site: Site, table: SpinTable, evidence: DocumentEvidence, nearby: float) -> dict[str, tuple]:
    """original -> (rule, the table's site log-odds): per original, its best rule. The rules' context patterns
    (当年 only before a number) are not required here: the model reads the context they approximate."""
    best: dict[str, tuple] = {}
    for rule in table.rules[site.spun]:
        odds = site_logit(rule, site.left, site.right, table, evidence, nearby)
        if rule.original not in best or odds > best[rule.original][1]:
            best[rule.original] = (rule, odds)
    return best


def features(model_odds: float, table_odds: float, site: Site, table: SpinTable) -> tuple[float, ...]:
    """What the judge weighs at a site, in the order of WEIGHTS: the model's log-odds (capped), again for a
    one-character form, the table's site log-odds (capped) and the strongest word cue (capped)."""
    cue = word_reading(table.word_cues.get(site.spun, ()), site.left, site.right)
    model_odds = _cap(model_odds, MODEL_CAP)
    return model_odds, model_odds * (len(site.spun) == 1), _cap(table_odds, TABLE_CAP), _cap(cue, CUE_CAP)


WEIGHTS = (MODEL_WEIGHT, SINGLE_CHARACTER_WEIGHT, TABLE_WEIGHT, CUE_WEIGHT)


def logit(values: tuple[float, ...], weights: tuple[float, ...] = WEIGHTS, intercept: float = INTERCEPT) -> float:
    return sum(w * x for w, x in zip(weights, values)) + intercept


def _probability(model_odds: float, table_odds: float, site: Site, table: SpinTable) -> float:
    return 1.0 / (1.0 + math.exp(-logit(features(model_odds, table_odds, site, table))))


def _cap(value: float, cap: float) -> float:
    return max(-cap, min(cap, value))


def _context_sites(text: str, first: dict[int, Repair], table: SpinTable) -> list[Site]:
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
        sites.append(Site(start, spun, left.lstrip("\n"), right.rstrip("\n")))
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
