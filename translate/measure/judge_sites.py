"""The repair judge site by site (`python -m translate.measure.judge_sites`): where can it still gain?

For every context site of the bench's spun documents (and of its clean sets, repaired as if spun), one row per
original the site may stand for: the judge's features (repair/judge.py `features`), the first pass's repair and
what the reference spinner really did there. From the rows, without asking the model again:
- `replay`: the decisions under other settings (the floor under which a trusted first-pass repair is undone,
  the threshold), counted per family of sets as sites restored right, genuine words (or wrong originals)
  changed and spun forms left;
- `leave_one_out`: the judge's weights fitted again by logistic regression with one family of sets left out at a
  time and scored on it, optionally with one more feature, the other sites of the same form in the same
  document (a spinner replaces a word everywhere, so they should agree).
Sites the table alone decides (the always-forms) and forms the table does not know are not in the rows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..repair.judge import INTERCEPT, THRESHOLD, TRUSTED_FLOOR, WEIGHTS, choose, features, judge_sites, logit
from ..repair.restore import default_table, gate_evidence, nearby_counter, restore_text
from .spinner import spin

POOL_CAP = 6.0


@dataclass
class SiteRow:
    family: str  # the sets written together (a set spun by A and by C is one family)
    document: str
    start: int
    spun: str
    original: str
    features: tuple[float, ...]
    first: float | None  # the first pass's confidence where it restored this original
    truth: str | None  # what the spinner replaced here (None: a genuine word)
    pooled: float = field(default=0.0)  # filled by `pool`


def family(group: str) -> str:
    base = group.removesuffix("_spinner_b").removesuffix("_spinner_c")
    return "tuning" if base in ("spun_tuning", "spun_held_out", "spun_fresh") else base.removeprefix("spun_")


def document_rows(text: str, truth: dict[int, str], scorer, family_name: str, document: str,
                  spun_document: bool | None = None) -> list[SiteRow]:
    """The rows of one document, repaired as the tool does (`spun_document` None: the gate decides)."""
    table = default_table()
    evidence = gate_evidence(text, table)
    spun = evidence.spun if spun_document is None else spun_document
    if not spun:
        return []
    _, first = restore_text(text, table, spun_document=True, evidence=evidence)
    rows = []
    for judgement in judge_sites(text, first, table, evidence, scorer, nearby_counter(text, table, evidence)):
        site, earlier = judgement.site, judgement.earlier
        for original, reading in judgement.readings.items():
            if reading.model_odds is None:
                continue  # not read: no model reading could restore it, so the judge keeps it whatever the weights
            rows.append(SiteRow(family_name, document, site.start, site.spun, original,
                                features(reading.model_odds, reading.table_odds, site, table),
                                earlier.confidence if earlier is not None and earlier.restored == original else None,
                                truth.get(site.start)))
    return rows


def bench_rows(scorer, progress: Callable[[str], None] | None = None) -> list[SiteRow]:
    """Rows for every spun set of `translate bench --repair` and every clean set forced."""
    from .repair import CLEAN_SETS, SPUN_SETS, _read

    rows: list[SiteRow] = []
    for group, (names, spinner) in SPUN_SETS.items():
        for name in names:
            text, sites = spin(_read(name), spinner)
            rows += document_rows(text, {s.offset: s.original for s in sites}, scorer, family(group), f"{group}:{name}")
        if progress:
            progress(group)
    for group, names in CLEAN_SETS.items():
        rows += document_rows("\n".join(_read(n) for n in names), {}, scorer, "clean", group, spun_document=True)
    return rows


def pool(rows: list[SiteRow], weights: Iterable[float] = WEIGHTS, intercept: float = INTERCEPT) -> None:
    """Set each row's `pooled`: the mean logit of the other sites of its form and original in its document."""
    weights = tuple(weights)
    by_form: dict[tuple, list[SiteRow]] = defaultdict(list)
    for row in rows:
        by_form[(row.document, row.spun, row.original)].append(row)
    for group in by_form.values():
        logits = [max(-POOL_CAP, min(POOL_CAP, _logit(row, weights, intercept))) for row in group]
        total = sum(logits)
        for row, own in zip(group, logits):
            row.pooled = (total - own) / (len(group) - 1) if len(group) > 1 else 0.0


