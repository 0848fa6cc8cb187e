"""The articles a glossary suggestion reads, indexed once: text, sentences, jieba words with their
part of speech and offsets, counts, and the cue words of suggest_cues.toml."""

from __future__ import annotations

import functools
import math
import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass
from importlib import resources

_SENTENCE_ENDS = set("。！？!?；;\n")
HAN_RUN = re.compile(r"[\u3400-\u9fff]+")


@dataclass(frozen=True)
class Word:
    text: str
    flag: str  # jieba part of speech: nr person, ns place, nt organisation, nz other name, n noun, ...
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@functools.cache
def cues() -> dict:
    """suggest_cues.toml: titles, verbs of saying, organisation suffixes, product nouns, edge characters."""
    return tomllib.loads(resources.files("translate.glossary").joinpath("suggest_cues.toml").read_text("utf-8"))


def background() -> tuple[dict, int]:
    """jieba's dictionary frequencies (word -> count) and their total: how common a word is in general."""
    from .word_bounds import base_frequencies

    return base_frequencies()


class Corpus:
    """The translatable text of one or more articles, one block per line."""

    def __init__(self, blocks: list[str]):
        self.blocks = [b.replace("\n", " ") for b in blocks if b.strip()]
        self.text = "\n".join(self.blocks)
        self.words = _pos_words(self.text)
        self._starts = [w.start for w in self.words]
        self._ending = {w.end: w for w in self.words}
        self._flags: dict[str, set[str]] = {}
        for word in self.words:
            self._flags.setdefault(word.text, set()).add(word.flag)
        self._counts: dict[str, int] = {}
        self.bounds = {w.start for w in self.words} | {w.end for w in self.words}
        self._sentences = _sentence_bounds(self.text)
        self.size = max(sum(len(run) for run in HAN_RUN.findall(self.text)), 1)  # Han characters

    def count(self, term: str) -> int:
        if term not in self._counts:
            self._counts[term] = self.text.count(term) if term else 0
        return self._counts[term]

    def positions(self, term: str) -> list[int]:
        return [m.start() for m in re.finditer(re.escape(term), self.text)] if term else []

    def word_at(self, offset: int) -> Word | None:
        """The jieba word that starts at `offset`, if one does."""
        index = bisect_right(self._starts, offset) - 1
        return self.words[index] if index >= 0 and self.words[index].start == offset else None

    def word_ending_at(self, offset: int) -> Word | None:
        """The jieba word that ends at `offset`, if one does."""
        return self._ending.get(offset)

    def words_in(self, start: int, end: int) -> list[Word]:
        """The jieba words inside text[start:end] (those that cross its edges left out)."""
        index = max(bisect_right(self._starts, start) - 1, 0)
        found = []
        while index < len(self.words) and self.words[index].start < end:
            word = self.words[index]
            if word.start >= start and word.end <= end:
                found.append(word)
            index += 1
        return found

    def tagged(self, text: str, flag: str) -> bool:
        """jieba reads `text` as one word whose part of speech starts with `flag` somewhere."""
        return any(f.startswith(flag) for f in self._flags.get(text, ()))

    def sentence(self, offset: int, width: int = 90) -> str:
        """The sentence around `offset`, cut to about `width` characters around it."""
        for start, end in self._sentences:
            if start <= offset < end:
                text = self.text[start:end].strip()
                if len(text) > width:
                    at = offset - start
                    text = ("…" if at > width // 2 else "") + text[max(0, at - width // 2): at + width // 2].strip() + "…"
                return text
        return ""

    def example(self, term: str) -> str:
        found = self.text.find(term)
        return self.sentence(found) if found >= 0 else ""

    def specificity(self, term: str, count: int | None = None) -> float:
        """How much more often `term` occurs here than in general Chinese (log10 of the ratio, >= 0):
        jieba's dictionary frequency for a word, the product of its words' for a longer string."""
        frequencies, total = background()
        count = self.count(term) if count is None else count
        if count == 0:
            return 0.0
        if frequencies.get(term):
            expected = (frequencies[term] + 1) / total
        else:
            expected = 1.0
            for part in _dictionary_words(term):
                expected *= (frequencies.get(part, 0) + 1) / total
        return max(0.0, math.log10((count / self.size) / expected))


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for at, char in enumerate(text):
        if char in _SENTENCE_ENDS:
            end = at if char == "\n" else at + 1
            if end > start:
                bounds.append((start, end))
            start = at + 1
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def _pos_words(text: str) -> list[Word]:
    import logging

    import jieba
    import jieba.posseg as posseg

    jieba.setLogLevel(logging.WARNING)
    words, at = [], 0
    for pair in posseg.cut(text):
        found = text.find(pair.word, at)
        if found < 0:
            continue
        words.append(Word(pair.word, pair.flag, found))
        at = found + len(pair.word)
    return words


@functools.lru_cache(maxsize=4096)
def _dictionary_words(text: str) -> tuple[str, ...]:
    import jieba

    return tuple(jieba.lcut(text, HMM=False))
