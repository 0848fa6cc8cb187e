"""Glossary files: CSV model, loading with file:line errors, lint, safe edits, TBX exchange."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .atomic import write_text
from .errors import GlossaryError
from .senses import parse_context

COLUMNS = ("source", "target", "kind", "note")
KINDS = ("term", "name", "keep")
DEFAULT_GLOSSARY = "tech-zh-en.csv"


@dataclass
class Entry:
    sources: list[str]  # Chinese variants, longest matched first
    target: str  # English; "noun form|adjective form" for terms such as open source
    kind: str = "term"
    note: str = ""
    origin: str = ""  # file:line
    context: str = ""  # when the entry applies: see translate/senses.py for the syntax

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

    def by_source(self) -> dict[str, Entry]:
        """Variant -> entry; later entries (later -g files) override earlier ones."""
        table: dict[str, Entry] = {}
        for entry in self.entries:
            for variant in entry.sources:
                table[variant] = entry
        return table


def default_glossary_path() -> Path:
    return Path(str(resources.files("translate.glossary_data").joinpath(DEFAULT_GLOSSARY)))


def load_glossaries(paths: list[str], *, use_default: bool = True) -> Glossary:
    files = ([str(default_glossary_path())] if use_default else []) + list(paths)
    glossary = Glossary(files=files)
    digest = hashlib.sha256()
    for path in files:
        data = _read(path)
        digest.update(data)
        glossary.entries.extend(parse_csv(data, path))
    glossary.digest = digest.hexdigest()[:12] if files else "none"
    return glossary


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise GlossaryError("no such glossary file; check the -g path", path) from exc
    except IsADirectoryError as exc:
        raise GlossaryError("is a folder; give a glossary .csv file", path) from exc


def _rows(data: bytes, path: str):
    """Yield (line number, row dict, row longer than the header) of a glossary CSV, skipping comments."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GlossaryError(f"line {line} is not UTF-8; re-save the glossary as UTF-8", path) from exc
    lines = text.splitlines()
    reader = csv.reader(lines)
    header = None
    for number, row in enumerate(reader, start=1):
        if not row or not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            missing = [c for c in ("source", "target") if c not in header]
            if missing:
                raise GlossaryError(f"line {number}: header lacks column {', '.join(missing)}; "
                                    "the header must be source,target,kind,note", path)
            dupes = sorted({c for c in header if c and header.count(c) > 1})
            if dupes:
                raise GlossaryError(f"line {number}: duplicate header column {', '.join(dupes)}", path)
            continue
        yield number, dict(zip(header, (cell for cell in row))), len(row) > len(header)


def parse_csv(data: bytes, path: str) -> list[Entry]:
    entries = []
    for number, row, too_long in _rows(data, path):
        source, target = (row.get("source") or "").strip(), (row.get("target") or "").strip()
        kind = (row.get("kind") or "term").strip() or "term"
        if too_long:
            raise GlossaryError(f"line {number}: more cells than header columns (quote cells that contain commas)", path)
        if not source or (not target and kind != "keep"):
            raise GlossaryError(f"line {number}: empty source or target", path)
        if kind not in KINDS:
            raise GlossaryError(f"line {number}: kind '{kind}' is not one of {', '.join(KINDS)}", path)
        variants = [v.strip() for v in source.split("|") if v.strip()]
        context = (row.get("context") or "").strip()
        _check_context(context, number, path)
        entries.append(Entry(variants, target or variants[0], kind, (row.get("note") or "").strip(), f"{path}:{number}",
                             context))
    return entries


def _check_context(context: str, number: int, path: str) -> None:
    try:
        parse_context(context)
    except ValueError as exc:
        raise GlossaryError(f"line {number}: {exc}", path) from exc


