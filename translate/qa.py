"""Quality checks on a translated block. Each problem becomes a Flag the editor sees."""

from __future__ import annotations

import re
from decimal import Decimal

from .document import Block
from .numbers import english_number, source_values, target_values

_HAN = re.compile(r"[\u3400-\u9fff]+")
_LATIN_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")
# Words, or single characters of scripts without spaces (a looping model may emit either);
# punctuation is left out so that "X, X, X" lists of names do not read as loops.
_LOOP_TOKEN = re.compile(r"[A-Za-z0-9']+|[^\W\d_A-Za-z]")
_ONES = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
        "seventeen eighteen nineteen twenty".split()
# Numbers a translator may spell out: one..twenty, the tens, hundred, thousand.
_SMALL_NUMBER_WORDS = {**{i + 1: w for i, w in enumerate(_ONES)},
                       **{10 * i: w for i, w in zip(range(3, 10), "thirty forty fifty sixty seventy eighty ninety".split())},
                       100: "hundred", 1000: "thousand"}
MIN_RATIO, MAX_RATIO = 0.6, 8.0  # English characters per source character, zh -> en


def check_block(block: Block) -> None:
    """Add QA flags to `block` (its translation against its repaired source)."""
    if not block.kind.translatable:
        return
    source, translation = block.text, block.translation
    if not translation.strip():
        block.flag("empty", "error", "the translation is empty")
        return
    _check_numbers(block, source, translation)
    _check_latin(block, source, translation)
    _check_untranslated(block, translation)
    _check_repetition(block, translation)
    _check_length(block, source, translation)


def _check_numbers(block: Block, source: str, translation: str) -> None:
    for text, value in missing_numbers(source, translation):
        block.flag("number", "error", f"{text} (= {english_number(value)}) is missing or wrongly scaled", span=text)


def missing_numbers(source: str, translation: str) -> list[tuple[str, Decimal]]:
    """Numbers of the source (text, value) not found in the translation, in figures or small words."""
    found = target_values(translation)
    lowered = translation.lower()
    absent = []
    for text, value in source_values(source):
        if value in found:
            continue
        word = _SMALL_NUMBER_WORDS.get(int(value)) if value == int(value) else None
        if word and re.search(rf"\b{word}\b", lowered):
            continue
        absent.append((text, value))
    return absent


def _check_latin(block: Block, source: str, translation: str) -> None:
    lowered = translation.lower()
    for token in dict.fromkeys(_LATIN_TOKEN.findall(source)):
        if len(token) >= 2 and token.lower() not in lowered:
            block.flag("latin", "warning", f"'{token}' from the source is not in the translation", span=token)


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


def _check_length(block: Block, source: str, translation: str) -> None:
    han = len(_HAN.findall(source) and "".join(_HAN.findall(source)))
    if han < 12:
        return
    ratio = len(translation) / max(1, len(source))
    if ratio < MIN_RATIO:
        block.flag("length", "warning", f"the translation is unusually short ({ratio:.1f} characters per source character)")
    elif ratio > MAX_RATIO:
        block.flag("length", "warning", f"the translation is unusually long ({ratio:.1f} characters per source character)")
