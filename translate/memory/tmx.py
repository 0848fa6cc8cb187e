"""TMX 1.4 exchange for the translation memory: inline codes, Chinese variants, entities.

Inline codes (bpt, ept, ph, it, ut: native markup; hi: a wrapper around real text) are left out
of the text used for matching and keys, and the original <seg> is kept so an export gives the
codes back where they came from. The Simplified variant (zh-CN, zh-Hans, zh) is used; a
Traditional one (zh-TW, zh-Hant, zh-HK) only when asked, converted, and never over a Simplified entry.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..errors import InputError
from .keys import tm_key
from . import REVIEWED  # origins of pairs an editor signed off: never replaced by an import unasked

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CODES = {"bpt", "ept", "ph", "it", "ut"}  # their content is native markup, not text
# In order of preference; a code "zh-hans-..." / "zh-hant-..." counts as its script.
_SIMPLIFIED = ("zh-cn", "zh-hans", "zh", "zh-sg", "zh-my")
_TRADITIONAL = ("zh-tw", "zh-hant", "zh-hk", "zh-mo")


@dataclass
class TmxImport:
    """What an import stored and what it left out, and why."""

    stored: int = 0
    traditional_skipped: int = 0  # units with only a Traditional variant (use --to-simplified)
    traditional_converted: int = 0
    kept_existing: int = 0  # converted Traditional units that would have replaced a Simplified entry
    # (source, the reviewed translation kept, the one the file offered): an editor's pair is not replaced
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)
    unchanged: int = 0  # units whose pair the memory already holds
    duplicates: int = 0  # units repeating a pair the file already gave
    incomplete: int = 0  # units without a Chinese and an English segment, or with an empty one
    problems: list[str] = field(default_factory=list)  # 'line N: ...' for units not stored


def _parse(data: bytes, path: str):
    from lxml import etree

    def parser(recover: bool):
        return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=recover)

    try:
        return etree.fromstring(data, parser=parser(False))
    except etree.XMLSyntaxError as exc:
        if "Entity" not in exc.msg or "not defined" not in exc.msg:
            raise InputError(f"line {exc.lineno}: not valid TMX XML ({exc.msg})", path) from exc
    # Undefined entities (&nbsp; without a DTD): parse on, and report the units that hold them.
    root = etree.fromstring(data, parser=parser(True))
    if root is None:
        raise InputError("not valid TMX XML", path)
    return root


def tmx_root(data: bytes, path: str):
    """The parsed TMX file; InputError with one line for malformed XML or another kind of XML file."""
    root = _parse(data, path)
    if not isinstance(root.tag, str) or root.tag.rsplit("}", 1)[-1] != "tmx":
        raise InputError(f"is not a TMX file (its root is <{str(root.tag).rsplit('}', 1)[-1]}>); export the memory "
                         "as TMX 1.4", path)
    return root


def seg_text(seg) -> tuple[str, list[str]]:
    """The seg's text without inline codes, and the names of entities that could not be resolved."""
    from lxml import etree

    parts, entities = [seg.text or ""], []

    def walk(element):
        for child in element:
            if isinstance(child, etree._Entity):
                entities.append(child.text or "&?;")
            elif isinstance(child.tag, str) and etree.QName(child).localname not in _CODES:
                parts.append(child.text or "")
                walk(child)  # hi and sub hold real text
            parts.append(child.tail or "")

    walk(seg)
    return " ".join("".join(parts).split()) if _has_codes(seg) else "".join(parts).strip(), entities


def _has_codes(seg) -> bool:
    return any(isinstance(c.tag, str) and c.tag.split("}")[-1] in _CODES | {"hi"} for c in seg.iter())


def _language(variant) -> str:
    return (variant.get(_XML_LANG) or variant.get("lang") or "").replace("_", "-").lower()


def _pick(variants: dict[str, object], choices: tuple[str, ...]):
    for code in choices:
        if code in variants:
            return variants[code]
    script = choices[1]  # zh-hans / zh-hant
    return next((v for code, v in variants.items() if code.startswith(script + "-")), None)


def _origin(unit, ours: bool) -> str:
    """'review' or 'approved' where the unit says so in a file this tool exported (`ours`: a backup restored
    keeps an editor's pairs protected), else 'tmx': another tool's file cannot raise its own pairs' trust."""
    if not ours:
        return "tmx"
    for prop in unit.iter("{*}prop", "prop"):
        if prop.get("type") == "x-origin" and (prop.text or "").strip() in REVIEWED:
            return prop.text.strip()
    return "tmx"


