"""TBX exchange: TBX-Basic export, import of TBX v3 (conceptEntry) and v2 martif (termEntry), with usage status.

Usage status (administrativeStatus, or normativeAuthorization in older files) orders the English
terms: preferred first, then unmarked, then admitted. Deprecated, superseded and forbidden terms
become the entry's forbidden renderings (`avoid`): QA flags them, MT never enforces them.
"""

from __future__ import annotations

import re

from ..errors import GlossaryError
from .model import Entry, parse_csv, upsert_entries

_TBX_NS = "urn:iso:std:iso:30042:ed-2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# TBX-Basic picklists: partOfSpeech, administrativeStatus; our kind travels as a projectSubset.
TBX_BASIC_PART_OF_SPEECH = ("adjective", "noun", "other", "verb", "adverb")
TBX_BASIC_STATUS = ("preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts",
                    "supersededTerm-admn-sts")
_KIND_TO_POS = {"name": "noun", "term": "noun", "keep": "other"}
_FORBIDDEN = ("deprecated", "superseded", "forbidden", "notrecommended")
_RANK = {"preferred": 0, "": 1, "admitted": 2}


def to_tbx(entries: list[Entry]) -> str:
    """TBX-Basic (TBX v3, dialect TBX-Basic): picklist values only."""
    from lxml import etree

    root = etree.Element("tbx", nsmap={None: _TBX_NS}, type="TBX-Basic", style="dca")
    root.set(_XML_LANG, "en")
    header = etree.SubElement(etree.SubElement(root, "tbxHeader"), "fileDesc")
    etree.SubElement(etree.SubElement(header, "sourceDesc"), "p").text = "Exported by translate"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, entry in enumerate(entries, start=1):
        concept = etree.SubElement(body, "conceptEntry", id=f"c{number}")
        if entry.kind != "term":
            etree.SubElement(concept, "admin", type="projectSubset").text = entry.kind
        if entry.note:  # a note, not a definition: TBX-Basic allows <note> at concept level
            etree.SubElement(concept, "note").text = entry.note
        # The target cell as written: a keep entry may list accepted English forms beside the source.
        written = [t.strip() for t in entry.target.split("|") if t.strip()] or entry.targets
        english = [(t, "preferredTerm-admn-sts" if i == 0 else "admittedTerm-admn-sts") for i, t in enumerate(written)]
        english += [(t, "deprecatedTerm-admn-sts") for t in entry.avoid]
        for lang, terms in (("zh", [(s, "") for s in entry.sources]), ("en", english)):
            lang_sec = etree.SubElement(concept, "langSec")
            lang_sec.set(_XML_LANG, lang)
            for term, status in terms:
                term_sec = etree.SubElement(lang_sec, "termSec")
                etree.SubElement(term_sec, "term").text = term
                etree.SubElement(term_sec, "termNote", type="partOfSpeech").text = _KIND_TO_POS[entry.kind]
                if status:
                    etree.SubElement(term_sec, "termNote", type="administrativeStatus").text = status
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def from_tbx(data: bytes, path: str) -> list[Entry]:
    """Entries of a TBX v3 (conceptEntry/langSec/termSec) or v2 martif (termEntry/langSet/tig) file."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise GlossaryError(f"line {exc.lineno}: not valid TBX XML ({exc.msg})", path) from exc
    if etree.QName(root).localname not in ("tbx", "martif"):
        raise GlossaryError(f"is not a TBX file (its root is <{etree.QName(root).localname}>); export the "
                            "termbase as TBX v3 or TBX-Basic, or give a CSV", path)
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        # entities are never expanded (no XXE, no billion laughs): a term written as one would be lost
        raise GlossaryError("uses entities declared in a DOCTYPE, which are not read; write the terms as plain "
                            "text (remove the DOCTYPE's entities) and import again", path)
    entries = []
    for concept in root.iter("{*}conceptEntry", "{*}termEntry"):
        terms: dict[str, list[tuple[int, str]]] = {"zh": [], "en": []}
        avoid: list[str] = []
        pos = []
        for lang_sec in concept.iter("{*}langSec", "{*}langSet"):
            lang = language(lang_sec.get(_XML_LANG) or lang_sec.get("lang") or "")
            if lang not in terms:
                continue
            for holder in lang_sec.iter("{*}termSec", "{*}tig", "{*}ntig"):
                term = next((t.text.strip() for t in holder.iter("{*}term") if t.text and t.text.strip()), "")
                notes = {n.get("type"): (n.text or "").strip() for n in holder.iter("{*}termNote")}
                status = _status(notes.get("administrativeStatus") or notes.get("normativeAuthorization") or "")
                pos.append(notes.get("partOfSpeech", ""))
                if not term:
                    continue
                if status == "forbidden":
                    if lang == "en":
                        avoid.append(term)
                    else:
                        terms[lang].append((_RANK[""], term))  # a deprecated source form is still recognised
                else:
                    terms[lang].append((_RANK[status], term))
        # A concept with only forbidden English terms has nothing to enforce and no row to hold them.
        if terms["zh"] and terms["en"]:
            entries.append(_entry(concept, terms, avoid, pos, path))
    return entries


def _entry(concept, terms: dict, avoid: list[str], pos: list[str], path: str) -> Entry:
    subset = next(((a.text or "").strip() for a in concept.iter("{*}admin") if a.get("type") == "projectSubset"), "")
    # no projectSubset and no part of speech: "" (an import leaves the row's own kind; a new row is a term)
    kind = subset if subset in ("term", "name", "keep") else "name" if "properNoun" in pos else \
        "term" if any(pos) else ""
    sources = _unique(t for _, t in sorted(terms["zh"], key=lambda x: x[0]))
    targets = _unique(t for _, t in sorted(terms["en"], key=lambda x: x[0]))
    if kind == "keep":
        targets = targets or [sources[0]]
    notes = [(n.text or "").strip() for n in concept.findall("{*}note")]
    notes += [(d.text or "").strip() for d in concept.iter("{*}descrip") if d.get("type") == "definition"]
    note = next((n for n in notes if n), "")
    return Entry(sources, "|".join(targets), kind, note, f"{path}:{concept.sourceline}",
                 avoid=[a for a in _unique(avoid) if a not in targets])


def _status(value: str) -> str:
    lowered = value.lower()
    if any(word in lowered for word in _FORBIDDEN):
        return "forbidden"
    if "preferred" in lowered:
        return "preferred"
    if "admitted" in lowered:
        return "admitted"
    return ""


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def language(code: str) -> str:
    """'zh_CN', 'zh-Hans', 'ZH' -> 'zh'; 'en_US' -> 'en'."""
    return code.replace("_", "-").lower().split("-")[0]


def read_entries(path: str) -> list[Entry]:
    """Entries of a .tbx file or a glossary .csv (our CSV exports' neutralised cells are restored)."""
    from .model import read_glossary_file

    data = read_glossary_file(path)
    return from_tbx(data, path) if path.lower().endswith(".tbx") else parse_csv(data, path, exported=True)


def import_file(path: str, into: str, warnings: list[str] | None = None) -> dict[str, int]:
    """Merge the entries of a .tbx or .csv file into the glossary `into`: counts of added, updated, unchanged.
    Entries of the file that share a source variant are one entry (the last one's fields win, each clash
    named in `warnings`), so that the counts say what happened to the glossary."""
    entries = _merged(read_entries(path), warnings if warnings is not None else [])
    for entry in entries:  # as `glossary add` refuses them: a term over two lines would never match
        if any(re.search(r"[\r\n\t\u2028\u2029]", value) for value in [*entry.sources, entry.target]):
            raise GlossaryError(f"the entry '{entry.sources[0][:40]}' holds a line break or a tab in its source or "
                                "target; give each term on one line, nothing was imported", path)
    statuses = upsert_entries(into, entries)
    return {status: statuses.count(status) for status in ("added", "updated", "unchanged")}


def _merged(entries: list[Entry], warnings: list[str]) -> list[Entry]:
    kept: list[Entry] = []
    by_variant: dict[str, Entry] = {}
    for entry in entries:
        earlier = next((by_variant[v] for v in entry.sources if v in by_variant), None)
        if earlier is None:
            kept.append(entry)
            for variant in entry.sources:
                by_variant[variant] = entry
            continue
        if (earlier.target, earlier.kind) != (entry.target, entry.kind or earlier.kind):
            warnings.append(f"{entry.origin}: {entry.sources[0]} is also on line {earlier.origin.rsplit(':', 1)[-1]}, with "
                            f"'{earlier.target}' ({earlier.kind or 'no kind'}); the later row is kept: "
                            f"'{entry.target}' ({entry.kind or earlier.kind or 'no kind'})")
        earlier.sources += [v for v in entry.sources if v not in earlier.sources]
        earlier.target, earlier.kind = entry.target, entry.kind or earlier.kind
        earlier.note, earlier.avoid = entry.note or earlier.note, entry.avoid or earlier.avoid
        earlier.origin = entry.origin
        for variant in earlier.sources:
            by_variant[variant] = earlier
    return kept
