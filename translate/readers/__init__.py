"""Read .txt / .md / .docx (or stdin) into a Document of blocks.

One module per format (markdown, docx_reader), encodings, and the limits every read is held to.
Control characters are stripped here, at reading time; a block keeps its exact text in `raw_source`.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from ..controls import is_blank, text_lines, visible_text
from ..document import BlockKind, Document, make_blocks
from ..errors import InputError
from .encodings import MAGIC, decode, traditional_to_simplified
from .limits import MAX_BYTES, read_capped
from .structure import classify_lines

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# what the tool itself writes or reads beside articles: given as an article (or a translation to check) by mistake
_DATA_SUFFIXES = {".json": "JSON, such as a run's STEM.json", ".xlf": "XLIFF", ".xliff": "XLIFF", ".tmx": "TMX",
                  ".tbx": "TBX", ".csv": "CSV", ".tsv": "TSV", ".sqlite": "SQLite"}

__all__ = ["MAGIC", "MAX_BYTES", "decode", "input_stem", "read_bytes", "read_document", "read_document_data",
           "traditional_to_simplified"]


def read_document(path: str, *, to_simplified: bool = False) -> Document:
    """Read an article. `path` may be "-" for stdin. Raises InputError with a one-line reason."""
    data, name, suffix = read_bytes(path)
    return read_document_data(data, name, suffix, path, to_simplified=to_simplified)


def read_document_data(data: bytes, name: str, suffix: str, path: str, *, to_simplified: bool = False) -> Document:
    """An article from bytes already read (`read_bytes`): `path` names it in messages."""
    warnings: list[str] = []
    if suffix == ".docx":
        from .docx_reader import docx_items

        items = docx_items(data, path, warnings)
        encoding = "docx"
        if to_simplified:
            items = [(item[0], traditional_to_simplified(item[1]), *item[2:]) for item in items]
    elif suffix in _DATA_SUFFIXES:
        raise InputError(f"is a data file ({_DATA_SUFFIXES[suffix]}), not an article; give the text as .txt, .md or "
                         ".docx", path)
    else:
        text, encoding = decode(data, path)
        if suffix in _HTML_SUFFIXES or text.lstrip("\ufeff \t\r\n")[:15].lower().startswith(("<!doctype html",
                                                                                            "<html")):
            raise InputError("is an HTML page; save the article's text as .txt or .md (a CMS export's Markdown)",
                             path)
        if to_simplified:  # Traditional text comes as UTF-8 as often as Big5
            text = traditional_to_simplified(text)
        if suffix in (".md", ".markdown"):
            from .markdown import markdown_items

            items = markdown_items(text, warnings)
        else:
            items = classify_lines(text_lines(text))
    cleaned = [(item[0], visible_text(item[1]), *item[2:]) for item in items]
    if all(is_blank(item[1]) for item in cleaned if item[0] is not BlockKind.CODE):
        raise InputError("has no text to translate; give an article with at least one paragraph", path)
    keep = [i for i, item in enumerate(cleaned) if not is_blank(item[1])]
    blocks = make_blocks([cleaned[i] for i in keep])
    stripped = 0
    for block, i in zip(blocks, keep):
        if items[i][1] != block.source:
            block.raw_source = items[i][1]
            stripped += 1
    if stripped:
        warnings.append(f"control characters or invisible ones (bidi overrides, zero-width spaces) removed from "
                        f"{stripped} block(s); the JSON keeps the exact source")
    document = Document(name=name, blocks=blocks, path=path, encoding=encoding)
    document.warnings = warnings
    document.input_sha256 = hashlib.sha256(data).hexdigest()
    return document


def read_bytes(path: str) -> tuple[bytes, str, str]:
    """(bytes, file stem, lower-case suffix); refuses inputs over MAX_BYTES, stdin included."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError(f"is larger than {MAX_BYTES // 2**20} MB; split it into smaller articles", "stdin")
        # a Word file piped in is read as one (its central directory names word/document.xml)
        docx = data.startswith(b"PK\x03\x04") and b"word/document.xml" in data
        return data, "stdin", ".docx" if docx else ".txt"
    if not path:
        raise InputError("is an empty file name; give an article file (.txt, .md, .docx)", "''")
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError("is a folder; give an article file (.txt, .md, .docx)", path)
    except (OSError, ValueError):
        pass  # the read below says why
    # read with the cap, whatever stat says: a FIFO or a device (/dev/zero) has no size
    data = read_capped(path, split="split it into smaller articles")
    return data, input_stem(path), p.suffix.lower()


def input_stem(path: str) -> str:
    """The stem outputs are named after: the file name without its last suffix ("stdin" for "-")."""
    if path == "-":
        return "stdin"
    name = Path(path).name
    return name.rsplit(".", 1)[0] if "." in name else name
