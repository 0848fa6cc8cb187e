"""The English side of a sentence pair as the term aligner reads it (glossary/term_alignment.py): its words and
the spans that may render a term, and what a Chinese term can explain in them (glosses, pinyin, letters, numerals)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon.english import function_words, gloss_sets, gloss_words, is_common_word, stem
from ..lexicon.names import split_name, syllables

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-'’.&][A-Za-z0-9]+)*|[^\sA-Za-z0-9]")
_WORDLIKE = re.compile(r"^[A-Za-z0-9]")
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_SENTENCE_START = set(".!?:;\"“”'‘(")
_NUMERALS = {"一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8",
             "九": "9", "十": "10"}
MAX_WORDS = 6
PREFIX = 6


@dataclass(frozen=True)
class Word:
    surface: str
    stem: str
    function: bool
    capital: bool
    initial: bool  # first word of a sentence
    position: int = 0  # index among the pair's words


class EnglishSide:
    """One pair's English: runs of words between punctuation, and every span's key."""

    def __init__(self, text: str):
        stop = function_words()
        self.runs: list[list[Word]] = [[]]
        self.size = 0
        initial = True
        for token in _TOKEN.findall(text):
            if not _WORDLIKE.match(token):
                initial = token in _SENTENCE_START
                if self.runs[-1]:
                    self.runs.append([])
                continue
            function = token.lower() in stop and not (token.isupper() and len(token) > 1)  # US, IT: names
            self.runs[-1].append(Word(token, stem(token), function,
                                       token[:1].isupper() or token[:1].isdigit(), initial, self.size))
            self.size += 1
            initial = False
        self.keys = {key for key, _, _ in self.spans()}

    def spans(self):
        """(key, words, (run index, start, end)) of every span that may be a rendering."""
        for r, run in enumerate(self.runs):
            for i, first in enumerate(run):
                if first.function or first.surface[:1].isdigit():
                    continue
                for j in range(i + 1, min(len(run), i + MAX_WORDS) + 1):
                    if run[j - 1].function:
                        continue
                    words = run[i:j]
                    yield tuple(w.stem for w in words), words, (r, i, j)


class TermEvidence:
    """What a term can explain in English: its glosses, pinyin of its parts, its Latin letters and numerals.
    Glosses of single characters (what an unknown word falls back to) count half."""

    def __init__(self, term: str, person: bool):
        from ..lexicon.english import dictionary_parts

        self.term = term
        self._explained: dict[str, float] = {}
        self.glosses = gloss_words(term, characters=False)
        # words of one family whose stems differ (phosphoric, phosphate) share their first letters
        self.prefixes = {g[:PREFIX] for g in self.glosses if len(g) >= PREFIX}
        self.character_glosses = gloss_words(term) - self.glosses
        self.parts = [(p, gloss_sets(p)) for p in dictionary_parts(term)]
        # Pinyin words of two characters or more (a single syllable matches English by chance: 量 'Liang'),
        # and a person's surname; none for an ordinary word (量化 is not a name).
        self.pinyin: dict[str, set[int]] = {}  # a joined pinyin word -> the character offsets it covers
        readings = syllables(term)
        split = split_name(term) if person else None
        if split is not None:  # the surname's own reading: 曾 Zeng, not Ceng
            surname = len(split[0].text)
            readings[:surname] = [split[0].reading] + [""] * (surname - 1)
            self.pinyin.setdefault(split[0].reading.replace("ü", "u"), set()).update(range(surname))
            self.pinyin.setdefault("".join(readings[surname:]).replace("ü", "u"), set()).update(
                range(surname, len(term)))
        if person or not is_common_word(term):
            for start in range(len(term)):
                for end in range(start + 2, min(len(term), start + 4) + 1):
                    word = "".join(readings[start:end]).replace("ü", "u")
                    if word and word.isalpha():
                        self.pinyin.setdefault(word, set()).update(range(start, end))
        self.latin = {t.lower() for t in LATIN.findall(term)}
        self.numbers = {_NUMERALS[c] for c in term if c in _NUMERALS} | set(re.findall(r"\d+", term))

    def explains(self, word: Word) -> float:
        """1 when the term explains `word`, 0.5 when only a character's gloss does, else 0."""
        if word.surface not in self._explained:
            self._explained[word.surface] = self._explains(word)
        return self._explained[word.surface]

    def _explains(self, word: Word) -> float:
        plain = bare(word.surface)
        pieces = [word.stem] + [stem(p) for p in re.split(r"[-'’]", word.surface.lower()) if len(p) > 1]
        if any(p in self.glosses or p[:PREFIX] in self.prefixes for p in pieces) or plain in self.pinyin \
                or plain in self.latin \
                or word.surface in self.numbers or any(bare(p) in self.pinyin for p in word.surface.split("-")):
            return 1.0
        return 0.5 if any(p in self.character_glosses for p in pieces) else 0.0

    def coverage(self, content: list[Word]) -> float:
        """The share of the term's characters that the span's words account for: a dictionary word counts
        by the share of its best gloss the span holds (learning: half of 深度学习's 'deep learning')."""
        stems = {w.stem for w in content} | {stem(p) for w in content for p in w.surface.lower().split("-")}
        covered: dict[int, float] = {}
        at = 0
        for part, glosses in self.parts:
            share = max((len(g & stems) / len(g) for g in glosses if g), default=0.0)
            if len(part) == 1 and len(self.term) > 1:
                share /= 2  # a character's gloss, where the dictionary does not know the word
            for index in range(at, at + len(part)):
                covered[index] = max(covered.get(index, 0.0), share)
            at += len(part)
        for word in content:
            for piece in [word.surface] + word.surface.split("-"):
                for index in self.pinyin.get(bare(piece), ()):
                    covered[index] = 1.0
            if bare(word.surface) in self.latin or word.surface in self.numbers:
                for match in re.finditer(re.escape(word.surface), self.term, re.IGNORECASE):
                    covered.update({k: 1.0 for k in range(match.start(), match.end())})
                covered.update({k: 1.0 for k, char in enumerate(self.term) if _NUMERALS.get(char) == word.surface})
        return sum(covered.values()) / len(self.term)


def glossed_by(word: Word, glossed: frozenset[str]) -> bool:
    """Another Chinese word explains `word`, or a part of it (US-based: 美国)."""
    return word.stem in glossed or "-" in word.surface and any(
        stem(p) in glossed for p in word.surface.split("-") if len(p) > 1)


def bare(text: str) -> str:
    return re.sub(r"['’]s$|[-'’]", "", text.lower()).replace("ü", "u")


def span_text(words: list[Word]) -> str:
    text = " ".join(w.surface for w in words)
    return re.sub(r"['’]s$", "", text)
