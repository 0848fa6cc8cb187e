"""Opening the memory's SQLite files: one place for the settings and the checks every store shares.

A store is never opened through a symbolic link (a link planted in -o would have SQLite write a
database over whatever it points at), nor when it is a folder, a device or a file of another kind.
Every failure is a StoreError: one line naming the file and what to do.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from ..errors import InputError

SQLITE_HEADER = b"SQLite format 3\x00"
_SIDE_FILES = ("-wal", "-shm", "-journal")


class StoreError(InputError):
    """A cache or translation memory file cannot be used."""


class CorruptStore(StoreError):
    """The file is there but is not a readable SQLite database."""


def connect(path: str | Path, *, what: str = "database", create: bool = True, read_only: bool = False
            ) -> sqlite3.Connection:
    """A connection to the SQLite file at `path`; `what` names it in messages ("translation memory").

    `create=False` refuses a missing file (nothing is created, no folder either); `read_only` never
    writes (a file on a read-only mount can still be read)."""
    path = Path(path)
    exists = _check_path(path, what, create)
    if not exists and not read_only:
        _create_without_following(path, what)
    try:
        if read_only:
            connection = _open_read_only(path)
        else:
            connection = sqlite3.connect(str(path), timeout=30, isolation_level=None)
            # WAL lets two runs share one file: readers never block, writers queue on the lock.
            _set_wal(connection)
            connection.execute("PRAGMA synchronous=NORMAL")
        # quick_check reads every page (about 0.1 s per 100 MB): a truncated file fails here, not mid-run
        verdict = connection.execute("PRAGMA quick_check(1)").fetchone()
    except sqlite3.DatabaseError as exc:
        raise store_error(exc, path, what) from exc
    if verdict and verdict[0] != "ok":
        connection.close()
        raise CorruptStore(f"is a damaged {what} ({verdict[0][:80]}); restore it from a backup or give another "
                           "file", str(path))
    return connection


def _set_wal(connection: sqlite3.Connection) -> None:
    """Switch to WAL. Two processes opening a new file at once (Ray workers) can find it locked: SQLite
    does not wait on its busy timeout for a journal-mode change, so this waits and tries again (10 s)."""
    import time

    for attempt in range(100):
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 99:
                raise
            time.sleep(0.1)


def store_error(exc: Exception, path: str | Path, what: str) -> StoreError:
    """One line for an SQLite failure on `path`; a CorruptStore when the file itself is damaged."""
    text = str(exc)
    if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return CorruptStore(f"is not a readable {what} (corrupt or not an SQLite file); restore it from a backup "
                            "or give another file", str(path))
    if "disk is full" in text or "disk I/O" in text:
        return StoreError(f"cannot be written ({text}); free some space or give another file", str(path))
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StoreError(f"cannot be written or opened ({text}); check the folder's permissions or give "
                          "another file", str(path))
    return StoreError(f"cannot be used as a {what} ({text}); give another file", str(path))


def _check_path(path: Path, what: str, create: bool) -> bool:
    """Whether `path` exists; refuses links, folders and special files (side files included)."""
    for candidate in [path] + [path.with_name(path.name + side) for side in _SIDE_FILES]:
        try:
            info = os.lstat(candidate)
        except FileNotFoundError:
            if candidate == path and not create:
                raise StoreError(f"no such {what}; check the path", str(path)) from None
            continue
        except OSError as exc:
            raise StoreError(f"cannot be opened ({exc.strerror}); check the path", str(path)) from exc
        if stat.S_ISLNK(info.st_mode):
            raise StoreError(f"is a symbolic link; a {what} is never written through a link: remove the link or "
                             "give the real file", str(candidate))
        if stat.S_ISDIR(info.st_mode):
            raise StoreError(f"is a folder; give a {what} file (.sqlite)", str(candidate))
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(f"is not a regular file; give a {what} file (.sqlite)", str(candidate))
        if candidate == path and info.st_size and _header(path) != SQLITE_HEADER:
            raise CorruptStore(f"is not a {what} (not an SQLite file); give the .sqlite file this tool wrote",
                               str(path))
    return path.exists()


def _header(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER))
    except OSError:
        return b""


def _create_without_following(path: Path, what: str) -> None:
    """Create the empty file ourselves, refusing a link that appeared since the check (O_NOFOLLOW)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        os.close(fd)
    except FileExistsError:
        _check_path(path, what, True)
    except OSError as exc:
        raise StoreError(f"cannot be created ({exc.strerror}); check the folder's permissions or give another "
                         "file", str(path)) from exc


def _open_read_only(path: Path) -> sqlite3.Connection:
    uri = path.resolve().as_uri()
    try:
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30, isolation_level=None)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return connection
    except sqlite3.OperationalError:
        # A WAL file on a read-only mount cannot get its -shm: read it as it stands.
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)
