"""The repair table (spin_table.tsv) and the context statistics (context_stats.tsv) it is weighed with."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import InputError

ALWAYS, CONTEXT, KEEP, WORD = "always", "context", "keep", "word"
RULES = (ALWAYS, CONTEXT, KEEP, WORD)
SPIN_FORMS_VARIABLE = "TRANSLATE_SPIN_FORMS"
MAX_SPIN_FORMS_BYTES = 1 << 20


@dataclass(frozen=True)
class SpinRule:
    spun: str
    original: str
    rule: str
    bias: float = 0.0
    right: re.Pattern | None = None
    left: re.Pattern | None = None
    real: bool = False  # an always-row whose spun form is a rare but real word


@dataclass(frozen=True)
class FormStats:
    """How a form behaves in clean text: its rate as a word, and its neighbours inside longer words."""

    rate: float
    dict_count: float = 0.0
    left: dict[str, float] = field(default_factory=dict)
    right: dict[str, float] = field(default_factory=dict)
    left_total: float = 0.0
    right_total: float = 0.0


@dataclass
class SpinTable:
    rules: dict[str, list[SpinRule]]
    pattern: re.Pattern
    digest: str
    # spun form -> [(clean text before it, clean text after it)] of keep-phrases that contain it
    guards: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    stats: dict[str, FormStats] = field(default_factory=dict)
    always_pattern: re.Pattern | None = None
    # spun form -> word rows: cues of its genuine reading (住户 after 事发), weighed as evidence, not a veto
    word_cues: dict[str, list[SpinRule]] = field(default_factory=dict)

    def kind(self, spun: str) -> str:
        return self.rules[spun][0].rule


def default_table() -> SpinTable:
    """The packaged table, with the desk's own forms first where $TRANSLATE_SPIN_FORMS names a file of them."""
    extra = os.environ.get(SPIN_FORMS_VARIABLE, "").strip()
    if not extra:
        return _table(None, 0, 0)
    try:
        status = Path(extra).stat()
    except OSError as exc:
        raise InputError(f"(${SPIN_FORMS_VARIABLE}) cannot be read: {exc.strerror or exc}; fix or unset the variable",
                         extra) from exc
    if not stat.S_ISREG(status.st_mode):  # a FIFO or a device would block or never end
        raise InputError(f"(${SPIN_FORMS_VARIABLE}) is not a regular file; name a UTF-8 text file", extra)
    return _table(extra, status.st_mtime_ns, status.st_size)  # an edited file is read again


@lru_cache(maxsize=4)
def _table(extra: str | None, _mtime: int, _size: int) -> SpinTable:
    folder = resources.files("translate.repair")
    table = folder.joinpath("spin_table.tsv").read_text("utf-8")
    stats = folder.joinpath("context_stats.tsv").read_text("utf-8")
    if extra:
        header, _, body = table.partition("\nspun\t")  # comments, then the header row, then the rows
        first_row, _, rows = body.partition("\n")
        table = f"{header}\nspun\t{first_row}\n{desk_rows(extra)}{rows}"
    return parse_table(table, stats)


def desk_rows(path: str) -> str:
    """A desk's spin forms as rows of the packaged table: one per line, `spun<TAB>original[<TAB>rule]` (rule
    always, the default, context, keep or word), `#` for comments. Its rows come first, so a form listed there
    takes the desk's rule."""
    with open(path, "rb") as stream:
        data = stream.read(MAX_SPIN_FORMS_BYTES + 1)
    if len(data) > MAX_SPIN_FORMS_BYTES:
        raise InputError(f"(${SPIN_FORMS_VARIABLE}) is over {MAX_SPIN_FORMS_BYTES // 2**20} MB; "
                         "a list of spin forms is a few KB", path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"(${SPIN_FORMS_VARIABLE}) is not UTF-8; save it as UTF-8", path) from exc
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#") or line.startswith("spun\toriginal"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        spun, original, rule = (fields + ["", "", ""])[:3]
        rule = rule or ALWAYS
        problem = ("needs a spun form and its original, separated by a tab" if not spun or not original
                   else 'a form may not contain " (the table is tab-separated, with quoting)' if '"' in spun + original
                   else f"rule {rule!r} is not one of always, context, keep, word" if rule not in RULES
                   else "has more than three columns" if len(fields) > 3 else "")
        if problem:
            raise InputError(f"(${SPIN_FORMS_VARIABLE}) line {number}: {problem}", path)
        rows.append(f"{spun}\t{original}\t{rule}\t\t\tthe desk's form\t\t\n")
    return "".join(rows)


def parse_table(text: str, stats_text: str = "") -> SpinTable:
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    rules: dict[str, list[SpinRule]] = {}
    keeps: list[str] = []
    word_cues: dict[str, list[SpinRule]] = {}
    for row in rows:
        right, left = row.get("right") or "", row.get("left") or ""
        rule = SpinRule(spun=row["spun"], original=row["original"], rule=row["rule"], bias=float(row.get("bias") or 0),
                        right=re.compile(right) if right else None, left=re.compile(left) if left else None,
                        real=(row.get("real") or "").strip() == "1")
        if rule.rule == WORD:
            word_cues.setdefault(rule.spun, []).append(rule)
            continue
        if rule.rule == KEEP:
            keeps.append(rule.spun)
        rules.setdefault(rule.spun, []).append(rule)
    # Longest alternatives first: at one position the regex then takes the longest form. Keep-phrases are not
    # scanned for: they guard the forms inside them where they read as words (群众文化, not 群众/文化交流).
    scanned = [s for s, r in rules.items() if r[0].rule != KEEP]
    alternation = "|".join(re.escape(s) for s in sorted(scanned, key=len, reverse=True))
    always = [s for s, r in rules.items() if r[0].rule == ALWAYS and not r[0].real]
    digest = hashlib.sha256((text + stats_text).encode("utf-8")).hexdigest()[:12]
    return SpinTable(rules, re.compile(alternation), digest, _guards(rules, keeps), parse_stats(stats_text),
                     re.compile("|".join(re.escape(s) for s in sorted(always, key=len, reverse=True))) if always else None,
                     word_cues)


def _guards(rules: dict[str, list[SpinRule]], keeps: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Keep-phrases are written as clean text, so they are checked against the restored text around a site."""
    guards: dict[str, list[tuple[str, str]]] = {}
    for phrase in keeps:
        for spun, spun_rules in rules.items():
            rule = spun_rules[0]
            if rule.rule != CONTEXT and not (rule.rule == ALWAYS and rule.real):  # 奉为圭臬 keeps its 圭臬
                continue
            start = phrase.find(spun)
            while start >= 0:
                guards.setdefault(spun, []).append((phrase[:start], phrase[start + len(spun):]))
                start = phrase.find(spun, start + 1)
    return guards


def parse_stats(text: str) -> dict[str, FormStats]:
    stats = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("form\t"):
            continue
        form, rate, _dict, left_total, right_total, left, right = (line.split("\t") + [""] * 7)[:7]
        stats[form] = FormStats(float(rate or 0), float(_dict or 0), _counts(left), _counts(right), float(left_total or 0),
                                float(right_total or 0))
    return stats


def _counts(field_text: str) -> dict[str, float]:
    counts = {}
    for item in field_text.split():
        char, _, count = item.partition("=")
        counts[char] = float(count)
    return counts