def import_tmx_report(tm, data: bytes, path: str, *, to_simplified: bool = False, overwrite: bool = False) -> TmxImport:
    """Store the zh/en pairs of a TMX file in `tm`; report what was left out. A pair an editor reviewed
    (origin review/approved) is kept over a different one the file offers, unless `overwrite`."""


    root = tmx_root(data, path)
    header = next(root.iter("{*}header", "header"), None)
    ours = header is not None and header.get("creationtool") == "translate"  # written by export_tmx
    report = TmxImport()
    offered: dict[str, tuple] = {}  # key -> (target, rank, line) of this file's units
    stored: set[str] = set()
    for unit in root.iter("{*}tu", "tu"):
        variants: dict[str, object] = {}
        for variant in unit.iter("{*}tuv", "tuv"):
            seg = variant.find("{*}seg")
            if seg is not None:
                variants.setdefault(_language(variant), seg)
        english = next((seg for code, seg in variants.items() if code == "en" or code.startswith("en-")), None)
        chinese, traditional = _pick(variants, _SIMPLIFIED), None
        if chinese is None:
            traditional = _pick(variants, _TRADITIONAL)
            if traditional is not None and not to_simplified:
                report.traditional_skipped += 1
                continue
            chinese = traditional
        if chinese is None or english is None:
            report.incomplete += 1
            continue
        (source, bad_source), (target, bad_target) = seg_text(chinese), seg_text(english)
        if bad_source or bad_target:
            report.problems.append(f"line {unit.sourceline}: entity {', '.join(bad_source + bad_target)} cannot be "
                                   "resolved; unit not stored")
            continue
        if not source or not target:
            report.incomplete += 1
            continue
        markup = {"source_seg": _raw(chinese) if _has_codes(chinese) else None,
                  "target_seg": _raw(english) if _has_codes(english) else None}
        if traditional is not None:
            from ..readers import traditional_to_simplified

            source = traditional_to_simplified(source)
            if tm.lookup(source) is not None:
                report.kept_existing += 1
                continue
            markup["source_seg"] = None  # the codes sat in Traditional text we no longer store
            report.traditional_converted += 1
        if not _first_offer(offered, tm_key(source), target, unit, report, traditional is not None):
            continue
        existing = tm.entry(source)
        if existing is not None and existing[0] == target:
            report.unchanged += 1  # the same pair: its origin (a review, perhaps) and date stay
            continue
        if existing is not None and existing[1] in REVIEWED and not overwrite:
            report.conflicts.append((source, existing[0], target))
            continue
        tm.add(source, target, origin=_origin(unit, ours), updated=_changedate(unit), **markup)
        report.stored += tm_key(source) not in stored  # a newer unit replacing this file's own pair is one pair
        stored.add(tm_key(source))
    return report


def _first_offer(offered: dict, key: str, target: str, unit, report: TmxImport, converted: bool) -> bool:
    """Whether this unit's pair goes on to be stored. A file that translates one source twice (merged
    memories, a sentence translated in two projects) keeps a Simplified unit over a converted Traditional
    one, then the unit with the newer changedate, else the first; each clash is reported, so that no
    translation is replaced silently."""
    rank = (not converted, unit.get("changedate") or unit.get("creationdate") or "")
    line = unit.sourceline or 0
    if key not in offered:
        offered[key] = (target, rank, line)
        return True
    kept, kept_rank, kept_line = offered[key]
    if kept == target:
        report.duplicates += 1
        return False
    newer = rank > kept_rank
    why = ("Simplified" if rank[0] != kept_rank[0] else "newer") if newer else "the first"
    report.problems.append(f"line {line}: its source is also translated on line {kept_line}; kept "
                           f"{(target if newer else kept)[:60]!r} ({why}), not "
                           f"{(kept if newer else target)[:60]!r}")
    if newer:
        offered[key] = (target, rank, line)
    return newer


def _raw(seg) -> str:
    """The seg's markup as TMX 1.4 writes it: without the namespace a tool may have put on the file (an
    export with xmlns on each <seg> would fail the DTD and be missed by readers that use none)."""
    import copy

    from lxml import etree

    seg = copy.deepcopy(seg)
    for element in seg.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(seg)
    return etree.tostring(seg, encoding="unicode", with_tail=False)


def _changedate(unit) -> float | None:
    """A unit's changedate (or creationdate), YYYYMMDDThhmmssZ, as a Unix time; None when absent or odd."""
    import calendar

    stamp = (unit.get("changedate") or unit.get("creationdate") or "").strip()
    try:
        return float(calendar.timegm(time.strptime(stamp, "%Y%m%dT%H%M%SZ")))
    except ValueError:
        return None


def import_tmx(tm, data: bytes, path: str, *, to_simplified: bool = False) -> int:
    """The number of pairs stored (see import_tmx_report for what was left out)."""
    return import_tmx_report(tm, data, path, to_simplified=to_simplified).stored


def export_tmx(tm, source_lang: str = "zh-CN", target_lang: str = "en") -> str:
    """TMX 1.4 with one <tu> per approved pair; inline codes imported with a pair are given back."""
    from lxml import etree

    from .. import __version__

    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", creationtool="translate", creationtoolversion=__version__, segtype="paragraph",
                     adminlang="en", srclang=source_lang, datatype="plaintext", **{"o-tmf": "translate-sqlite"})
    body = etree.SubElement(root, "body")
    for source, target, origin, source_seg, target_seg, updated in tm.entries_with_markup():
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(updated or 0))
        unit = etree.SubElement(body, "tu", changedate=stamp)
        etree.SubElement(unit, "prop", type="x-origin").text = origin
        for lang, text, raw in ((source_lang, source, source_seg), (target_lang, target, target_seg)):
            variant = etree.SubElement(unit, "tuv")
            variant.set(_XML_LANG, lang)
            if raw:
                seg = etree.fromstring(raw, parser=etree.XMLParser(resolve_entities=False, no_network=True))
                seg.tag = "seg"
                variant.append(seg)
            else:
                etree.SubElement(variant, "seg").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")
