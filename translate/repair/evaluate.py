"""Measure source repair: a reference spinner, then recall and precision of restoring its output.

The reference spinner applies the repair table backwards (original -> spun) by longest match, as
the real tools do. Recall therefore measures how well ambiguous forms are resolved, not how many
spinner vocabularies the table covers.
"""

from __future__ import annotations

import re
import time
from importlib import resources

from .restore import ALWAYS, KEEP, clean_lines, default_table, restore_text


def spin(text: str) -> tuple[str, list[tuple[int, str, str, str]]]:
    """Spin clean text. Returns (spun text, [(offset in spun text, spun, original, rule)])."""
    table = default_table()
    reverse: dict[str, tuple[str, str]] = {}
    for spun_form, rules in table.rules.items():
        for rule in rules:
            if rule.rule != KEEP and rule.original not in reverse:
                reverse[rule.original] = (spun_form, rule.rule)
    pattern = re.compile("|".join(re.escape(o) for o in sorted(reverse, key=len, reverse=True)))
    out, sites, position, length = [], [], 0, 0
    for match in pattern.finditer(text):
        out.append(text[position : match.start()])
        length += match.start() - position
        spun_form, rule = reverse[match.group()]
        sites.append((length, spun_form, match.group(), rule))
        out.append(spun_form)
        length += len(spun_form)
        position = match.end()
    out.append(text[position:])
    return "".join(out), sites


def evaluate(clean_text: str) -> dict:
    spun, sites = spin(clean_text)
    restored, repairs = restore_text(spun, spun_document=True)
    truth = {(offset, original) for offset, _, original, _ in sites}
    made = {(r.offset, r.restored) for r in repairs}
    by_rule = {}
    for rule in (ALWAYS, "context"):
        rule_truth = {(o, orig) for o, _, orig, kind in sites if kind == rule}
        rule_made = {(r.offset, r.restored) for r in repairs if r.rule == rule}
        by_rule[rule] = {"sites": len(rule_truth), "recall": _ratio(len(rule_truth & made), len(rule_truth)),
                         "precision": _ratio(len(rule_made & truth), len(rule_made))}
    _, clean_repairs = clean_lines(clean_text)
    _, forced_repairs = restore_text(clean_text, spun_document=True)
    return {
        "spun_sites": len(sites), "recall": _ratio(len(truth & made), len(truth)),
        "precision": _ratio(len(made & truth), len(made)), "exact_restoration": restored == clean_text,
        "by_rule": by_rule,
        "clean_changes_per_10k_chars": round(10000 * len(clean_repairs) / max(1, len(clean_text)), 2),
        "clean_changes_per_10k_if_forced": round(10000 * len(forced_repairs) / max(1, len(clean_text)), 2),
    }


def speed(megabytes: float = 1.0) -> dict:
    text = resources.files("translate").joinpath("data/why-bat-did-not-build-deepseek.zh.txt").read_text("utf-8")
    big = (text + "\n") * max(1, int(megabytes * 2**20 / len(text.encode("utf-8"))))
    start = time.perf_counter()
    clean_lines(big)
    return {"megabytes": round(len(big.encode("utf-8")) / 2**20, 2), "seconds": round(time.perf_counter() - start, 2)}


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def report() -> dict:
    """clean_zh.txt was used to tune the table's context rules; clean_zh_heldout.txt was not."""
    data = resources.files("translate").joinpath("data")
    return {"tuning_set": evaluate(data.joinpath("clean_zh.txt").read_text("utf-8")),
            "held_out": evaluate(data.joinpath("clean_zh_heldout.txt").read_text("utf-8")),
            "speed": speed()}
