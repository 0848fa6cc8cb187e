"""Quality checks on a translated block. Each problem becomes a Flag the editor sees."""

from __future__ import annotations

import re

from ..document import Block, TermHit
from ..glossary.matcher import Span, TermMatcher, present, target_pattern
from .names import NameMentions
from .numbers import added_numbers, english_number, missing_numbers

_HAN = re.compile(r"[\u3400-\u9fff]+")
_LATIN_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")
# Words, or single characters of scripts without spaces (a looping model may emit either);
# punctuation is left out so that "X, X, X" lists of names do not read as loops.
_LOOP_TOKEN = re.compile(r"[A-Za-z0-9']+|[^\W\d_A-Za-z]")
MIN_RATIO, MAX_RATIO = 0.6, 8.0  # English characters per source character, zh -> en
# Against the translation's own ratio: the shortest right paragraph of a news translation is about
# 0.55 of it; half a paragraph left out falls well below.
RELATIVE_MIN = 0.45
_SENTENCE_END = tuple("。！？!?…")
_CLOSED = tuple(".!?…\"”’')）]")
# A translation that stops on one of these was cut off, not finished.
_DANGLING = re.compile(r"(?:[,;:\-–—(]|\b(?:the|a|an|of|to|and|or|but|in|on|at|for|with|by|from|that|which|its|their|"
                       r"his|her|was|were|is|are|has|have|had|as|than))\s*$", re.I)


def check_block(block: Block, terms: list[Span] | None = None, expected_ratio: float | None = None,
                names: NameMentions | None = None) -> None:
    """Add QA flags to `block` (its translation against its repaired source).

    With `terms` (the glossary spans of its source), also check that each term's target, or one
    of its alternatives, is in the translation: a missing name is an error (a wrong name is a
    wrong fact), a missing term a warning (a synonym may be the translator's fair choice).
    `names` (one per article, blocks checked in reading order) accepts a name's short form (Zeng)
    once the article has given it in full (Robin Zeng).
    `expected_ratio` (the whole translation's characters per source character) makes the
    length check relative to it, which catches a paragraph the translator only half rendered.
    """
    if not block.kind.translatable:
        return
    source, translation = block.text, block.translation
    if not translation.strip():
        block.flag("empty", "error", "the translation is empty")
        return
    glossary_targets = [t for span in terms or [] for t in span.targets] + [hit.target for hit in block.terms]
    # a list item's own number ("1. Expanding exports", as en.docx writes an ordered Markdown item) is no figure
    counted = _LIST_NUMBER.sub("", translation) if not _LIST_NUMBER.match(source) else translation
    _check_numbers(block, source, counted, glossary_targets)
    _check_latin(block, source, translation, terms or [])
    if terms:
        _check_terms(block, translation, terms, names)
    _check_untranslated(block, translation)
    _check_repetition(block, translation)
    _check_length(block, source, translation, expected_ratio)
    _check_truncated(block, source, translation)


_LIST_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s+(?=\D)")


def check_translation(block: Block, matcher: TermMatcher | None = None, expected_ratio: float | None = None,
                      names: NameMentions | None = None) -> None:
    """QA for a translation that did not come from the engine (a translator's, the TM's, an
    editor's): every check of the MT path, the glossary included. Records the block's term hits."""
    spans = matcher.find(block.text) if matcher else []
    block.terms = [TermHit(s.source, s.targets[0], s.kind, s.start, enforced=present(block.translation, s), key=s.key)
                   for s in spans]
    check_block(block, spans, expected_ratio, names)


def _check_numbers(block: Block, source: str, translation: str, glossary_targets: list[str]) -> None:
    for text, value in missing_numbers(source, translation):
        english = english_number(value)
        # "2025 (= 2,025)" says nothing: the value is shown only where it is not the source's own figure
        shown = "" if english.replace(",", "") == text else f" (= {english})"
        block.flag("number", "error", f"{text}{shown} is missing or wrongly scaled", span=text)
    for figure in added_numbers(source, translation, glossary_targets):
        block.flag("number-added", "warning", f"{figure.text} is not in the source: added, or from another "
                   "paragraph", span=figure.text)


MAX_SUBSTRING_SEARCHES = 500  # per block: keeps the check linear on a paragraph of megabytes


# A Markdown link's target is markup, not words to render: a Word file shows only its text (en.docx keeps the
# target in the hyperlink), so it is not looked for in the translation; an autolink's URL is its text, and is.
_LINK_TARGET = re.compile(r"\]\(\s*(?:<[^<>\n]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\s*\)")  # not <autolinks>: their URL is the text


def _check_latin(block: Block, source: str, translation: str, terms: list[Span]) -> None:
    source = _LINK_TARGET.sub("]", source)
    lowered = translation.lower()
    words = {w.lower() for w in _LATIN_TOKEN.findall(translation)}
    # A Latin term with glossary alternatives (CEO: chief executive) may be rendered by any of them.
    rendered = {s.source.lower() for s in terms if present(translation, s)}
    searches = 0
    for token in dict.fromkeys(_LATIN_TOKEN.findall(source)):
        if len(token) < 2 or token.lower() in words or token.lower() in rendered:
            continue
        searches += 1
        if searches > MAX_SUBSTRING_SEARCHES:
            return
        if token.lower() not in lowered:
            block.flag("latin", "warning", f"'{token}' from the source is not in the translation", span=token)


