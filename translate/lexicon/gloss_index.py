"""Chinese words -> the stems of the English content words of their CC-CEDICT glosses, for a dictionary
score in the manner of Hunalign: which source words have a gloss in a candidate English text.

A Chinese text is cut into dictionary words by forward maximum matching (words of two to four characters:
single characters have too many senses to tell anything); English words are reduced to a crude stem
(plural and possessive dropped, five letters kept) on both sides, so battery, batteries and battery's meet.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

MAX_WORD = 4
STEM_LENGTH = 5
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_EN_WORD = re.compile(r"[A-Za-z]+")
_PARENTHESES = re.compile(r"\([^)]*\)")


@functools.cache
def stopwords() -> frozenset[str]:
    path = Path(__file__).resolve().parent / "english_stopwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def stem(word: str) -> str:
    """A crude English stem: batteries -> battery -> batte; photographs -> photo; company's -> compa."""
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:STEM_LENGTH]


def english_stems(text: str) -> frozenset[str]:
    """The stems of the content words of an English text."""
    stop = stopwords()
    return frozenset(stem(w) for w in _EN_WORD.findall(text) if len(w) > 1 and w.lower() not in stop)


class GlossIndex:
    """Word -> frozenset of English stems, built lazily from a Cedict as words are met."""

    def __init__(self, cedict=None):
        if cedict is None:
            from .cedict import load_cedict

            cedict = load_cedict()
        self.cedict = cedict
        self._stems: dict[str, frozenset[str]] = {}

    def stems(self, word: str) -> frozenset[str]:
        found = self._stems.get(word)
        if found is None:
            text = " ".join(_PARENTHESES.sub(" ", gloss) for gloss in self.cedict.glosses(word))
            found = self._stems[word] = english_stems(text)
        return found

    def words(self, text: str) -> list[str]:
        """The dictionary words (2-4 characters) of a Chinese text, by forward maximum matching."""
        found = []
        entries = self.cedict
        for run in _HAN_RUN.findall(text):
            i, n = 0, len(run)
            while i < n:
                for size in range(min(MAX_WORD, n - i), 1, -1):
                    if run[i:i + size] in entries:
                        found.append(run[i:i + size])
                        i += size
                        break
                else:
                    i += 1
        return found

    def glossed_words(self, text: str) -> list[frozenset[str]]:
        """The English stems of each dictionary word of `text` that has any (in the text's order)."""
        return [s for s in map(self.stems, self.words(text)) if s]

    def stem_masks(self, text: str) -> tuple[dict[str, int], int]:
        """(stem -> bit mask of the glossed words that have it, number of glossed words): lets a caller count
        the words with a gloss in a set of English stems with one set intersection."""
        masks: dict[str, int] = {}
        words = self.glossed_words(text)
        for index, stems in enumerate(words):
            bit = 1 << index
            for s in stems:
                masks[s] = masks.get(s, 0) | bit
        return masks, len(words)


@functools.cache
def gloss_index() -> GlossIndex:
    """The index over the shipped dictionary, one per process."""
    return GlossIndex()


def coverage(masks: dict[str, int], words: int, english: frozenset[str]) -> float:
    """Share of the glossed words whose gloss has a stem in `english`."""
    if not words:
        return 0.0
    mask = 0
    for s in masks.keys() & english:
        mask |= masks[s]
    return mask.bit_count() / words
