"""Segmentation evidence: does the sentence read as words with the spun form, or with the original?

A unigram word model over jieba's dictionary (the best segmentation's log-probability, as jieba
itself computes it) scores a short window around a site twice: as written and with the original
put back. The two words' own frequencies are taken out again (the base rates are weighed
elsewhere), so what remains is what the neighbours say:
- 昨天下午 reads 昨天/下午; put 世界 for 天下 and the window falls apart (昨/世界/午): the spun-looking
  form lies across a word boundary, it is no word here, keep it;
- 一朝一夕 is one dictionary word (an idiom); 一旦一夕 is none: keep;
- 职业技能学院 against 职业技术学院 (one dictionary word): restore, whatever keep-phrase 职业技能 says;
- 群众举报 against 全球举报: both read as two words, so segmentation says nothing.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

_CLAUSE_END = re.compile(r"[，,。．.！!？?；;：:、“”\"‘’'（）()《》\s]")
WINDOW = 6  # characters of context on each side, within the clause
MAX_WORD = 12


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, int], float]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba.dt.FREQ, math.log(jieba.dt.total)


@lru_cache(maxsize=65536)
def segment(text: str) -> tuple[float, tuple[int, ...]]:
    """The best segmentation of `text`: its log-probability and the offsets where its words end
    (unknown characters count as frequency 1)."""
    freq, log_total = _dictionary()
    n = len(text)
    route: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
    for i in range(n - 1, -1, -1):
        best = (-math.inf, i + 1)
        for j in range(i + 1, min(n, i + MAX_WORD) + 1):
            word = text[i:j]
            count = freq.get(word)
            if count is None and j > i + 1:
                break  # jieba's dictionary holds every prefix of its words: nothing longer starts here
            if count or j == i + 1:
                best = max(best, (math.log(count or 1) - log_total + route[j][0], j))
        route[i] = best
    ends, i = [], 0
    while i < n:
        i = route[i][1]
        ends.append(i)
    return route[0][0], tuple(ends)


def best_path(text: str) -> float:
    """Log-probability of the best segmentation of `text`."""
    return segment(text)[0]


def is_word_span(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] begins and ends on word boundaries of the best segmentation of `text`."""
    ends = segment(text)[1]
    return (start == 0 or start in ends) and (end == len(text) or end in ends)


def context(before: str, after: str, window: int = WINDOW) -> tuple[str, str]:
    """The clause around a site, at most `window` characters each side."""
    left = before[-window:] if window else ""
    cut = [m.end() for m in _CLAUSE_END.finditer(left)]
    left = left[cut[-1]:] if cut else left
    right = after[:window]
    stop = _CLAUSE_END.search(right)
    return left, right[:stop.start()] if stop else right


def reading_gain(spun: str, original: str, before: str, after: str) -> float:
    """Log-odds (natural) that the neighbours favour reading `original` here over `spun`, beyond the two
    words' own frequencies: negative where the spun form belongs to the words around it."""
    left, right = context(before, after)
    if not left and not right:
        return 0.0
    restored = best_path(left + original + right) - best_path(original)
    kept = best_path(left + spun + right) - best_path(spun)
    return restored - kept


def phrase_holds(spun: str, before: str, after: str, prefix: str, suffix: str) -> bool:
    """Whether the keep-phrase prefix+spun+suffix around a site is read as words of its own: 群众文化 holds in
    群众文化活动 but not in 群众文化交流 (群众/文化交流), where it must not block the repair of 群众."""
    left, right = context(before, after, WINDOW + max(len(prefix), len(suffix)))
    if not left.endswith(prefix) or not right.startswith(suffix):
        return False
    text = left + spun + right
    return is_word_span(text, len(left) - len(prefix), len(left) + len(spun) + len(suffix))


def bound_in_words(spun: str, original: str, before: str, after: str) -> bool:
    """Whether the spun form, as written, lies across a word boundary of its clause (昨天下午) or inside a fixed
    phrase at least two characters longer (当今社会, 一朝一夕; not 若干年, where a suffix makes the word), while
    the original, put back, would stand as a word of its own: then the form is no substitution."""
    left, right = context(before, after)
    if (not left and not right) or not _dictionary()[0].get(spun):
        return False  # a form that is no word of its own (街谈) says nothing by where its boundaries fall
    kept = left + spun + right
    start, end = len(left), len(left) + len(spun)
    if is_word_span(kept, start, end):
        return False
    if not is_word_span(left + original + right, start, start + len(original)):
        return False
    words = (0,) + segment(kept)[1]
    inside = [(a, b) for a, b in zip(words, words[1:]) if a <= start and end <= b]
    return not inside or inside[0][1] - inside[0][0] >= len(spun) + 2


def across_words(spun: str, original: str, before: str, after: str) -> bool:
    """Whether a form that is no word (组多, 说念, 出当今) stands here only because two words meet across it:
    调查组/多方, 常说/念书, 指出/当今, 线上 after 时期. True when, in its clause as written, a dictionary word of two
    or more characters runs across the form's edge and the neighbours read better with the form kept than
    with the original put back (中的组多数企业 reads better as 大多数: restored)."""
    left, right = context(before, after)
    if not left and not right:
        return False
    start, end = len(left), len(left) + len(spun)
    words = (0,) + segment(left + spun + right)[1]
    if not any(b - a >= 2 and (a < start < b or a < end < b) for a, b in zip(words, words[1:])):
        return False
    return reading_gain(spun, original, before, after) < 0
