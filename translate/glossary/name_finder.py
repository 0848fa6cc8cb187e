"""Names in Chinese news, found by evidence: people (a surname, a given name's shape, a title before or a
verb of saying after), foreign names (山姆·奥尔特曼), organisations (a name before a suffix such as 银行 or
证券, or CC-CEDICT's proper nouns), places, titles in 《》, quoted product names and Latin tokens."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..lexicon.english import english_vocabulary, is_common_word, proper_nouns
from ..lexicon.names import split_name, surnames
from .corpus import Corpus, background, cues

_HAN = re.compile(r"^[\u3400-\u9fff]+$")
_SEPARATOR = re.compile(r"[\s|｜:：、]*$")
_DOT = re.compile(r"(?<=[\u3400-\u9fff])[·•・‧](?=[\u3400-\u9fff])")
_TITLE = re.compile(r"《([^《》\n]{1,30})》")
_QUOTED = re.compile(r"[“「『\"]([\u3400-\u9fffA-Za-z0-9·\-]{2,12})[”」』\"]")
_LATIN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*(?![A-Za-z0-9])")
_PRODUCT_SHAPE = re.compile(r"[0-9A-Za-z]|[一二三四五六七八九十]号|号$|型$")
NAME_FLAGS = ("nr", "ns", "nt", "nz", "eng")
KIND_WEIGHT = {"person": 3.0, "organisation": 3.0, "product": 3.0, "title": 2.5, "latin": 2.0, "place": 1.2,
               "quoted": 1.2}


@dataclass
class Found:
    text: str
    kind: str  # person, organisation, product, title, place, latin, quoted
    evidence: list[str] = field(default_factory=list)
    english: str = ""  # a name CC-CEDICT gives it
    also: list[str] = field(default_factory=list)  # other spellings counted with it
    count: int = 0  # occurrences, other spellings included (0: count the text)


def find_names(corpus: Corpus) -> list[Found]:
    found: dict[str, Found] = {}
    for finder in (find_latin, find_titles_and_products, find_foreign_names, find_people, find_organisations,
                   find_places):
        for item in finder(corpus):
            if item.text not in found:
                found[item.text] = item
    return list(found.values())


# --- people ------------------------------------------------------------------------------------


def find_people(corpus: Corpus) -> list[Found]:
    text, table = corpus.text, surnames()
    titles = sorted(cues()["person"]["titles"], key=len, reverse=True)
    verbs = sorted(cues()["person"]["verbs"], key=len, reverse=True)
    not_in_names = set(cues()["words"]["not_in_names"])
    starts = {s[0] for s in table}
    chosen: dict[str, list[str]] = defaultdict(list)
    for at in range(len(text)):
        if text[at] not in starts:
            continue
        title = _title_before(text, at, titles)
        if at not in corpus.bounds and not title or _ends_a_title(text, at, titles):
            continue  # a surname character inside a word, or the end of a title: 董事长孙飘扬 is not 长孙
        options = []
        for surname_length in (2, 1):
            if text[at:at + surname_length] not in table:
                continue
            for given_length in (1, 2):
                name = text[at:at + surname_length + given_length]
                given = name[surname_length:]
                if len(given) == given_length and _HAN.match(name) and not set(given) & not_in_names:
                    options.append((_option_points(corpus, name, at, verbs, surname_length), name))
        if options:
            points, name = max(options)
            verb = next((v for v in verbs if text.startswith(v, at + len(name))), "")
            chosen[name].append("title: " + title if title else "")
            chosen[name].append("then: " + verb if verb else "")
    people = []
    for name, notes in chosen.items():
        evidence = sorted({n for n in notes if n})
        if _is_person(corpus, name, evidence):
            jieba = "jieba: person" if _tagged(corpus, name, "nr") else ""
            people.append(Found(name, "person", evidence + [jieba] * bool(jieba)))
    return people


def _title_before(text: str, at: int, titles: list[str]) -> str:
    before = _SEPARATOR.sub("", text[max(0, at - 12):at])
    return next((t for t in titles if before.endswith(t)), "")


def _ends_a_title(text: str, at: int, titles: list[str]) -> bool:
    """The character at `at` is the last of a title that starts before it (长 of 董事长)."""
    return any(len(t) > 1 and text.startswith(t, at + 1 - len(t)) for t in titles if at + 1 - len(t) >= 0)


def _option_points(corpus: Corpus, name: str, at: int, verbs: list[str], surname_length: int) -> float:
    """How well `name` (a surname and a given name) fits this occurrence, against its longer and shorter readings."""
    text = corpus.text
    end = at + len(name)
    points = 2.0 if any(text.startswith(v, end) for v in verbs) else 0.0
    word = corpus.word_at(at)
    if word is not None and word.text == name and word.flag.startswith("nr"):
        points += 1.5
    points += 0.5 if end in corpus.bounds else 0.0
    count, longer = corpus.count(name), corpus.count(text[at:end + 1]) if end < len(text) else 0
    if count >= 2 and longer == count:
        points -= 2.0  # always followed by the same character: part of something longer
    elif count >= 2:
        points += 1.0
    return points + (0.3 if surname_length == 2 else 0.0) + (0.2 if len(name) - surname_length == 2 else 0.0)


def _is_person(corpus: Corpus, name: str, evidence: list[str]) -> bool:
    split = split_name(name)
    if split is None or any(split[1].startswith(h) for h in cues()["person"]["honorifics"]):
        return False  # 王医生 is Dr Wang: no given name to write
    points = 2.0 * any(e.startswith("title") for e in evidence) + 2.0 * any(e.startswith("then") for e in evidence)
    count = corpus.count(name)
    points += 1.0 if count >= 2 else 0.0
    points += 1.0 if _tagged(corpus, name, "nr") else 0.0
    if is_common_word(name) or any(not _looks_like_person(p.gloss) for p in proper_nouns(name)):
        points -= 3.0  # a word, a place or a company that happens to start with a surname
    frequencies, _ = background()
    if frequencies.get(name, 0) >= 10 and not _tagged(corpus, name, "nr"):
        points -= 2.0
    following = Counter(corpus.text[p + len(name):p + len(name) + 1] for p in corpus.positions(name))
    if count >= 3 and following.most_common(1)[0][1] >= 2 * count / 3:
        points -= 2.0  # 宁德 in 宁德时代: nearly always the start of a longer name
    return points >= (3.0 if split[0].also_a_word else 2.0)


def _looks_like_person(gloss: str) -> bool:
    return bool(re.search(r"\(\d{3,4}-|\bborn\b|\bBC\b", gloss))


def _tagged(corpus: Corpus, text: str, flag: str) -> bool:
    return corpus.tagged(text, flag)


def find_foreign_names(corpus: Corpus) -> list[Found]:
    """Transliterated names joined by a middle dot: 山姆·奥尔特曼 (its surname alone counts too). Each
    part is the jieba word touching the dot, so the sentence after the name stays out."""
    found = []
    for match in _DOT.finditer(corpus.text):
        first, last = corpus.word_ending_at(match.start()), corpus.word_at(match.end())
        if first is None or last is None or not _HAN.match(first.text) or not _HAN.match(last.text):
            continue
        name = corpus.text[first.start:last.end]
        if any(f.text == name for f in found):
            continue
        alone = corpus.count(last.text) - corpus.count(name)
        also = [last.text] if alone > 0 and len(last.text) >= 2 else []
        english = " ".join(p.english for part in (first.text, last.text) for p in proper_nouns(part)[:1])
        count = corpus.count(last.text) if also else corpus.count(name)
        found.append(Found(name, "person", ["foreign name (·)"], english=english, also=also, count=count))
    return found


# --- organisations and places ------------------------------------------------------------------


def find_organisations(corpus: Corpus) -> list[Found]:
    spans: list[tuple[int, int, str]] = []
    institutional = set(cues()["organisation"]["institutional"])
    for suffix, _ in cues()["organisation"]["suffixes"]:
        for at in corpus.positions(suffix):
            start = _name_start(corpus, at, suffix in institutional)
            if start is not None and start < at:
                spans.append((start, at + len(suffix), f"suffix {suffix}"))
    found: dict[str, Found] = {}
    taken: set[int] = set()
    for start, end, why in sorted(spans, key=lambda s: s[0] - s[1]):  # longest first: 中国证券监督管理委员会
        if taken & set(range(start, end)):
            continue
        name = corpus.text[start:end]
        if _generic(name):
            continue
        taken.update(range(start, end))
        found.setdefault(name, Found(name, "organisation", [why]))
    for word in corpus.words:
        if len(word.text) < 2 or word.text in found or not _HAN.match(word.text):
            continue
        kind = _proper_kind(word.text)
        tagged = word.flag == "nt" and word.text[-1] in cues()["organisation"]["nt_endings"]
        if kind == "organisation" or (tagged and not is_common_word(word.text)):
            names = proper_nouns(word.text)
            found[word.text] = Found(word.text, "organisation", ["CC-CEDICT name" if names else "jieba: organisation"],
                                     english=names[0].english if names else "")
    return list(found.values())


def _name_start(corpus: Corpus, suffix_at: int, institutional: bool) -> int | None:
    """Where the name before an organisation suffix starts: back over nouns and names, never over a
    particle, verb of saying, number, title or punctuation. None unless the name holds a proper noun
    other than a place (中国创业公司 is a description), or, before an institutional suffix (联盟, 总局),
    two words or more (国家金融监督管理总局)."""
    words = corpus.words_in(max(0, suffix_at - 16), suffix_at)
    if not words or words[-1].end != suffix_at:
        return None
    stop = set(cues()["person"]["titles"]) | set(cues()["person"]["verbs"])
    frequencies, _ = background()
    start, named, count = None, False, 0
    for word in reversed(words):
        if (word.flag[:1] in "pcudrmqxyfte" and word.flag != "eng") or word.text in stop \
                or not re.match(r"^[\u3400-\u9fffA-Za-z]+$", word.text):
            break
        start, count = word.start, count + 1
        place = word.flag.startswith("ns") or _proper_kind(word.text) == "place"
        proper = word.flag.startswith(NAME_FLAGS) or not frequencies.get(word.text) or bool(proper_nouns(word.text))
        named |= proper and not place
    return start if named or (institutional and count >= 2) else None


def _generic(name: str) -> bool:
    """商业银行, 保险公司: a kind of organisation, not one (CC-CEDICT has it as an ordinary word)."""
    return is_common_word(name)


def _proper_kind(word: str) -> str:
    """'organisation', 'place' or '' from the gloss of a CC-CEDICT proper noun."""
    for noun in proper_nouns(word):
        gloss = noun.gloss.lower()
        if any(re.search(rf"\b{re.escape(w)}\b", gloss) for w in cues()["organisation"]["gloss_words"]):
            return "organisation"
        if any(re.search(rf"\b{re.escape(w)}\b", gloss) for w in cues()["place"]["gloss_words"]) \
                or len(noun.english.split()) <= 2 and noun.english == noun.gloss:
            return "place"
    return ""


def find_places(corpus: Corpus) -> list[Found]:
    found = {}
    for word in corpus.words:
        if len(word.text) >= 2 and word.text not in found and _proper_kind(word.text) == "place" \
                and word.flag.startswith(("ns", "nr", "n")) and not is_common_word(word.text):
            found[word.text] = Found(word.text, "place", ["CC-CEDICT place"], english=proper_nouns(word.text)[0].english)
    return list(found.values())


# --- titles, products, Latin -------------------------------------------------------------------


def find_titles_and_products(corpus: Corpus) -> list[Found]:
    found: dict[str, Found] = {}
    for match in _TITLE.finditer(corpus.text):
        found.setdefault(match.group(1), Found(match.group(1), "title", ["in 《》"]))
    nouns = sorted(cues()["product"]["nouns"], key=len, reverse=True)
    for match in _QUOTED.finditer(corpus.text):
        name = match.group(1)
        after = corpus.text[match.end():match.end() + 8]
        after = re.sub(r"^(?:[与和、及]?[“「『\"][^”」』\"]{1,12}[”」』\"])+", "", after)  # “萤火一号”与“萤火二号”AI集群
        noun = next((n for n in nouns if re.match(rf"^[A-Za-z]*{re.escape(n)}", after)), "")
        if noun or _PRODUCT_SHAPE.search(name):
            item = found.setdefault(name, Found(name, "product", []))
            note = f"quoted, then {noun}" if noun else "quoted, product-like"
            if note not in item.evidence:
                item.evidence.append(note)
        elif name not in found and len(name) <= 8 and corpus.count(name) >= 2 and not is_common_word(name):
            found[name] = Found(name, "quoted", ["quoted"])
    return list(found.values())


def find_latin(corpus: Corpus) -> list[Found]:
    """Latin tokens, spellings that differ only in case counted together (DeepSeek, DeepSeeK)."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    for match in _LATIN.finditer(corpus.text):
        if len(match.group()) >= 2:
            spellings[match.group().lower()][match.group()] += 1
    found = []
    for counter in spellings.values():
        ranked = [s for s, _ in counter.most_common()]
        if ranked[0][1:].islower() and ranked[0].lower() in english_vocabulary():
            continue  # an English word in a Chinese text (idea, push, Top): no glossary entry
        found.append(Found(ranked[0], "latin", ["Latin token"], also=ranked[1:], count=sum(counter.values())))
    return found