def _check_terms(block: Block, translation: str, terms: list[Span], names: NameMentions | None) -> None:
    for span in terms:
        if span.kind == "markup" or _LATIN_TOKEN.fullmatch(span.source):
            continue  # Latin sources are the Latin check's
        if present(translation, span):
            if names is not None and span.kind == "name":
                names.record(span.key)
            continue
        if names is not None and span.kind == "name" \
                and names.short_form_used(translation, span.source, span.key, span.targets):
            continue
        expected = " or ".join(f"'{t}'" for t in span.targets)
        if span.kind == "name":
            block.flag("name-missing", "error", f"the name {span.source} should read {expected}", span=span.source)
        else:
            block.flag("term-missing", "warning", f"glossary term {span.source} -> {expected} "
                       "is not in the translation", span=span.source)


def _check_untranslated(block: Block, translation: str) -> None:
    for run in _HAN.findall(translation):
        block.flag("untranslated", "warning", f"Chinese left in the translation: {run}", span=run)


def _check_repetition(block: Block, translation: str) -> None:
    # A loop happens inside one generation, so each sentence is checked on its own.
    outputs = [s.translation for s in block.segments if s.translation] or [translation]
    for output in outputs:
        phrase = repeated_phrase(output)
        if phrase:
            block.flag("repetition", "error", f"'{phrase}' repeats: the model looped", span=phrase)
            return


def repeated_phrase(text: str) -> str | None:
    """A token said four times in a row, a phrase of 2-4 tokens three times in a row, or a
    4-gram said four times anywhere: the signs of a model stuck in a loop."""
    words = [w.lower() for w in _LOOP_TOKEN.findall(text)]
    for size in (1, 2, 3, 4):
        times = 4 if size == 1 else 3
        for start in range(0, max(0, len(words) - times * size + 1)):
            gram = words[start : start + size]
            if all(words[start + k * size : start + (k + 1) * size] == gram for k in range(1, times)):
                return " ".join(gram)
    counts: dict[tuple, int] = {}
    for start in range(len(words) - 3):
        gram = tuple(words[start : start + 4])
        counts[gram] = counts.get(gram, 0) + 1
        if counts[gram] >= 4:
            return " ".join(gram)
    return None


def _check_truncated(block: Block, source: str, translation: str) -> None:
    """A source that ends a sentence, translated by text that stops mid-sentence."""
    text = translation.rstrip()
    if not source.rstrip().rstrip("”’\"'）)").endswith(_SENTENCE_END) or text.endswith(_CLOSED):
        return
    dangling = _DANGLING.search(text)
    block.flag("truncated", "error" if dangling else "warning",
               f"the translation stops mid-sentence: ...{text[-40:]}", span=text[-20:])


def _check_length(block: Block, source: str, translation: str, expected_ratio: float | None) -> None:
    han = len(_HAN.findall(source) and "".join(_HAN.findall(source)))
    if han < 12:
        return
    ratio = len(translation) / max(1, len(source))
    if ratio < max(MIN_RATIO, RELATIVE_MIN * (expected_ratio or 0)):
        block.flag("length", "warning", f"the translation is unusually short ({ratio:.1f} characters per source character)")
    elif ratio > MAX_RATIO:
        block.flag("length", "warning", f"the translation is unusually long ({ratio:.1f} characters per source character)")


def check_links(blocks: list[Block], links: list, matcher: TermMatcher | None, omissions: bool = False) -> None:
    """The QA checks of the MT path on each aligned pair. Merged blocks are checked as one text
    against their shared translation, the flags going to the first; dropped blocks carry their
    alignment flag only. `omissions`: also look for sentences left out (qa.omission)."""
    linked = [blocks[i] for link in links if link.target for i in link.source]
    ratio = sum(len(b.translation) for b in linked) / max(1, sum(len(b.text) for b in linked))
    names = NameMentions()
    for link in links:
        if not link.source or not link.target:
            continue
        first = blocks[link.source[0]]
        if not first.translation.strip() and any(f.code == "empty" for f in first.flags):
            continue  # a blank left for it: flagged as such when the translation was filled in
        if len(link.source) == 1:
            check_translation(first, matcher, ratio, names)
            if omissions:
                from .omission import check_omissions

                check_omissions(first)
            continue
        merged = Block(first.id, first.kind, "".join(blocks[i].text for i in link.source), translation=first.translation)
        check_translation(merged, matcher, ratio, names)
        first.terms = merged.terms
        for flag in merged.flags:
            first.flag(flag.code, flag.severity, flag.message, flag.span)


def flag_counts(blocks: list[Block]) -> dict[str, int]:
    return {"errors": sum(1 for b in blocks for f in b.flags if f.severity == "error"),
            "warnings": sum(1 for b in blocks for f in b.flags if f.severity == "warning")}


class ForbiddenTerms:
    """Forbidden renderings (a glossary entry's `avoid`, e.g. deprecated TBX terms), checked in any translation
    (MT, TM, aligned or human): flagged `term-forbidden` where the entry's source occurs in its sense."""

    def __init__(self, entries):
        from ..glossary.matcher import TermMatcher
        from ..glossary.model import Glossary

        forbidding = [e for e in entries if e.avoid]
        self.by_key = {e.key: e for e in forbidding}
        self.matcher = TermMatcher(Glossary(forbidding, digest="avoid")) if forbidding else None

    def check(self, block: Block) -> None:
        if self.matcher is None or not block.kind.translatable or not block.translation:
            return
        for key in dict.fromkeys(span.key for span in self.matcher.find(block.text)):
            entry = self.by_key[key]
            for rendering in entry.avoid:
                if target_pattern(rendering).search(block.translation):
                    block.flag("term-forbidden", "error", f"'{rendering}' is a forbidden rendering of {entry.key}; "
                               f"use '{entry.targets[0]}'", span=rendering)


def check_forbidden_terms(block: Block, entries) -> None:
    """`ForbiddenTerms(entries).check(block)`, for one block (build ForbiddenTerms once for many)."""
    ForbiddenTerms(entries).check(block)


