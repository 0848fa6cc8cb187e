"""Word .docx into blocks: the zip and its XML are checked against our limits before parsing."""

from __future__ import annotations

import io
import zipfile

from ..controls import is_blank
from ..document import BlockKind
from ..errors import InputError
from .encodings import MAGIC
from .limits import check_zip_package, xml_error
from .structure import classify_lines


def open_docx(data: bytes, path: str):
    """python-docx Document of `data`, after the streaming zip-bomb and XML-limit checks."""
    for magic, reason in MAGIC[:5]:
        if data.startswith(magic):
            raise InputError(reason, path)
    check_zip_package(data, path)
    from lxml import etree

    try:
        import docx

        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError("is not a valid .docx (corrupt or truncated); re-save it from Word", path) from exc
    except etree.XMLSyntaxError as exc:
        raise xml_error(exc, path) from exc


def docx_items(data: bytes, path: str, warnings: list[str] | None = None) -> list[tuple[BlockKind, str, str]]:
    document = open_docx(data, path)
    from ..formats.docx.oxml import alt_chunk_count, iter_body_paragraphs
    from ..formats.docx.remote import describe, remote_relationships

    remote = remote_relationships(document)
    if remote and warnings is not None:
        warnings.append(f"{len(remote)} remote link(s) that Word would fetch on opening ({describe(remote)}) are "
                        "left out of the translated .docx")
    chunks = alt_chunk_count(document)
    if chunks and warnings is not None:
        warnings.append(f"{chunks} embedded HTML/RTF chunk(s) (w:altChunk) are not translated; open the file in "
                        "Word and save it once to turn them into paragraphs")
    items: list[tuple[BlockKind, str, str]] = []
    texts: list[tuple[str, str]] = []
    for style, text in iter_body_paragraphs(document):
        if not is_blank(text):
            texts.append((style, text))
    classified = classify_lines([t for _, t in texts])
    for (style, _), (kind, text, markup) in zip(texts, classified):
        if style.startswith("Title"):
            kind = BlockKind.TITLE
        elif style.startswith("Heading"):
            kind = BlockKind.HEADING
        elif style.startswith(("Quote", "Intense Quote")):
            kind = BlockKind.QUOTE
        elif style.startswith("Caption"):
            kind = BlockKind.CAPTION
        items.append((kind, text, markup))
    return items
