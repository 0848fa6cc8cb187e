"""The translation memory: approved block translations (editors' reviews, TMX imports)."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

from ..controls import strip_controls
from ..document import normalise
from .keys import tm_key
from .sqlite import StoreError, connect, store_error

def _keys(source: str) -> list[str]:
    """The key, then the key form earlier versions stored (memories written before keep working)."""
    key, earlier = tm_key(source), normalise(source)
    return [key] if key == earlier else [key, earlier]


class TranslationMemory:
    """Approved block translations, keyed on the normalised (repaired) source."""

    def __init__(self, path: str | Path, *, read_only: bool = False, create: bool = True):
        """`read_only`: never written, not even its schema (export, checks; a read-only mount works);
        `create=False`: a missing file is an error, nothing is created."""
        self.path = Path(path)
        self.db = connect(self.path, what="translation memory", create=create and not read_only, read_only=read_only)
        try:
            self._ensure_schema(read_only)
        except (sqlite3.DatabaseError, StoreError) as exc:
            self.db.close()
            if isinstance(exc, StoreError):
                raise
            raise store_error(exc, self.path, "translation memory") from exc

    def _ensure_schema(self, read_only: bool) -> None:
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if read_only:
            if "tm" not in tables:
                raise StoreError("is not a translation memory (no tm table); give the .sqlite file 'review import', "
                                 "'align --tm' or 'tm import' wrote", str(self.path))
            return
        # The <seg> XML a TMX import came with (inline codes), for re-export; and the machine translation an
        # editor replaced (glossary suggest learns renderings from the pair). New files get them at once, so
        # workers that open one new file together (Ray actors) do not race to add them.
        self.db.execute("CREATE TABLE IF NOT EXISTS tm (key TEXT PRIMARY KEY, source TEXT, target TEXT, "
                        "origin TEXT, updated REAL, source_seg TEXT, target_seg TEXT, machine TEXT)")
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(tm)")}
        for column in ("source_seg", "target_seg", "machine"):  # older files
            if column not in columns:
                try:
                    self.db.execute(f"ALTER TABLE tm ADD COLUMN {column} TEXT")
                except sqlite3.OperationalError as exc:
                    if "duplicate column" not in str(exc):
                        raise  # another process added it meanwhile: fine

    def entry(self, source: str) -> tuple[str, str, float] | None:
        """(target, origin, when stored as a Unix time) of a source's pair, or None."""
        for key in _keys(source):
            row = self.db.execute("SELECT target, origin, updated FROM tm WHERE key=?", (key,)).fetchone()
            if row:
                return tuple(row)
        return None

    def lookup(self, source: str) -> str | None:
        found = self.entry(source)
        return found[0] if found else None

    def add(self, source: str, target: str, origin: str = "review", *, source_seg: str | None = None,
            target_seg: str | None = None, machine: str | None = None, updated: float | None = None) -> None:
        """Store an approved pair; `*_seg` keep a TMX import's <seg> markup (dropped when the pair changes);
        `machine` is the machine translation the editor replaced, if they changed it; `updated` the time the
        pair was made (a TMX unit's changedate), now when not given."""
        source, target = strip_controls(source), strip_controls(target)  # never stored: they break XML outputs
        machine = strip_controls(machine) if machine and machine != target else None
        key, *older = _keys(source)
        with self.db:
            for old in older:  # the pair stored under an earlier key form: replaced, never kept twice
                self.db.execute("DELETE FROM tm WHERE key=?", (old,))
            self.db.execute("INSERT OR REPLACE INTO tm (key, source, target, origin, updated, source_seg, target_seg, "
                            "machine) VALUES (?,?,?,?,?,?,?,?)",
                            (key, source, target, origin, updated or time.time(), source_seg, target_seg,
                             machine))

    def entries(self) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self.db.execute("SELECT source, target, origin FROM tm ORDER BY updated")]

    def entries_with_markup(self) -> list[tuple[str, str, str, str | None, str | None, float]]:
        """(source, target, origin, source <seg>, target <seg>, when stored), oldest first."""
        return [tuple(r) for r in self.db.execute("SELECT source, target, origin, source_seg, target_seg, updated "
                                                  "FROM tm ORDER BY updated")]

    def entries_with_machine(self) -> list[tuple[str, str, str | None]]:
        """(source, approved target, the machine translation it replaced or None), oldest first."""
        return [tuple(r) for r in self.db.execute("SELECT source, target, machine FROM tm ORDER BY updated")]

    def close(self) -> None:
        self.db.close()


def with_tm(path: str | Path, **opening):
    return closing(TranslationMemory(path, **opening))


def import_tmx_file(file: str, tm_path: str | Path, *, to_simplified: bool = False, overwrite: bool = False):
    """Import a TMX file into the memory at `tm_path`; a TmxImport report (stored, left out, problems,
    conflicts with reviewed pairs, which are kept unless `overwrite`)."""
    from ..readers.limits import read_capped
    from .tmx import import_tmx_report, tmx_root

    data = read_capped(file, "TMX file")  # capped while reading: a FIFO or a device has no size
    tmx_root(data, file)  # a file that is no TMX is refused before a memory is made for it
    with with_tm(tm_path) as tm:
        return import_tmx_report(tm, data, file, to_simplified=to_simplified, overwrite=overwrite)
