"""STEM.xlf as XLIFF 2.1 (--xliff-version 2), for tools that prefer 2.x (memoQ, Phrase).

Same content as the 1.2 file: one <unit> per block with one <segment>; codes as <ph>/<sc>/<ec>
pointing into <originalData>; notes; the run (signature, blocks) in the file's metadata
(<mda:meta type="run">). States: machine output initial (subState translate:mt), TM and
aligned human translations translated, code blocks final with translate="no".
"""

from __future__ import annotations

import json

from ...controls import xml_safe
from ...document import Block, Document
from ..record import record_json, run_record
from . import inline as xliff_inline
from .v12 import _notes, _original

NS = "urn:oasis:names:tc:xliff:document:2.0"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
_STATE = {"mt": ("initial", "translate:mt"), "cache": ("initial", "translate:mt"), "tm": ("translated", "translate:tm"),
          "align": ("translated", "translate:aligned"), "copy": ("final", "")}


def document_xliff2(document: Document, signature: dict) -> str:
    from lxml import etree

    root = etree.Element(f"{{{NS}}}xliff", nsmap={None: NS, "mda": MDA}, version="2.1", srcLang="zh-CN", trgLang="en")
    file = etree.SubElement(root, f"{{{NS}}}file", id="f1", original=_original(document))
    group = etree.SubElement(etree.SubElement(file, f"{{{MDA}}}metadata"), f"{{{MDA}}}metaGroup", category="translate")
    etree.SubElement(group, f"{{{MDA}}}meta", type="signature").text = json.dumps(signature, sort_keys=True)
    etree.SubElement(group, f"{{{MDA}}}meta", type="run").text = json.dumps(
        record_json(run_record(document, signature)), ensure_ascii=False)
    for block in document.blocks:
        file.append(_unit(block))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def _unit(block: Block):
    from lxml import etree

    unit = etree.Element(f"{{{NS}}}unit", id=block.id, type=f"translate:{block.kind.value}")
    if not block.kind.translatable:
        unit.set("translate", "no")
    notes = _notes(block)
    if notes:
        holder = etree.SubElement(unit, f"{{{NS}}}notes")
        for text, origin, priority in notes:
            etree.SubElement(holder, f"{{{NS}}}note", category=origin, priority=priority).text = xml_safe(text)
    source_tokens = xliff_inline.number_codes(xliff_inline.tokenize(block.text))
    target_tokens = xliff_inline.number_codes(xliff_inline.tokenize(block.translation), source_tokens)
    data_ids: dict[str, str] = {}
    for token in source_tokens + target_tokens:
        if isinstance(token, xliff_inline.Code) and token.code not in data_ids:
            data_ids[token.code] = f"d{len(data_ids) + 1}"
    if data_ids:
        original = etree.SubElement(unit, f"{{{NS}}}originalData")
        for code, data_id in data_ids.items():
            etree.SubElement(original, f"{{{NS}}}data", id=data_id).text = xml_safe(code)
    state, sub_state = _STATE.get(block.origin, _STATE["mt"])
    if state == "translated" and any(f.severity == "error" for f in block.flags):
        state = "initial"  # a reused or aligned text with an error flag is not done: CAT filters must show it
    segment = etree.SubElement(unit, f"{{{NS}}}segment", state=state)
    if sub_state:
        segment.set("subState", sub_state)
    # xml:space="preserve": double spaces and line breaks in a text are content, not layout
    _fill(etree.SubElement(segment, f"{{{NS}}}source", {_XML_SPACE: "preserve"}), source_tokens, data_ids)
    _fill(etree.SubElement(segment, f"{{{NS}}}target", {_XML_SPACE: "preserve"}), target_tokens, data_ids)
    return unit


def _fill(element, tokens: list, data_ids: dict[str, str]) -> None:
    from lxml import etree

    last = None
    for token in tokens:
        if isinstance(token, str):
            token = xml_safe(token)  # a control character from the source or a server must not break the file
            if last is None:
                element.text = (element.text or "") + token
            else:
                last.tail = (last.tail or "") + token
            continue
        if token.kind == "ph":
            last = etree.SubElement(element, f"{{{NS}}}ph", id=token.id, dataRef=data_ids[token.code])
        elif token.kind == "bpt":
            last = etree.SubElement(element, f"{{{NS}}}sc", id=token.id, dataRef=data_ids[token.code])
        else:
            last = etree.SubElement(element, f"{{{NS}}}ec", startRef=token.id, dataRef=data_ids[token.code])


def plain_text2(element, data: dict[str, str]) -> str:
    """Text of an XLIFF 2 <source>/<target> with codes turned back into their original data."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            name = child.tag.rsplit("}", 1)[-1]
            if name in ("ph", "sc", "ec"):
                parts.append(data.get(child.get("dataRef", ""), ""))
            elif name == "pc":
                parts.append(data.get(child.get("dataRefStart", ""), "") + plain_text2(child, data)
                             + data.get(child.get("dataRefEnd", ""), ""))
            elif name == "mrk":
                parts.append(plain_text2(child, data))
        parts.append(child.tail or "")
    return "".join(parts)
