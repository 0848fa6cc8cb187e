"""Glossary model and loading: CSV files with file:line errors, lint, and row edits that keep the file as saved.

File handling is in csv_file.py; TBX exchange in tbx.py."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..controls import is_blank, strip_controls, visible_text
from ..errors import GlossaryError, InputError
from . import csv_file
from .senses import parse_context

COLUMNS = ("source", "target", "kind", "note")
OPTIONAL_COLUMNS = ("kind", "note", "avoid")
KINDS = ("term", "name", "keep")
DEFAULT_GLOSSARY = "tech-zh-en.csv"
INVISIBLE_SOURCE = ("a source is only invisible characters (zero-width spaces, byte-order marks); it would never "
                    "match: give the term's characters")


@dataclass
class Entry:
    sources: list[str]  # Chinese variants, longest matched first
    target: str  # English; "noun form|adjective form" for terms such as open source
    kind: str = "term"
    note: str = ""
    origin: str = ""  # file:line
    context: str = ""  # when the entry applies: see glossary/senses.py for the syntax
    avoid: list[str] = field(default_factory=list)  # forbidden English renderings (TBX deprecated/forbidden)
    prompt_note: str = ""  # for translators: sent to LLM engines with the entry (`note` is for maintainers)

    @property
    def targets(self) -> list[str]:
        alternatives = [t.strip() for t in self.target.split("|") if t.strip()]
        if self.kind == "keep":  # copied as is; other renderings a translator may use are accepted by QA
            return [self.sources[0]] + [t for t in alternatives if t != self.sources[0]]
        return alternatives

    @property
    def key(self) -> str:
        return self.sources[0]


@dataclass
class Glossary:
    entries: list[Entry] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    digest: str = ""
    notices: list[str] = field(default_factory=list)  # files read in another encoding than UTF-8

    def by_source(self) -> dict[str, Entry]:
        """Variant -> entry; later entries (later -g files) override earlier ones."""
        table: dict[str, Entry] = {}
        for entry in self.entries:
            for variant in entry.sources:
                table[variant] = entry
        return table


def default_glossary_path() -> Path:
    return Path(str(resources.files("translate.glossary_data").joinpath(DEFAULT_GLOSSARY)))


def editable_glossary(path: str | None) -> str:
    """The glossary an edit command may change: -g, else $TRANSLATE_GLOSSARY; never the shipped one."""
    chosen = path or os.environ.get("TRANSLATE_GLOSSARY", "")
    if not chosen:
        raise GlossaryError("no glossary to edit: give -g FILE.csv (or set TRANSLATE_GLOSSARY); "
                            "the shipped glossary is read-only")
    if Path(chosen).resolve() == default_glossary_path().resolve():
        raise GlossaryError("is the shipped glossary, read-only from the CLI; copy it and edit the copy with -g", chosen)
    return chosen


def load_glossaries(paths: list[str], *, use_default: bool = True) -> Glossary:
    files = ([str(default_glossary_path())] if use_default else []) + list(paths)
    glossary = Glossary(files=files)
    digest = hashlib.sha256()
    for path in files:
        data = read_glossary_file(path)
        digest.update(data)
        glossary.entries.extend(parse_csv(data, path, glossary.notices))
    glossary.digest = digest.hexdigest()[:12] if files else "none"
    return glossary


def read_glossary_file(path: str) -> bytes:
    """The file's bytes, capped while reading (a FIFO or /dev/zero given as -g has no size to check)."""
    from ..readers.limits import read_capped

    try:
        data = read_capped(path, "glossary file")
    except InputError as exc:
        raise GlossaryError(exc.args[0], path) from exc
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise GlossaryError("is a spreadsheet (.xlsx/.xls), not CSV; save it as CSV UTF-8 (source,target,kind,note) "
                            "and give that", path)
    return data


def glossary_rows(data: bytes, path: str, notices: list[str] | None = None):
    """Yield (line number, row dict, row longer than the header) of a glossary CSV, skipping comments."""
    table = csv_file.read_table(data, path)
    if notices is not None:
        notices.extend(table.layout.notices)
    header = table.header
    if header is None:
        return
    line = table.records[table.header_index].line
    missing = [c for c in ("source", "target") if c not in header]
    if missing:
        raise GlossaryError(f"line {line}: header lacks column {', '.join(missing)}; "
                            "the header must be source,target,kind,note", path)
    dupes = sorted({c for c in header if c and header.count(c) > 1})
    if dupes:
        raise GlossaryError(f"line {line}: duplicate header column {', '.join(dupes)}", path)
    for record in table.records[table.header_index + 1 :]:
        if not record.skipped:
            # a control character would break every XML output: never taken into a glossary
            yield record.line, dict(zip(header, (strip_controls(c) for c in record.cells))), len(record.cells) > len(header)


