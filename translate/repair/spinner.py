"""A reference spinner for evaluation: longest-match replacement from its own synonym list.

Its list (eval/spinner_synonyms.tsv) was written apart from spin_table.tsv and holds forms the
table lacks, so evaluating against it measures the table's coverage as well as its decisions.
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


@lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    text = resources.files("translate.repair").joinpath("eval/spinner_synonyms.tsv").read_text("utf-8")
    pairs = {}
    for line in text.splitlines():
        if line.startswith("#") or line.startswith("original\t") or not line.strip():
            continue
        original, spun = line.split("\t")[:2]
        pairs[original] = spun
    return pairs


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    return re.compile("|".join(re.escape(o) for o in sorted(synonyms(), key=len, reverse=True)))


def spin(text: str) -> tuple[str, list[SpunSite]]:
    """Replace every listed word, longest match first, as the real tools do."""
    table = synonyms()
    out, sites, position, length = [], [], 0, 0
    for match in _pattern().finditer(text):
        out.append(text[position:match.start()])
        length += match.start() - position
        spun = table[match.group()]
        sites.append(SpunSite(length, spun, match.group()))
        out.append(spun)
        length += len(spun)
        position = match.end()
    out.append(text[position:])
    return "".join(out), sites
