"""STEM.json: the whole run, machine-readable."""

from __future__ import annotations

import json

from ..document import Document


def document_json(document: Document, signature: dict, terms: list[dict]) -> str:
    data = {
        "signature": signature,
        "source_file": document.path,
        "encoding": document.encoding,
        "spin": document.meta.get("spin", {}),
        "summary": document.meta.get("summary", {}),
        "blocks": [b.to_json() for b in document.blocks],
        "terms": terms,
        "repairs": [dict(vars(r)) for b in document.blocks for r in b.repairs],
    }
    if "links" in document.meta:
        data["links"] = document.meta["links"]
    return _dumps(data)


def _dumps(data: dict) -> str:
    """Readable JSON in linear time: one top-level key per line, one list item (a block, a term) per line.

    json.dumps(indent=...) runs the pure-Python encoder, which takes minutes on a document of
    megabytes; each item here goes through the C encoder.
    """
    lines = []
    for key, value in data.items():
        name = json.dumps(key)
        if isinstance(value, list) and value:
            items = ",\n  ".join(json.dumps(item, ensure_ascii=False) for item in value)
            lines.append(f" {name}: [\n  {items}\n ]")
        else:
            lines.append(f" {name}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"
