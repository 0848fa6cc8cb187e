"""Consistency across an article (and its translation memory), as Xbench and Verifika check it. Warnings,
each naming both renderings:

  inconsistent-source  the same source sentence translated differently
  inconsistent-target  the same English used for different source sentences
  name-inconsistent    a person's name rendered two ways (Robin Zeng / Zeng Yuqun), or one rendering used
                       for two names; people's names are found by the pinyin of their surname in the English
  tm-inconsistent      a paragraph the translation memory holds with another translation
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..document import Block

MIN_SOURCE_CHARS = 8  # shorter sentences (a date line, "他说。") repeat with fair variation
MIN_TARGET_WORDS = 6
_HAN = re.compile(r"[\u3400-\u9fff]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?\b")
# Capitalised words that stand before a surname without being a given name.
_NOT_GIVEN_NAMES = frozenset("Mr Mrs Ms Miss Dr Prof Professor Chairman Chairwoman President Premier Minister Governor "
                             "General Director Founder Chief Vice Secretary Mayor Judge Sir Madam Lord Uncle Auntie "
                             "The A An In On At By For From With As And But Or If When While After Before Since Then "
                             "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
                             "June July August September October November December China Chinese".split())


@dataclass
class Unit:
    """A source sentence (or paragraph) and its translation, in paragraph `number` (1-based) of `block`."""

    block: Block
    number: int
    source: str
    target: str


def check_consistency(units: list[Unit], tm_pairs: list[tuple[str, str]] = (), glossary_names: set[str] = ()) -> None:
    """Flag inconsistencies among `units` (in reading order), and against `tm_pairs` (source, target) from a
    translation memory. Names the glossary fixes (`glossary_names`, their sources) are the glossary's check."""
    _same_source(units)
    _same_target(units)
    _names(units, tm_pairs, set(glossary_names))
    if tm_pairs:
        _against_memory(units, tm_pairs)


def _source_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def _target_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w%.$]+|(?<!\d)\.|\.(?!\d)", " ", text.lower()).split())


def _short(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size - 1] + "…"


def _same_source(units: list[Unit]) -> None:
    first: dict[str, Unit] = {}
    for unit in units:
        key = _source_key(unit.source)
        if len(_HAN.findall(key)) < MIN_SOURCE_CHARS:
            continue
        seen = first.setdefault(key, unit)
        if seen is not unit and _target_key(seen.target) != _target_key(unit.target):
            unit.block.flag("inconsistent-source", "warning", f"the same source as in paragraph {seen.number} is "
                            f"translated differently: here '{_short(unit.target)}', there '{_short(seen.target)}'",
                            span=_short(unit.source, 30))


def _same_target(units: list[Unit]) -> None:
    first: dict[str, Unit] = {}
    for unit in units:
        key = _target_key(unit.target)
        if len(key.split()) < MIN_TARGET_WORDS:
            continue
        seen = first.setdefault(key, unit)
        if seen is not unit and _source_key(seen.source) != _source_key(unit.source):
            unit.block.flag("inconsistent-target", "warning", f"the same English as in paragraph {seen.number} "
                            f"translates another source: here '{_short(unit.source, 30)}', there "
                            f"'{_short(seen.source, 30)}'", span=_short(unit.target, 30))


def _names(units: list[Unit], tm_pairs, glossary_names: set[str]) -> None:
    paragraphs = {}
    for unit in units:  # names are found paragraph by paragraph
        paragraphs.setdefault(id(unit.block), unit)
    found = {key: person_names(u.block.text, u.block.translation) for key, u in paragraphs.items()}
    # names whose given name the translation spells in pinyin somewhere: where such a name ends is known
    known = {name: rendering.lower() for names in found.values() for name, rendering, sure in names if sure}
    shown: dict[str, tuple[str, int]] = {}  # name -> (its first full rendering, paragraph)
    for key, unit in paragraphs.items():
        names = person_names(unit.block.text, unit.block.translation, tuple(known)) if known else found[key]
        for name, rendering, _ in names:
            if name in glossary_names or len(rendering.split()) < 2:
                continue  # a surname alone is the short form news uses after the first mention
            earlier = shown.setdefault(name, (rendering, unit.number))
            if earlier[0].lower() != rendering.lower():
                unit.block.flag("name-inconsistent", "warning", f"{name} is '{rendering}' here but '{earlier[0]}' "
                                f"in paragraph {earlier[1]}", span=name)
            other = next((n for n, r in known.items() if r == rendering.lower() and n != name), None)
            if other and other not in glossary_names:
                unit.block.flag("name-inconsistent", "warning", f"'{rendering}' renders {name} here, and {other} "
                                "elsewhere", span=name)
    if not shown or not tm_pairs:
        return
    memory: dict[str, str] = {}
    for source, target in tm_pairs:
        if any(name in source for name in shown):
            for name, rendering, _ in person_names(source, target, tuple(shown)):
                if name in shown and len(rendering.split()) >= 2:
                    memory.setdefault(name, rendering)
    for name, (rendering, number) in shown.items():
        remembered = memory.get(name)
        if remembered and remembered.lower() != rendering.lower():
            unit = next(u for u in paragraphs.values() if u.number == number)
            unit.block.flag("name-inconsistent", "warning", f"{name} is '{rendering}' here but '{remembered}' "
                            "in the translation memory", span=name)


