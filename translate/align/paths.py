"""Helpers of the aligner's path search: running sums, the soft minimum of path costs, the normal
distribution, and the corridor a second search runs in."""

from __future__ import annotations

import math


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
