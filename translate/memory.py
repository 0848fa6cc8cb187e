"""SQLite stores: the segment cache (machine output) and the translation memory (approved pairs)."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from .controls import strip_controls
from .document import normalise


def _connect(path: str | Path) -> sqlite3.Connection:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    # WAL lets two runs share one file: readers never block, writers queue on the lock.
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


class SegmentCache:
    """Machine translations keyed on (signature, normalised engine input)."""

    def __init__(self, path: str | Path, signature_key: str):
        self.path = Path(path)
        self.signature_key = signature_key
        self.db = _connect(self.path)
        self.db.execute("CREATE TABLE IF NOT EXISTS segments (key TEXT PRIMARY KEY, source TEXT, target TEXT, created REAL)")
        self.db.execute("CREATE TABLE IF NOT EXISTS memo (key TEXT PRIMARY KEY, value TEXT, created REAL)")

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.signature_key}\x00{normalise(text)}".encode("utf-8")).hexdigest()

    def get_many(self, texts: list[str]) -> dict[str, str]:
        found = {}
        for text in set(texts):
            row = self.db.execute("SELECT target FROM segments WHERE key=?", (self._key(text),)).fetchone()
            if row:
                found[text] = row[0]
        return found

    def put_many(self, pairs: list[tuple[str, str]]) -> None:
        """Store finished translations at once, so an interrupted run keeps what it finished."""
        now = time.time()
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO segments VALUES (?,?,?,?)",
                                [(self._key(s), s, t, now) for s, t in pairs])

    def get(self, key: str) -> str | None:
        """Other per-run results worth keeping (source repairs), keyed by the caller."""
        row = self.db.execute("SELECT value FROM memo WHERE key=?", (self._key(key),)).fetchone()
        return row[0] if row else None

    def put(self, key: str, value: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO memo VALUES (?,?,?)", (self._key(key), value, time.time()))

    def close(self) -> None:
        self.db.close()


class TranslationMemory:
    """Approved block translations, keyed on the normalised (repaired) source."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.db = _connect(self.path)
        self.db.execute("CREATE TABLE IF NOT EXISTS tm (key TEXT PRIMARY KEY, source TEXT, target TEXT, "
                        "origin TEXT, updated REAL)")

    def lookup(self, source: str) -> str | None:
        row = self.db.execute("SELECT target FROM tm WHERE key=?", (normalise(source),)).fetchone()
        return row[0] if row else None

    def add(self, source: str, target: str, origin: str = "review") -> None:
        source, target = strip_controls(source), strip_controls(target)  # never stored: they break XML outputs
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO tm VALUES (?,?,?,?,?)",
                            (normalise(source), source, target, origin, time.time()))

    def entries(self) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self.db.execute("SELECT source, target, origin FROM tm ORDER BY updated")]

    def close(self) -> None:
        self.db.close()


def export_tmx(tm: TranslationMemory, source_lang: str = "zh-CN", target_lang: str = "en") -> str:
    """TMX 1.4 with one <tu> per approved pair."""
    from lxml import etree

    from . import __version__

    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", creationtool="translate", creationtoolversion=__version__, segtype="paragraph",
                     adminlang="en", srclang=source_lang, datatype="plaintext", **{"o-tmf": "translate-sqlite"})
    body = etree.SubElement(root, "body")
    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    for source, target, origin in tm.entries():
        unit = etree.SubElement(body, "tu")
        etree.SubElement(unit, "prop", type="x-origin").text = origin
        for lang, text in ((source_lang, source), (target_lang, target)):
            variant = etree.SubElement(unit, "tuv")
            variant.set(lang_attr, lang)
            etree.SubElement(variant, "seg").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def import_tmx(tm: TranslationMemory, data: bytes, path: str) -> int:
    from lxml import etree

    from .errors import InputError

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"line {exc.lineno}: not valid TMX XML ({exc.msg})", path) from exc
    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    count = 0
    for unit in root.iter("tu"):
        texts = {}
        for variant in unit.iter("tuv"):
            lang = (variant.get(lang_attr) or variant.get("lang") or "").lower()
            seg = variant.find("seg")
            if seg is not None:
                texts[lang.split("-")[0]] = "".join(seg.itertext())
        if texts.get("zh") and texts.get("en"):
            tm.add(texts["zh"], texts["en"], origin="tmx")
            count += 1
    return count


def with_tm(path: str | Path):
    return closing(TranslationMemory(path))


def import_tmx_file(file: str, tm_path: str | Path) -> int:
    """Import a TMX file into the memory at `tm_path`; the number of pairs stored."""
    from .errors import InputError

    if not Path(file).is_file():
        raise InputError("no such file; check the path", file)
    with with_tm(tm_path) as tm:
        return import_tmx(tm, Path(file).read_bytes(), file)