def _logit(row: SiteRow, weights: tuple[float, ...], intercept: float, pooled: bool = False) -> float:
    return logit(row.features + ((row.pooled,) if pooled else ()), weights, intercept)


def replay(rows: list[SiteRow], weights: Iterable[float] = WEIGHTS, intercept: float = INTERCEPT,
           threshold: float = THRESHOLD, floor: float = TRUSTED_FLOOR, pooled: bool = False) -> dict[str, list[int]]:
    """family -> [restored right, genuine words or wrong originals changed, spun forms left]: the judge's
    decisions (repair/judge.py `_decide`) under these settings."""
    weights = tuple(weights)
    by_site: dict[tuple, list[SiteRow]] = defaultdict(list)
    for row in rows:
        by_site[(row.family, row.document, row.start)].append(row)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (family_name, _, _), readings in by_site.items():
        probability = {row.original: 1.0 / (1.0 + math.exp(-_logit(row, weights, intercept, pooled)))
                       for row in readings}
        earlier = next(((row.original, row.first) for row in readings if row.first is not None), None)
        choice = choose(probability, earlier, threshold, floor)
        restored = choice[0] if choice else None
        truth, count = readings[0].truth, counts[family_name]
        if restored is None:
            count[2] += truth is not None
        elif restored == truth:
            count[0] += 1
        else:
            count[1] += 1
    return dict(counts)


def fit(rows: list[SiteRow], pooled: bool = False, l2: float = 0.01) -> tuple[tuple[float, ...], float]:
    """Logistic regression (Newton's method, a little L2) of "this original is right" on the rows' features."""
    import numpy as np

    x = np.array([row.features + ((row.pooled,) if pooled else ()) + (1.0,) for row in rows])
    y = np.array([1.0 if row.truth == row.original else 0.0 for row in rows])
    w = np.zeros(x.shape[1])
    penalty = l2 * np.eye(len(w))
    penalty[-1, -1] = 0.0  # the intercept is not shrunk
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        step = np.linalg.solve((x.T * (p * (1 - p))) @ x / len(y) + penalty, x.T @ (p - y) / len(y) + penalty @ w)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return tuple(float(v) for v in w[:-1]), float(w[-1])


def leave_one_out(rows: list[SiteRow], pooled: bool = False) -> dict[str, list[int]]:
    """Each family's counts with weights fitted on all the others (the clean sets always stay in training)."""
    result = {}
    for held in sorted({row.family for row in rows} - {"clean"}):
        weights, intercept = fit([row for row in rows if row.family != held], pooled)
        result[held] = replay([row for row in rows if row.family == held], weights, intercept, pooled=pooled).get(
            held, [0, 0, 0])
    return result


def _total(counts: dict[str, list[int]]) -> list[int]:
    return [sum(values[i] for values in counts.values()) for i in range(3)]


def main() -> None:  # pragma: no cover - minutes with the packaged model; the functions are tested
    import sys

    from ..repair.language_model import load_scorer

    rows = bench_rows(load_scorer("auto"), progress=lambda group: print(group, file=sys.stderr, flush=True))
    print(f"{len(rows)} readings; counts are [restored right, genuine words or wrong originals changed, left]")
    current = replay(rows)
    print("as shipped:", _total(current), {k: v for k, v in sorted(current.items())})
    for floor in (0.6, 0.7, 0.8, 1.01):
        print(f"trusted first-pass floor {floor}:", _total(replay(rows, floor=floor)))
    print("leave one family out, refitted:", _total(leave_one_out(rows)))
    pool(rows)
    print("leave one family out, refitted with the pooled feature:", _total(leave_one_out(rows, pooled=True)))


if __name__ == "__main__":  # pragma: no cover
    main()
