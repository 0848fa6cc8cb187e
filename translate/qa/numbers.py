"""Chinese large-number notation (万, 亿) and the numbers QA compares across languages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_UNITS = {"万亿": Decimal(10) ** 12, "千亿": Decimal(10) ** 11, "百亿": Decimal(10) ** 10, "亿": Decimal(10) ** 8,
          "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6, "万": Decimal(10) ** 4}
_CURRENCY = {"元": "yuan", "人民币": "yuan", "美元": "US dollars", "港元": "Hong Kong dollars"}
LARGE_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万亿|千亿|百亿|亿|千万|百万|万)(美元|港元|人民币|元)?")
_SCALES = [(Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")]
# Numbers as they appear in English text, with an optional scale word or the press's short forms
# (20m, $1.5bn, 10k); a letter straight after the short form means it is a unit or a word (20mm, 5km).
_EN_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(trillion|billion|million|thousand"
                        r"|trn|tn|bn|mn)\b|(m|b|k)(?![A-Za-z0-9]))?", re.I)
_EN_SCALE = {"trillion": Decimal(10) ** 12, "billion": Decimal(10) ** 9, "million": Decimal(10) ** 6, "thousand": Decimal(1000),
             "trn": Decimal(10) ** 12, "tn": Decimal(10) ** 12, "bn": Decimal(10) ** 9, "b": Decimal(10) ** 9,
             "mn": Decimal(10) ** 6, "m": Decimal(10) ** 6, "k": Decimal(1000)}
_WORD_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                          "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_WORD_UNITS.update({w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)})
_WORD_SCALES = {"thousand": 1000, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12}
_NUMBER_WORD = "|".join(sorted(list(_WORD_UNITS) + list(_WORD_SCALES) + ["hundred"], key=len, reverse=True))
# "one billion", "ten thousand", "twenty-two", "two hundred and fifty million", "a million"
_EN_WORDS = re.compile(rf"(?<![\d,.]\s)(?<![\d,.])\b(?:(?:{_NUMBER_WORD})|a(?=[\s-]+(?:hundred|thousand|million|billion|trillion)\b))"
                       rf"(?:(?:[\s-]+|\s+and\s+)(?:{_NUMBER_WORD})\b)*\b", re.I)
_ZH_NUMBER = re.compile(r"(?<![\d.A-Za-z])(\d+(?:\.\d+)?)(?![\dA-Za-z])")


@dataclass
class NumberSpan:
    start: int
    end: int
    source: str
    english: str
    value: Decimal


def english_number(value: Decimal) -> str:
    """22150000 -> '22.15 million', 10000 -> '10,000'."""
    for scale, word in _SCALES:
        if value >= scale:
            return f"{_plain(value / scale)} {word}"
    return f"{value.normalize():,f}".rstrip("0").rstrip(".") if "." in f"{value.normalize():f}" else f"{int(value):,}"


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def large_numbers(text: str) -> list[NumberSpan]:
    """Spans such as 2215万 -> '22.15 million', 10亿元 -> '1 billion yuan'."""
    spans = []
    for m in LARGE_NUMBER.finditer(text):
        value = Decimal(m.group(1)) * _UNITS[m.group(2)]
        english = english_number(value)
        if m.group(3):
            english += " " + _CURRENCY[m.group(3)]
        spans.append(NumberSpan(m.start(), m.end(), m.group(), english, value))
    return spans


def source_values(text: str) -> list[tuple[str, Decimal]]:
    """Every number of a Chinese text with its value, large-number notation scaled."""
    values = []
    covered = set()
    for span in large_numbers(text):
        values.append((span.source, span.value))
        covered.update(range(span.start, span.end))
    for m in _ZH_NUMBER.finditer(text):
        if m.start() not in covered:
            values.append((m.group(), Decimal(m.group(1))))
    return values


def target_values(text: str) -> set[Decimal]:
    """Every number of an English text: digits (22,150,000; 22.15 million; 20m; $1.5bn) and words (ten thousand)."""
    values = set()
    for m in _EN_NUMBER.finditer(text):
        number = Decimal(m.group(1).replace(",", ""))
        scale = m.group(2) or m.group(3)
        values.add(number * _EN_SCALE[scale.lower()] if scale else number)
    for m in _EN_WORDS.finditer(text):
        values.add(Decimal(_words_value(re.split(r"[\s-]+", m.group().lower()))))
    return values


def _words_value(words: list[str]) -> int:
    total = current = 0
    for word in words:
        if word in _WORD_UNITS:
            current += _WORD_UNITS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _WORD_SCALES:
            total += (current or 1) * _WORD_SCALES[word]
            current = 0
    return total + current
