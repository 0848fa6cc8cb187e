"""Word .docx into blocks: the zip and its XML are checked against our limits before parsing."""

from __future__ import annotations

import io
import zipfile

from ..controls import is_blank
from ..document import BlockKind
from ..errors import InputError
from .encodings import MAGIC
from .limits import check_zip_package, xml_error
from .structure import classify

_FRAME_STYLES = ("Header", "Footer", "Footnote Text", "Endnote Text", "header", "footer")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TABLE_CELL = f"{_W}tc"
_NUMBERING = f"{_W}pPr/{_W}numPr"


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


def _is_list_item(p, style: str) -> bool:
    """A bulleted or numbered paragraph (a List style, or numbering of its own): never a title or heading,
    however short. A Heading style with outline numbering is still a heading (its style says so)."""
    return style.startswith("List") or p.find(_NUMBERING) is not None


def docx_items(data: bytes, path: str, warnings: list[str] | None = None) -> list[tuple[BlockKind, str, str]]:
    document = open_docx(data, path)
    from ..formats.docx.oxml import accepted_text, alt_chunk_count, paragraph_elements
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
    title_seen = False
    for style, p in paragraph_elements(document):
        text = accepted_text(p).strip()
        if is_blank(text):
            continue
        # page headers, footers, notes and table cells are never the title or a heading by their shape
        framed = style.startswith(_FRAME_STYLES) or next(p.iterancestors(_TABLE_CELL), None) is not None \
            or _is_list_item(p, style)
        kind = classify(text, first=not title_seen and not framed)
        if framed and kind in (BlockKind.TITLE, BlockKind.HEADING):
            kind = BlockKind.PARAGRAPH
        if style.startswith("Title"):
            kind = BlockKind.TITLE
        elif style.startswith("Heading"):
            kind = BlockKind.HEADING
        elif style.startswith(("Quote", "Intense Quote")):
            kind = BlockKind.QUOTE
        elif style.startswith("Caption"):
            kind = BlockKind.CAPTION
        title_seen = title_seen or not framed
        items.append((kind, text, ""))
    return items
