"""Detect synonym-spun Chinese and restore the original words, recording every repair.

The spinner replaced words by longest-match lookup in a synonym list, so we scan with the
same longest-match rule over our spun -> original table. Forms that are no Chinese word are
always restored. Forms that are also real words are restored when the document is spun and
the evidence at the site (repair/evidence.py: base rates, neighbours, the document itself)
says the restored reading is more likely. Keep-phrases (人民群众) are checked against the
restored text around a site, so 东谈主民群众 keeps its 群众.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from ..document import Document, Repair
from .evidence import (
    CONTEXT_GATE_CONFIDENCE,
    LOCAL_WINDOW,
    DocumentEvidence,
    document_evidence,
    sigmoid,
    site_logit,
    stands_alone,
    word_reading,
)
from .judge import rejudge, sentences
from .language_model import SentenceScorer, scorer_key
from .segmentation import across_words, bound_in_words, phrase_holds
from .table import ALWAYS, CONTEXT, KEEP, SpinRule, SpinTable, default_table, parse_table

__all__ = ["ALWAYS", "CONTEXT", "KEEP", "DEFAULT_THRESHOLD", "LOW_CONFIDENCE", "SpinReport", "SpinTable",
           "clean_lines", "default_table", "gate_evidence", "parse_table", "repair_document", "restore_text",
           "spin_score"]

SPUN_PER_1000_HAN = 1.0  # density reported by spin_score; the gate itself is evidence.SPUN_EVIDENCE
DEFAULT_THRESHOLD = 0.5
LOW_CONFIDENCE = 0.75  # repairs below this are commented in the DOCX
CONTEXT_CEILING = 0.95  # a real word read as spun is never certain
JUDGE_SENTENCE_LIMIT = 20_000  # about half an hour of the 270M model on two CPU cores (a long book, not an article)
_HAN = re.compile(r"[\u4e00-\u9fff]")
WORD_VETO = -5.0  # a word row this strong keeps the form whatever the document says; weaker rows weigh in
DOUBLED = 2.0  # log-odds for the first of a doubled form (its word cues would read the pair as a phrase)
_VIEW = 32  # characters on each side of a site that rules and guards see (天然…，但, 与…相比)


@dataclass
class SpinReport:
    score: float
    spun: bool
    applied: bool
    repairs: int


def spin_score(text: str, table: SpinTable | None = None) -> float:
    """Non-word spun forms per 1,000 Han characters: 0 for clean Chinese."""
    table = table or default_table()
    han = len(_HAN.findall(text))
    if not han:
        return 0.0
    hits = sum(1 for m in table.pattern.finditer(text)
               if table.kind(m.group()) == ALWAYS and not table.rules[m.group()][0].real and stands_alone(table, text, m))
    return 1000.0 * hits / han


def gate_evidence(text: str, table: SpinTable | None = None) -> DocumentEvidence:
    """What the whole document shows, with both routes of the spun-document gate.

    Non-word forms (东谈主, 作念) decide most documents. A spinner whose forms are nearly all real words
    leaves few of them, so a document they do not mark is also read once as if spun: many confident
    context repairs (当年 for 过去, 群众 for 全球, each weighed at its site) mark it spun too."""
    table = table or default_table()
    evidence = document_evidence(text, table)
    if not evidence.spun and evidence.han:
        # Only non-word forms count as a spun passage here: one rare real word (关联词) beside dense everyday
        # words must not lift them all.
        _, repairs = restore_text(text, table, spun_document=True, evidence=evidence, real_anchors=False)
        evidence.context_sites = sum(1 for r in repairs if r.rule != ALWAYS and r.confidence >= CONTEXT_GATE_CONFIDENCE)
    return evidence


def restore_text(text: str, table: SpinTable | None = None, *, spun_document: bool = True,
                 threshold: float = DEFAULT_THRESHOLD, evidence: DocumentEvidence | None = None,
                 real_anchors: bool = True, scorer: SentenceScorer | None = None) -> tuple[str, list[Repair]]:
    """Restore `text`. Offsets in the repairs index `text` (the spun input).

    `evidence` is what the whole document shows (default: `text` itself is the document). `real_anchors=False`
    leaves rare but real always-forms (关联词) out of the passage evidence. With a `scorer` (a language model),
    a spun document's context sites are decided again by repair/judge.py.
    """
    table = table or default_table()
    evidence = evidence or document_evidence(text, table)
    nearby = nearby_counter(text, table, evidence, real_anchors)
    out: list[str] = []
    repairs: list[Repair] = []
    position = 0
    for match in table.pattern.finditer(text):
        start, end = match.span()
        out.append(text[position:start])
        position = end
        spun = match.group()
        before = "".join(out[-12:])[-_VIEW:]
        choice = _choose(spun, table, before, _restored_view(text[end:end + _VIEW], table), spun_document, evidence,
                         nearby(start))
        if choice is None or choice[1] < threshold:
            out.append(spun)
            continue
        rule, confidence = choice
        out.append(rule.original)
        repairs.append(Repair(offset=start, spun=spun, restored=rule.original, confidence=round(confidence, 3),
                              rule=rule.rule))
    out.append(text[position:])
    if scorer is not None and spun_document:
        return rejudge(text, repairs, table, evidence, scorer, nearby)
    return "".join(out), repairs


def nearby_counter(text: str, table: SpinTable, evidence: DocumentEvidence, real_anchors: bool = True
                    ) -> Callable[[int], float]:
    """offset -> how many spun always-forms lie near it (the passage evidence of a site)."""
    anchors = [m.start() for m in table.pattern.finditer(text) if table.kind(m.group()) == ALWAYS
               and (real_anchors or not table.rules[m.group()][0].real)]
    density = evidence.anchor_density if real_anchors else len(anchors) / max(1, len(text))
    return lambda start: _nearby(anchors, start, len(text), density)


def _nearby(anchors: list[int], start: int, length: int, density: float) -> float:
    """Spun always-forms within LOCAL_WINDOW of a site; beyond the ends of this text (one paragraph),
    the document's average density stands in for the neighbouring paragraphs."""
    low, high = start - LOCAL_WINDOW, start + LOCAL_WINDOW
    inside = bisect_right(anchors, high) - bisect_left(anchors, low)
    outside = max(0, -low) + max(0, high - length)
    return inside + density * outside


