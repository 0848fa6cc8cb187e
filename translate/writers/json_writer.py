"""STEM.json: the whole run, machine-readable."""

from __future__ import annotations

import json
from dataclasses import asdict

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
        "repairs": [asdict(r) for b in document.blocks for r in b.repairs],
    }
    if "links" in document.meta:
        data["links"] = document.meta["links"]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