def _against_memory(units: list[Unit], tm_pairs) -> None:
    from ..document import normalise

    remembered = {normalise(source): target for source, target in tm_pairs}
    for unit in units:
        if unit.source != unit.block.text:
            continue  # paragraphs: the memory holds paragraphs
        target = remembered.get(normalise(unit.source))
        if target is not None and _target_key(target) != _target_key(unit.target):
            unit.block.flag("tm-inconsistent", "warning", f"the translation memory has this paragraph as "
                            f"'{_short(target)}'; here: '{_short(unit.target)}'", span=_short(unit.source, 30))


def person_names(source: str, translation: str, known: tuple[str, ...] = ()) -> list[tuple[str, str, bool]]:
    """(Chinese name, its English rendering, confirmed) for the people named in both: a Chinese surname whose
    pinyin is a capitalised word of the translation, with the given name after it (Zeng Yuqun: confirmed when
    it is the pinyin of the characters after the surname) or an English given name before it (Robin Zeng);
    the surname alone (Zeng) where neither is there. Where the given name is not in pinyin, a `known` name
    the source has there is taken; else the name is guessed to have three characters."""
    words = _CAPITALISED.findall(translation)
    if not words:
        return []
    by_reading: dict[str, list[int]] = {}
    for k, word in enumerate(words):
        by_reading.setdefault(word.lower(), []).append(k)
    found = []
    for run in _HAN_RUN.findall(source):
        for p in range(len(run) - 1):
            for reading in surname_readings(run[p]):
                for k in by_reading.get(reading, ()):
                    found.append(_name_at(run, p, words, k, translation, known))
    confirmed = {rendering for _, rendering, sure in found if sure}
    # a guess that renders like a confirmed name is that name's given name taken for a surname (吴凯: 凯)
    return list(dict.fromkeys(f for f in found if f[2] or f[1] not in confirmed))


def _name_at(run: str, p: int, words: list[str], k: int, translation: str, known=()) -> tuple[str, str, bool]:
    from pypinyin import lazy_pinyin

    surname = words[k]
    after = words[k + 1] if k + 1 < len(words) and _adjacent(translation, surname, words[k + 1]) else ""
    for size in (2, 1):  # the given name in pinyin after the surname: Chinese order
        given = run[p + 1:p + 1 + size]
        if len(given) == size and after and after.lower().replace("-", "") == "".join(lazy_pinyin(given)):
            return run[p:p + 1 + size], f"{surname} {after}", True
    name = next((n for n in known if run.startswith(n, p)), run[p:p + 3])  # most Chinese names: 3 characters
    if after and after not in _NOT_GIVEN_NAMES:
        return name, f"{surname} {after}", False
    before = words[k - 1] if k and _adjacent(translation, words[k - 1], surname) else ""
    if before and before not in _NOT_GIVEN_NAMES:
        return name, f"{before} {surname}", False
    return name, surname, False


def _adjacent(text: str, first: str, second: str) -> bool:
    return re.search(rf"\b{re.escape(first)}\s+{re.escape(second)}\b", text) is not None


@functools.lru_cache(maxsize=4096)
def surname_readings(char: str) -> tuple[str, ...]:
    """The pinyin (no tones) of `char` as a surname, from CC-CEDICT's "surname X" entries."""
    from ..lexicon.cedict import load_cedict

    readings = [e.pinyin.split()[0].rstrip("012345").lower() for e in load_cedict().lookup(char)
                if len(e.simplified) == 1 and any(g.startswith("surname") for g in e.glosses)]
    return tuple(dict.fromkeys(r for r in readings if r.isalpha()))
