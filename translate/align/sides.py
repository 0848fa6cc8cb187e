"""What the aligner knows of each paragraph or sentence: its length, its anchors (numbers across notations,
Latin tokens, glossary targets, being a photo caption) and the English its dictionary words gloss to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import BlockKind
from ..lexicon.gloss_index import english_stems, gloss_index
from ..qa.numbers import source_values, target_values
from ..readers.structure import classify

_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]|[A-Za-z]")
_EN_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # possessive 's falls away
# A caption in English: "Image from ...", "Photo: VCG", "(Picture by ...)". Captions are kept or dropped as a
# whole, so a caption on one side and not on the other is as strong a sign as a number.
_EN_CAPTION = re.compile(r"^\(?\s*(?:image|photo|picture|photograph|pictured|illustration|source|credit)s?\b"
                         r"\s*(?:[:|/\u2014\u2013-]|by\b|from\b|courtesy\b|credit\b|of\b|via\b)", re.I)
CAPTION = "§caption"
# A phrase of one to four words said three times or more in a row: a loop, whose repeats translate
# nothing, so they do not count in the length ("built, built, built, built" is "built").
_LOOP = re.compile(r"\b(\w+(?:[\s,;]+\w+){0,3}?)(?:[\s,;]+\1\b){2,}", re.I)
_EN_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“(A-Z0-9])")


@dataclass
class Side:
    """What the aligner knows of one paragraph (or sentence): its length and its anchors."""

    length: float
    anchors: frozenset
    words: frozenset = frozenset()
    blank: bool = False  # a blank paragraph of the translation that stands for a missing one
    glosses: dict | None = None  # source: English stem -> bit mask of its dictionary words that gloss to it
    glossed: int = 0  # source: how many of its words the dictionary glosses
    gloss_keys: frozenset = frozenset()  # source: the stems of `glosses`
    stems: frozenset = frozenset()  # target: stems of its English content words
    caption: bool = False  # a photo caption (its anchors hold CAPTION)


def chinese_side(text: str, term_targets: list[str] = (), dictionary: bool = True) -> Side:
    """A source paragraph: its length, anchors (numbers, Latin tokens, glossary targets) and, with
    `dictionary`, the English its CC-CEDICT words gloss to."""
    numbers = {_number_key(v) for _, v in source_values(text)}
    latin = {m.lower() for m in _LATIN.findall(text) if len(m) > 1}
    terms = {w for t in term_targets for w in _EN_WORD.findall(t.lower()) if len(w) > 2}
    length = len(_HAN.findall(text)) + 0.5 * len(" ".join(_LATIN.findall(text)))
    glosses, glossed = gloss_index().stem_masks(text) if dictionary else (None, 0)
    caption = classify(text.strip()) is BlockKind.CAPTION if text.strip() else False
    anchors = numbers | latin | terms | ({CAPTION} if caption else set())
    return Side(max(length, 1.0), frozenset(anchors), glosses=glosses, glossed=glossed,
                gloss_keys=frozenset(glosses or ()), caption=caption)


def english_side(text: str) -> Side:
    if not text.strip():
        return Side(1.0, frozenset(), blank=True)
    words = set(_EN_WORD.findall(text.lower()))
    numbers = {_number_key(v) for v in target_values(text)}
    caption = len(text) <= 160 and bool(_EN_CAPTION.match(text.strip()))
    words |= {CAPTION} if caption else set()
    return Side(max(len(_LOOP.sub(r"\1", text)), 1.0), frozenset(numbers), frozenset(words | numbers),
                stems=english_stems(text), caption=caption)


def _number_key(value) -> str:
    text = f"{value.normalize():f}"
    return "#" + (text.rstrip("0").rstrip(".") if "." in text else text)


def english_sentences(text: str) -> list[str]:
    return [s for s in _EN_SENTENCE.split(text.strip()) if s.strip()]
