"""Glossary enforcement: find terms in the source, protect them through MT, restore, verify.

Two protection strategies, tried in this order per segment:
  inline       the English target is written into the Chinese source; the model copies it.
  placeholder  the term becomes a token (ZX1) that the model copies; we put the target back.
A segment whose terms are not all present after the first is retried with the second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Block, TermHit, fold_width
from ..qa.numbers import large_numbers
from .model import Entry, Glossary
from .senses import AMBIGUOUS, ENFORCE, OTHER_SENSE, Context, case_sensitive, joined_as_list, nearby, parse_context
from .word_bounds import WordBoundaries, has_han

_PLACEHOLDER = "ZX{}"
_PLACEHOLDER_ANY = re.compile(r"\bZ\s*X\s*(\d+)\b", re.IGNORECASE)
# After these a term is a noun, not a modifier: 开源的, 开源第一, 开源。
_NOT_A_NOUN_NEXT = set("的地得了和与及或、，,。.；;：:！!？?“”\"（）()第是也都就在为将被")
_LATIN = re.compile(r"[A-Za-z0-9]")


@dataclass
class Span:
    """A source span that must come out as one of `targets` (chosen form first)."""

    start: int
    end: int
    source: str
    targets: list[str]
    kind: str  # glossary kind, or "number"
    key: str  # glossary entry key (first source variant) or the number text


@dataclass
class TermMatches:
    """Glossary matches of one text: spans to enforce, and spans whose sense is uncertain."""

    enforce: list[Span]
    ambiguous: list[Span]


@dataclass
class _Candidate:
    span: Span
    entry: Entry
    context: Context
    verdict: str = ENFORCE


class TermMatcher:
    """Finds glossary terms where they are whole words and, for entries with a context, in their sense.

    `memo` (get/put of strings, such as the run's SegmentCache) keeps word boundaries between runs.
    """

    def __init__(self, glossary: Glossary, memo=None):
        self.entries: dict[str, Entry] = {}
        alternatives = []
        for variant, entry in sorted(glossary.by_source().items(), key=lambda item: -len(item[0])):
            variant = fold_width(variant)  # matched against width-folded text (Ａ１００ is A100)
            if case_sensitive(variant, parse_context(entry.context)):
                self.entries[variant] = entry
                alternatives.append(re.escape(variant))
            else:
                self.entries.setdefault(variant.lower(), entry)
                alternatives.append(f"(?i:{re.escape(variant)})")
        self.pattern = re.compile("|".join(alternatives)) if alternatives else None
        self.bounds = WordBoundaries(list(self.entries), memo)

    def find(self, text: str) -> list[Span]:
        """Spans to enforce: longest match first, left to right, never inside a longer term or word."""
        return self.analyse(text).enforce

    def analyse(self, text: str) -> TermMatches:
        candidates = self._whole_word_candidates(text)
        for candidate in candidates:
            if candidate.context.conditions:
                candidate.verdict = candidate.context.judge(nearby(text, candidate.span.start, candidate.span.end))
        for index, candidate in enumerate(candidates):
            if candidate.verdict == AMBIGUOUS and candidate.context.needs_list:
                listed = _in_a_list_of_names(text, candidates, index)
                candidate.verdict = candidate.context.judge(nearby(text, candidate.span.start, candidate.span.end),
                                                            listed)
        return TermMatches([c.span for c in candidates if c.verdict == ENFORCE],
                           [c.span for c in candidates if c.verdict == AMBIGUOUS])

    def _whole_word_candidates(self, text: str) -> list[_Candidate]:
        if self.pattern is None:
            return []
        found = []
        folded = fold_width(text)  # one for one: offsets in `folded` are offsets in `text`
        for m in self.pattern.finditer(folded):
            start, end = m.span()
            if _cuts_latin_word(folded, start, end):
                continue
            entry = self.entries.get(m.group()) or self.entries[m.group().lower()]
            span = Span(start, end, text[start:end], _targets_in_context(entry, text, end), entry.kind, entry.key)
            found.append(_Candidate(span, entry, parse_context(entry.context)))
        if any(has_han(c.span.source) for c in found):
            bounds = self.bounds.of(text)
            found = [c for c in found if not has_han(c.span.source) or {c.span.start, c.span.end} <= bounds]
        return found


def _in_a_list_of_names(text: str, candidates: list[_Candidate], index: int) -> bool:
    """Is candidate `index` next to a glossary name, joined as list items (字节、阿里、腾讯)?"""
    here = candidates[index].span
    for other_index in (index - 1, index + 1):
        if not 0 <= other_index < len(candidates):
            continue
        other = candidates[other_index]
        if other.entry.kind != "name" or other.verdict == OTHER_SENSE:
            continue
        left, right = (other.span, here) if other_index < index else (here, other.span)
        if joined_as_list(text, left.end, right.start):
            return True
    return False


def _cuts_latin_word(text: str, start: int, end: int) -> bool:
    """A100 must not match inside A1000; Latin terms need word boundaries."""
    before = start > 0 and _LATIN.match(text[start - 1]) and _LATIN.match(text[start])
    after = end < len(text) and _LATIN.match(text[end]) and _LATIN.match(text[end - 1])
    return bool(before or after)


def _targets_in_context(entry: Entry, text: str, end: int) -> list[str]:
    """Put the hyphenated form first when a noun follows (开源模型 -> open-source model)."""
    targets = entry.targets
    adjective = targets[0].replace(" ", "-")
    if adjective in targets[1:] and end < len(text) and "\u4e00" <= text[end] <= "\u9fff" \
            and text[end] not in _NOT_A_NOUN_NEXT:
        return [adjective] + [t for t in targets if t != adjective]
    return targets


def number_spans(text: str) -> list[Span]:
    return [Span(n.start, n.end, n.source, [n.english], "number", n.source) for n in large_numbers(text)]


# Each open-ended class stops at the character that starts the next attempt (`]`, `<`) and a title is
# bounded: `[^)\s]+` alone rescanned to the end of the text from every `](`, quadratic in a long paragraph.
_MARKUP = re.compile(r"`[^`\n]+`|\]\([^)\s\]]+(?:\s+\"[^\"\n]{0,500}\")?\)|<https?://[^<>\s]+>|https?://[^\s)\]，。、]+"
                     # inline HTML tags and entities (CMS Markdown): kept exactly, never translated
                     r"|</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?/?>|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")


def markup_spans(text: str) -> list[Span]:
    """Inline code, link targets and URLs: copied through translation untouched."""
    return [Span(m.start(), m.end(), m.group(), [m.group()], "markup", m.group()) for m in _MARKUP.finditer(text)]


def merge_spans(*groups: list[Span]) -> list[Span]:
    """Spans of earlier groups win over later ones they overlap; result sorted by start."""
    import bisect

    # Kept spans never overlap, so only the neighbours by start can clash with a new one:
    # linear in the number of spans (a paragraph of megabytes holds tens of thousands).
    kept: list[Span] = []
    starts: list[int] = []
    for group in groups:
        for span in group:
            at = bisect.bisect_right(starts, span.start)
            if at and not (span.end <= kept[at - 1].start or span.start >= kept[at - 1].end):
                continue
            if at < len(kept) and not (span.end <= kept[at].start or span.start >= kept[at].end):
                continue
            kept.insert(at, span)
            starts.insert(at, span.start)
    return kept


def protect(text: str, spans: list[Span], strategy: str) -> str:
    """Replace each span (offsets into `text`) by its target or a placeholder."""
    out, position = [], 0
    for index, span in enumerate(spans, start=1):
        out.append(text[position : span.start])
        replacement = span.targets[0] if strategy == "inline" else _PLACEHOLDER.format(index)
        # Space out Latin replacements from neighbouring Latin so tokens do not fuse.
        before = (out[-1] or (out[-2] if len(out) > 1 else ""))[-1:]
        if before and _LATIN.match(before):
            replacement = " " + replacement
        if span.end < len(text) and _LATIN.match(text[span.end]):
            replacement += " "
        out.append(replacement)
        position = span.end
    out.append(text[position:])
    return "".join(out)


def restore(translation: str, spans: list[Span], strategy: str) -> str:
    """Put targets back for placeholders; drop any placeholder we cannot place."""
    if strategy != "placeholder":
        if _PLACEHOLDER_ANY.search(translation):
            translation = _PLACEHOLDER_ANY.sub("", translation)
        return _respace_targets(translation, spans)

    def put_back(m: re.Match) -> str:
        index = int(m.group(1))
        return spans[index - 1].targets[0] if 1 <= index <= len(spans) else ""

    restored = _PLACEHOLDER_ANY.sub(put_back, translation)
    return re.sub(r"\s{2,}", " ", restored).strip()


def _respace_targets(translation: str, spans: list[Span]) -> str:
    """Undo spaces a model put inside a copied target: '10, 000' -> '10,000'."""
    for span in spans:
        target = span.targets[0]
        if "," in target or "." in target:
            loose = r"\s*".join(re.escape(ch) for ch in target.replace(" ", ""))
            translation = re.sub(loose, target, translation) if target not in translation else translation
    return translation


def present(translation: str, span: Span) -> bool:
    """Is one of the span's targets in the translation? Case-insensitive, inflected forms of the last
    word accepted (battery: batteries, battery's; company: companies')."""
    return any(target_pattern(t).search(translation) for t in span.targets)


def target_pattern(target: str) -> re.Pattern:
    """A glossary target in running English: any case, spaces or hyphens between its words, its last word inflected."""
    words = [w for w in re.split(r"[\s\-]+", target.strip()) if w]
    body = r"[\s\-]*".join([re.escape(w) for w in words[:-1]] + [_inflected(words[-1])] if words else [])
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", re.IGNORECASE)


def _inflected(word: str) -> str:
    """The plural and possessive forms of an English word, as a pattern: battery -> batteries, chairman ->
    chairmen, analysis -> analyses, bank -> banks' (a wrong-looking form only makes a missing term rarer)."""
    low = word.lower()
    if len(word) > 2 and low.endswith("y") and low[-2] not in "aeiou":
        return re.escape(word[:-1]) + r"(?:y|ies)(?:'s|')?"
    if len(word) > 3 and low.endswith("man"):
        return re.escape(word[:-3]) + r"m[ae]n(?:'s)?"
    if len(word) > 3 and low.endswith("is"):
        return re.escape(word[:-2]) + r"(?:is|es)(?:'s)?"
    return re.escape(word) + r"(?:s|es)?(?:'s|')?"


def missing(translation: str, spans: list[Span]) -> list[Span]:
    return [s for s in spans if not present(translation, s)]


def record_block_terms(block: Block, matcher: TermMatcher | None, markup: list[Span]) -> list[Span]:
    """Find the glossary terms in `block`, record them (with ambiguous ones) on `block.terms`, flag the
    ambiguous ones `term-ambiguous`, and return the spans to enforce. Both translation paths share this."""
    matches = matcher.analyse(block.text) if matcher else TermMatches([], [])
    enforce = [s for s in merge_spans(markup, matches.enforce) if s.kind != "markup"]
    uncertain = [s for s in merge_spans(markup, matches.ambiguous) if s.kind != "markup"]
    block.terms = sorted([TermHit(s.source, s.targets[0], s.kind, s.start, key=s.key) for s in enforce]
                         + [TermHit(s.source, s.targets[0], s.kind, s.start, key=s.key, ambiguous=True)
                            for s in uncertain], key=lambda hit: hit.start)
    for span in uncertain:  # not enforced: flagged so the editor decides the sense
        block.flag("term-ambiguous", "info", f"{span.source} may not mean {span.targets[0]} here (glossary entry "
                   f"{span.key}), so it was left to the engine: check the sense", span=span.source)
    return enforce


def record_enforcement(block: Block, spans: list[Span], translation: str, hit_for, strategy: str,
                       missing_note: str = "") -> None:
    """After translation: mark each term hit enforced or not (with the strategy that got it through), and
    flag what did not survive (`term-missing`, `markup-missing`). Both translation paths share this.

    `hit_for(span)` is the block's TermHit for a span (None for spans that are not glossary hits)."""
    absent = {id(s) for s in missing(translation, spans)}
    for span in spans:
        if span.kind == "number":
            continue
        if span.kind == "markup":
            if id(span) in absent:
                block.flag("markup-missing", "warning", f"{span.source} did not survive translation", span=span.source)
            continue
        hit = hit_for(span)
        if hit is None:
            continue
        hit.enforced = id(span) not in absent
        hit.strategy = strategy
        if not hit.enforced and span.kind == "name":  # as `translate check` judges a wrong name: an error
            block.flag("name-missing", "error", f"the name {span.source} should read '{span.targets[0]}'"
                       f"{missing_note}", span=span.source)
        elif not hit.enforced:
            block.flag("term-missing", "warning", f"glossary term {span.source} -> {span.targets[0]} "
                       f"is not in the translation{missing_note}", span=span.source)
