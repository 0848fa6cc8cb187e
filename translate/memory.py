"""SQLite stores: the segment cache (machine output) and the translation memory (approved pairs)."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from .document import normalise
from .tmx import export_tmx, import_tmx  # noqa: F401 - the TMX side of the memory, public here too


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
        # The <seg> XML a TMX import came with (inline codes), for re-export; added to older files.
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(tm)")}
        for column in ("source_seg", "target_seg"):
            if column not in columns:
                self.db.execute(f"ALTER TABLE tm ADD COLUMN {column} TEXT")

    def lookup(self, source: str) -> str | None:
        row = self.db.execute("SELECT target FROM tm WHERE key=?", (normalise(source),)).fetchone()
        return row[0] if row else None

    def add(self, source: str, target: str, origin: str = "review", *, source_seg: str | None = None,
            target_seg: str | None = None) -> None:
        """Store an approved pair; `*_seg` keep a TMX import's <seg> markup (dropped when the pair changes)."""
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO tm (key, source, target, origin, updated, source_seg, target_seg) "
                            "VALUES (?,?,?,?,?,?,?)",
                            (normalise(source), source, target, origin, time.time(), source_seg, target_seg))

    def entries(self) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self.db.execute("SELECT source, target, origin FROM tm ORDER BY updated")]

    def entries_with_markup(self) -> list[tuple[str, str, str, str | None, str | None]]:
        return [tuple(r) for r in self.db.execute("SELECT source, target, origin, source_seg, target_seg FROM tm "
                                                  "ORDER BY updated")]

    def close(self) -> None:
        self.db.close()


def with_tm(path: str | Path):
    return closing(TranslationMemory(path))


def import_tmx_file(file: str, tm_path: str | Path, *, to_simplified: bool = False):
    """Import a TMX file into the memory at `tm_path`; a TmxImport report (stored, left out, problems)."""
    from .errors import InputError
    from .tmx import import_tmx_report

    if not Path(file).is_file():
        raise InputError("no such file; check the path", file)
    with with_tm(tm_path) as tm:
        return import_tmx_report(tm, Path(file).read_bytes(), file, to_simplified=to_simplified)
