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
# Numbers as they appear in English text, with an optional scale word.
_EN_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(trillion|billion|million|thousand)?", re.I)
_EN_SCALE = {"trillion": Decimal(10) ** 12, "billion": Decimal(10) ** 9, "million": Decimal(10) ** 6, "thousand": Decimal(1000)}
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
    values = set()
    for m in _EN_NUMBER.finditer(text):
        number = Decimal(m.group(1).replace(",", ""))
        scale = m.group(2)
        values.add(number * _EN_SCALE[scale.lower()] if scale else number)
    return values
