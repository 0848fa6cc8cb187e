"""A reference spinner for evaluation: longest-match replacement from its own synonym list.

Its lists were written apart from spin_table.tsv and hold forms the table lacks, so evaluating
against them measures the table's coverage as well as its decisions. Spinner A
(eval/spinner_synonyms.tsv) was written first; B (eval/spinner_b_synonyms.tsv) was written after
the table was frozen, with many forms the table has never seen. C (eval/spinner_c_synonyms.tsv)
was written for the collision sets, before the decisions were tuned on them: its forms are mostly
ones that are also everyday words (当年, 一经, 表面, 办法, 天然), the hard case for decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class SpunSite:
    offset: int  # in the spun text
    spun: str
    original: str


SPINNERS = {"A": "eval/spinner_synonyms.tsv", "B": "eval/spinner_b_synonyms.tsv", "C": "eval/spinner_c_synonyms.tsv"}


@lru_cache(maxsize=4)
def synonyms(spinner: str = "A") -> dict[str, str]:
    text = resources.files("translate.repair").joinpath(SPINNERS[spinner]).read_text("utf-8")
    pairs = {}
    for line in text.splitlines():
        if line.startswith("#") or line.startswith("original\t") or not line.strip():
            continue
        original, spun = line.split("\t")[:2]
        pairs[original] = spun
    return pairs


@lru_cache(maxsize=4)
def _pattern(spinner: str) -> re.Pattern:
    return re.compile("|".join(re.escape(o) for o in sorted(synonyms(spinner), key=len, reverse=True)))


def spin(text: str, spinner: str = "A") -> tuple[str, list[SpunSite]]:
    """Replace every listed word, longest match first, as the real tools do."""
    table = synonyms(spinner)
    out, sites, position, length = [], [], 0, 0
    for match in _pattern(spinner).finditer(text):
        out.append(text[position:match.start()])
        length += match.start() - position
        spun = table[match.group()]
        sites.append(SpunSite(length, spun, match.group()))
        out.append(spun)
        length += len(spun)
        position = match.end()
    out.append(text[position:])
    return "".join(out), sites
