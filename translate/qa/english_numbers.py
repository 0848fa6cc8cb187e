"""Numbers as English news writes them: figures (22,150,000; 22.15 million; $1.5bn; RMB100m), words (ten
thousand, twenty-two, half a million), ordinals (third, 21st), dates (January 13, May 2024, mid-March,
the 1990s, 2025-26), quarters (Q3, the first half), multiples (a decade, a dozen, twice, threefold).

`read_english_numbers(text)` returns every value the text states, for QA to find the source's numbers in,
and the figures it writes (with their place), for QA to find numbers the source does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

# A figure, with an optional scale word or the press's short forms (20m, $1.5bn, 10k); a letter straight
# after a short form means it is a unit or a word (20mm, 5km). Currency codes may stick to it (RMB100m).
# Groups of three may be split by commas or by no-break / thin spaces (10 000). A compound adjective joins the
# scale with a hyphen (a 10-billion-yuan fund).
EN_NUMBER = re.compile(r"(?:(?<=RMB)|(?<=CNY)|(?<=USD)|(?<=HKD)|(?<=EUR)|(?<=GBP)|(?<=JPY)|(?<![\w.]))"
                       r"(\d{1,3}(?:[,\u00a0\u2009\u202f]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:(?:\s*|-)(trillion|billion|million|thousand"
                       r"|trn|tn|bn|mn)\b|(m|b|k)(?![A-Za-z0-9]))?", re.I)
SCALE = {"trillion": Decimal(10) ** 12, "billion": Decimal(10) ** 9, "million": Decimal(10) ** 6, "thousand": Decimal(1000),
         "trn": Decimal(10) ** 12, "tn": Decimal(10) ** 12, "bn": Decimal(10) ** 9, "b": Decimal(10) ** 9,
         "mn": Decimal(10) ** 6, "m": Decimal(10) ** 6, "k": Decimal(1000)}
_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_ORDINALS = {w: i for i, w in enumerate("zeroth first second third fourth fifth sixth seventh eighth ninth tenth "
                                        "eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
                                        "eighteenth nineteenth".split())}
_ORDINALS.update({w: 10 * i for i, w in enumerate("twentieth thirtieth fortieth fiftieth sixtieth seventieth "
                                                  "eightieth ninetieth".split(), 2)})
_SCALE_WORDS = {"hundred": 100, "thousand": 1000, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12}
_SCALE_ORDINALS = {"hundredth": 100, "thousandth": 1000, "millionth": 10 ** 6, "billionth": 10 ** 9}
# Words that state a number on their own: twice = 2, a decade = 10 ...
_MULTIPLES = {"once": 1, "single": 1, "twice": 2, "double": 2, "doubled": 2, "doubling": 2, "doubles": 2,
              "thrice": 3, "triple": 3, "tripled": 3, "treble": 3, "trebled": 3, "quadruple": 4, "quadrupled": 4,
              "decade": 10, "dozen": 12, "noon": 12, "midnight": 24}
_PER_COUNT = {"decade": 10, "decades": 10, "dozen": 12, "dozens": 12}  # two decades = 20
_FRACTIONS = {"half": Decimal("0.5"), "halved": Decimal("0.5"), "quarter": Decimal("0.25")}
MONTHS = {m: i for i, m in enumerate("january february march april may june july august september october "
                                     "november december".split(), 1)}
_MONTH_SHORT = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
                "oct": 10, "nov": 11, "dec": 12}
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# "May" is a month only beside a figure or after a word that introduces a date (in May, since May ...).
_DATE_WORDS = frozenset("in on since until till by from of last next this early late mid between and to through "
                        "before after end start beginning".split())
_QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
_HALF_MONTHS = {1: (1, 6), 2: (7, 12)}
_WORD = re.compile(r"[A-Za-z]+")
_JOINER = re.compile(r"[\s\-\u2010\u2011]+$")  # what may stand between the words of one number
_PERIOD = re.compile(r"\b([QH])([1-4])\b")
_YEAR_RANGE = re.compile(r"\b((?:1[89]|20)\d\d)\s*[-\u2013\u2014/]\s*(\d\d)\b(?![-\u2013.,]?\d)")
_DECADE = re.compile(r"\b(1[89]|20)(\d)0s\b")
_AFTERNOON = re.compile(r"\b(\d{1,2})(?:[:.]\d\d)?\s*(?:pm|p\.m\.)", re.I)
_FOLD = re.compile(r"^([a-z]+)fold$")
_AFTER_A_FIGURE = re.compile(r"\d[\s\u00a0]*$")


@dataclass
class Figure:
    """A number written in figures (or with a scale word: ten million) at text[start:end]."""

    text: str
    value: Decimal
    start: int
    end: int


@dataclass
class EnglishNumbers:
    values: set[Decimal] = field(default_factory=set)
    figures: list[Figure] = field(default_factory=list)
    weekday: bool = False  # the text names a day of the week (news often gives it instead of the date)
    shares: set[Decimal] = field(default_factory=set)  # percentages said as fractions: half (50), a quarter (25)


def read_english_numbers(text: str) -> EnglishNumbers:
    found = EnglishNumbers()
    _read_figures(text, found)
    _read_words(text, found)
    for m in _PERIOD.finditer(text):
        number = int(m.group(2))
        found.values.add(Decimal(number))
        if m.group(1) == "Q" or number <= 2:
            found.values.update(Decimal(v) for v in (_QUARTER_MONTHS if m.group(1) == "Q" else _HALF_MONTHS)[number])
    for m in _DECADE.finditer(text):
        found.values.add(Decimal(m.group(2) + "0"))
    for m in _AFTERNOON.finditer(text):
        if int(m.group(1)) < 12:
            found.values.add(Decimal(int(m.group(1)) + 12))
    return found


def _read_figures(text: str, found: EnglishNumbers) -> None:
    ranges = {m.start(2): m for m in _YEAR_RANGE.finditer(text)}
    for m in EN_NUMBER.finditer(text):
        number = Decimal(re.sub(r"[,\u00a0\u2009\u202f]", "", m.group(1)))
        scale = m.group(2) or m.group(3)
        value = number * SCALE[scale.lower()] if scale else number
        year_range = ranges.get(m.start(1))
        if year_range is not None:  # 2025-26: the second year in full
            value = Decimal(year_range.group(1)[:2] + year_range.group(2))
        found.values.add(value)
        if not _inside_a_name(text, m.start()):
            found.figures.append(Figure(m.group(), value, m.start(), m.end()))


def _inside_a_name(text: str, start: int) -> bool:
    """COVID-19, GPT-4, F-35: a figure joined to a word by a hyphen is part of a name, not a quantity."""
    return start >= 2 and text[start - 1] in "-\u2010\u2011" and text[start - 2].isalpha()


def _read_words(text: str, found: EnglishNumbers) -> None:
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    lowered = [w.lower() for w, _, _ in words]
    k = 0
    while k < len(words):
        word, start, _ = words[k]
        low = lowered[k]
        month = _month(words, lowered, k, text)
        if month:
            found.values.add(Decimal(month))
        if word[:1].isupper() and low in WEEKDAYS:
            found.weekday = True
        if low in _MULTIPLES:
            found.values.add(Decimal(_MULTIPLES[low]))
        if low in _FRACTIONS and (low != "quarter" or k and lowered[k - 1] in ("a", "one")):
            found.values.add(_FRACTIONS[low])  # not "the third quarter"
            found.shares.add(_FRACTIONS[low] * 100)
        fold = _FOLD.match(low)
        if fold and fold.group(1) in _UNITS:
            found.values.add(Decimal(_UNITS[fold.group(1)]))
        end = _number_run(words, lowered, k, text)
        if end > k:
            _add_run(words, lowered, k, end, text, found)
            k = end
            continue
        k += 1


def _joined(text: str, words, a: int, b: int) -> bool:
    """Are words a and b (b = a + 1) parts of one number: only spaces or hyphens between them?"""
    return bool(_JOINER.match(text[words[a][2]:words[b][1]]))


def _is_number_word(low: str) -> bool:
    return low in _UNITS or low in _TENS or low in _SCALE_WORDS or low in _ORDINALS or low in _SCALE_ORDINALS


def _number_run(words, lowered, k: int, text: str) -> int:
    """The end (exclusive) of the number words starting at k: 'two hundred and fifty million', 'a million',
    'half a million', 'twenty-first'; k itself when none start there."""
    low = lowered[k]
    end = k
    if low in ("a", "an", "half") and k + 1 < len(words) and _joined(text, words, k, k + 1):
        following = lowered[k + 1]
        if low == "half" and following == "a" and k + 2 < len(words) and lowered[k + 2] in _SCALE_WORDS:
            return k + 3
        if following in _SCALE_WORDS or following in _PER_COUNT:
            end = k + 1
        else:
            return k
    elif not _is_number_word(low):
        return k
    while end < len(words):
        if _is_number_word(lowered[end]):
            if lowered[end] in _ORDINALS or lowered[end] in _SCALE_ORDINALS:
                return end + 1  # an ordinal ends the number
            if end + 1 < len(words) and _is_number_word(lowered[end + 1]) and _joined(text, words, end, end + 1):
                end += 1
                continue
            if end + 2 < len(words) and lowered[end + 1] == "and" and _is_number_word(lowered[end + 2]) \
                    and lowered[end] in _SCALE_WORDS:
                end += 2
                continue
            return end + 1
        return end
    return end


def _add_run(words, lowered, k: int, end: int, text: str, found: EnglishNumbers) -> None:
    run = lowered[k:end]
    if run[0] in _SCALE_WORDS and _AFTER_A_FIGURE.search(text[max(0, words[k][1] - 8):words[k][1]]):
        return  # the "million" of "1.5 million": the figure was read with its scale
    if run[:2] == ["half", "a"]:
        value = Decimal("0.5") * _SCALE_WORDS[run[2]]
        found.values.add(value)
        found.figures.append(Figure(text[words[k][1]:words[end - 1][2]], value, words[k][1], words[end - 1][2]))
        return
    count = 1 if run in (["a"], ["an"]) else _words_value(run)
    nxt = lowered[end] if end < len(words) and _joined(text, words, end - 1, end) else ""
    if nxt in _PER_COUNT:  # a decade, two dozen
        found.values.add(Decimal(count * _PER_COUNT[nxt]))
    if nxt in ("quarter", "quarters") and run[-1] in _ORDINALS:  # the third quarter: July to September
        found.values.update(Decimal(v) for v in _QUARTER_MONTHS.get(_ORDINALS[run[-1]], ()))
    if nxt == "half" and run[-1] in _ORDINALS:
        found.values.update(Decimal(v) for v in _HALF_MONTHS.get(_ORDINALS[run[-1]], ()))
    if nxt in ("quarter", "quarters") and run[-1] not in _ORDINALS:  # three quarters
        found.values.add(Decimal(count) / 4)
        found.shares.add(Decimal(count) * 25)
    if run == ["a"] or run == ["an"]:
        return
    found.values.add(Decimal(count))
    if any(w in _SCALE_WORDS and w != "hundred" for w in run):  # ten million: a quantity, as figures are
        found.figures.append(Figure(text[words[k][1]:words[end - 1][2]], Decimal(count), words[k][1],
                                    words[end - 1][2]))


def _words_value(words: list[str]) -> int:
    total = current = 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _ORDINALS:
            current += _ORDINALS[word]
        elif word in ("hundred", "hundredth"):
            current = (current or 1) * 100
        elif word in _SCALE_WORDS or word in _SCALE_ORDINALS:
            total += (current or 1) * (_SCALE_WORDS.get(word) or _SCALE_ORDINALS[word])
            current = 0
    return total + current


def _month(words, lowered, k: int, text: str) -> int:
    """The month a word names, or 0: January, Jan. 13, mid-March; 'May' only where a date is meant."""
    word, _, end = words[k]
    if not word[:1].isupper():
        return 0
    low = lowered[k]
    after = text[end:end + 4]
    figure_next = bool(re.match(r"\.?,?\s*\d", after))
    if low in MONTHS and low != "may":
        return MONTHS[low]
    if low == "may":
        before = lowered[k - 1] if k else ""
        return 5 if figure_next or before in _DATE_WORDS or after.startswith("'s") else 0
    if low in _MONTH_SHORT and figure_next:
        return _MONTH_SHORT[low]
    return 0
