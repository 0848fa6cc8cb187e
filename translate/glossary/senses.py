r"""The glossary's `context` column: when a short name means what the glossary says.

Syntax of a context cell (conditions separated by `;`, all of them must hold):
  w1|w2|w3       one of these words appears nearby
  !w1|w2         none of these words appears nearby
  re:PATTERN     a Python regular expression matches nearby, covering at least part of the match
                 (`!re:` must not): !re:[0-9]\s*字节 means "not after a number"; no `;` inside
  @list          (as one of the words of a condition) the match stands in a list of glossary names,
                 joined only by 、 , 和 与 及 跟 or /: 字节、阿里、腾讯
  @case          match the Latin letters of the source case-sensitively (all-caps sources such as
                 BAT or AI always are); @anycase: match them in any case
"Nearby" is the sentence holding the match (up to 。！？；!?; or a line break), at most NEARBY
characters either side of it, the match included.

A match whose negative condition (`!`) holds is another sense: not a term, nothing to flag.
A match whose positive condition fails is uncertain: not enforced, flagged `term-ambiguous`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

NEARBY = 20
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
LIST_JOINERS = {"、", ",", "，", "和", "与", "及", "以及", "跟", "/", "／"}
ENFORCE, AMBIGUOUS, OTHER_SENSE = "enforce", "ambiguous", "other-sense"


@dataclass
class Nearby:
    """The text near a match, and where the match lies in it."""

    text: str
    start: int
    end: int


@dataclass
class Condition:
    negative: bool
    words: tuple[str, ...] = ()
    pattern: re.Pattern | None = None
    in_list: bool = False  # @list is one of the alternatives

    def holds(self, near: Nearby, listed: bool) -> bool:
        if self.pattern is not None:
            return any(m.start() < near.end and m.end() > near.start for m in self.pattern.finditer(near.text))
        return (self.in_list and listed) or any(word in near.text for word in self.words)


@dataclass
class Context:
    conditions: list[Condition] = field(default_factory=list)
    case: bool | None = None  # None: decided by the source (all-caps Latin is case-sensitive)

    @property
    def needs_list(self) -> bool:
        return any(c.in_list for c in self.conditions)

    def judge(self, near: Nearby, listed: bool = False) -> str:
        """ENFORCE, AMBIGUOUS (a positive condition fails) or OTHER_SENSE (a negative one holds)."""
        if any(c.negative and c.holds(near, listed) for c in self.conditions):
            return OTHER_SENSE
        if all(c.holds(near, listed) for c in self.conditions if not c.negative):
            return ENFORCE
        return AMBIGUOUS


@lru_cache(maxsize=4096)
def parse_context(text: str) -> Context:
    """Parse a context cell; ValueError (with what is wrong) for a bad one."""
    context = Context()
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        if part in ("@case", "@anycase"):
            context.case = part == "@case"
            continue
        negative = part.startswith("!")
        body = part[1:].strip() if negative else part
        if body.startswith("re:"):
            try:
                context.conditions.append(Condition(negative, pattern=re.compile(body[3:])))
            except re.error as exc:
                raise ValueError(f"bad regular expression in context '{body[3:]}': {exc}") from exc
            continue
        words = tuple(w.strip() for w in body.split("|") if w.strip())
        unknown = [w for w in words if w.startswith("@") and w != "@list"]
        if unknown:
            raise ValueError(f"unknown context keyword {unknown[0]} (use @list, @case or @anycase)")
        if not words:
            raise ValueError(f"empty context condition '{part}'")
        context.conditions.append(Condition(negative, tuple(w for w in words if w != "@list"),
                                            in_list="@list" in words))
    return context


def case_sensitive(source: str, context: Context) -> bool:
    """Latin letters match case-sensitively when the entry says so (@case) or are all capitals (BAT, AI)."""
    if context.case is not None:
        return context.case
    letters = [ch for ch in source if ch.isascii() and ch.isalpha()]
    return all(ch.isupper() for ch in letters)


def nearby(text: str, start: int, end: int) -> Nearby:
    """The text near [start, end): its sentence, at most NEARBY characters either side."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, max(0, start - NEARBY), start)]
    first = max(before[-1] if before else 0, start - NEARBY, 0)
    after = _SENTENCE_END.search(text, end, end + NEARBY)
    last = after.start() if after else min(len(text), end + NEARBY)
    return Nearby(text[first:last], start - first, end - first)


def joined_as_list(text: str, left_end: int, right_start: int) -> bool:
    """Is the text between two matches only a list joiner (、 和 与 ...)?"""
    between = text[left_end:right_start].strip()
    return between in LIST_JOINERS