def parse_csv(data: bytes, path: str, notices: list[str] | None = None, *, exported: bool = False) -> list[Entry]:
    """Entries of a glossary CSV; `exported`: a CSV from `glossary export`, whose formula-leading cells carry a '."""
    entries = []
    for number, row, too_long in glossary_rows(data, path, notices):
        if exported:
            row = {column: csv_file.unneutralise(cell) for column, cell in row.items()}
        source, target = (row.get("source") or "").strip(), (row.get("target") or "").strip()
        # an import (`exported`) that gives no kind leaves the row's own kind alone: "" until it is merged
        kind = (row.get("kind") or "").strip() or ("" if exported else "term")
        if too_long:
            raise GlossaryError(f"line {number}: more cells than header columns (quote cells that contain commas)", path)
        raw_source = row.get("source") or ""
        if ("\n" in raw_source or "\r" in raw_source) and not target:  # the csv reader ran on inside one cell
            raise GlossaryError(f"line {number}: a quote (\") opened in the source is never closed; close it or "
                                "remove it", path)
        if not source or (not target and kind != "keep"):
            raise GlossaryError(f"line {number}: empty source or target", path)
        if kind and kind not in KINDS:
            raise GlossaryError(f"line {number}: kind '{kind}' is not one of {', '.join(KINDS)}", path)
        variants = [v.strip() for v in source.split("|") if v.strip()]
        context = (row.get("context") or "").strip()
        _check_context(context, number, path)
        entries.append(Entry(variants, target or variants[0], kind, (row.get("note") or "").strip(), f"{path}:{number}",
                             context, avoid=split_variants(row.get("avoid") or ""),
                             prompt_note=(row.get("prompt_note") or "").strip()))
    return entries


def _check_context(context: str, number: int, path: str) -> None:
    try:
        parse_context(context)
    except ValueError as exc:
        raise GlossaryError(f"line {number}: {exc}", path) from exc


def split_variants(cell: str) -> list[str]:
    return [v.strip() for v in cell.split("|") if v.strip()]


# --- edits: atomic, serialised by a file lock; only the changed row is rewritten -------------


def _edited_file(path: str) -> Path:
    """The file an edit rewrites: a link's target, so that the link stays a link (and the target is edited)."""
    try:
        p = Path(path).resolve()
        p.parent.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError) as exc:  # a link loop, a folder that cannot be made
        raise GlossaryError(f"cannot be edited ({getattr(exc, 'strerror', None) or exc}); check the path",
                            path) from exc
    return p


def add_entry(path: str, source: str, target: str, kind: str | None = None, note: str | None = None,
              avoid: list[str] | None = None) -> str:
    """Add the row for `source`, or update the row sharing a variant with it: 'added', 'updated' or 'unchanged'.

    None for `kind`/`note`/`avoid` keeps what an updated row has (a new row is a term). Every other row
    keeps its bytes. Control and invisible characters (bidi overrides, zero-width spaces) are never stored.
    """
    for value in (source, target):  # a note may run over lines; a term never does, and would never match
        if re.search(r"[\r\n\t\u2028\u2029]", value):
            raise GlossaryError("a source or target holds a line break or a tab; give the term on one line", path)
    if source and not visible_text(source).strip():
        raise GlossaryError(INVISIBLE_SOURCE, path)
    source, target = visible_text(source), visible_text(target)
    note = visible_text(note) if note is not None else None
    avoid = [visible_text(a) for a in avoid] if avoid is not None else None
    return upsert_entries(path, [Entry(split_variants(source), target.strip(), kind or "", note or "",
                                       avoid=avoid or [])],
                          keep_empty={"kind": kind is None, "note": note is None, "avoid": avoid is None})[0]


def upsert_entries(path: str, entries: list[Entry], keep_empty: dict[str, bool] | None = None) -> list[str]:
    """Add or update many entries in one locked rewrite; 'added', 'updated' or 'unchanged' for each.

    An entry updates the row whose variants equal or overlap its own (variants are merged), so
    importing a file twice, or our own export, never duplicates rows. Empty note/avoid values keep
    the row's own when `keep_empty` says so (the default for imports).
    """
    keep_empty = keep_empty if keep_empty is not None else {"kind": True, "note": True, "avoid": True}
    for entry in entries:
        _validate(entry, path)
    p = _edited_file(path)
    with csv_file.edit_lock(p):
        table = _open_table(p, path, any(e.avoid for e in entries))
        rows = _source_index(table)  # one pass: looking each entry up by scanning all rows was quadratic
        statuses = [_upsert(table, entry, keep_empty, path, rows) for entry in entries]
        csv_file.rewrite(table, p)
    return statuses


def _validate(entry: Entry, path: str) -> None:
    if entry.kind and entry.kind not in KINDS:  # "": not given (the row keeps its kind; a new one is a term)
        raise GlossaryError(f"kind '{entry.kind}' is not one of {', '.join(KINDS)}", path)
    if not entry.sources or (not entry.target.strip() and entry.kind != "keep"):
        raise GlossaryError("source and target must not be empty", path)
    if any(is_blank(v) for v in entry.sources):
        raise GlossaryError(INVISIBLE_SOURCE, path)