def _restored_view(after: str, table: SpinTable) -> str:
    """The text after a site with its non-word forms restored, as rules and keep-phrases expect."""
    if table.always_pattern is None:
        return after
    return table.always_pattern.sub(lambda m: table.rules[m.group()][0].original, after)


def _choose(spun: str, table: SpinTable, before: str, after: str, spun_document: bool,
            evidence: DocumentEvidence, nearby: int) -> tuple[SpinRule, float] | None:
    rules = table.rules[spun]
    if rules[0].rule == KEEP:
        return None
    if rules[0].rule == ALWAYS:
        if any(before.endswith(prefix) and after.startswith(suffix) for prefix, suffix in table.guards.get(spun, ())):
            return None  # the form inside its keep-phrase (奉为圭臬)
        if spun_document:
            return rules[0], 0.99
        # In a document not judged spun, a form where two words meet (调查组多方, 常说念书) is those words.
        stray = rules[0].real or len(spun) > 1 and across_words(spun, rules[0].original, before, after)
        return None if stray else (rules[0], 0.99)
    if not spun_document:
        return None
    # A spinner turns 工作职责 into 职责职责: a doubled form holds one substitution, read as the first
    # (its keep-phrases and word cues, 明确职责, would read the pair as a phrase).
    doubled = after.startswith(spun)
    if before.endswith(spun):
        return None
    if not doubled and any(before.endswith(prefix) and after.startswith(suffix) and phrase_holds(spun, before, after, prefix, suffix)
           for prefix, suffix in table.guards.get(spun, ())):
        return None
    reading = DOUBLED if doubled else word_reading(table.word_cues.get(spun, ()), before, after)
    if reading <= WORD_VETO:
        return None  # the form in its own collocation (镇上的市集, 事发住户): the word it is, however spun the rest
    best = None
    for rule in rules:
        if rule.right is not None and not rule.right.search(after):
            continue
        if rule.left is not None and not rule.left.search(before):
            continue
        if len(spun) > 1 and bound_in_words(spun, rule.original, before, after):
            continue
        logit = site_logit(rule, before, after, table, evidence, nearby) + reading
        if best is None or logit > best[1]:
            best = (rule, logit)
    if best is None:
        return None
    return best[0], min(CONTEXT_CEILING, sigmoid(best[1]))


def repair_document(document: Document, *, mode: str = "auto", threshold: float = DEFAULT_THRESHOLD,
                    table: SpinTable | None = None, memo=None, scorer: SentenceScorer | None = None,
                    progress: bool = False) -> SpinReport:
    """Fill each block's `repaired` text and `repairs`. mode: auto (only if spun), on, off.

    `memo` (get(key) -> str | None, put(key, str)) keeps repairs between runs, so that a re-run
    of an unchanged article does not redo them.
    """
    table = table or default_table()
    full = "\n".join(b.source for b in document.blocks if b.kind.translatable)
    evidence = gate_evidence(full, table)
    score = spin_score(full, table)
    spun = evidence.spun
    apply = mode == "on" or (mode == "auto" and spun)
    total = 0
    if apply and scorer is not None:
        texts = [b.source for b in document.blocks if b.kind.translatable]
        warning = score_in_one_batch(_not_remembered(texts, table, spun or mode == "on", threshold, evidence, memo,
                                                     scorer), table, threshold, evidence, scorer, progress)
        if warning:
            document.warnings.append(warning)
            scorer = None
    for block in document.blocks:
        if not apply or not block.kind.translatable:
            block.repaired, block.repairs = None, []
            continue
        repaired, repairs = _restore_with_memo(block.source, table, spun or mode == "on", threshold, evidence, memo,
                                               scorer)
        for repair in repairs:
            repair.block_id = block.id
        block.repaired = repaired if repairs else None
        block.repairs = repairs
        total += len(repairs)
    document.spin = {"score": round(score, 2), "evidence": round(evidence.evidence, 2), "spun": spun,
                     "applied": apply, "repairs": total, "table": table.digest,
                     "model": scorer_key(scorer) if apply else None}
    return SpinReport(score=score, spun=spun, applied=apply, repairs=total)


