"""One module per output format; this front door writes a document's outputs and proves them complete."""

from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..errors import TranslateError


def write_outputs(document: Document, sig: dict, paths: dict[str, Path]) -> None:
    from ..pipeline import atomic
    from .run_json import document_json
    from .markdown import bilingual_markdown, target_markdown

    for kind, path in paths.items():
        atomic.remove_stale_temps(path)
        if kind == "bilingual.docx":
            from .docx.writer import bilingual_docx

            atomic.write_bytes(path, bilingual_docx(document, sig, layout=document.meta.get("layout", "table")))
        elif kind == "en.docx":
            from .docx.writer import target_docx

            atomic.write_bytes(path, target_docx(document, sig))
        elif kind == "bilingual.md":
            atomic.write_text(path, bilingual_markdown(document, sig))
        elif kind == "en.md":
            atomic.write_text(path, target_markdown(document))
        elif kind == "json":
            atomic.write_text(path, document_json(document, sig, document.meta.get("terms", [])))
        elif kind == "xliff":
            from .xliff.v12 import document_xliff
            from .xliff.v21 import document_xliff2

            two = document.meta.get("xliff_version", "1.2").startswith("2")
            atomic.write_text(path, (document_xliff2 if two else document_xliff)(document, sig))


def check_written(document: Document, paths: dict[str, Path]) -> None:
    """Every source block exactly once, in order, in every bilingual output we wrote."""
    import re

    expected = [b.id for b in document.blocks]
    if "bilingual.md" in paths:
        found = re.findall(r"^<!-- block (\S+) ", paths["bilingual.md"].read_text(encoding="utf-8"), re.M)
        if found != expected:
            raise TranslateError("internal error: the bilingual Markdown lost or reordered blocks", str(paths["bilingual.md"]))
    if "bilingual.docx" in paths:
        import zipfile

        from lxml import etree

        from .docx.oxml import BOOKMARK_START, hidden_ids

        found = []
        # Streamed, each element dropped once read: a paragraph of megabytes would be a tree of gigabytes.
        with zipfile.ZipFile(paths["bilingual.docx"]) as package, package.open("word/document.xml") as body:
            run = BOOKMARK_START.replace("bookmarkStart", "r")
            for _, element in etree.iterparse(body, events=("end",), tag=(BOOKMARK_START, run), huge_tree=True):
                if element.tag == BOOKMARK_START:
                    found += hidden_ids(element)
                else:  # runs are the bulk of the tree: drop each once read
                    element.clear(keep_tail=True)
                    previous = element.getprevious()
                    if previous is not None and previous.tag == run:  # already read and cleared
                        element.getparent().remove(previous)
        if found != expected:
            raise TranslateError("internal error: the bilingual DOCX lost or reordered blocks", str(paths["bilingual.docx"]))
    if "xliff" in paths:
        from lxml import etree

        units = ("trans-unit", "unit")  # XLIFF 1.2, 2.x
        found = [element.get("id") for _, element in etree.iterparse(str(paths["xliff"]), events=("end",),
                                                                      resolve_entities=False, huge_tree=True)
                 if isinstance(element.tag, str) and etree.QName(element).localname in units]
        if found != expected:
            raise TranslateError("internal error: the XLIFF lost or reordered blocks", str(paths["xliff"]))
