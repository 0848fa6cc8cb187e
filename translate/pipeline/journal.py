"""The run journal and the folder lock: a re-run knows its own files, and runs into one folder take turns.

The journal (OUT/.translate-journal.json) records, for each article, the outputs a run is about to
write with the input's hash and the run signature's hash. A run that stopped while writing (Ctrl-C,
SIGTERM, a full disk) left the entry "writing": the same command finds it and finishes without
--force. Runs into one folder hold OUT/.translate.lock while they check, translate and write.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError, printable

JOURNAL_NAME = ".translate-journal.json"
LOCK_NAME = ".translate.lock"


def signature_digest(signature: dict) -> str:
    return hashlib.sha256(json.dumps(signature, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]


class Journal:
    """OUT/.translate-journal.json: {stem: {input, input_sha256, signature, outputs, state}}."""

    def __init__(self, folder: str | Path):
        self.path = Path(folder) / JOURNAL_NAME

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _save(self, data: dict) -> None:
        from .atomic import write_text

        write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    def replaceable(self, stem: str, input_path: str, input_hash: str, signature: str) -> set[str]:
        """Names of this article's outputs a run may write over without --force (see `replaceable`)."""
        return replaceable(self._load().get(stem), input_path, input_hash, signature, self.path.parent)

    def start(self, stem: str, input_path: str, input_hash: str, signature: str, outputs: list[Path]) -> None:
        self.start_many([(stem, input_path, input_hash, signature, outputs)])

    def finish(self, stem: str) -> None:
        self.finish_many([stem])

    def completed(self, stem: str, input_hash: str, signature: str) -> bool:
        """This article was written with these settings and its outputs are all still there (a corpus
        re-run skips it)."""
        return is_completed(self._load().get(stem), input_hash, signature, self.path.parent)

    def start_many(self, entries: list[tuple[str, str, str, str, list[Path]]]) -> None:
        """`start` for several articles in one write (a corpus run writes a window of articles at once)."""
        data = self._load()
        for stem, input_path, input_hash, signature, outputs in entries:
            # printable: a non-UTF-8 file name cannot go into JSON as it is
            # outputs by name (they sit beside the journal) and the input's absolute path: a re-run from
            # another working folder, or naming the folder another way, is still this run
            data[stem] = {"input": printable(input_path), "input_path": _absolute(input_path),
                          "input_sha256": input_hash, "signature": signature,
                          "outputs": [Path(p).name for p in outputs], "state": "writing"}
        self._save(data)

    def finish_many(self, stems: list[str]) -> None:
        """Mark the articles done, with each output's size and modification time: a later run replaces
        an output only while it is as written (an editor working in the output folder loses nothing)."""
        data = self._load()
        changed = [stem for stem in stems if stem in data]
        for stem in changed:
            data[stem]["state"] = "done"
            data[stem]["written"] = {name: _stamp(self.path.parent / name) for name in data[stem].get("outputs", [])}
        if changed:
            self._save(data)

    def entries(self) -> dict:
        return self._load()


def is_completed(entry: dict | None, input_hash: str, signature: str, folder: str | Path) -> bool:
    if not entry or entry.get("state") != "done" or not input_hash:
        return False
    if entry.get("input_sha256") != input_hash or entry.get("signature") != signature:
        return False
    return all((Path(folder) / Path(p).name).exists() for p in entry.get("outputs", []))


def replaceable(entry: dict | None, input_path: str, input_hash: str, signature: str,
                folder: str | Path) -> set[str]:
    """Names of the outputs a run of this article may write over without --force: those of an unfinished
    run of the same article and settings (it is finished), and those of a finished run of the same file
    with the same settings that are still as that run wrote them, when there is something to redo (the
    article was edited, or an output deleted). Other files, outputs an editor changed since, and a finished
    run with nothing to redo (--force re-runs it) are the user's."""
    if not entry or entry.get("signature") != signature:
        return set()
    names = {Path(p).name for p in entry.get("outputs", [])}
    if entry.get("state") == "writing" and input_hash and entry.get("input_sha256") == input_hash:
        return names
    if entry.get("state") == "done" and entry.get("input_path") and entry.get("input_path") == _absolute(input_path):
        redo = entry.get("input_sha256") != input_hash or not all((Path(folder) / n).exists() for n in names)
        return {name for name in names if _as_written(entry, folder, name)} if redo else set()
    return set()


def _stamp(path: Path) -> list[int]:
    try:
        found = path.stat()
    except OSError:
        return []
    return [found.st_size, found.st_mtime_ns]


def _as_written(entry: dict, folder: str | Path, name: str) -> bool:
    """The output is as the run left it (or gone): no one edited it since."""
    stamp = _stamp(Path(folder) / name)
    return not stamp or stamp == (entry.get("written") or {}).get(name)


def _absolute(input_path: str) -> str:
    if input_path == "-":
        return ""  # stdin: no file to know it by
    try:
        return printable(str(Path(input_path).resolve()))
    except (OSError, RuntimeError):
        return ""


@contextmanager
def folder_lock(folder: str | Path, quiet: bool = False):
    """Hold OUT/.translate.lock: concurrent runs into one folder take turns."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(Path(folder) / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not quiet:
            import sys

            print(f"waiting for another run writing to {folder} ...", file=sys.stderr, flush=True)
        try:
            lock.acquire()
        except OSError as exc:
            raise OutputError(f"cannot lock this folder ({exc}); choose another with -o", str(folder)) from exc
    except OSError as exc:
        raise OutputError(f"cannot lock this folder ({exc}); choose another with -o", str(folder)) from exc
    try:
        yield
    finally:
        lock.release()