def score_in_one_batch(texts: list[str], table: SpinTable, threshold: float, evidence: DocumentEvidence,
                       scorer: SentenceScorer, progress: bool = False) -> str | None:
    """Score every sentence the judge will need for `texts` at once (the scorer keeps what it scored): the model
    batches far better over a document than paragraph by paragraph. `progress`: a bar on stderr.

    Returns a warning instead, scoring nothing, when the document needs more than JUDGE_SENTENCE_LIMIT sentences:
    the table alone then decides (on CPU the model reads some ten sentences a second)."""
    wanted = []
    for text in texts:
        _, repairs = restore_text(text, table, spun_document=True, threshold=threshold, evidence=evidence)
        wanted += sentences(text, repairs, table, evidence, nearby_counter(text, table, evidence))
    if len(set(wanted)) > JUDGE_SENTENCE_LIMIT:
        warning = (f"repair: {len(set(wanted))} sentences for the language model (more than "
                   f"{JUDGE_SENTENCE_LIMIT}); the table alone decided this document's ambiguous forms")
        if progress:
            import sys

            print(warning, file=sys.stderr)
        return warning
    if not progress or not wanted:
        scorer.log_likelihoods(wanted)
        return None
    import sys

    from tqdm import tqdm

    if not getattr(scorer, "loaded", True):
        print("repair: loading the language model (its first use converts it, about 35 s; --repair-model off "
              "skips it)", file=sys.stderr)
        scorer.load()
    with tqdm(total=len(set(wanted)), unit="sentence", desc="repair: reading", file=sys.stderr, leave=False,
              mininterval=0.2) as bar:
        scorer.log_likelihoods(wanted, progress=bar.update)
    return None


def _memo_key(text: str, table: SpinTable, spun: bool, threshold: float, evidence: DocumentEvidence,
              scorer: SentenceScorer | None) -> str:
    return f"repair\x00{table.digest}\x00{spun}\x00{threshold}\x00{evidence.key()}\x00{scorer_key(scorer)}\x00{text}"


def _not_remembered(texts: list[str], table: SpinTable, spun: bool, threshold: float, evidence: DocumentEvidence,
                    memo, scorer: SentenceScorer | None) -> list[str]:
    if memo is None:
        return texts
    return [t for t in texts if memo.get(_memo_key(t, table, spun, threshold, evidence, scorer)) is None]


def _restore_with_memo(text: str, table: SpinTable, spun: bool, threshold: float, evidence: DocumentEvidence, memo,
                       scorer: SentenceScorer | None):
    import json
    from dataclasses import asdict

    key = _memo_key(text, table, spun, threshold, evidence, scorer)
    remembered = memo.get(key) if memo is not None else None
    if remembered is not None:
        data = json.loads(remembered)
        return data["text"], [Repair(**r) for r in data["repairs"]]
    repaired, repairs = restore_text(text, table, spun_document=spun, threshold=threshold, evidence=evidence,
                                     scorer=scorer)
    if memo is not None:
        memo.put(key, json.dumps({"text": repaired, "repairs": [asdict(r) for r in repairs]}, ensure_ascii=False))
    return repaired, repairs


def clean_lines(text: str, *, threshold: float = DEFAULT_THRESHOLD, table: SpinTable | None = None,
                force: bool = False, scorer: SentenceScorer | None = None,
                progress: bool = False) -> tuple[str, list[tuple[int, Repair]]]:
    """Repair a whole text keeping its exact line structure. Returns (text, [(line_no, repair)])."""
    table = table or default_table()
    evidence = gate_evidence(text, table)
    spun = force or evidence.spun
    lines = text.split("\n")
    if scorer is not None and spun and score_in_one_batch(lines, table, threshold, evidence, scorer, progress):
        scorer = None  # too long for the model: the table decides, as `translate run` warns
    out, found = [], []
    for number, line in enumerate(lines, start=1):
        repaired, repairs = restore_text(line, table, spun_document=spun, threshold=threshold, evidence=evidence,
                                         scorer=scorer)
        out.append(repaired)
        found.extend((number, r) for r in repairs)
    return "\n".join(out), found
