"""Detect synonym-spun Chinese and restore the original words, recording every repair.

The spinner replaced words by longest-match lookup in a synonym list, so we scan with the
same longest-match rule over our spun -> original table. Forms that are no Chinese word are
always restored. Forms that are also real words are restored when (a) the document is spun
and (b) jieba's word model prefers the restored reading in its context, plus a per-rule bias
from the table that encodes what we know about the spinner.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..document import Document, Repair

ALWAYS, CONTEXT, KEEP = "always", "context", "keep"
SPUN_PER_1000_HAN = 1.0  # document spin score at or above which a document counts as spun
DEFAULT_THRESHOLD = 0.5
LOW_CONFIDENCE = 0.75  # repairs below this are commented in the DOCX
CONTEXT_CEILING = 0.95
_HAN = re.compile(r"[\u4e00-\u9fff]")
_WINDOW = 4


@dataclass(frozen=True)
class SpinRule:
    spun: str
    original: str
    rule: str
    bias: float = 0.0
    right: re.Pattern | None = None
    left: re.Pattern | None = None


@dataclass
class SpinTable:
    rules: dict[str, list[SpinRule]]
    pattern: re.Pattern
    digest: str


@dataclass
class SpinReport:
    score: float
    spun: bool
    applied: bool
    repairs: int


@lru_cache(maxsize=1)
def default_table() -> SpinTable:
    data = resources.files("translate.repair").joinpath("spin_table.tsv").read_bytes()
    return parse_table(data.decode("utf-8"))


def parse_table(text: str) -> SpinTable:
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    rules: dict[str, list[SpinRule]] = {}
    for row in rows:
        right, left = row.get("right") or "", row.get("left") or ""
        rule = SpinRule(
            spun=row["spun"],
            original=row["original"],
            rule=row["rule"],
            bias=float(row.get("bias") or 0),
            right=re.compile(right) if right else None,
            left=re.compile(left) if left else None,
        )
        rules.setdefault(rule.spun, []).append(rule)
    # Longest alternatives first: at one position the regex then takes the longest form.
    alternation = "|".join(re.escape(s) for s in sorted(rules, key=len, reverse=True))
    return SpinTable(rules, re.compile(alternation), hashlib.sha256(text.encode("utf-8")).hexdigest()[:12])


def spin_score(text: str, table: SpinTable | None = None) -> float:
    """Non-word spun forms per 1,000 Han characters: 0 for clean Chinese."""
    table = table or default_table()
    han = len(_HAN.findall(text))
    if not han:
        return 0.0
    hits = sum(1 for m in table.pattern.finditer(text) if table.rules[m.group()][0].rule == ALWAYS)
    return 1000.0 * hits / han


def restore_text(text: str, table: SpinTable | None = None, *, spun_document: bool = True,
                 threshold: float = DEFAULT_THRESHOLD) -> tuple[str, list[Repair]]:
    """Restore `text`. Offsets in the repairs index `text` (the spun input)."""
    table = table or default_table()
    out: list[str] = []
    repairs: list[Repair] = []
    position = 0
    for match in table.pattern.finditer(text):
        start, end = match.span()
        out.append(text[position:start])
        position = end
        spun = match.group()
        before = "".join(out[-4:])[-12:]
        choice = _choose(spun, table.rules[spun], before, text[end:], spun_document)
        if choice is None or choice[1] < threshold:
            out.append(spun)
            continue
        rule, confidence = choice
        out.append(rule.original)
        repairs.append(Repair(offset=start, spun=spun, restored=rule.original, confidence=round(confidence, 3), rule=rule.rule))
    out.append(text[position:])
    return "".join(out), repairs


def _choose(spun: str, rules: list[SpinRule], before: str, right_text: str, spun_document: bool):
    if rules[0].rule == KEEP:
        return None
    if rules[0].rule == ALWAYS:
        return rules[0], 0.99
    if not spun_document:
        return None
    right = right_text[:_WINDOW]
    left = before[-_WINDOW:]
    best = None
    for rule in rules:
        if rule.right is not None and not rule.right.search(right_text[:12]):
            continue
        if rule.left is not None and not rule.left.search(before):
            continue
        logit = _context_delta(left, spun, rule.original, right) + rule.bias
        if best is None or logit > best[1]:
            best = (rule, logit)
    if best is None:
        return None
    # A real word read as spun is never certain: context repairs stay below always-repairs.
    return best[0], min(CONTEXT_CEILING, 1.0 / (1.0 + math.exp(-best[1])))


def _context_delta(left: str, spun: str, original: str, right: str) -> float:
    """log P(restored window) - log P(spun window) under jieba's unigram word model."""
    return _log_prob(left + original + right) - _log_prob(left + spun + right)


@lru_cache(maxsize=65536)
def _log_prob(text: str) -> float:
    tokenizer = _jieba()
    dag = tokenizer.get_DAG(text)
    route: dict = {}
    tokenizer.calc(text, dag, route)
    return route[0][0]


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba.dt


def repair_document(document: Document, *, mode: str = "auto", threshold: float = DEFAULT_THRESHOLD,
                    table: SpinTable | None = None, memo=None) -> SpinReport:
    """Fill each block's `repaired` text and `repairs`. mode: auto (only if spun), on, off.

    `memo` (get(key) -> str | None, put(key, str)) keeps repairs between runs, so that a re-run
    of an unchanged article does not load jieba's dictionary (over a second).
    """
    table = table or default_table()
    full = "\n".join(b.source for b in document.blocks if b.kind.translatable)
    score = spin_score(full, table)
    spun = score >= SPUN_PER_1000_HAN
    apply = mode == "on" or (mode == "auto" and spun)
    total = 0
    for block in document.blocks:
        if not apply or not block.kind.translatable:
            block.repaired, block.repairs = None, []
            continue
        repaired, repairs = _restore_with_memo(block.source, table, spun or mode == "on", threshold, memo)
        for repair in repairs:
            repair.block_id = block.id
        block.repaired = repaired if repairs else None
        block.repairs = repairs
        total += len(repairs)
    document.meta["spin"] = {"score": round(score, 2), "spun": spun, "applied": apply, "repairs": total,
                             "table": table.digest}
    return SpinReport(score=score, spun=spun, applied=apply, repairs=total)


def _restore_with_memo(text: str, table: SpinTable, spun: bool, threshold: float, memo):
    import json
    from dataclasses import asdict

    key = f"repair\x00{table.digest}\x00{spun}\x00{threshold}\x00{text}"
    remembered = memo.get(key) if memo is not None else None
    if remembered is not None:
        data = json.loads(remembered)
        return data["text"], [Repair(**r) for r in data["repairs"]]
    repaired, repairs = restore_text(text, table, spun_document=spun, threshold=threshold)
    if memo is not None:
        memo.put(key, json.dumps({"text": repaired, "repairs": [asdict(r) for r in repairs]}, ensure_ascii=False))
    return repaired, repairs


def clean_lines(text: str, *, threshold: float = DEFAULT_THRESHOLD, table: SpinTable | None = None,
                force: bool = False) -> tuple[str, list[tuple[int, Repair]]]:
    """Repair a whole text keeping its exact line structure. Returns (text, [(line_no, repair)])."""
    table = table or default_table()
    spun = force or spin_score(text, table) >= SPUN_PER_1000_HAN
    lines = text.split("\n")
    out, found = [], []
    for number, line in enumerate(lines, start=1):
        repaired, repairs = restore_text(line, table, spun_document=spun, threshold=threshold)
        out.append(repaired)
        found.extend((number, r) for r in repairs)
    return "\n".join(out), found
