"""The segment cache: machine output keyed on (run signature, normalised engine input).

Only a cache: a run that finds it missing translates again. Per-run results worth keeping
(source repairs, matcher memos) sit beside it in the `memo` table.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from ..document import normalise
from .sqlite import connect


class SegmentCache:
    """Machine translations keyed on (signature, normalised engine input)."""

    def __init__(self, path: str | Path, signature_key: str):
        self.path = Path(path)
        self.signature_key = signature_key
        self.db = connect(self.path)
        self.db.execute("CREATE TABLE IF NOT EXISTS segments (key TEXT PRIMARY KEY, source TEXT, target TEXT, created REAL)")
        self.db.execute("CREATE TABLE IF NOT EXISTS memo (key TEXT PRIMARY KEY, value TEXT, created REAL)")

    def keyed(self, signature_key: str) -> SegmentCache:
        """The same cache under another signature key (LLM requests are keyed by what they carry,
        not by the whole run's settings); it shares this one's connection."""
        view = object.__new__(SegmentCache)
        view.path, view.signature_key, view.db = self.path, signature_key, self.db
        return view

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
