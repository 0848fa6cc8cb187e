"""STEM.xlf: XLIFF 1.2 for CAT tools (memoQ, Trados, Phrase, OmegaT, Weblate).

One <trans-unit> per block, in order, id = block id. <source> is the repaired Chinese, <target>
the translation: machine output is needs-review-translation, TM matches translated, code blocks
are translate="no". Notes carry QA flags, glossary hits and source repairs.

The run (signature and blocks, what `translate review import` needs to publish) travels in the
file's skeleton: <header><skl><internal-file form="application/json">. CAT tools keep the
skeleton untouched; if one drops it, the import falls back to STEM.json next to the file.
"""

from __future__ import annotations

import json

from ...controls import xml_safe
from ...document import Block, Document
from ..record import record_json, run_record
from . import inline as xliff_inline

NS = "urn:oasis:names:tc:xliff:document:1.2"
RUN_FORM = "application/json"
SIGNATURE_NOTE = "translate-signature"
_XML = "{http://www.w3.org/XML/1998/namespace}"
_STATE = {"mt": "needs-review-translation", "cache": "needs-review-translation", "tm": "translated",
          "align": "translated", "copy": "final"}
_PRIORITY = {"error": "1", "warning": "3", "info": "5"}


def document_xliff(document: Document, signature: dict) -> str:
    from lxml import etree

    from ... import __version__

    root = etree.Element(f"{{{NS}}}xliff", nsmap={None: NS}, version="1.2")
    file = etree.SubElement(root, f"{{{NS}}}file", original=_original(document), datatype="plaintext",
                            **{"source-language": "zh-CN", "target-language": "en", "tool-id": "translate"})
    header = etree.SubElement(file, f"{{{NS}}}header")
    skeleton = etree.SubElement(etree.SubElement(header, f"{{{NS}}}skl"), f"{{{NS}}}internal-file", form=RUN_FORM)
    skeleton.text = json.dumps(record_json(run_record(document, signature)), ensure_ascii=False)
    etree.SubElement(header, f"{{{NS}}}tool", **{"tool-id": "translate", "tool-name": "translate",
                                                 "tool-version": __version__})
    etree.SubElement(header, f"{{{NS}}}note", **{"from": SIGNATURE_NOTE}).text = json.dumps(signature, sort_keys=True)
    body = etree.SubElement(file, f"{{{NS}}}body")
    for block in document.blocks:
        body.append(_unit(block))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def _original(document: Document) -> str:
    from pathlib import Path

    from ...errors import printable  # a non-UTF-8 file name cannot go into XML as it is

    return printable(Path(document.path).name if document.path and document.path != "-" else f"{document.name}.txt")


def _unit(block: Block):
    from lxml import etree

    unit = etree.Element(f"{{{NS}}}trans-unit", id=block.id, restype=f"x-{block.kind.value}")
    unit.set(f"{_XML}space", "preserve")
    if not block.kind.translatable:
        unit.set("translate", "no")
    source_tokens = xliff_inline.number_codes(xliff_inline.tokenize(block.text))
    xliff_inline.fill(etree.SubElement(unit, f"{{{NS}}}source"), source_tokens, NS)
    state = _STATE.get(block.origin, "needs-review-translation")
    if any(f.severity == "error" for f in block.flags):  # a reused or aligned text with an error is not done
        state = "needs-review-translation" if state != "final" else state
    target = etree.SubElement(unit, f"{{{NS}}}target", state=state)
    target_tokens = xliff_inline.number_codes(xliff_inline.tokenize(block.translation), source_tokens)
    xliff_inline.fill(target, target_tokens, NS)
    for text, origin, priority in _notes(block):
        note = etree.SubElement(unit, f"{{{NS}}}note", **{"from": origin, "priority": priority})
        note.text = xml_safe(text)
    return unit


def _notes(block: Block) -> list[tuple[str, str, str]]:
    notes = [(f"{flag.severity} {flag.code}: {flag.message}", "translate-qa", _PRIORITY.get(flag.severity, "3"))
             for flag in block.flags]
    for hit in block.terms:
        state = "enforced" if hit.enforced else "not found in the translation"
        notes.append((f"glossary: {hit.source} = {hit.target} ({hit.kind}, {state})", "translate-glossary", "5"))
    if block.repairs:
        notes.append((f"source repaired; original: {block.source}", "translate-repair", "3"))
    for repair in block.repairs:
        notes.append((f"repair: '{repair.spun}' -> '{repair.restored}' ({repair.rule}, confidence "
                      f"{repair.confidence:.2f})", "translate-repair", "5"))
    return notes
