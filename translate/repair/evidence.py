"""Evidence for repair decisions: is the document spun, and is this ambiguous site spun?

A site's log-odds of being spun (restore S -> O) add up independent pieces of evidence:
- the table row's bias (what we know about the spinner and the form) and its cue regexes;
- how much more often O than S occurs in modern clean text (wordfreq rates);
- its neighbours: a character next to the site that forms a word with O (全|世界, 大|自然) but
  not with S, or the reverse (人民|群众, 天然|气), from the bigram table in context_stats.tsv;
- the document: a spinner replaces every occurrence of a listed word, so an O that occurs
  anywhere in the document is strong evidence that its S are genuine, and an O that a text of
  this length would be expected to contain but does not is evidence that they are spun;
- the words around it: the clause segmented with each reading (repair/segmentation.py), so a form
  that lies across a word boundary (昨天下午) or inside an idiom (一朝一夕) stays;
- the passage: a spinner rewrites whole paragraphs, so non-word spun forms (东谈主, 作念) near
  the site make it likelier spun, and a passage with none (a clean quote) makes it less likely.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .segmentation import across_words, reading_gain
from .table import ALWAYS, CONTEXT, FormStats, SpinRule, SpinTable

_HAN = re.compile(r"[\u4e00-\u9fff]")
RATE_FLOOR = 1e-7
PRIOR_WEIGHT = 0.5  # per natural-log unit of the O / S rate ratio
PRIOR_CAP = 2.0
NEIGHBOUR_CAP = 2.0
ATTACH_EPSILON = 0.01
ORIGINAL_PRESENT = -2.5  # O occurs in the document: the spinner did not replace it (or not always)
ABSENCE_CAP = 4.0  # a long text without one 我们 but with many 咱们 is strong evidence
TOKENS_PER_HAN = 0.65  # Chinese words per Han character, to turn rates into expected counts
NON_WORD_WEIGHT, REAL_WORD_WEIGHT = 1.0, 0.25
SPUN_EVIDENCE = 2.0  # gate: weighted always-form evidence at or above which a document is spun
# Second route of the gate, for spinners whose forms are nearly all real words (当年, 群众, 技能): confident
# context repairs that a forced pass would make, per 1,000 Han characters, and at least this many sites.
# Clean sets dense in those words score 0-3.1; spun sets 17-61 (translate bench --repair).
CONTEXT_GATE_DENSITY, CONTEXT_GATE_SITES, CONTEXT_GATE_CONFIDENCE = 10.0, 4, 0.8
SHORT_GATE_SITES = 2
LOCAL_WINDOW = 120  # characters each side in which non-word spun forms count as nearby
NEARBY_EVIDENCE = (-3.5, -0.5, 0.5, 1.0)  # by number of nearby non-word forms (0, 1, 2, 3+)
SEGMENT_WEIGHT, SEGMENT_CAP = 0.6, 4.0  # per natural-log unit of the two readings' segmentation odds


@dataclass
class DocumentEvidence:
    """What the whole document shows: its spin evidence, its length and which originals occur in it."""

    evidence: float = 0.0
    han: int = 0
    present: dict[str, int] = field(default_factory=dict)
    anchor_density: float = 0.0  # spun always-forms per character, over the whole document
    context_sites: int = 0  # confident context repairs a forced pass would make (the gate's second route)

    @property
    def spun(self) -> bool:
        return self.evidence >= SPUN_EVIDENCE or self.context_spun or self.short_spun

    @property
    def short_spun(self) -> bool:
        """A short brief (400 characters) holds too few spun forms for either route: one non-word form (东谈主,
        which clean Chinese never has) with at least two confident context repairs at half the second route's
        density marks it spun too. Clean text without a non-word form is never read this way."""
        return (self.evidence >= NON_WORD_WEIGHT and self.context_sites >= SHORT_GATE_SITES
                and 1000.0 * self.context_sites / max(1, self.han) >= CONTEXT_GATE_DENSITY / 2)

    @property
    def context_spun(self) -> bool:
        return (self.context_sites >= CONTEXT_GATE_SITES
                and 1000.0 * self.context_sites / max(1, self.han) >= CONTEXT_GATE_DENSITY)

    def key(self) -> str:
        """A short key for caches: decisions depend on this evidence."""
        import hashlib

        body = f"{self.evidence:.3f}|{self.han}|{self.anchor_density:.5f}|{self.context_sites}|" + ",".join(f"{k}={v}" for k, v in sorted(self.present.items()))
        return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


def stands_alone(table: SpinTable, text: str, match: re.Match) -> bool:
    """An always-form match that is not two words meeting across it (调查组多方: 调查组/多方): only such
    matches are restored and count as evidence that the document is spun."""
    spun = match.group()
    if len(spun) < 2:
        return True
    start, end = match.span()
    return not across_words(spun, table.rules[spun][0].original, text[max(0, start - 32):start], text[end:end + 32])


def document_evidence(text: str, table: SpinTable) -> DocumentEvidence:
    counts: dict[str, int] = {}
    for match in table.pattern.finditer(text):
        spun = match.group()
        if table.kind(spun) == ALWAYS and stands_alone(table, text, match):
            counts[spun] = counts.get(spun, 0) + 1
    evidence = sum(_gate_weight(table.rules[f][0]) * (1.0 + math.log(n)) for f, n in counts.items())
    originals = {r.original for rules in table.rules.values() for r in rules if r.rule == CONTEXT and len(r.original) > 1}
    present = {o: text.count(o) for o in originals if o in text}
    density = sum(counts.values()) / len(text) if text else 0.0
    return DocumentEvidence(evidence=evidence, han=len(_HAN.findall(text)), present=present, anchor_density=density)


def _gate_weight(rule: SpinRule) -> float:
    # A rare but real word (关联词, 岂论) says little; a non-word (东谈主, 作念) says much.
    return REAL_WORD_WEIGHT if rule.real else NON_WORD_WEIGHT


def site_logit(rule: SpinRule, before: str, after: str, table: SpinTable, document: DocumentEvidence,
               nearby: float = 0) -> float:
    """Log-odds that the spun form at this site stands for `rule.original`.

    `nearby`: how many spun always-forms lie within LOCAL_WINDOW characters of the site."""
    spun_stats, original_stats = table.stats.get(rule.spun), table.stats.get(rule.original)
    logit = rule.bias + NEARBY_EVIDENCE[min(round(nearby), len(NEARBY_EVIDENCE) - 1)]
    spun_rate = spun_stats.rate if spun_stats else 0.0
    original_rate = original_stats.rate if original_stats else 0.0
    ratio = math.log(max(original_rate, RATE_FLOOR) / max(spun_rate, RATE_FLOOR))
    logit += PRIOR_WEIGHT * max(-PRIOR_CAP / PRIOR_WEIGHT, min(PRIOR_CAP / PRIOR_WEIGHT, ratio))
    if spun_stats and original_stats:
        logit += _neighbour(original_stats, spun_stats, before[-1:], after[:1])
    logit += _document(rule, original_rate, document)
    gain = reading_gain(rule.spun, rule.original, before, after)
    logit += max(-SEGMENT_CAP, min(SEGMENT_CAP, SEGMENT_WEIGHT * gain))
    return logit


def _neighbour(original: FormStats, spun: FormStats, left: str, right: str) -> float:
    score = 0.0
    if left:
        score += _attach_ratio(original.left.get(left, 0.0), original.dict_count + original.left_total,
                               spun.left.get(left, 0.0), spun.dict_count + spun.left_total)
    if right:
        score += _attach_ratio(original.right.get(right, 0.0), original.dict_count + original.right_total,
                               spun.right.get(right, 0.0), spun.dict_count + spun.right_total)
    return score


def _attach_ratio(original_count: float, original_usage: float, spun_count: float, spun_usage: float) -> float:
    """How much more often the neighbour forms a word with O than with S (0 when with neither)."""
    original_share = original_count / original_usage if original_usage else 0.0
    spun_share = spun_count / spun_usage if spun_usage else 0.0
    ratio = math.log((original_share + ATTACH_EPSILON) / (spun_share + ATTACH_EPSILON))
    return max(-NEIGHBOUR_CAP, min(NEIGHBOUR_CAP, ratio))


def _document(rule: SpinRule, original_rate: float, document: DocumentEvidence) -> float:
    if len(rule.original) < 2 or not document.han:
        return 0.0
    if document.present.get(rule.original):
        return ORIGINAL_PRESENT
    # Poisson: a clean text of this length would contain O about `expected` times; none is evidence.
    expected = document.han * TOKENS_PER_HAN * original_rate
    return min(ABSENCE_CAP, expected)


def word_reading(cues, before: str, after: str) -> float:
    """The strongest cue that the form is used as the word it is (事发住户, 险些被): a negative bias."""
    return min((cue.bias for cue in cues if (cue.right is None or cue.right.search(after))
                and (cue.left is None or cue.left.search(before))), default=0.0)


def sigmoid(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-logit))
