"""Read an XLIFF 1.2 or 2.1 file back from a CAT tool: the edited targets, as an EditedFile for review.apply_edits.

The run (signature and blocks) comes from the file's skeleton (<skl><internal-file>, written by
v12.py, v21.py); if the CAT tool dropped it, from STEM.json next to the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from ...errors import InputError, ReviewError
from ...readers.limits import MAX_BYTES, read_capped
from ...review.edits import EditedBlock, EditedFile
from ..record import RunRecord, load_record, read_record_file
from . import inline as xliff_inline
from .v12 import RUN_FORM

_SUFFIXES = (".xlf", ".xliff", ".sdlxliff", ".mqxliff", ".mxliff")
_OUR_NOTES = ("translate-qa", "translate-glossary", "translate-repair", "translate-signature")


def _parse(path: str):
    """The XLIFF root, parsed without entities, network or lxml's huge-tree allowance (the input is hostile)."""
    from lxml import etree

    if not Path(path).is_file():
        raise InputError("no such file; check the path", path)
    data = read_capped(path, "XLIFF file", MAX_BYTES, "export the article alone from the CAT tool")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ReviewError(f"line {exc.lineno}: not valid XLIFF XML ({exc.msg}); give the STEM.xlf the CAT tool "
                          "exported", path) from exc
    entity = next((node for node in root.iter() if isinstance(node, etree._Entity)), None)
    if entity is not None:  # never expanded (no XXE): the text it stands for would silently vanish from a target
        raise ReviewError(f"line {entity.sourceline}: uses the entity {entity.text}, declared in a DOCTYPE, which is "
                          "not read; nothing imported: write the character itself and import again", path)
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
        translation = _target_1_2(target, codes) if target is not None else ""
        if not translation.strip():
            warnings.append(_untranslated(unit_id, target is None))
            continue
        missing = _untranslated_segments(unit, target)
        if missing:  # half a paragraph is no translation of it: never stored, never published alone
            warnings.append(f"unit {unit_id}: {missing} of its segments have no target (partly translated); kept "
                            "as machine translation, not stored: finish the unit in the CAT tool and import again")
            continue
        edits.append(EditedBlock(block_id=unit_id, source=xliff_inline.plain_text(source, codes),
                                 translation=translation,
                                 state=_state_1_2(unit, target),
                                 where=f"unit {unit_id}"))
        for note in unit.iter("{*}note"):
            if note.get("from") not in _OUR_NOTES and (note.text or "").strip():
                comments.append({"author": note.get("from") or "", "text": note.text.strip(), "block": unit_id,
                                 "where": f"unit {unit_id}"})
    return EditedFile(path=path, run=run, edits=edits, stem=stem, warnings=warnings, comments=comments,
                          approve_hint="set its state to signed-off or final",
                      run_from=run_from)


def _segments(element) -> list:
    """The <mrk mtype="seg"> segments a CAT tool cut a <seg-source>/<target> into (Trados, memoQ)."""
    return [m for m in element.iter("{*}mrk") if m.get("mtype") == "seg"]


def _target_1_2(target, codes: dict[str, str]) -> str:
    """The target's text; segments the tool cut it into are joined as their sources were (inline.join_segments)."""
    segments = _segments(target)
    if not segments or any(m.getparent() is not target for m in segments) \
            or any(isinstance(c.tag, str) and c not in segments for c in target):
        return xliff_inline.plain_text(target, codes)
    parts = [xliff_inline.plain_text(m, codes) for m in segments]
    glue = [m.tail or "" for m in segments]
    return (target.text or "") + xliff_inline.join_segments(parts, glue) + glue[-1]


def _untranslated_segments(unit, target) -> int:
    """Segments of the <seg-source> whose target segment is missing or empty, where others are translated."""
    seg_source = unit.find("{*}seg-source")
    if seg_source is None:
        return 0
    done = {m.get("mid") for m in _segments(target) if "".join(m.itertext()).strip()}
    return sum(1 for m in _segments(seg_source) if m.get("mid") not in done) if done else 0


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
        _restore_data_refs(unit)
        sources, targets, states, glue_source, glue_target = [], [], [], [], []
        for part in unit:
            name = part.tag.rsplit("}", 1)[-1] if isinstance(part.tag, str) else ""
            source, target = part.find("{*}source"), part.find("{*}target")
            if name == "ignorable":  # what lies between two segments (spaces, codes)
                between = plain_text2(source, data) if source is not None else ""
                glue_source[-1:] = [(glue_source[-1] if glue_source else "") + between]
                glue_target[-1:] = [(glue_target[-1] if glue_target else "")
                                    + (plain_text2(target, data) if target is not None else between)]
            elif name == "segment":
                sources.append(plain_text2(source, data) if source is not None else "")
                text = plain_text2(target, data) if target is not None else ""
                targets.append(text if text.strip() else None)
                states.append(part.get("state", "initial"))
                glue_source.append("")
                glue_target.append("")
        if not sources or all(t is None for t in targets):
            warnings.append(_untranslated(unit_id, not any(s.find("{*}target") is not None
                                                           for s in unit.iter("{*}segment"))))
            continue
        if None in targets:  # half a paragraph is no translation of it: never stored, never published alone
            warnings.append(f"unit {unit_id}: {targets.count(None)} of its {len(targets)} segments have no "
                            "target (partly translated); kept as machine translation, not stored: finish the "
                            "unit in the CAT tool and import again")
            continue
        source = xliff_inline.join_segments(sources, glue_source, spaced=False)
        edits.append(EditedBlock(block_id=unit_id, source=source,
                                 translation=xliff_inline.join_segments(targets, glue_target),
                                 state=min(states, key=_state_rank) if states else "", where=f"unit {unit_id}"))
        for note in unit.iter("{*}note"):
            if note.get("category") not in _OUR_NOTES and (note.text or "").strip():
                comments.append({"author": note.get("category") or "", "text": note.text.strip(), "block": unit_id,
                                 "where": f"unit {unit_id}"})
    return edits, comments


def _restore_data_refs(unit) -> None:
    """A target code a CAT tool copied without its dataRef (<sc id="1"/>) takes the one of the source code
    with the same id (for <ec>, the same startRef), as XLIFF 2 codes are shared across the unit."""
    refs = {}
    for source in unit.iter("{*}source"):
        for code in source.iter("{*}ph", "{*}sc", "{*}ec"):
            key = (code.tag, code.get("startRef") or code.get("id"))
            if code.get("dataRef"):
                refs.setdefault(key, code.get("dataRef"))
    for target in unit.iter("{*}target"):
        for code in target.iter("{*}ph", "{*}sc", "{*}ec"):
            key = (code.tag, code.get("startRef") or code.get("id"))
            if not code.get("dataRef") and key in refs:
                code.set("dataRef", refs[key])


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
