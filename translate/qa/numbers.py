"""Chinese large-number notation (万, 亿), Chinese numerals, and the numbers QA compares across languages:
a source number missing from the translation, and a figure of the translation that the source lacks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..document import fold_width
from .english_numbers import Figure, read_english_numbers

_UNITS = {"万亿": Decimal(10) ** 12, "千亿": Decimal(10) ** 11, "百亿": Decimal(10) ** 10, "亿": Decimal(10) ** 8,
          "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6, "万": Decimal(10) ** 4, "千": Decimal(1000)}
_CURRENCY = {"元": "yuan", "人民币": "yuan", "美元": "US dollars", "港元": "Hong Kong dollars"}
# 2215万, 2000多万 (more than 20 million), 3千人; 千 before a unit is the metric prefix (千米 km, 千克 kg).
LARGE_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*([多余])?\s*(万亿|千亿|百亿|亿|千万|百万|万|千(?![米克瓦兆卡赫伏帕焦]|字节))"
                          r"(美元|港元|人民币|元)?")
_SCALES = [(Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")]
_ZH_NUMBER = re.compile(r"(?<![\d.A-Za-z])(\d+(?:\.\d+)?)(?![\dA-Za-z])")


_HAN_DIGITS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2, "双": 2, "俩": 2, "仨": 3,
                                                                 "首": 1, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5,
                                                                 "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_HAN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10 ** 4, "亿": 10 ** 8}
_HAN_NUMERAL = re.compile("[" + "".join(_HAN_DIGITS) + "".join(_HAN_UNITS) + "]+")


@dataclass
class SourceNumber:
    text: str
    value: Decimal
    start: int
    end: int
    role: str = ""  # "year", "month" or "day" where a date unit (年, 月, 日) follows; "percent" before %


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
        value = Decimal(m.group(1)) * _UNITS[m.group(3)]
        english = ("more than " if m.group(2) else "") + english_number(value)
        if m.group(4):
            english += " " + _CURRENCY[m.group(4)]
        spans.append(NumberSpan(m.start(), m.end(), m.group(), english, value))
    return spans


def source_numbers(text: str) -> list[SourceNumber]:
    """Every number of a Chinese text written in figures, large-number notation scaled, with its role in a date.
    Full-width figures count as figures, and a full-width name (Ａ１００) as a name."""
    text = fold_width(text)
    numbers = []
    covered = set()
    for span in large_numbers(text):
        numbers.append(SourceNumber(span.source, span.value, span.start, span.end))
        covered.update(range(span.start, span.end))
    for m in _ZH_NUMBER.finditer(text):
        if m.start() not in covered:
            value = Decimal(m.group(1))
            numbers.append(SourceNumber(m.group(), value, m.start(), m.end(), _date_role(text, m.end(), value)))
    return numbers


# Counters after which a Chinese numeral is a count the translation must state (一万张, 两千名, 三十多家).
_COUNTERS = ("个|人|名|位|家|台|张|元|块|年|岁|次|项|件|座|辆|只|条|所|篇|种|倍|公里|千米|米|吨|斤|公斤|千克|户|套|部|枚|颗|"
             "架|艘|层|栋|亩|公顷|平方米|小时|分钟|秒钟|周(?!年)|届|批|场|轮|支|份|株|头|匹|度|美元|港元|欧元|元|款|辆|起|例")
# A run, its decimals (百分之零点四), "more than" (多, 余) and a large unit after it (十多万: over 100,000).
_HAN_COUNT = re.compile(r"(百分之)?([" + "".join(_HAN_DIGITS) + "".join(_HAN_UNITS) + r"]+)"
                        r"(?:点([〇零一二三四五六七八九两]+))?([多余])?(万亿|亿|万)?")
# Spans English gives in words of their own (a decade, half a century, a century, a millennium)
_ROUND_YEARS = frozenset({10, 50, 100, 1000})


def chinese_numeral_numbers(text: str) -> list[SourceNumber]:
    """Counts written in Chinese numerals that a translation must state: a run with a digit and a unit
    (一万, 两千三百, 三十) or a run of digits (二〇二四) before a counter (张, 名, 家, 年 …), or any after 百分之.
    Numerals in words (统一, 万一, 千万, 十分, 一些) and names (三一重工, 十三五) have no counter after them."""
    numbers = []
    for m in _HAN_COUNT.finditer(text):
        run, percent = m.group(2), bool(m.group(1))
        digits = [ch for ch in run if ch in _HAN_DIGITS and ch != "首"] or (["一"] if run[0] == "十" else [])
        after = text[m.end():]
        counted = re.match(_COUNTERS, after) is not None and not after.startswith("年代")  # 八十年代: the 1980s
        if not digits or not (percent or counted) or text[m.start() - 1:m.start()] in ("几", "数", "好", "成"):
            continue  # 几十年, 数十个: dozens, not ten
        if not any(ch in _HAN_UNITS for ch in run) and len(digits) < 3 and "〇" not in run and not percent:
            continue  # 一个, 三家, 一两年: a digit or two reads as a word (a, three, a year or two) as often as a figure
        if re.search("[" + "".join(_HAN_DIGITS) + "]{2}[" + "".join(_HAN_UNITS) + "]", run):
            continue  # 一两千, 三四百, 七八十: a range, which English gives in many ways
        value = Decimal(_han_value(run)) if any(ch in _HAN_UNITS for ch in run) else \
            Decimal("".join(str(_HAN_DIGITS[ch]) for ch in run))
        if m.group(3):  # 百分之零点四: 0.4
            value += Decimal("0." + "".join(str(_HAN_DIGITS[ch]) for ch in m.group(3)))
        if m.group(5):  # 十多万, 三千余万: the unit after "more than" scales the whole
            value *= _UNITS[m.group(5)]
        if m.group(4) and after.startswith("岁") or after.startswith("年") and value in _ROUND_YEARS:
            continue  # 九十多岁 (in his nineties), 一百年 (a century): English says these in words
        role = "percent" if percent else _date_role(text, m.end(), value)
        numbers.append(SourceNumber(m.group(), value, m.start(), m.end(), role))
    return numbers


def source_values(text: str) -> list[tuple[str, Decimal]]:
    """Every number of a Chinese text written in figures, with its value, large-number notation scaled."""
    return [(n.text, n.value) for n in source_numbers(text)]


def _date_role(text: str, end: int, value: Decimal) -> str:
    unit = text[end:end + 1]
    whole = value == value.to_integral_value()
    if unit in ("%", "％"):
        return "percent"
    if unit == "年" and whole:
        return "year"
    if unit == "月" and whole and 1 <= value <= 12:
        return "month"
    if unit in ("日", "号") and whole and 1 <= value <= 31:
        return "day"
    return ""


def target_values(text: str) -> set[Decimal]:
    """Every number an English text states: figures (22,150,000; 22.15 million; $1.5bn), words (ten thousand),
    ordinals, months, quarters, multiples (a decade, twice)."""
    return read_english_numbers(text).values


def missing_numbers(source: str, translation: str) -> list[tuple[str, Decimal]]:
    """Numbers of the source (text, value) that the translation does not state. A day and month given as
    a weekday ("on Monday" for 1月15日) are stated: that is how English news dates the recent past."""
    english = read_english_numbers(translation)
    return [(n.text, n.value) for n in source_numbers(source) + chinese_numeral_numbers(source)
            if n.value not in english.values and not (english.weekday and n.role in ("day", "month"))
            and not (n.role == "percent" and n.value in english.shares)]


def added_numbers(source: str, translation: str, glossary_targets: list[str] = ()) -> list[Figure]:
    """Figures of the translation that the source does not have, in figures or in Chinese numerals (三, 两千).

    Not counted: a figure inside a name (COVID-19, GPT-4) or in a token the source has too (5G, A100);
    one a glossary target brings (萤火二号 -> Fire-Flyer 2); one equal to a source number up to a power of
    ten (the missing-number check reports a wrong scale), or 100 times it (0.5 points = 50 basis points);
    a year written out for a two-digit one (90年代 -> the 1990s); a clock hour written 3 pm for 15点.
    """
    english = read_english_numbers(translation)
    if not english.figures:
        return []
    allowed = _permitted_values(source)
    for target in glossary_targets:
        allowed |= read_english_numbers(target).values
    digits = {_significant_digits(v) for v in allowed}
    lowered = fold_width(source).lower()
    added = []
    for figure in english.figures:
        value = figure.value
        if value in allowed or value * 100 in allowed or value / 100 in allowed \
                or _significant_digits(value) in digits or _in_a_source_token(lowered, translation, figure):
            continue
        added.append(figure)
    return added


def _permitted_values(source: str) -> set[Decimal]:
    values = set()
    for number in source_numbers(source):
        values.add(number.value)
        value = number.value
        if value == value.to_integral_value() and value < 100 and number.role == "year" or \
                source[number.end:number.end + 2] == "年代":
            values.update((value + 1900, value + 2000))
        if value == value.to_integral_value() and 13 <= value <= 24:
            values.add(value - 12)
    for decade in re.finditer(r"([一二三四五六七八九]十)年代", source):  # 八十年代: the 1980s
        value = _han_value(decade.group(1))
        values.update((Decimal(value + 1900), Decimal(value + 2000)))
    return values | chinese_numeral_values(source)


def _significant_digits(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", "").lstrip("0-").rstrip("0")


def _in_a_source_token(source_lower: str, text: str, figure: Figure) -> bool:
    """5G, 4K, Qwen2.5-7B: a figure inside a token of letters and digits that the source has too."""
    start, end = figure.start, figure.end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".-"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] == "-"):
        end += 1
    token = text[start:end].strip(".-")
    return any(ch.isalpha() for ch in token) and token.lower() in source_lower


def chinese_numeral_values(text: str) -> set[Decimal]:
    """The values Chinese numerals may stand for (两千 2000, 二〇二四 2024, 三四 3 or 4, 首 1): generous, as they
    only excuse figures of the translation (一 is also part of words such as 统一)."""
    values = set()
    for run in _HAN_NUMERAL.findall(text):
        values.update(Decimal(_HAN_DIGITS[ch]) for ch in run if ch in _HAN_DIGITS)
        values.update(Decimal(_HAN_UNITS[ch]) for ch in run if ch in _HAN_UNITS)
        if any(ch in _HAN_UNITS for ch in run):
            values.add(Decimal(_han_value(run)))
        elif len(run) > 1 and all(ch in _HAN_DIGITS for ch in run):
            values.add(Decimal("".join(str(_HAN_DIGITS[ch]) for ch in run)))
    return values


def _han_value(run: str) -> int:
    """五十六 56, 两千三百 2300, 十二万 120000, 三亿五千万 350000000 (digits without a unit are added)."""
    total = section = digit = 0
    for ch in run:
        if ch in _HAN_DIGITS:
            digit = _HAN_DIGITS[ch]
        elif ch in ("万", "亿"):
            section = (section + digit) or 1
            total = (total + section) * _HAN_UNITS[ch] if ch == "亿" else total + section * _HAN_UNITS[ch]
            section = digit = 0
        else:
            section += (digit or 1) * _HAN_UNITS[ch]
            digit = 0
    return total + section + digit
