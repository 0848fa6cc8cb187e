"""Glossary CSV files as their editor saved them: encoding, BOM, delimiter, line endings, column order.

Reading gives records with their raw text, so an edit rewrites only the row it changes and every
other byte of the file stays as it was. Excel's "Unicode text" (UTF-16, tab-separated) and GBK/GB18030
files are read with a notice and written back in the same form.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GlossaryError

# Cells starting with these run as formulas in spreadsheets (OWASP "CSV injection").
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_RESAVE = "re-save it as CSV UTF-8 (comma delimited)"


@dataclass
class CsvLayout:
    """How a CSV file is written, so edits keep it that way."""

    encoding: str = "utf-8"  # codec used to write the text back
    bom: bool = False
    delimiter: str = ","
    newline: str = "\n"
    notices: list[str] = field(default_factory=list)


@dataclass
class Record:
    """One physical CSV record: its raw text (with its line ending) and its cells."""

    raw: str
    line: int  # first line number in the file
    cells: list[str]

    @property
    def skipped(self) -> bool:
        """Blank rows and '#' comments are not data."""
        return not any(c.strip() for c in self.cells) or (bool(self.cells) and self.cells[0].lstrip().startswith("#"))


@dataclass
class CsvTable:
    layout: CsvLayout
    records: list[Record]
    header: list[str] | None  # lower-cased column names
    header_index: int  # index of the header record in `records` (-1: none)


def decode(data: bytes, path: str) -> tuple[str, CsvLayout]:
    """The file's text and layout; GlossaryError with a one-line hint for what we cannot read."""
    layout = CsvLayout()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) > 3 and data[1:4:2] == b"\x00\x00"):
        codec = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-16-le"
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise GlossaryError(f"looks like UTF-16 but cannot be decoded; {_RESAVE}", path) from exc
        layout.encoding, layout.bom = codec, codec == "utf-16"
        text = text.lstrip("\ufeff")
        layout.notices.append(f"{path}: read as Excel 'Unicode text' (UTF-16); it is written back the same way")
    elif data.startswith(b"\xef\xbb\xbf"):
        text, layout.bom = _utf8(data[3:], path, layout), True
    else:
        text = _utf8(data, path, layout)
    layout.newline = _first_newline(text)
    layout.delimiter = _delimiter(text, path)
    return text, layout


def _utf8(data: bytes, path: str, layout: CsvLayout) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise GlossaryError(f"line {line} is not UTF-8; re-save the glossary as UTF-8", path) from exc
        layout.encoding = "gb18030"
        layout.notices.append(f"{path}:{line}: not UTF-8, read as GBK/GB18030; re-save the glossary as UTF-8")
        return text


def _first_newline(text: str) -> str:
    index = text.find("\n")
    cr = text.find("\r")
    if cr != -1 and (index == -1 or cr < index):
        return "\r\n" if text[cr : cr + 2] == "\r\n" else "\r"
    return "\n"


def _delimiter(text: str, path: str) -> str:
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        lowered = line.lower()
        if "\t" in line and "," not in line:
            return "\t"
        if ";" in line and "," not in line and "source" in lowered:
            raise GlossaryError("the header is separated by semicolons; " + _RESAVE, path)
        return ","
    return ","


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r|$)")


def records(text: str, delimiter: str, path: str = "") -> list[Record]:
    """Physical records with their raw text, split exactly where the csv module ends a row
    (a quoted cell may span lines; a stray quote inside an unquoted cell does not)."""
    lines = [m.group() for m in _LINE.finditer(text) if m.group()]
    reader = csv.reader(iter(lines), delimiter=delimiter)
    out: list[Record] = []
    consumed = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return out
        except csv.Error as exc:
            raise GlossaryError(f"line {consumed + 1}: {exc}; check the quotes in this row", path) from exc
        out.append(Record("".join(lines[consumed : reader.line_num]), consumed + 1, cells))
        consumed = reader.line_num


def read_table(data: bytes, path: str) -> CsvTable:
    text, layout = decode(data, path)
    table = CsvTable(layout, records(text, layout.delimiter, path), None, -1)
    for index, record in enumerate(table.records):
        if not record.skipped:
            table.header, table.header_index = [c.strip().lower() for c in record.cells], index
            break
    return table


def format_row(cells: list[str], layout: CsvLayout) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=layout.delimiter, lineterminator=layout.newline).writerow(cells)
    return buffer.getvalue()


def neutralise(cell: str) -> str:
    """Prefix a formula-leading cell with ' so spreadsheets show it as text (OWASP). A cell that already reads
    '= (quote marks, then a formula lead) gets one more, so that `unneutralise` gives it back as it was."""
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_LEADS) else cell


def unneutralise(cell: str) -> str:
    """Undo `neutralise` for a cell read back from one of our exports."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_LEADS) else cell


def encode(text: str, layout: CsvLayout) -> bytes:
    if layout.encoding.startswith("utf-16"):
        codec = "utf-16-le" if layout.encoding == "utf-16-le" or layout.bom else layout.encoding
        return ("\ufeff" if layout.bom else "").encode("utf-16-le") + text.encode(codec)
    return ("\ufeff" if layout.bom else "").encode("utf-8") + text.encode(layout.encoding)


@contextmanager
def edit_lock(path: Path, timeout: float = 30.0):
    """Serialise edits of the glossary at `path` (its real path, links resolved) without a leftover file:
    an flock on the folder that holds it, where the system has one; else a FileLock beside it."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        from filelock import FileLock

        with FileLock(str(path) + ".lock", timeout=timeout):
            yield
        return
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise GlossaryError("is being edited by another command; try again", str(path)) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(folder)  # releases the lock


def write_preserving_mode(path: Path, data: bytes) -> None:
    """Atomic write that keeps the file's permission bits (new files: 0666 less the umask)."""
    from ..pipeline.atomic import atomic_path

    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
        os.chmod(tmp, mode)


def rewrite(table: CsvTable, path: Path) -> None:
    write_preserving_mode(path, encode("".join(r.raw for r in table.records), table.layout))


def row_cells(table: CsvTable, values: dict[str, str], old: list[str] | None = None) -> list[str]:
    """Cells in the file's column order; columns not in `values` keep the old row's cells."""
    assert table.header is not None
    old = list(old or [])
    cells = [old[i] if i < len(old) else "" for i in range(len(table.header))]
    for index, column in enumerate(table.header):
        if column in values:
            cells[index] = values[column]
    return cells


def append_record(table: CsvTable, cells: list[str]) -> None:
    if table.records and not table.records[-1].raw.endswith(("\n", "\r")):
        table.records[-1].raw += table.layout.newline
    line = (table.records[-1].line + table.records[-1].raw.count("\n") if table.records else 1)
    table.records.append(Record(format_row(cells, table.layout), line, cells))


def replace_record(table: CsvTable, index: int, cells: list[str]) -> None:
    old = table.records[index]
    raw = format_row(cells, table.layout)
    if not old.raw.endswith(("\n", "\r")):  # the last row without a final newline stays without one
        raw = raw[: -len(table.layout.newline)]
    table.records[index] = Record(raw, old.line, cells)


def add_column(table: CsvTable, column: str) -> None:
    """Append a column to the header row; data rows are left as they are (short rows read as empty)."""
    assert table.header is not None
    table.header.append(column)
    record = table.records[table.header_index]
    cells = record.cells + [column]
    replace_record(table, table.header_index, cells)
