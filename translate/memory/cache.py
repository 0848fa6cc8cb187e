"""The segment cache: machine output keyed on (run signature, normalised engine input).

Only a cache: a run that finds it missing translates again, and one that finds it damaged moves it
aside (`.corrupt-<time>`), warns and starts a new one. Per-run results worth keeping (source
repairs, matcher memos) sit beside it in the `memo` table.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

from ..document import normalise
from .sqlite import CorruptStore, connect, store_error

_WHAT = "segment cache"


class SegmentCache:
    """Machine translations keyed on (signature, normalised engine input)."""

    def __init__(self, path: str | Path, signature_key: str):
        self.path = Path(path)
        self.signature_key = signature_key
        self.warnings: list[str] = []  # the run adds them to the document's warnings
        self.db = None
        try:
            self._open()
        except CorruptStore:
            self._move_aside()

    def _open(self) -> None:
        self.db = connect(self.path, what=_WHAT)
        try:
            self.db.execute("CREATE TABLE IF NOT EXISTS segments (key TEXT PRIMARY KEY, source TEXT, target TEXT, "
                            "created REAL)")
            self.db.execute("CREATE TABLE IF NOT EXISTS memo (key TEXT PRIMARY KEY, value TEXT, created REAL)")
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise store_error(exc, self.path, _WHAT) from exc

    def _move_aside(self) -> None:
        """A damaged cache is renamed, never deleted (someone may want to look at it), and rebuilt."""
        if self.db is not None:
            self.db.close()
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        self.path.rename(aside)
        for side in ("-wal", "-shm", "-journal"):
            self.path.with_name(self.path.name + side).unlink(missing_ok=True)
        self.warnings.append(f"{self.path}: the segment cache was damaged; moved aside to {aside.name} and "
                             "started anew (segments are translated again)")
        self._open()

    def _run(self, operation):
        """`operation(db)`, with a cache damaged mid-run moved aside (the operation then sees an empty cache)."""
        try:
            return operation(self.db)
        except sqlite3.DatabaseError as exc:
            error = store_error(exc, self.path, _WHAT)
            if not isinstance(error, CorruptStore):
                raise error from exc
        self._move_aside()
        return operation(self.db)

    def keyed(self, signature_key: str) -> SegmentCache:
        """The same cache under another signature key (LLM requests are keyed by what they carry,
        not by the whole run's settings); it shares this one's connection."""
        view = object.__new__(SegmentCache)
        view.path, view.signature_key, view.db = self.path, signature_key, self.db
        return view

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.signature_key}\x00{normalise(text)}".encode("utf-8")).hexdigest()

    def get_many(self, texts: list[str]) -> dict[str, str]:
        def lookup(db):
            found = {}
            for text in set(texts):
                row = db.execute("SELECT target FROM segments WHERE key=?", (self._key(text),)).fetchone()
                if row:
                    found[text] = row[0]
            return found
        return self._run(lookup)

    def put_many(self, pairs: list[tuple[str, str]]) -> None:
        """Store finished translations at once, so an interrupted run keeps what it finished."""
        now = time.time()
        rows = [(self._key(s), s, t, now) for s, t in pairs]

        def store(db):
            with db:
                db.executemany("INSERT OR REPLACE INTO segments VALUES (?,?,?,?)", rows)
        self._run(store)

    def get(self, key: str) -> str | None:
        """Other per-run results worth keeping (source repairs), keyed by the caller."""
        row = self._run(lambda db: db.execute("SELECT value FROM memo WHERE key=?", (self._key(key),)).fetchone())
        return row[0] if row else None

    def put(self, key: str, value: str) -> None:
        def store(db):
            with db:
                db.execute("INSERT OR REPLACE INTO memo VALUES (?,?,?)", (self._key(key), value, time.time()))
        self._run(store)

    def close(self) -> None:
        self.db.close()
