"""Candidate glossary terms: names, products, Latin tokens and frequent words no glossary has."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .model import Glossary
from ..readers import read_document
from ..repair import repair_document

_LATIN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")
_QUOTED = re.compile(r"[“「『\"]([\u4e00-\u9fffA-Za-z0-9]{2,8})[”」』\"]")
# jieba part-of-speech tags worth a glossary entry, with a weight.
_POS_WEIGHT = {"nr": 3.0, "nrfg": 3.0, "nrt": 3.0, "nt": 3.0, "nz": 2.5, "ns": 1.5, "eng": 2.0, "n": 1.0, "vn": 0.8}
_COMMON = set("公司 问题 时候 我们 他们 自己 这个 一个 没有 什么 国内 行业 发展 团队 市场 用户 能力 技术 方式 时间".split())


@dataclass
class Candidate:
    text: str
    count: int
    category: str
    score: float
    context: str


def suggest_terms(path: str, glossary: Glossary, limit: int = 20) -> list[Candidate]:
    document = read_document(path)
    repair_document(document)
    text = "\n".join(b.text for b in document.blocks if b.kind.translatable)
    known = set(glossary.by_source())
    scores: dict[str, tuple[float, str]] = {}

    def consider(term: str, weight: float, category: str) -> None:
        if term in known or any(term in k for k in known if len(k) > len(term)) or term in _COMMON:
            return
        if weight > scores.get(term, (0.0, ""))[0]:
            scores[term] = (weight, category)

    for match in _LATIN.finditer(text):
        if len(match.group()) >= 2:
            consider(match.group(), 2.0, "latin")
    for match in _QUOTED.finditer(text):
        consider(match.group(1), 3.0, "product")
    for word, flag in _pos_tags(text):
        if len(word) >= 2 and flag in _POS_WEIGHT:
            category = {"nr": "person", "nrfg": "person", "nrt": "person", "nt": "organisation",
                        "nz": "name", "ns": "place", "eng": "latin"}.get(flag, "word")
            consider(word, _POS_WEIGHT[flag], category)
    counts = Counter({term: text.count(term) for term in scores})
    candidates = []
    for term, (weight, category) in scores.items():
        count = counts[term]
        if category == "word" and count < 2:
            continue
        score = weight * (1 + count) * (1.2 if len(term) >= 3 else 1.0)
        candidates.append(Candidate(term, count, category, score, _context(text, term)))
    candidates.sort(key=lambda c: (-c.score, -c.count, c.text))
    return candidates[:limit]


def _pos_tags(text: str):
    import logging

    import jieba
    import jieba.posseg as posseg

    jieba.setLogLevel(logging.WARNING)
    return [(pair.word, pair.flag) for pair in posseg.cut(text)]


def _context(text: str, term: str, width: int = 12) -> str:
    at = text.find(term)
    snippet = text[max(0, at - width) : at + len(term) + width]
    return snippet.replace("\n", " ")
