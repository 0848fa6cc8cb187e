"""The aligner's path search over a banded grid of link costs (align/aligner.py says what a link costs): the
best path, the forward-backward sums its posteriors come from, the corridor a second search runs in, and
small helpers (running sums, the soft minimum of path costs, the normal distribution)."""

from __future__ import annotations

import math
from collections.abc import Callable

# cost(i, j, di, dj): the cost of the link that ends at source row i and target cell j and covers di sources
# and dj targets.
LinkCost = Callable[[int, int, int, int], float]
Rows = list[dict[int, tuple[float, int, int]]]


def search(cost: LinkCost, floors: dict[tuple[int, int], float], step_offset: float, n: int, m: int,
           band: list[tuple[int, int]]) -> Rows:
    """The best path's dynamic programme over the cells band[i] = (first j, last j) of each row i. `floors`:
    each move's least possible cost (offset included), so that a move that cannot win is not costed;
    `step_offset` is added per paragraph a link covers (no link then costs less than zero)."""
    # One dict per source row holding only the band: memory and time grow linearly.
    rows: Rows = [{} for _ in range(n + 1)]
    rows[0][0] = (0.0, 0, 0)
    moves = [(di, dj, floor) for (di, dj), floor in floors.items()]
    for i in range(n + 1):
        row = rows[i]
        low, high = band[i]
        for j in range(low, high + 1):
            if i == 0 and j == 0:
                continue
            best_total, best_move = math.inf, None
            for di, dj, floor in moves:
                if i < di or j < dj:
                    continue
                previous = rows[i - di].get(j - dj)
                if previous is None or previous[0] + floor >= best_total:
                    continue
                total = previous[0] + cost(i, j, di, dj) + step_offset * (di + dj)
                if total < best_total:
                    best_total, best_move = total, (di, dj)
            if best_move is not None:
                row[j] = (best_total, *best_move)
    if m not in rows[n]:
        raise ValueError("alignment band too narrow")
    return rows


def best_path(rows: Rows, n: int, m: int) -> list[tuple[int, int, int, int]]:
    """The best path's links as (end source, end target, sources, targets), in order."""
    steps = []
    i, j = n, m
    while i > 0 or j > 0:
        _, di, dj = rows[i][j]
        steps.append((i, j, di, dj))
        i, j = i - di, j - dj
    steps.reverse()
    return steps


def forward_backward(cost: LinkCost, moves: list[tuple[int, int]], path: list[tuple[int, int]], n: int, m: int,
                     width: int, temperature: float) -> tuple[list[dict[int, float]], list[dict[int, float]]]:
    """Softmin costs of every way from the start to each cell and from each cell to the end, over the cells
    within `width` of the path's cells: those far from it weigh nothing."""
    near: list[list[int]] = [[] for _ in range(n + 1)]
    for i, j in path:
        for k in range(max(0, i - 1), min(n, i + 1) + 1):
            near[k].extend(range(max(0, j - width), min(m, j + width) + 1))
    cells = [sorted(set(row)) for row in near]
    before: list[dict[int, float]] = [{} for _ in range(n + 1)]
    before[0][0] = 0.0
    for i in range(n + 1):
        for j in cells[i]:
            totals = [before[i - di][j - dj] + cost(i, j, di, dj) for di, dj in moves
                      if i >= di and j - dj in before[i - di]]
            if totals and (i, j) != (0, 0):
                before[i][j] = softmin(totals, temperature)
    after: list[dict[int, float]] = [{} for _ in range(n + 1)]
    after[n][m] = 0.0
    for i in range(n, -1, -1):
        for j in reversed(cells[i]):
            totals = [cost(i + di, j + dj, di, dj) + after[i + di][j + dj] for di, dj in moves
                      if i + di <= n and j + dj in after[i + di]]
            if totals and (i, j) != (n, m):
                after[i][j] = softmin(totals, temperature)
    return before, after


def prefix_sums(values: list[float]) -> list[float]:
    sums = [0.0]
    for value in values:
        sums.append(sums[-1] + value)
    return sums


def softmin(costs: list[float], temperature: float) -> float:
    """-T log sum exp(-cost / T): the cost of all the ways together."""
    low = min(costs)
    return low - temperature * math.log(sum(math.exp((low - c) / temperature) for c in costs))


def phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def corridor(steps, n: int, m: int, width: int) -> list[tuple[int, int]]:
    """For each source row, the target cells within `width` of the path's cells in that row."""
    low, high = [m] * (n + 1), [0] * (n + 1)
    low[0] = high[0] = 0
    for i, j, di, dj in steps:
        for row in range(i - di, i + 1):
            low[row], high[row] = min(low[row], j - dj), max(high[row], j)
    return [(max(0, lo - width), min(m, hi + width)) for lo, hi in zip(low, high)]
