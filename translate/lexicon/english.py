"""English from CC-CEDICT for glossary suggestions: proper nouns (百度 -> Baidu), renderings of terms
(whole, or composed from their words: 固态电池 -> solid state battery), and the content words of a
term's glosses, which tell the term aligner which English words a Chinese term can explain."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from .cedict import clean_gloss, load_cedict

_SEE = re.compile(r"^(?:see|abbr\. for|also written|variant of)\s+(?:[^|\s\[]+\|)?([^\[\s|]+)")
_PARENTHESES = re.compile(r"\([^()]*\)")  # no leading \s*, no ( inside: both rescanned long runs (quadratic)
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_HAN = re.compile(r"[\u3400-\u9fff]")
_CORPORATE = re.compile(r"(?:\s+(?:Holdings|Limited|Ltd\.?|Inc\.?|Co\.?|Company|Corporation|Corp\.?|Group))+$")


@dataclass(frozen=True)
class ProperNoun:
    english: str  # the name as English writes it: "Baidu", "BMW", "Tsinghua University"
    gloss: str  # the whole first gloss, which says what it is ("Baidu, Internet portal and search engine")


@functools.cache
def function_words() -> frozenset[str]:
    """English words that carry no term meaning (articles, prepositions, auxiliaries, pronouns)."""
    text = resources.files("translate.lexicon").joinpath("english_function_words.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


@functools.cache
def english_vocabulary() -> frozenset[str]:
    """Lower-case English words of CC-CEDICT's glosses: a word list to tell 'idea' or 'top' (ordinary
    English in a Chinese text) from a name such as Kimi."""
    lexicon = load_cedict()
    words: set[str] = set(function_words())
    for headword in lexicon.headwords():
        for entry in lexicon.lookup(headword):
            if not entry.pinyin[:1].isupper():
                for gloss in entry.glosses:
                    words.update(_WORD.findall(gloss.lower()))
    return frozenset(words)


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A lower-case Snowball (Porter 2) stem, possessive dropped: batteries -> batteri, installed -> instal."""
    return _stemmer().stemWord(word.lower().removesuffix("'s").removesuffix("’s"))


@functools.cache
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def content_words(text: str) -> list[str]:
    """Stemmed content words of English text, in order, without what parentheses hold ('deep learning
    (artificial intelligence)'); a hyphenated word also gives its parts."""
    stop = function_words()
    words = []
    for match in re.finditer(r"[A-Za-z0-9]+(?:['-][A-Za-z0-9]+)*", _PARENTHESES.sub(" ", text)):
        word = match.group().lower()
        if word in stop and not (match.group().isupper() and len(word) > 1):  # US is no pronoun
            continue
        words.append(stem(word))
        if "-" in word:
            words += [stem(part) for part in word.split("-") if part and part not in stop]
    return words


def proper_nouns(word: str, _depth: int = 0) -> list[ProperNoun]:
    """CC-CEDICT's proper-noun senses of `word` (entries whose pinyin is capitalised), following one
    cross-reference (腾讯 -> see 腾讯控股有限公司 -> Tencent Holdings Limited)."""
    found = []
    for entry in load_cedict().lookup(word):
        if not entry.pinyin[:1].isupper() or entry.is_surname:
            continue
        for gloss in entry.glosses:
            reference = _SEE.match(gloss)
            if reference and _depth == 0 and reference.group(1) != word:
                found += proper_nouns(reference.group(1), 1)
                break
            name = _name_of(gloss)
            if name:
                found.append(ProperNoun(name, gloss))
                break
    return found


def _name_of(gloss: str) -> str:
    cleaned = re.sub(r"^\([^)]*\)\s*", "", clean_gloss(gloss))  # "(Chinese) National People's Congress"
    name = re.split(r",|;| \(|\s+-\s+", cleaned, maxsplit=1)[0].strip()
    name = _CORPORATE.sub("", name).strip()  # Tencent Holdings Limited -> Tencent, BYD Company -> BYD
    return "" if not name or _HAN.search(name) else name


def is_common_word(word: str) -> bool:
    """CC-CEDICT has `word` as an ordinary word (lower-case pinyin), not only as a name."""
    return any(not e.pinyin[:1].isupper() and not e.is_surname and any(clean_gloss(g) for g in e.glosses)
               for e in load_cedict().lookup(word))


def first_gloss(word: str) -> str:
    """The first ordinary gloss of `word`, without parentheses: 'battery' for 电池; '' if none."""
    for gloss in load_cedict().glosses(word):
        short = _PARENTHESES.sub("", gloss).split(";")[0].strip()
        short = re.sub(r"^(?:to|a|an|the) ", "", short)
        if short and len(short.split()) <= 4:
            return short
    return ""


def dictionary_parts(term: str) -> list[str]:
    """`term` cut into CC-CEDICT headwords, longest match first (single characters as a last resort)."""
    lexicon = load_cedict()
    parts, at = [], 0
    while at < len(term):
        for length in range(min(len(term) - at, lexicon.max_word_length), 0, -1):
            piece = term[at:at + length]
            if length == 1 or piece in lexicon:
                parts.append(piece)
                at += length
                break
    return parts


def dictionary_rendering(term: str, max_parts: int = 4) -> tuple[str, str] | None:
    """(English, how) from CC-CEDICT: the proper name, the word's first gloss, or the first glosses of
    its words joined ('composed', up to `max_parts` words); None when a part has no gloss."""
    names, whole = proper_nouns(term), first_gloss(term)
    if whole and (is_common_word(term) or not names):  # 大厂: big company before Dachang county
        return whole, "word"
    if names:
        return names[0].english, "name"
    parts = dictionary_parts(term)
    if len(parts) < 2 or len(parts) > max_parts or sum(len(p) == 1 for p in parts) > 1:
        return None
    glosses = [(proper_nouns(p)[0].english if proper_nouns(p) else first_gloss(p)) for p in parts]
    if not all(glosses):
        return None
    return " ".join(glosses), "composed"


def _referenced_glosses(word: str) -> list[str]:
    """Glosses of the words an entry points to: 开源 is also 'abbr. for 开放源码' (open source)."""
    lexicon = load_cedict()
    found = []
    for entry in lexicon.lookup(word):
        for gloss in entry.glosses:
            reference = _SEE.match(gloss)
            if reference and reference.group(1) != word:
                found += lexicon.glosses(reference.group(1))
    return found


@functools.lru_cache(maxsize=8192)
def gloss_words(term: str, characters: bool = True) -> frozenset[str]:
    """Stemmed content words of every gloss of `term` and of its dictionary words (and proper names);
    with `characters` False, not those of single characters its unknown parts fall back to."""
    lexicon = load_cedict()
    pieces = {term, *dictionary_parts(term)}
    words: set[str] = set()
    for piece in pieces:
        if len(piece) == 1 and piece != term and not characters:
            continue
        glosses = lexicon.glosses(piece) + [p.english for p in proper_nouns(piece)] + _referenced_glosses(piece)
        if len(piece) == 1:
            glosses = glosses[:6]  # a single character's long tail of senses explains too much
        for gloss in glosses:
            words.update(content_words(gloss))
    return frozenset(words)


@functools.lru_cache(maxsize=8192)
def gloss_sets(word: str) -> tuple[frozenset[str], ...]:
    """Each gloss of `word` (and its proper names) as a set of stemmed content words."""
    glosses = load_cedict().glosses(word) + [p.english for p in proper_nouns(word)] + _referenced_glosses(word)
    if len(word) == 1:
        glosses = glosses[:6]
    return tuple(frozenset(content_words(g)) for g in glosses if content_words(g))
