"""Chinese personal names: the surname table, and names in pinyin as English news writes them.

The standard form puts the surname first and joins the given name's syllables, each part capitalised:
王传福 -> Wang Chuanfu, 欧阳明高 -> Ouyang Minggao. A surname is read as a surname (曾 Zeng, not Ceng;
单 Shan, not Dan), which pypinyin alone gets wrong; the table in surnames.tsv holds those readings.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

_HAN = re.compile(r"^[\u3400-\u9fff]+$")
_VOWEL_START = re.compile(r"^[aoe]")


@dataclass(frozen=True)
class Surname:
    text: str
    reading: str  # toneless pinyin, ü kept: "lü"
    also_a_word: bool  # 高, 方, 江: a name needs more evidence than the characters alone


@functools.cache
def surnames() -> dict[str, Surname]:
    """Surname -> its entry, compound surnames (欧阳, 司马) included."""
    table: dict[str, Surname] = {}
    text = resources.files("translate.lexicon").joinpath("surnames.tsv").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        if line.startswith("#") or not line.strip() or line.startswith("surname\t"):
            continue
        cells = line.split("\t") + ["", ""]
        table[cells[0]] = Surname(cells[0], cells[1], cells[2].strip() == "yes")
    return table


def surname_of(name: str) -> Surname | None:
    """The surname `name` starts with, a compound one first (欧阳 before 欧)."""
    table = surnames()
    for length in (2, 1):
        found = table.get(name[:length])
        if found and len(name) > length:
            return found
    return None


def split_name(name: str) -> tuple[Surname, str] | None:
    """(surname, given name) when `name` has the shape of a Chinese name: a known surname and a
    given name of one or two characters; None otherwise."""
    if not _HAN.match(name or ""):
        return None
    surname = surname_of(name)
    if surname is None or not 1 <= len(name) - len(surname.text) <= 2:
        return None
    return surname, name[len(surname.text):]


def syllables(text: str) -> list[str]:
    """Toneless pinyin syllables of Chinese text (ü kept), one per character; other text as it is."""
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors="default")


def join_syllables(parts: list[str]) -> str:
    """Syllables of one word joined; an apostrophe where a syllable starting a, o or e would run on (Xi'an)."""
    word = ""
    for part in parts:
        word += ("'" if word and _VOWEL_START.match(part) else "") + part
    return word


def pinyin_name(name: str) -> str | None:
    """王传福 -> 'Wang Chuanfu'; None when `name` does not have the shape of a Chinese name."""
    split = split_name(name)
    if split is None:
        return None
    surname, given = split
    return f"{surname.reading.capitalize()} {join_syllables(syllables(given)).capitalize()}"


def pinyin_word(text: str, capitalise: bool = True) -> str:
    """Chinese text as one pinyin word (幻方 -> 'Huanfang'), the fallback rendering of an unknown name."""
    word = join_syllables([s for s in syllables(text) if s.strip()])
    return word.capitalize() if capitalise else word
