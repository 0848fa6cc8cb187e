"""The few WordprocessingML pieces python-docx has no API for: tracked changes, hidden ids, fonts.

Kept in one module so the rest of the code stays on python-docx's object model.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ...controls import xml_safe
from ...document import normalise
from .build import EAST_ASIAN_FONT, W, etree_sub, fill_run, make_element  # noqa: F401 - re-exported

REPAIR_AUTHOR = "translate (source repair)"
ID_BOOKMARK_PREFIX = "_tr_"  # a leading underscore makes Word treat the bookmark as hidden
_W = W
BOOKMARK_START = f"{_W}bookmarkStart"


class RevisionIds:
    """w:id values must be unique across tracked changes and bookmarks in a document."""

    def __init__(self, start: int = 1000):
        self.next = start
        self.date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # one timestamp per document

    def __call__(self) -> str:
        self.next += 1
        return str(self.next)


TARGET_BOOKMARK_PREFIX = "_tt_"  # on the translation paragraph: tells an orphan translation from an added one
# `_tr_<id>_m<machine>_s<source>_n<position>`: the block id, fingerprints of the machine translation and of
# the repaired source, and the block's place in the run, so that an import without the run's data still
# tells edited rows from untouched ones, and sees deleted and moved rows.
# Word limits names to 40 characters (this is at most 39); word processors decorate names they copy
# (LibreOffice's ODT round trip adds " Copy 1" / "_Copy_1", others "_1" or digits), so a name is read
# by its fixed-width prefix and anything after it is ignored.
_MARK = re.compile(r"_t([rt])_(b[0-9a-f]{10}(?:-\d{1,3})?)(?:_m([0-9a-f]{6})_s([0-9a-f]{4}))?(?:_n(\d{5}))?")


@dataclass(frozen=True)
class BlockMark:
    """What a bookmark of ours says: the block id and, on source marks, the fingerprints ("" if absent)."""

    kind: str  # "source" or "target"
    block_id: str
    machine: str = ""
    source: str = ""
    position: int = 0  # 1-based place of the block in the run; 0 when the mark has none


def fingerprint(text: str, length: int = 6) -> str:
    """A short hash of a text without its whitespace, NFKC-normalised: a line break written as a break and
    read back as a paragraph, or a double space, is not an edit."""
    return hashlib.sha1("".join(normalise(text).split()).encode("utf-8")).hexdigest()[:length]


def read_mark(name: str) -> BlockMark | None:
    match = _MARK.match(name or "")
    if match is None:
        return None
    kind = "source" if match.group(1) == "r" else "target"
    return BlockMark(kind, match.group(2), match.group(3) or "", match.group(4) or "", int(match.group(5) or 0))


def add_hidden_id(paragraph, block_id: str, ids: RevisionIds, machine: str | None = None,
                  source: str | None = None, position: int = 0) -> None:
    """A hidden bookmark carrying the block id (and the fingerprints of `machine` translation and repaired
    `source`): invisible in Word, kept through edits and by LibreOffice and WPS."""
    name = ID_BOOKMARK_PREFIX + block_id
    if machine is not None and source is not None:
        name += f"_m{fingerprint(machine, 6)}_s{fingerprint(source, 4)}_n{position % 100000:05d}"
    _add_bookmark(paragraph, name, ids)


def add_target_mark(paragraph, block_id: str, ids: RevisionIds, position: int = 0) -> None:
    """A hidden bookmark naming the block a translation paragraph belongs to."""
    # At the paragraph's end: LibreOffice's ODT export drops a bookmark that shares its start with a comment.
    _add_bookmark(paragraph, f"{TARGET_BOOKMARK_PREFIX}{block_id}_n{position % 100000:05d}", ids, at_end=True)


def _add_bookmark(paragraph, name: str, ids: RevisionIds, at_end: bool = False) -> None:
    start = OxmlElement("w:bookmarkStart")
    number = ids()
    start.set(qn("w:id"), number)
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), number)
    p_pr = paragraph._p.pPr
    if at_end:
        paragraph._p.append(start)
    elif p_pr is not None:
        p_pr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    start.addnext(end)


def block_marks(element, kind: str = "source") -> list[BlockMark]:
    """Our bookmarks of one kind inside `element`, decorations removed."""
    marks = (read_mark(b.get(qn("w:name"))) for b in element.iter(qn("w:bookmarkStart")))
    return [m for m in marks if m is not None and m.kind == kind]


def hidden_ids(element) -> list[str]:
    return [m.block_id for m in block_marks(element)]


_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Subtrees that are not a paragraph's own accepted text: deletions, the source side of a move,
# the fallback copy of mc:AlternateContent, and text boxes (whose paragraphs are blocks of their own).
_NOT_ACCEPTED = frozenset({f"{_W}del", f"{_W}moveFrom", f"{_MC}Fallback", f"{_W}txbxContent"})


def _walk(element, prune=_NOT_ACCEPTED):
    """`element` and its descendants in document order, without the subtrees whose tag is in `prune`."""
    stack = [element]
    while stack:
        node = stack.pop()
        yield node
        if node is element or node.tag not in prune:
            stack.extend(reversed(node))


def accepted_text(element) -> str:
    """Text as if every tracked change were accepted: insertions and moves kept, deletions dropped.

    Text boxes inside the paragraph are left out (they are read as paragraphs of their own), and
    mc:AlternateContent counts once, by its Choice branch.
    """
    parts = []
    for node in _walk(element):
        tag = node.tag
        if tag == f"{_W}t":
            parts.append((node.text or "").replace(SOFT_HYPHEN, ""))
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}sym":
            parts.append(_symbol(node))
        elif tag == f"{_W}tab" and node.getparent().tag != f"{_W}tabs":  # a tab stop on the ruler is no text
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}p" and parts and node is not element:
            parts.append("\n")
    return "".join(parts).strip("\n")


# Typed in Word: Ctrl+Shift+- writes <w:noBreakHyphen/> (a hyphen, kept from breaking the line: in plain text,
# "-"); Ctrl+- writes <w:softHyphen/> (a break opportunity, no character). U+00AD pasted into the text is the
# same invisible break opportunity: stored, it would split words in the TM and in search.
SOFT_HYPHEN = "\u00ad"


def _symbol(node) -> str:
    """The character of a <w:sym> (Insert > Symbol). Codes of symbol fonts (Symbol, Wingdings) sit in the
    private-use area F000-F0FF and mean the font's own glyph: kept as written, as Word shows them."""
    code = node.get(f"{_W}char") or ""
    try:
        return chr(int(code, 16))
    except ValueError:
        return ""


