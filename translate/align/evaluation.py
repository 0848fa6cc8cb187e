"""Test pairs for the aligner: a real translation with paragraphs merged, split, dropped and added."""

from __future__ import annotations

import random
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
ADDED = "The editors added this note for readers who want more background on the companies mentioned."


# Parallel texts for the edit sweep: the example article, and two articles of other domains translated
# for the QA tests (battery industry, monetary policy), which keep the aligner from fitting one text.
ARTICLES = ("why-bat-did-not-build-deepseek", "check-batteries", "check-rates")


def parallel_paragraphs(article: str = ARTICLES[0]) -> list[tuple[str, str]]:
    """An article and its English translation, paragraph by paragraph (41 pairs for the example article)."""
    def lines(name: str) -> list[str]:
        return [line.strip() for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]

    zh, en = lines(f"{article}.zh.txt"), lines(f"{article}.en.txt")
    assert len(zh) == len(en)
    return list(zip(zh, en))


def make_test_pair(paragraphs: int = 100, merges: int = 3, splits: int = 2, drops: int = 1, adds: int = 1,
                   seed: int = 7) -> tuple[list[str], list[str], list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """(source paragraphs, edited target paragraphs, gold links as (source indices, target indices))."""
    from .aligner import english_sentences

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
    from .aligner import english_sentences

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


EDITS = ("drop", "merge", "split", "add")


def edit_variants(edit: str, article: str = ARTICLES[0]
                  ) -> list[tuple[list[str], list[str], list[tuple[tuple[int, ...], tuple[int, ...]]]]]:
    """An article's translation with one `edit` applied, at every position where it applies."""
    from .aligner import english_sentences

    pairs = parallel_paragraphs(article)
    variants = []
    for position in range(len(pairs)):
        if edit == "merge" and position == len(pairs) - 1:
            continue
        if edit == "split" and len(english_sentences(pairs[position][1])) < 2:
            continue
        target: list[str] = []
        gold: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        i = 0
        while i < len(pairs):
            english = pairs[i][1]
            if i == position and edit == "merge":
                target.append(english + " " + pairs[i + 1][1])
                gold.append(((i, i + 1), (len(target) - 1,)))
                i += 2
                continue
            if i == position and edit == "drop":
                gold.append(((i,), ()))
            elif i == position and edit == "split":
                sentences = english_sentences(english)
                half = len(sentences) // 2
                target += [" ".join(sentences[:half]), " ".join(sentences[half:])]
                gold.append(((i,), (len(target) - 2, len(target) - 1)))
            else:
                target.append(english)
                gold.append(((i,), (len(target) - 1,)))
                if i == position and edit == "add":
                    target.append(ADDED)
                    gold.append(((), (len(target) - 1,)))
            i += 1
        variants.append(([zh for zh, _ in pairs], target, gold))
    return variants


def warned(link) -> bool:
    """Does the editor see a warning on this link? (what align's flags say about it)"""
    from .aligner import LOW_CONFIDENCE

    return not link.source or not link.target or link.confidence < LOW_CONFIDENCE


def calibration(align=None, articles: tuple[str, ...] = ARTICLES[:1], dictionary: bool = True) -> dict:
    """Each edit type at every position of the articles' translations: how often the aligner is
    fully right, the share of its links that are wrong, and whether its warnings fall on the wrong
    links and not the right ones. Correct drops and additions carry their warning by design and count
    in neither warning rate. `dictionary`: with the CC-CEDICT score (the default aligner)."""
    from ..glossary.matcher import TermMatcher
    from ..glossary.model import load_glossaries
    from .aligner import Aligner, chinese_side, english_side

    matcher = TermMatcher(load_glossaries([]))

    def default_align(source, target):
        sides = [chinese_side(s, [m.targets[0] for m in matcher.find(s)], dictionary) for s in source]
        return Aligner(sides, [english_side(t) for t in target]).align()

    align = align or default_align
    rows = {}
    wrong = wrong_warned = right = right_warned = links_made = 0
    for edit in EDITS:
        variants = [v for article in articles for v in edit_variants(edit, article)]
        fully_right = edit_found = 0
        for source, target, gold in variants:
            links = align(source, target)
            gold_set = set(gold)
            found = {(tuple(link.source), tuple(link.target)) for link in links}
            fully_right += found == gold_set
            edit_found += any(len(s) != 1 or len(t) != 1 for s, t in gold_set & found)
            links_made += len(links)
            for link in links:
                key = (tuple(link.source), tuple(link.target))
                if key not in gold_set:
                    wrong += 1
                    wrong_warned += warned(link)
                elif link.source and link.target:
                    right += 1
                    right_warned += warned(link)
        rows[edit] = {"variants": len(variants), "fully_right": fully_right, "edit_found": edit_found}
    return {"edits": rows, "wrong_links": wrong, "wrong_link_share": round(wrong / max(1, links_made), 4),
            "wrong_links_warned": round(wrong_warned / max(1, wrong), 3),
            "right_links": right, "right_links_warned": round(right_warned / max(1, right), 3),
            "drops_detected": round(rows["drop"]["edit_found"] / max(1, rows["drop"]["variants"]), 3)}
