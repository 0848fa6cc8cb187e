"""Remote relationships of an input DOCX: an attached template, a linked picture, a sub-document, an
OLE link... each makes Word fetch a URL (or a network share) when the file is opened. The reader
reports them; the target DOCX, which keeps the input's layout, is written without them.
Hyperlinks are kept: they are followed only when a reader clicks them."""

from __future__ import annotations

from collections import Counter

_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_R_LINK = f"{{{_R_NS}}}link"  # a:blip r:link: a linked picture, which keeps its r:embed copy if it has one


def remote_relationships(document) -> list[tuple[object, str, str]]:
    """(part or package, rId, relationship type) of each external relationship that is not a hyperlink."""
    package = document.part.package
    found = []
    for owner in [package, *package.iter_parts()]:
        for rid, rel in list(owner.rels.items()):
            if rel.is_external and rel.reltype != _HYPERLINK:
                found.append((owner, rid, rel.reltype))
    return found


def describe(found: list[tuple[object, str, str]]) -> str:
    """'2 attachedTemplate, 1 image': the kinds, for a warning."""
    kinds = Counter(reltype.rsplit("/", 1)[-1] for _, _, reltype in found)
    return ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))


def drop_remote_relationships(document) -> int:
    """Remove every remote relationship and what points at it (the element, or a picture's r:link)."""
    found = remote_relationships(document)
    for owner, rid, _ in found:
        element = getattr(owner, "element", None) if owner is not document.part.package else None
        if element is None and hasattr(owner, "blob") and owner is not document.part.package:
            _drop_in_blob(owner, rid)
        elif element is not None:
            _drop_references(element, rid)
        owner.rels.pop(rid)
    return len(found)


def _drop_references(root, rid: str) -> None:
    for element in list(root.iter()):
        refs = [name for name, value in element.attrib.items() if name.startswith(f"{{{_R_NS}}}") and value == rid]
        if not refs:
            continue
        if refs == [_R_LINK]:
            del element.attrib[_R_LINK]
        elif element.getparent() is not None:
            element.getparent().remove(element)


def _drop_in_blob(part, rid: str) -> None:
    """A part python-docx keeps as bytes (a chart, a header it does not model): edited as XML if it is XML."""
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        root = etree.fromstring(part.blob, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return
    _drop_references(root, rid)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
