"""New DOCX packages from python-docx's default template, read once per process.

`docx.Document()` unzips and parses the template for every document (its styles part alone is 438 KB
of XML) and `save()` serializes and compresses all of it again: about 15 ms a document, paid twice per
article (bilingual and target DOCX), which is most of a corpus run's per-article cost once the engine
batches across articles. Here the template is read once; each new document parses only the parts we
edit (the main document and the core properties) and shares the others, unparsed, as the exact bytes
python-docx would write for them; saving compresses those shared parts once per process and appends
only the parts that change. Every part's bytes are those python-docx's own save writes (tested).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache

# The parts a document is built in: parsed for each document. Every other part of the template
# (styles, numbering, settings, theme, fonts, ...) is only read, and is shared.
EDITED_PARTS = ("/word/document.xml", "/docProps/core.xml")


@dataclass(frozen=True)
class _Template:
    reader: object  # docx.opc.pkgreader.PackageReader: the template's parts, unzipped once
    shared: dict  # partname -> the bytes python-docx writes for that part
    prefix: bytes  # a zip holding the shared parts and their relationships, compressed once
    style_ids: dict  # style name -> style id, for every style of the template


@lru_cache(maxsize=1)
def _template() -> _Template:
    import docx
    from docx.api import _default_docx_path
    from docx.opc.pkgreader import PackageReader

    path = _default_docx_path()
    reader = PackageReader.from_file(path)
    model = docx.Document(path)  # parsed once, for the serialized form of each part and the style ids
    shared, prefix = {}, io.BytesIO()
    with zipfile.ZipFile(prefix, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in model.part.package.iter_parts():
            if str(part.partname) in EDITED_PARTS:
                continue
            shared[part.partname] = part.blob
            archive.writestr(part.partname.membername, part.blob)
            if len(part.rels):
                archive.writestr(part.partname.rels_uri.membername, part.rels.xml)
    style_ids = {style.name: style.style_id for style in model.styles}
    return _Template(reader, shared, prefix.getvalue(), style_ids)


def new_document():
    """A python-docx Document equal to `docx.Document()`, whose template parts other than EDITED_PARTS
    are plain shared parts: read them through style_id(), never through `document.styles`."""
    from docx.opc.package import Unmarshaller
    from docx.opc.part import Part, PartFactory
    from docx.package import Package

    template = _template()

    def make_part(partname, content_type, reltype, blob, package):
        if partname in template.shared:
            return Part(partname, content_type, template.shared[partname], package)
        return PartFactory(partname, content_type, reltype, blob, package)

    package = Package()
    Unmarshaller.unmarshal(template.reader, package, make_part)
    return package.main_document_part.document


def style_id(name: str) -> str:
    """The id of the template's style called `name` ('Heading 2' -> 'Heading2'); KeyError if none."""
    return _template().style_ids[name]


def save(document, edit_document_xml=None) -> bytes:
    """The document's package as bytes, what `document.save()` writes part for part (shared parts are
    copied already compressed). `edit_document_xml` (bytes -> bytes), when given, rewrites the
    serialized main document part before it is zipped."""
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from docx.opc.pkgwriter import _ContentTypesItem

    template = _template()
    package = document.part.package
    parts = list(package.iter_parts())
    buffer = io.BytesIO(template.prefix)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob)
        archive.writestr(PACKAGE_URI.rels_uri.membername, package.rels.xml)
        for part in parts:
            if template.shared.get(part.partname) is part.blob:  # in the prefix already
                continue
            part.before_marshal()
            blob = part.blob
            if edit_document_xml is not None and part is document.part:
                blob = edit_document_xml(blob)
            archive.writestr(part.partname.membername, blob)
            if len(part.rels):
                archive.writestr(part.partname.rels_uri.membername, part.rels.xml)
    return buffer.getvalue()
