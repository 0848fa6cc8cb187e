"""STEM.json: the whole run, machine-readable; `translate review import --run` reads it back (record.py)."""

from __future__ import annotations

import json

from ..document import Document
from .record import record_json, run_record


def document_json(document: Document, signature: dict) -> str:
    """The run record with every detail (see record.py), plus the run's figures and reports."""
    record = record_json(run_record(document, signature), detail=True)
    data = {
        "signature": record["signature"],
        "source_file": record["source_file"],
        "encoding": record["encoding"],
        "spin": document.spin,
        "summary": document.summary,
        "blocks": record["blocks"],
        "terms": document.terms,
        "repairs": [dict(vars(r)) for b in document.blocks for r in b.repairs],
    }
    if document.links is not None:
        data["links"] = document.links
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
