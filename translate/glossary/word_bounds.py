"""Chinese word boundaries for glossary matching: jieba, with the glossary's terms in its dictionary.

A private jieba.Tokenizer per glossary (built once, cached) holds the glossary's sources as words,
so nothing leaks into the global tokenizer that other stages use. Each added word gets the lowest
frequency that keeps it whole against its own characters (jieba's suggest_freq), never more than
that: a longer common word around it (阿里山, 开源节流) still wins, as it should.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache

HAN = re.compile(r"[\u3400-\u9fff]")
# Dictionary words at least this frequent count as common (about the most frequent 30% of jieba's).
COMMON_FREQUENCY = 10


def has_han(text: str) -> bool:
    return HAN.search(text) is not None


def base_frequencies() -> tuple[dict, int]:
    """jieba's default dictionary: word -> frequency, and the total (read once, never changed)."""
    return _base_frequencies()


@lru_cache(maxsize=1)
def _base_frequencies() -> tuple[dict, int]:
    """jieba's default dictionary, read once (the global tokenizer's copy is only read, never changed)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba.dt.FREQ, jieba.dt.total


@lru_cache(maxsize=4)
def tokenizer_for(words: tuple[str, ...]):
    """A private jieba tokenizer whose dictionary also holds `words`."""
    import jieba

    base, total = _base_frequencies()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(base), total, True
    for word in words:
        if not tokenizer.FREQ.get(word):
            tokenizer.add_word(word, tokenizer.suggest_freq(word, tune=False))
    return tokenizer


class WordBoundaries:
    """Offsets where words start or end in a text; memoised so a re-run need not load jieba."""

    def __init__(self, words: list[str], memo=None):
        self.words = tuple(sorted({w for w in words if has_han(w)}))
        self.memo = memo
        self.digest = hashlib.sha256("\n".join(self.words).encode("utf-8")).hexdigest()[:12]

    def of(self, text: str) -> set[int]:
        key = f"word-bounds\x00{self.digest}\x00{text}"
        remembered = self.memo.get(key) if self.memo is not None else None
        if remembered is not None:
            return set(json.loads(remembered))
        tokenizer = tokenizer_for(self.words)
        bounds = {0, len(text)}
        for _, start, end in tokenizer.tokenize(text, HMM=False):
            bounds.update((start, end))
        if self.memo is not None:
            self.memo.put(key, json.dumps(sorted(bounds)))
        return bounds


def common_words_containing(source: str, ignore_case: bool = False, exclude=()) -> list[str]:
    """Common words of jieba's dictionary that hold `source` inside them, most frequent first.

    Only the words holding the source's rarest character are tested, not all of them: lint asks this
    for every short entry of a glossary (20,000 rows)."""
    if not source:
        return []
    pattern = re.compile(re.escape(source), re.IGNORECASE if ignore_case else 0)
    words, by_character = _common_words(), _common_words_by_character()
    candidates = min((by_character.get(c, ()) for c in source.lower()), key=len)
    return [words[i] for i in candidates
            if words[i] != source and words[i] not in exclude and pattern.search(words[i])]


@lru_cache(maxsize=1)
def _common_words_by_character() -> dict[str, list[int]]:
    """Lower-cased character -> ranks of the common words holding it, in rank order."""
    index: dict[str, list[int]] = {}
    for rank, word in enumerate(_common_words()):
        for character in set(word.lower()):
            index.setdefault(character, []).append(rank)
    return index


@lru_cache(maxsize=1)
def _common_words() -> list[str]:
    frequencies, _ = _base_frequencies()
    common = [(f, w) for w, f in frequencies.items() if f >= COMMON_FREQUENCY and len(w) > 1]
    return [w for _, w in sorted(common, key=lambda x: (-x[0], x[1]))]


def short_source_traps(source: str, exclude=()) -> list[str]:
    """For a short source (two characters or fewer with Han, Latin of three or fewer), the common
    dictionary words that contain it; [] for longer sources."""
    if has_han(source):
        short = len(source) <= 2
    else:
        short = len(re.sub(r"[^A-Za-z0-9]", "", source)) <= 3
    if not short:
        return []
    from .senses import Context, case_sensitive

    return common_words_containing(source, ignore_case=not case_sensitive(source, Context()), exclude=exclude)
