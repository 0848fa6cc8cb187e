"""Output names and the checks made before any work: every output stays inside -o, none is overwritten
without --force, and two inputs of one batch never write the same files."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import OutputError

MAX_STEM_CHARS = 120
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.I)


def safe_stem(name: str, fallback: str = "article") -> str:
    """A file stem that names a file inside the output folder, whatever `name` holds.

    No separators, no '..', no leading dots or absolute paths, no control characters,
    at most MAX_STEM_CHARS characters. Used for every output name (run, review, exports).
    """
    stem = unicodedata.normalize("NFC", name)
    stem = _UNSAFE.sub("_", stem).strip(" ._")
    stem = re.sub(r"\.{2,}", ".", stem)
    stem = stem[:MAX_STEM_CHARS].rstrip(" .")
    if not stem or _RESERVED.match(stem):
        stem = f"{fallback}_{stem}" if stem else fallback
    return stem


def output_paths(stem: str, out_dir: str | Path, formats: tuple[str, ...]) -> dict[str, Path]:
    """Output kind -> file, for the chosen formats; `stem` is sanitised so every path stays inside the folder."""
    from ..formats import output_files

    stem = safe_stem(stem)
    return {f.kind: Path(out_dir) / f"{stem}{f.suffix}" for f in output_files(formats)}


def check_writable(folder: str | Path) -> None:
    """Fail before any work if the output folder cannot be created or written."""
    import tempfile

    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write to this folder ({exc.strerror}); choose another with -o", str(folder)) from exc


def check_distinct_outputs(inputs: list[str]) -> None:
    """Refuse, before any work, a batch in which two inputs would write the same output files."""
    from ..readers import input_stem

    seen: dict[str, str] = {}
    for path in inputs:
        stem = safe_stem(input_stem(path)).casefold()  # case-insensitive file systems too
        if stem in seen:
            raise OutputError(f"would write the same output files as {seen[stem]} (both are named "
                              f"'{stem}'); rename one or run them separately with different -o folders", path)
        seen[stem] = path


def check_outputs_free(paths: list[Path], force: bool) -> None:
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise OutputError(f"already exists ({len(existing)} output file(s)); use --force to overwrite "
                          "or -o to write elsewhere", str(existing[0]))
