"""Atomic file writes: a temp file in the target folder, fsync, then rename.

The result gets the mode a plain open() would give: an existing file keeps its mode, a new one
gets 0666 less the umask (0644 under the usual 022), not the 0600 of a temp file.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError

TEMP_SUFFIX = ".part"


def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def mode_for(path: Path) -> int:
    """The permission bits `path` should end with: its own if it is a file, else 0666 & ~umask.

    A symbolic link is replaced (never written through), and its target's mode is not the new file's."""
    import stat

    try:
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            return info.st_mode & 0o7777
    except OSError:
        pass
    return 0o666 & ~current_umask()


def temp_name_prefix(path: Path) -> str:
    return f".{path.name}."


@contextmanager
def atomic_path(path: str | Path):
    """Yield a temp path next to `path`; on success it replaces `path` in one rename."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=temp_name_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write here ({exc.strerror}); choose a folder you can write to", str(path.parent)) from exc
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode_for(path))
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot be written ({exc.strerror or exc}); free some space or choose a folder you "
                              "can write to", str(path)) from exc
        raise


def write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    write_bytes(path, text.encode(encoding))


def remove_stale_temps(paths) -> None:
    """Temp files a killed writer of any of `paths` left behind (SIGKILL gives us no chance to remove
    them). One listing per folder, however many paths: a corpus run clears a folder's articles at once."""
    by_folder: dict[Path, set[str]] = {}
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        path = Path(path)
        by_folder.setdefault(path.parent, set()).add(path.name)
    for folder, names in by_folder.items():
        try:
            entries = list(os.scandir(folder))
        except OSError:  # no folder yet: nothing left behind
            continue
        for entry in entries:
            if _temp_target(entry.name) in names:
                Path(entry.path).unlink(missing_ok=True)


def _temp_target(name: str) -> str | None:
    """The file a temp file named `name` was to replace ('.a.json.k3j9x2_q.part' -> 'a.json'), else None."""
    if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
        return None
    target, dot, _random = name[1 : -len(TEMP_SUFFIX)].rpartition(".")
    return target if dot else None