def lint(path: str) -> list[str]:
    """Problems as 'file:line: problem'. An empty list means clean."""
    data = _read(path)
    problems: list[str] = []
    try:
        rows = list(_rows(data, path))
    except GlossaryError as exc:
        found = re.match(r"line (\d+):? (.*)", exc.args[0])
        return [f"{path}:{found[1]}: {found[2]}" if found else f"{path}:1: {exc.args[0]}"]
    seen: dict[str, tuple[int, str]] = {}
    without_context: list[tuple[str, str]] = []  # (where, variant)
    for number, row, too_long in rows:
        where = f"{path}:{number}"
        context = (row.get("context") or "").strip()
        try:
            parse_context(context)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
        for column in COLUMNS:
            value = row.get(column) or ""
            if value != value.strip():
                problems.append(f"{where}: stray whitespace in {column}")
        source, target = (row.get("source") or "").strip(), (row.get("target") or "").strip()
        kind = (row.get("kind") or "term").strip() or "term"
        if too_long:
            problems.append(f"{where}: more cells than header columns")
        if not source:
            problems.append(f"{where}: empty source")
            continue
        if not target and kind != "keep":
            problems.append(f"{where}: empty target")
        if kind not in KINDS:
            problems.append(f"{where}: unknown kind '{kind}'")
        for variant in (v.strip() for v in source.split("|")):
            if variant in seen:
                first_line, first_target = seen[variant]
                what = "duplicate of" if first_target == target else f"conflicting target ('{first_target}') at"
                problems.append(f"{where}: '{variant}' is a {what} line {first_line}")
            else:
                seen[variant] = (number, target)
            if not context:
                without_context.append((where, variant))
    problems.extend(_nested_conflicts(seen, path))
    problems.extend(_short_entries_inside_words(without_context, set(seen)))
    return problems


def _short_entries_inside_words(variants: list[tuple[str, str]], sources: set[str]) -> list[str]:
    """Short sources without a context that common words contain: the matcher skips those words,
    but a short name that is part of everyday words usually has other senses too (字节: byte)."""
    from .word_bounds import short_source_traps

    warnings = []
    for where, variant in variants:
        words = short_source_traps(variant, exclude=sources)
        if words:
            warnings.append(f"{where}: warning: short entry '{variant}' has no context and occurs inside common "
                            f"words ({', '.join(words[:4])}); add a context condition for its sense")
    return warnings


def _nested_conflicts(seen: dict[str, tuple[int, str]], path: str) -> list[str]:
    """A term inside a longer term whose target does not contain the shorter term's target."""
    problems = []
    for longer, (line, target) in seen.items():
        for shorter, (short_line, short_target) in seen.items():
            if shorter != longer and shorter in longer and short_target and target:
                if not _contains_any(target, short_target):
                    problems.append(f"{path}:{line}: '{longer}' contains '{shorter}' (line {short_line}) "
                                    f"but its target does not contain '{short_target}'")
    return problems


def _contains_any(text: str, targets: str) -> bool:
    lowered = text.lower()
    return any(t.strip().lower() in lowered for t in targets.split("|"))


# --- edits: atomic, order- and comment-preserving, serialised by a file lock ---------------


def _lock(path: Path):
    from filelock import FileLock

    return FileLock(str(path) + ".lock", timeout=30)


def add_entry(path: str, source: str, target: str, kind: str = "term", note: str = "") -> str:
    """Add or replace the row for `source`. Returns 'added' or 'updated'."""
    if kind not in KINDS:
        raise GlossaryError(f"kind '{kind}' is not one of {', '.join(KINDS)}", path)
    if not source.strip() or (not target.strip() and kind != "keep"):
        raise GlossaryError("source and target must not be empty", path)
    p = Path(path)
    with _lock(p):
        lines = p.read_text(encoding="utf-8-sig").splitlines() if p.exists() else [",".join(COLUMNS)]
        row = _csv_line([source.strip(), target.strip(), kind, note.strip()])
        index = _find_row(lines, source.strip())
        if index is None:
            lines.append(row)
            status = "added"
        else:
            lines[index] = row
            status = "updated"
        write_text(p, "\n".join(lines) + "\n")
    return status


def remove_entry(path: str, source: str) -> bool:
    p = Path(path)
    if not p.exists():
        raise GlossaryError("no such glossary file", path)
    with _lock(p):
        lines = p.read_text(encoding="utf-8-sig").splitlines()
        index = _find_row(lines, source.strip())
        if index is None:
            return False
        del lines[index]
        write_text(p, "\n".join(lines) + "\n")
    return True


