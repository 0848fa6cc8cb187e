"""Output names and the checks made before any work: every output stays inside -o, none is overwritten
without --force, and two inputs of one batch never write the same files."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ..errors import OutputError

MAX_STEM_CHARS = 120
# Bytes, not characters, are what a file system limits (255 for a name): a stem holds at most this many
# in UTF-8, leaving room for the longest suffix (".bilingual.docx") and a temp file's ".NAME.xxxxxxxx.part".
MAX_STEM_BYTES = 200
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|]+')  # separators, reserved characters, C0/C1 controls
_UNDECODABLE = re.compile("[\ud800-\udfff]")  # bytes of a non-UTF-8 file name (surrogate escapes): shown as U+FFFD
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.I)


def safe_stem(name: str, fallback: str = "article") -> str:
    """A file stem that names a file inside the output folder, whatever `name` holds.

    No separators, no '..', no leading dots or absolute paths, no control or bidi characters, no
    undecodable bytes, at most MAX_STEM_CHARS characters and MAX_STEM_BYTES bytes. Used for every output name (run, review, exports).
    """
    stem = _UNSAFE.sub("_", _UNDECODABLE.sub("\ufffd", name))
    # bidi overrides (RLO makes "gpj.exe" read backwards), zero-width and other format characters
    stem = "".join(c for c in unicodedata.normalize("NFC", stem) if unicodedata.category(c) != "Cf")
    stem = re.sub(r"\.{2,}", ".", stem.strip(" ._"))
    stem = _shorten(stem).rstrip(" .")
    if not stem or _RESERVED.match(stem):
        stem = f"{fallback}_{stem}" if stem else fallback
    return stem


def _shorten(stem: str) -> str:
    """At most MAX_STEM_CHARS characters and MAX_STEM_BYTES UTF-8 bytes; a cut stem ends with a hash of the
    whole, so two long names that share their beginning still name different files."""
    if len(stem) <= MAX_STEM_CHARS and len(stem.encode("utf-8")) <= MAX_STEM_BYTES:
        return stem
    digest = "-" + hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
    kept = stem[:MAX_STEM_CHARS - len(digest)]
    while len(kept.encode("utf-8")) > MAX_STEM_BYTES - len(digest):
        kept = kept[:-1]
    return kept.rstrip(" .") + digest


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


def check_outputs_free(paths: list[Path], force: bool, kept: dict[str, list] | None = None) -> None:
    """Refuse outputs that exist (unless `force`) and, even with `force`, an output that is a file the command
    reads or keeps (`kept`: what it is -> paths, e.g. the translation memory, a glossary, the input)."""
    check_not_kept(paths, kept or {})
    folder = next((p for p in paths if p.is_dir()), None)
    if folder is not None:  # found now, not after half the outputs are written
        raise OutputError("is a folder where an output file goes; rename or remove it, or write elsewhere with -o",
                          str(folder))
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise OutputError(f"already exists ({len(existing)} output file(s)); use --force to overwrite "
                          "or -o to write elsewhere", str(existing[0]))


def check_not_kept(outputs: list, kept: dict[str, list]) -> None:
    """An output that would replace the memory, a glossary or the input itself is refused: --force never
    means losing the file the work is kept in."""
    import os

    def same(a, b) -> bool:
        try:
            return os.path.samefile(a, b)
        except OSError:
            return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()

    for what, paths in kept.items():
        for kept_path in paths:
            if not kept_path or str(kept_path) == "-":
                continue
            for output in outputs:
                if output and str(output) != "-" and same(output, kept_path):
                    raise OutputError(f"is the {what} this command reads; write the output elsewhere (another -o "
                                      "or file name)", str(output))


def kept_files(options, input_path: str) -> dict[str, list]:
    """What a run reads or keeps, that no output may replace: the input, the memory, the glossaries."""
    import os

    tm = options.tm_path or os.path.join(options.out_dir, "tm.sqlite")
    return {"input": [input_path], "translation memory": [tm], "glossary": list(options.glossaries)}
