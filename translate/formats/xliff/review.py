"""Read an XLIFF 1.2 or 2.1 file back from a CAT tool: the edited targets, as an EditedFile for review.apply_edits.

The run (signature and blocks) comes from the file's skeleton (<skl><internal-file>, written by
v12.py, v21.py); if the CAT tool dropped it, from STEM.json next to the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from ...errors import InputError, ReviewError
from ...review.edits import EditedBlock, EditedFile
from ..record import RunRecord, load_record, read_record_file
from . import inline as xliff_inline
from .v12 import RUN_FORM

_SUFFIXES = (".xlf", ".xliff", ".sdlxliff", ".mqxliff", ".mxliff")
_OUR_NOTES = ("translate-qa", "translate-glossary", "translate-repair", "translate-signature")


def _parse(path: str):
    """The XLIFF root, parsed without entities, network or lxml's huge-tree allowance (the input is hostile)."""
    from lxml import etree

    p = Path(path)
    if not p.is_file():
        raise InputError("no such file; check the path", path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(p.read_bytes(), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ReviewError(f"line {exc.lineno}: not valid XLIFF XML ({exc.msg}); give the STEM.xlf the CAT tool "
                          "exported", path) from exc
    if etree.QName(root).localname != "xliff":
        raise ReviewError("is not an XLIFF file (no <xliff> root); give the STEM.xlf the CAT tool exported", path)
    if not (root.get("version") or "1.2").startswith(("1.", "2.")):
        raise ReviewError(f"is XLIFF {root.get('version')}; export it from the CAT tool as XLIFF 1.2 or 2.x", path)
    return root


def is_xliff(path: str) -> bool:
    """An XLIFF by its suffix (CAT tools add their own: .sdlxliff, .mqxliff) or, under another name, by its
    first bytes: an XML file whose root is <xliff>. A DOCX (a zip) never is."""
    p = Path(path)
    if p.suffix.lower() in _SUFFIXES:
        return True
    try:
        with p.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if head.startswith(b"PK"):
        return False
    text = head.decode("utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8", errors="ignore")
    return "<xliff" in text or ":xliff" in text


def _is_v2(root) -> bool:
    return (root.get("version") or "").startswith("2.")


def _units(root):
    return [u for u in root.iter("{*}unit" if _is_v2(root) else "{*}trans-unit") if u.get("id")]


def xliff_stem(path: str) -> str:
    """'article.zh.xlf' -> 'article.zh'; CAT tools may add their own suffix (article.zh.xlf.sdlxliff)."""
    name = Path(path).name
    while Path(name).suffix.lower() in _SUFFIXES:
        name = name[: -len(Path(name).suffix)]
    return name or "edited"


def read_xliff_edits(path: str) -> EditedFile:
    root = _parse(path)
    stem = xliff_stem(path)
    run, run_from = _run(root, path, stem)
    warnings = [] if run_from == "embedded" else [f"the XLIFF lost its skeleton; block data read from {run_from}"]
    if _is_v2(root):
        edits, comments = _edits_v2(root, warnings)
        return EditedFile(path=path, run=run, edits=edits, stem=stem, warnings=warnings, comments=comments,
                          approve_hint="set its state to signed-off or final",
                          run_from=run_from)
    edits, comments = [], []
    for unit in _units(root):
        unit_id = unit.get("id")
        source = unit.find("{*}source")
        target = unit.find("{*}target")
        if source is None:
            warnings.append(f"unit {unit_id}: no <source>; skipped")
            continue
        codes = xliff_inline.codes_by_id(source)
        translation = xliff_inline.plain_text(target, codes) if target is not None else ""
        if not translation.strip():
            warnings.append(_untranslated(unit_id, target is None))
            continue
        edits.append(EditedBlock(block_id=unit_id, source=xliff_inline.plain_text(source, codes),
                                 translation=translation,
                                 state=_state_1_2(unit, target),
                                 where=f"unit {unit_id}"))
        for note in unit.iter("{*}note"):
            if note.get("from") not in _OUR_NOTES and (note.text or "").strip():
                comments.append({"author": note.get("from") or "", "text": note.text.strip(), "block": unit_id})
    return EditedFile(path=path, run=run, edits=edits, stem=stem, warnings=warnings, comments=comments,
                          approve_hint="set its state to signed-off or final",
                      run_from=run_from)


# What Trados (sdl:seg conf) and memoQ (mq:status) record in place of, or beside, XLIFF's state: their word wins.
_VENDOR_STATES = {
    "Translated": "translated", "ApprovedTranslation": "final", "ApprovedSignOff": "signed-off",
    "Draft": "needs-review-translation", "Unspecified": "needs-review-translation",
    "RejectedTranslation": "needs-review-translation", "RejectedSignOff": "needs-review-translation",
    "ManuallyConfirmed": "translated", "Reviewer1Confirmed": "final", "Reviewer2Confirmed": "signed-off",
    "Proofread": "final", "NotStarted": "needs-translation", "Edited": "needs-review-translation",
    "PartiallyEdited": "needs-review-translation", "Pretranslated": "needs-review-translation",
    "MachineTranslated": "needs-review-translation", "Rejected": "needs-review-translation",
}
_VENDOR_RANK = ("needs-translation", "needs-review-translation", "translated", "final", "signed-off")


def _state_1_2(unit, target) -> str:
    """The target's state; a unit the CAT tool marked approved="yes" counts as signed off. Trados' segment
    confirmation levels and memoQ's status, where present, are read as the nearest XLIFF state (a unit of
    several segments is as far along as its least advanced one)."""
    vendor = [_VENDOR_STATES[v] for v in [seg.get("conf") for seg in unit.iter("{*}seg")] + [
        value for name, value in unit.attrib.items() if name.endswith("}status")] if v in _VENDOR_STATES]
    state = min(vendor, key=_VENDOR_RANK.index) if vendor else target.get("state") or ""
    return "signed-off" if unit.get("approved") == "yes" and state not in ("final", "signed-off") else state


def _edits_v2(root, warnings: list[str]) -> tuple[list[EditedBlock], list[dict]]:
    """XLIFF 2.x units: a CAT tool may have split the segment; sources and targets are joined in order."""
    from .v21 import plain_text2

    edits, comments = [], []
    for unit in _units(root):
        unit_id = unit.get("id")
        data = {d.get("id"): "".join(d.itertext()) for d in unit.iter("{*}data")}
        sources, targets, states = [], [], []
        for part in unit:
            name = part.tag.rsplit("}", 1)[-1] if isinstance(part.tag, str) else ""
            if name not in ("segment", "ignorable"):
                continue
            source, target = part.find("{*}source"), part.find("{*}target")
            sources.append(plain_text2(source, data) if source is not None else "")
            chosen = target if target is not None else source if name == "ignorable" else None
            targets.append(plain_text2(chosen, data) if chosen is not None else None)
            if name == "segment":
                states.append(part.get("state", "initial"))
        if not sources or not "".join(t or "" for t in targets).strip():
            warnings.append(_untranslated(unit_id, all(t is None for t in targets)))
            continue
        edits.append(EditedBlock(block_id=unit_id, source="".join(sources),
                                 translation="".join(t or "" for t in targets),
                                 state=min(states, key=_state_rank) if states else "", where=f"unit {unit_id}"))
        for note in unit.iter("{*}note"):
            if note.get("category") not in _OUR_NOTES and (note.text or "").strip():
                comments.append({"author": note.get("category") or "", "text": note.text.strip(), "block": unit_id})
    return edits, comments


def _untranslated(unit_id: str, missing: bool) -> str:
    """A unit the CAT tool gave back without a translation: an empty target means 'not translated' there,
    never 'publish nothing', so the machine translation is kept (and nothing is stored)."""
    what = "no <target>" if missing else "an empty target (left untranslated in the CAT tool)"
    return f"unit {unit_id}: {what}; kept as machine translation, not stored"


_STATES_2 = ("initial", "translated", "reviewed", "final")


def _state_rank(state: str) -> int:
    """A unit is as far along as its least advanced segment."""
    return _STATES_2.index(state) if state in _STATES_2 else 0


def _run(root, path: str, stem: str) -> tuple[RunRecord, str]:
    """The run and where it came from: "embedded", or the path of the STEM.json beside the file."""
    holders = [i.text for i in root.iter("{*}internal-file") if i.get("form") == RUN_FORM]
    holders += [m.text for m in root.iter("{*}meta") if m.get("type") == "run"]
    for text in holders:
        try:
            data = json.loads(text or "")
        except json.JSONDecodeError:
            continue
        return load_record(data, path, "run data in its skeleton"), "embedded"
    beside = Path(path).with_name(f"{stem}.json")
    if beside.is_file():
        return read_record_file(str(beside)), str(beside)
    raise ReviewError(f"carries no run data (its skeleton or metadata was dropped) and there is no {stem}.json "
                      "beside it; "
                      f"put the {stem}.json from 'translate run' next to the file", path)


def unit_ids_in(path) -> list[str]:
    """The unit ids of an XLIFF 1.2 or 2.x file we wrote, in order (streamed; no entities resolved)."""
    from lxml import etree

    units = ("trans-unit", "unit")
    return [element.get("id") for _, element in etree.iterparse(str(path), events=("end",), resolve_entities=False,
                                                                huge_tree=True)
            if isinstance(element.tag, str) and etree.QName(element).localname in units]