def _find_row(lines: list[str], source: str) -> int | None:
    for index, line in enumerate(lines[1:], start=1):
        if line.lstrip().startswith("#") or not line.strip():
            continue
        cells = next(csv.reader([line]), [])
        if cells and source in [v.strip() for v in cells[0].split("|")]:
            return index
    return None


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def to_csv(entries: list[Entry]) -> str:
    lines = [",".join(COLUMNS)] + [_csv_line(["|".join(e.sources), e.target, e.kind, e.note]) for e in entries]
    return "\n".join(lines) + "\n"


# --- TBX-Basic ------------------------------------------------------------------------------

_TBX_NS = "urn:iso:std:iso:30042:ed-2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_KIND_TO_POS = {"name": "properNoun", "term": "noun", "keep": "other"}


def to_tbx(entries: list[Entry]) -> str:
    from lxml import etree

    root = etree.Element("tbx", nsmap={None: _TBX_NS}, type="TBX-Basic", style="dca")
    root.set(_XML_LANG, "en")
    header = etree.SubElement(etree.SubElement(root, "tbxHeader"), "fileDesc")
    etree.SubElement(etree.SubElement(header, "sourceDesc"), "p").text = "Exported by translate"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, entry in enumerate(entries, start=1):
        concept = etree.SubElement(body, "conceptEntry", id=f"c{number}")
        if entry.note:
            etree.SubElement(concept, "descrip", type="definition").text = entry.note
        for lang, terms in (("zh", entry.sources), ("en", entry.targets)):
            lang_sec = etree.SubElement(concept, "langSec")
            lang_sec.set(_XML_LANG, lang)
            for term in terms:
                term_sec = etree.SubElement(lang_sec, "termSec")
                etree.SubElement(term_sec, "term").text = term
                etree.SubElement(term_sec, "termNote", type="partOfSpeech").text = _KIND_TO_POS[entry.kind]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def from_tbx(data: bytes, path: str) -> list[Entry]:
    """TBX-Basic (ISO 30042:2019 conceptEntry/langSec) and older martif (termEntry/langSet)."""
    from lxml import etree

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise GlossaryError(f"line {exc.lineno}: not valid TBX XML ({exc.msg})", path) from exc
    entries = []
    for concept in root.iter("{*}conceptEntry", "{*}termEntry"):
        langs: dict[str, list[str]] = {}
        pos = ""
        for lang_sec in concept.iter("{*}langSec", "{*}langSet"):
            lang = (lang_sec.get(_XML_LANG) or "").lower().split("-")[0]
            langs.setdefault(lang, []).extend(t.text.strip() for t in lang_sec.iter("{*}term") if t.text and t.text.strip())
            pos = pos or next((n.text for n in lang_sec.iter("{*}termNote") if n.get("type") == "partOfSpeech"), "") or ""
        note = next((d.text or "" for d in concept.iter("{*}descrip") if d.get("type") == "definition"), "")
        if langs.get("zh") and langs.get("en"):
            kind = {v: k for k, v in _KIND_TO_POS.items()}.get(pos, "term")
            entries.append(Entry(langs["zh"], "|".join(langs["en"]), kind, note, f"{path}:{concept.sourceline}"))
    return entries


def import_file(path: str, into: str) -> int:
    """Add every entry of a .tbx or .csv file to the glossary `into`. Returns the count."""
    data = _read(path)
    entries = from_tbx(data, path) if path.lower().endswith(".tbx") else parse_csv(data, path)
    for entry in entries:
        add_entry(into, "|".join(entry.sources), entry.target, entry.kind, entry.note)
    return len(entries)


def grep(glossary: Glossary, text: str = "") -> list[Entry]:
    pattern = re.compile(re.escape(text), re.IGNORECASE) if text else None
    return [e for e in glossary.entries if pattern is None or pattern.search("|".join(e.sources) + " " + e.target + " " + e.note)]
