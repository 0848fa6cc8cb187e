"""Test pairs for the aligner: a real translation with paragraphs merged, split, dropped and added."""

from __future__ import annotations

import random
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
ADDED = "The editors added this note for readers who want more background on the companies mentioned."


def parallel_paragraphs() -> list[tuple[str, str]]:
    """The example article and its English translation, paragraph by paragraph (41 pairs)."""
    def lines(name: str) -> list[str]:
        return [line.strip() for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]

    zh, en = lines("why-bat-did-not-build-deepseek.zh.txt"), lines("why-bat-did-not-build-deepseek.en.txt")
    assert len(zh) == len(en)
    return list(zip(zh, en))


def make_test_pair(paragraphs: int = 100, merges: int = 3, splits: int = 2, drops: int = 1, adds: int = 1,
                   seed: int = 7) -> tuple[list[str], list[str], list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """(source paragraphs, edited target paragraphs, gold links as (source indices, target indices))."""
    from .align import english_sentences

    base = parallel_paragraphs()
    pairs = [base[i % len(base)] for i in range(paragraphs)]
    plan = _plan_edits(pairs, ["merge"] * merges + ["split"] * splits + ["drop"] * drops + ["add"] * adds, seed)
    source = [zh for zh, _ in pairs]
    target: list[str] = []
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    i = 0
    while i < paragraphs:
        action = plan.get(i)
        if action == "merge":
            target.append(pairs[i][1] + " " + pairs[i + 1][1])
            gold.append(((i, i + 1), (len(target) - 1,)))
            i += 2
            continue
        if action == "split":
            sentences = english_sentences(pairs[i][1])
            half = len(sentences) // 2
            target += [" ".join(sentences[:half]), " ".join(sentences[half:])]
            gold.append(((i,), (len(target) - 2, len(target) - 1)))
        elif action == "drop":
            gold.append(((i,), ()))
        elif action == "add":
            target.append(pairs[i][1])
            gold.append(((i,), (len(target) - 1,)))
            target.append(ADDED)
            gold.append(((), (len(target) - 1,)))
        else:
            target.append(pairs[i][1])
            gold.append(((i,), (len(target) - 1,)))
        i += 1
    return source, target, gold


def _plan_edits(pairs, actions: list[str], seed: int) -> dict[int, str]:
    """Edit sites that do not touch each other (a split needs a paragraph of two sentences or more)."""
    from .align import english_sentences

    rng = random.Random(seed)
    candidates = list(range(2, len(pairs) - 3))
    rng.shuffle(candidates)
    taken: set[int] = set()
    plan: dict[int, str] = {}
    for action in actions:
        for i in candidates:
            if {i - 1, i, i + 1, i + 2} & taken:
                continue
            if action == "split" and len(english_sentences(pairs[i][1])) < 2:
                continue
            plan[i] = action
            taken.update((i, i + 1))
            break
    return plan


def link_accuracy(links, gold) -> float:
    """Share of gold links the aligner produced exactly."""
    found = {(tuple(link.source), tuple(link.target)) for link in links}
    return sum(1 for g in gold if g in found) / len(gold)
