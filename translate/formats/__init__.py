"""Output formats, one registry: format name -> the files it writes (suffix, writer, completeness check).

Each format's writing and reading of our own files sits in its module (docx/, xliff/, markdown, run_json);
this front door writes a document's outputs and proves every source block is in them exactly once.
Adding a format is one entry in FORMATS.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..document import Document
from ..errors import TranslateError


@dataclass(frozen=True)
class WriteSettings:
    """How the review files are laid out: chosen per run, recorded nowhere else."""

    layout: str = "table"  # bilingual DOCX: "table" or "interleaved"
    xliff_version: str = "1.2"  # "1.2" or "2.1"


@dataclass(frozen=True)
class OutputFile:
    kind: str  # "bilingual.docx": the name results and the journal use
    suffix: str  # appended to the article's stem
    write: Callable[[Document, dict, WriteSettings], bytes | str]
    check: Callable[[Document, Path], None] | None = None  # every block once, in order; raises if not


def _bilingual_docx(document, signature, settings):
    from .docx.writer import bilingual_docx

    return bilingual_docx(document, signature, layout=settings.layout)


def _target_docx(document, signature, settings):
    from .docx.writer import target_docx

    return target_docx(document, signature)


def _bilingual_md(document, signature, settings):
    from .markdown import bilingual_markdown

    return bilingual_markdown(document, signature)


def _target_md(document, signature, settings):
    from .markdown import target_markdown

    return target_markdown(document)


def _run_json(document, signature, settings):
    from .run_json import document_json

    return document_json(document, signature)


def _xliff(document, signature, settings):
    from .xliff.v12 import document_xliff
    from .xliff.v21 import document_xliff2

    return (document_xliff2 if settings.xliff_version.startswith("2") else document_xliff)(document, signature)


def _check_bilingual_md(document, path):
    from .markdown import block_ids_in

    _same_blocks(document, block_ids_in(path.read_text(encoding="utf-8")), "bilingual Markdown", path)


def _check_bilingual_docx(document, path):
    from .docx.oxml import block_ids_in

    _same_blocks(document, block_ids_in(path), "bilingual DOCX", path)


def _check_xliff(document, path):
    from .xliff.review import unit_ids_in

    _same_blocks(document, unit_ids_in(path), "XLIFF", path)


def _same_blocks(document: Document, found: list[str], what: str, path: Path) -> None:
    if found != [b.id for b in document.blocks]:
        raise TranslateError(f"internal error: the {what} lost or reordered blocks", str(path))


FORMATS: dict[str, tuple[OutputFile, ...]] = {
    "docx": (OutputFile("bilingual.docx", ".bilingual.docx", _bilingual_docx, _check_bilingual_docx),
             OutputFile("en.docx", ".en.docx", _target_docx)),
    "md": (OutputFile("bilingual.md", ".bilingual.md", _bilingual_md, _check_bilingual_md),
           OutputFile("en.md", ".en.md", _target_md)),
    "json": (OutputFile("json", ".json", _run_json),),
    "xliff": (OutputFile("xliff", ".xlf", _xliff, _check_xliff),),
}
DEFAULT_FORMATS = ("docx", "md", "json")


def parse_formats(text: str) -> tuple[str, ...]:
    """'docx,md' -> ('docx', 'md'); ValueError for a name outside FORMATS."""
    chosen = tuple(f.strip() for f in text.split(",") if f.strip())
    if not chosen or any(f not in FORMATS for f in chosen):
        raise ValueError(f"use a subset of {','.join(FORMATS)}")
    return chosen


def output_files(formats: tuple[str, ...]) -> list[OutputFile]:
    """The files the chosen formats write, in the registry's order."""
    return [f for name, files in FORMATS.items() if name in formats for f in files]


def write_outputs(document: Document, signature: dict, paths: dict[str, Path], settings: WriteSettings,
                  remove_stale: bool = True) -> None:
    """Write each output atomically (`paths`: output kind -> path), first removing temp files a killed
    writer of them left (unless `remove_stale` is False: a corpus run removes a folder's at once)."""
    from ..pipeline import atomic

    by_kind = {f.kind: f for files in FORMATS.values() for f in files}
    if remove_stale:
        atomic.remove_stale_temps(paths.values())
    for kind, path in paths.items():
        content = by_kind[kind].write(document, signature, settings)
        if isinstance(content, str):
            atomic.write_text(path, content)
        else:
            atomic.write_bytes(path, content)


def check_written(document: Document, paths: dict[str, Path]) -> None:
    """Every source block exactly once, in order, in every output that carries block ids."""
    by_kind = {f.kind: f for files in FORMATS.values() for f in files}
    for kind, path in paths.items():
        if by_kind[kind].check is not None:
            by_kind[kind].check(document, path)
