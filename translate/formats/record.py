"""The run record: what every review file carries about the run that made it.

One dataclass per level (`RunRecord` -> `BlockRecord` -> `FlagRecord`), one serialiser (`record_json`)
and one loader (`load_record`) that validates what it reads. The bilingual DOCX embeds it, the XLIFF
skeleton holds it, and STEM.json is it with the run's details (`detail=True`: terms, repairs, raw
source). A review import reads it back from any of them; a malformed copy is one line naming the file,
never a KeyError.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..document import Block, BlockKind, Document, Flag
from ..errors import InputError, printable

SEVERITIES = ("error", "warning", "info")
_KINDS = {kind.value for kind in BlockKind}


@dataclass
class FlagRecord:
    code: str
    severity: str
    message: str = ""
    span: str = ""


@dataclass
class BlockRecord:
    """One block as the run left it: its source, repaired source, machine translation and flags."""

    id: str
    kind: BlockKind
    source: str
    repaired: str
    translation: str
    origin: str = ""
    engine: str = ""
    markup: str = ""
    markup_end: str = ""
    flags: list[FlagRecord] = field(default_factory=list)
    # Details STEM.json keeps for programs (not needed to import a review): dicts as written.
    terms: list[dict] = field(default_factory=list)
    repairs: list[dict] = field(default_factory=list)
    raw_source: str | None = None

    @classmethod
    def of(cls, block: Block) -> BlockRecord:
        return cls(id=block.id, kind=block.kind, source=block.source, repaired=block.text,
                   translation=block.translation, origin=block.origin, engine=block.engine, markup=block.markup,
                   markup_end=block.markup_end,
                   flags=[FlagRecord(f.code, f.severity, f.message, f.span) for f in block.flags],
                   # vars() rather than asdict(): these are flat, and asdict deep-copies (slow on huge blocks)
                   terms=[dict(vars(t)) for t in block.terms], repairs=[dict(vars(r)) for r in block.repairs],
                   raw_source=block.raw_source)

    def to_block(self, translation: str | None = None) -> Block:
        """A Block for writers (publishing the reviewed text); `translation` replaces the machine's."""
        return Block(id=self.id, kind=self.kind, source=self.source, repaired=self.repaired,
                     translation=self.translation if translation is None else translation, origin=self.origin,
                     markup=self.markup, markup_end=self.markup_end, engine=self.engine,
                     flags=[Flag(f.code, f.severity, f.message, f.span) for f in self.flags])

    @property
    def errors(self) -> list[str]:
        return [f.code for f in self.flags if f.severity == "error"]


@dataclass
class RunRecord:
    signature: dict
    blocks: list[BlockRecord]
    source_file: str = ""  # the article the run read (a DOCX input is published in place from it)
    encoding: str = ""

    def block(self, block_id: str) -> BlockRecord | None:
        return next((b for b in self.blocks if b.id == block_id), None)


def run_record(document: Document, signature: dict) -> RunRecord:
    # a non-UTF-8 file name cannot go into JSON or XML as it is: its undecodable bytes are shown as U+FFFD
    path = printable(document.path) if document.path else document.path
    return RunRecord(signature, [BlockRecord.of(b) for b in document.blocks], path, document.encoding)


def record_json(record: RunRecord, *, detail: bool = False) -> dict:
    """The record as JSON data. Without `detail` (the copies inside review files): flags by code and
    severity only, no terms, repairs or raw source."""
    return {"signature": record.signature, "source_file": record.source_file, "encoding": record.encoding,
            "blocks": [block_json(b, detail=detail) for b in record.blocks]}


def block_json(block: BlockRecord, *, detail: bool = False) -> dict:
    data = {"id": block.id, "kind": block.kind.value, "source": block.source, "repaired": block.repaired,
            "translation": block.translation, "origin": block.origin}
    if detail:
        data["flags"] = [dict(vars(f)) for f in block.flags]
        data["terms"] = block.terms
        data["repairs"] = block.repairs
    else:
        data["flags"] = [{"code": f.code, "severity": f.severity} for f in block.flags]
    for name in ("markup", "markup_end", "engine"):
        if getattr(block, name):
            data[name] = getattr(block, name)
    if detail and block.raw_source is not None:
        data["raw_source"] = block.raw_source
    return data


class _Malformed(Exception):
    pass


def load_record(data: object, path: str, what: str = "run data") -> RunRecord:
    """A RunRecord from JSON data as `record_json` wrote it (a STEM.json too), checked field by field.

    Raises InputError naming `path` and the first problem: a review file whose run data was damaged or
    forged is refused in one line."""
    try:
        if not isinstance(data, dict):
            raise _Malformed("not a JSON object")
        blocks = data.get("blocks")
        if not isinstance(blocks, list):
            raise _Malformed("no list of blocks")
        signature = data.get("signature", {})
        if not isinstance(signature, dict):
            raise _Malformed("the signature is not an object")
        records = [_block(b, n) for n, b in enumerate(blocks, start=1)]
        ids = [b.id for b in records]
        if len(set(ids)) != len(ids):
            raise _Malformed("two blocks share an id")
        return RunRecord(signature, records, _text(data, "source_file", ""), _text(data, "encoding", ""))
    except _Malformed as exc:
        raise InputError(f"holds malformed {what} ({exc}); give the STEM.json that 'translate run' wrote "
                         "with --run, or re-run 'translate run'", path) from None


def _block(data: object, number: int) -> BlockRecord:
    if not isinstance(data, dict):
        raise _Malformed(f"block {number} is not an object")
    for key in ("id", "source", "translation"):
        if not isinstance(data.get(key), str):
            raise _Malformed(f"block {number} has no {key} text")
    if not data["id"]:
        raise _Malformed(f"block {number} has an empty id")
    kind = data.get("kind", "paragraph")
    if kind not in _KINDS:
        raise _Malformed(f"block {number} has an unknown kind {str(kind)[:40]!r}")
    flags = data.get("flags", [])
    if not isinstance(flags, list) or not all(isinstance(f, dict) and isinstance(f.get("code"), str)
                                              and f.get("severity") in SEVERITIES for f in flags):
        raise _Malformed(f"block {number} has malformed flags")
    extras = {name: data.get(name, []) for name in ("terms", "repairs")}
    if not all(isinstance(v, list) for v in extras.values()):
        raise _Malformed(f"block {number} has malformed terms or repairs")
    raw = data.get("raw_source")
    return BlockRecord(
        id=data["id"], kind=BlockKind(kind), source=data["source"],
        repaired=_text(data, "repaired", data["source"]), translation=data["translation"],
        origin=_text(data, "origin", ""), engine=_text(data, "engine", ""), markup=_text(data, "markup", ""),
        markup_end=_text(data, "markup_end", ""),
        flags=[FlagRecord(f["code"], f["severity"], str(f.get("message", "")), str(f.get("span", ""))) for f in flags],
        raw_source=raw if isinstance(raw, str) else None, **extras)


def _text(data: dict, key: str, default: str) -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise _Malformed(f"{key} is not text")
    return value


def read_record_file(path: str) -> RunRecord:
    """The run record in a STEM.json file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the run's JSON ({exc.strerror}); check the path", path) from exc
    except UnicodeDecodeError as exc:
        raise InputError("is not a run's JSON (not UTF-8 text); give the STEM.json that 'translate run' wrote",
                         path) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("is not a run's JSON (not valid JSON); give the STEM.json that 'translate run' wrote",
                         path) from exc
    return load_record(data, path, "run data")