def mirror_text_box_fallbacks(root) -> None:
    """Give each mc:Fallback text box (the VML copy older readers show) the paragraphs of its mc:Choice
    text box (the copy Word shows, which was translated), so that no reader shows the source."""
    import copy

    for alternate in root.iter(f"{_MC}AlternateContent"):
        choice = next(alternate.iter(f"{_MC}Choice"), None)
        fallback = next(alternate.iter(f"{_MC}Fallback"), None)
        if choice is None or fallback is None:
            continue
        shown, old = list(choice.iter(f"{_W}txbxContent")), list(fallback.iter(f"{_W}txbxContent"))
        if len(shown) != len(old):
            continue  # not the same boxes: left as the article has them
        for source_box, box in zip(shown, old):
            for child in list(box):
                box.remove(child)
            for child in source_box:
                box.append(copy.deepcopy(child))


def in_fallback(p) -> bool:
    """Inside the mc:Fallback copy of an mc:AlternateContent (the Choice is read instead)."""
    return _inside(p, f"{_MC}Fallback")


def alt_chunk_count(document) -> int:
    """w:altChunk elements: embedded HTML/RTF that Word converts on opening, not WordprocessingML text."""
    return sum(1 for _ in document.element.body.iter(f"{_W}altChunk"))


def original_text(element) -> str:
    """Text as if every tracked change were rejected: deletions kept, insertions dropped."""
    parts = []
    for node in element.iter(f"{_W}t", f"{_W}delText"):
        if not _inside(node, f"{_W}ins") and not _inside(node, f"{_W}moveTo"):
            parts.append(node.text or "")
    return "".join(parts)


def tracked_change_count(element) -> int:
    return sum(1 for _ in element.iter(f"{_W}ins", f"{_W}del", f"{_W}moveFrom", f"{_W}moveTo"))


def _inside(node, tag: str) -> bool:
    parent = node.getparent()
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def paragraph_elements(document, notes=None):
    """(style name, w:p element) of every paragraph: headers, body and tables in order, footers, notes.

    `notes` are the parsed footnote/endnote parts (note_parts); pass them to edit notes in place.
    """
    names = {style.style_id: style.name for style in document.styles}
    seen: set = set()

    def once(paragraphs):
        for paragraph in paragraphs:
            if paragraph._p not in seen:  # linked sections share one header
                seen.add(paragraph._p)
                yield names.get(paragraph.style.style_id if paragraph.style is not None else "", ""), paragraph._p

    def defined(parts):
        """The section's headers (or footers) that have a definition, in the order a reader meets them: the
        first-page one (page 1 shows it), the default one, the even-page one; first-page and even-page only
        where the file defines them (python-docx would add one)."""
        default, first, even = parts
        return [part for part in (first,) if not part.is_linked_to_previous] + [default] + \
            [part for part in (even,) if not part.is_linked_to_previous]

    for section in document.sections:
        for header in defined((section.header, section.first_page_header, section.even_page_header)):
            yield from once(header.paragraphs)
    for p in document.element.body.iter(qn("w:p")):
        if in_fallback(p):
            continue
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        yield (names.get(style.get(qn("w:val")), "") if style is not None else "Normal"), p
    for section in document.sections:
        for footer in defined((section.footer, section.first_page_footer, section.even_page_footer)):
            yield from once(footer.paragraphs)
    for _, root in (notes if notes is not None else note_parts(document)):
        for note in root:
            # ids -1 and 0 are Word's separator notes, not content
            if note.get(qn("w:id")) not in ("-1", "0"):
                for p in note.iter(qn("w:p")):
                    if not in_fallback(p):
                        yield "Footnote Text", p