def _open_table(p: Path, path: str, with_avoid: bool) -> csv_file.CsvTable:
    if p.exists():
        data = read_glossary_file(path)
        table = csv_file.read_table(data, path)
        list(glossary_rows(data, path))  # a file that does not load is not edited
        if table.header is not None:
            return table
    columns = list(COLUMNS) + (["avoid"] if with_avoid else [])
    table = csv_file.read_table(b"", path)
    table.header, table.header_index = columns, 0
    table.records.append(csv_file.Record(csv_file.format_row(columns, table.layout), 1, columns))
    return table


def _upsert(table: csv_file.CsvTable, entry: Entry, keep_empty: dict[str, bool], path: str,
            rows: dict[str, int]) -> str:
    values = {"source": entry.sources, "target": entry.target.strip(), "kind": entry.kind,
              "note": entry.note.strip(), "avoid": "|".join(entry.avoid)}
    index = min((rows[v] for v in entry.sources if v in rows), default=None)
    old = table.records[index].cells if index is not None else []
    old_row = dict(zip(table.header, old))
    for column in ("kind", "note", "avoid"):
        if keep_empty.get(column) and not values[column]:
            values[column] = (old_row.get(column) or "").strip()
    values["kind"] = values["kind"] or "term"
    variants = split_variants(old_row.get("source") or "")
    values["source"] = "|".join(variants + [v for v in entry.sources if v not in variants])
    for column in OPTIONAL_COLUMNS:
        if column not in table.header and values[column] not in ("", "term" if column == "kind" else ""):
            csv_file.add_column(table, column)  # rows stay valid: a short row reads as empty cells
    cells = csv_file.row_cells(table, values, old)
    for variant in split_variants(values["source"]):
        rows.setdefault(variant, len(table.records) if index is None else index)
    if index is None:
        csv_file.append_record(table, cells)
        return "added"
    if cells == old + [""] * (len(cells) - len(old)):
        return "unchanged"  # the row keeps its bytes (its own quoting, its short length)
    csv_file.replace_record(table, index, cells)
    return "updated"


def remove_entry(path: str, source: str) -> int:
    """Remove `source` from the glossary: every row whose only source it is goes (a file may repeat a term:
    removing only the first would leave it in effect), and a row holding it among other variants (人工智能|AI技术)
    keeps its other variants. The number of rows changed; 0 when no row holds it."""
    if not Path(path).exists():
        raise GlossaryError("no such glossary file", path)
    p = _edited_file(path)
    variant = source.strip()
    with csv_file.edit_lock(p):
        table = csv_file.read_table(read_glossary_file(path), path)
        holding = _rows_holding(table, variant)
        column = table.header.index("source") if holding else 0
        for index, variants in sorted(holding, reverse=True):
            if set(variants) == {variant}:  # 大模型 alone, or repeated (大模型|大模型)
                del table.records[index]
            else:
                cells = list(table.records[index].cells)
                cells[column] = "|".join(v for v in variants if v != variant)
                csv_file.replace_record(table, index, cells)
        if holding:
            csv_file.rewrite(table, p)
    return len(holding)


def _rows_holding(table: csv_file.CsvTable, variant: str) -> list[tuple[int, list[str]]]:
    if table.header is None or "source" not in table.header:
        return []
    column = table.header.index("source")
    return [(i, split_variants(record.cells[column])) for i, record in enumerate(table.records)
            if i > table.header_index and not record.skipped and column < len(record.cells)
            and variant in split_variants(record.cells[column])]


def _source_index(table: csv_file.CsvTable) -> dict[str, int]:
    """Source variant -> index of the first record that holds it."""
    rows: dict[str, int] = {}
    if table.header is None or "source" not in table.header:
        return rows
    column = table.header.index("source")
    for index in range(table.header_index + 1, len(table.records)):
        record = table.records[index]
        if not record.skipped and column < len(record.cells):
            for variant in split_variants(record.cells[column]):
                rows.setdefault(variant, index)
    return rows


def to_csv(entries: list[Entry]) -> str:
    """Entries as CSV for spreadsheets: formula-leading cells are neutralised with a leading '."""
    layout = csv_file.CsvLayout()
    columns = list(COLUMNS) + [c for c in ("context", "avoid", "prompt_note") if any(getattr(e, c) for e in entries)]
    lines = [csv_file.format_row(columns, layout)]
    for e in entries:
        optional = {"context": e.context, "avoid": "|".join(e.avoid), "prompt_note": e.prompt_note}
        cells = ["|".join(e.sources), e.target, e.kind, e.note] + [optional[c] for c in columns[len(COLUMNS):]]
        lines.append(csv_file.format_row([csv_file.neutralise(c) for c in cells], layout))
    return "".join(lines)


def grep(glossary: Glossary, text: str = "") -> list[Entry]:
    pattern = re.compile(re.escape(text), re.IGNORECASE) if text else None
    return [e for e in glossary.entries if pattern is None or pattern.search("|".join(e.sources) + " " + e.target + " " + e.note)]