def iter_body_paragraphs(document):
    """(style name, accepted text) of every paragraph, in the order of paragraph_elements."""
    for style, p in paragraph_elements(document):
        yield style, accepted_text(p)


_NOTE_RELTYPES = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
                  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes")


def note_parts(document) -> list:
    """Footnotes and endnotes (python-docx has no API for them): [(part, parsed root)]."""
    from lxml import etree

    return [(rel.target_part, etree.fromstring(rel.target_part.blob)) for rel in document.part.rels.values()
            if rel.reltype in _NOTE_RELTYPES and not rel.is_external]


def save_note_parts(notes) -> None:
    from lxml import etree

    for part, root in notes:
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def replace_paragraph_text(p, text: str) -> None:
    """Put `text` in place of a paragraph's text, keeping its properties, pictures and links.

    The text goes into the first text run (keeping its formatting); other text runs are emptied.
    A paragraph that is all link keeps the link around the new text; links inside mixed text
    keep their address with the text '[link]'.
    """
    own = list(_walk(p))
    runs = [r for r in own if r.tag == qn("w:r") and r.find(qn("w:t")) is not None]
    for removal in [n for n in _walk(p, _NOT_ACCEPTED - {qn("w:del"), qn("w:moveFrom")})
                    if n.tag in (qn("w:del"), qn("w:moveFrom"))]:
        removal.getparent().remove(removal)
    plain = [r for r in runs if not _inside(r, qn("w:hyperlink"))]
    target = (plain or runs or [None])[0]
    if target is None:
        run = OxmlElement("w:r")
        p.append(run)
        runs, target = [run], run
    for run in runs:
        for t in run.findall(qn("w:t")):
            run.remove(t)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = xml_safe(text)
    target.append(t)
    if plain:
        for link in [n for n in own if n.tag == qn("w:hyperlink")]:
            first = next((r for r in link.iter(qn("w:r"))), None)
            if first is not None:
                marker = OxmlElement("w:t")
                marker.text = "[link]"
                first.append(marker)


BLOCKS_RELTYPE = "http://schemas.translate-tool.org/relationships/blocks"
BLOCKS_PARTNAME = "/customXml/translate-blocks.json"


def embed_run(document, record: dict) -> None:
    """Store the run record (record.record_json) inside the DOCX package."""
    import json

    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    blob = json.dumps(record, ensure_ascii=False).encode("utf-8")
    part = Part(PackURI(BLOCKS_PARTNAME), "application/json", blob, document.part.package)
    document.part.relate_to(part, BLOCKS_RELTYPE)


def embedded_run(document) -> object | None:
    """The JSON data embed_run stored (validated by the caller: record.load_record), or None for a DOCX
    that carries none (not ours, or re-saved by an editor that drops unknown parts)."""
    import json

    for rel in document.part.rels.values():
        if rel.reltype == BLOCKS_RELTYPE and not rel.is_external:
            try:
                return json.loads(rel.target_part.blob.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                return None
    return None


def block_ids_in(path) -> list[str]:
    """The block ids a bilingual DOCX carries (its bookmarks), in order.

    Streamed, each element dropped once read: a paragraph of megabytes would be a tree of gigabytes."""
    import zipfile

    from lxml import etree

    found = []
    with zipfile.ZipFile(path) as package, package.open("word/document.xml") as body:
        run = BOOKMARK_START.replace("bookmarkStart", "r")
        for _, element in etree.iterparse(body, events=("end",), tag=(BOOKMARK_START, run), huge_tree=True):
            if element.tag == BOOKMARK_START:
                found += hidden_ids(element)
            else:  # runs are the bulk of the tree: drop each once read
                element.clear(keep_tail=True)
                previous = element.getprevious()
                if previous is not None and previous.tag == run:  # already read and cleared
                    element.getparent().remove(previous)
    return found
