"""The few WordprocessingML pieces python-docx has no API for: tracked changes, hidden ids, fonts.

Kept in one module so the rest of the code stays on python-docx's object model.
"""

from __future__ import annotations

import re
from copy import deepcopy
from datetime import datetime, timezone
from functools import lru_cache

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..controls import xml_safe

REPAIR_AUTHOR = "translate (source repair)"
ID_BOOKMARK_PREFIX = "_tr_"  # a leading underscore makes Word treat the bookmark as hidden
EAST_ASIAN_FONT = "SimSun"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BOOKMARK_START = f"{_W}bookmarkStart"


class RevisionIds:
    """w:id values must be unique across tracked changes and bookmarks in a document."""

    def __init__(self, start: int = 1000):
        self.next = start
        self.date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # one timestamp per document

    def __call__(self) -> str:
        self.next += 1
        return str(self.next)


def set_east_asian_font(run, font: str = EAST_ASIAN_FONT) -> None:
    """Name a CJK font for East Asian text so Chinese renders in Word and LibreOffice."""
    if run._r.rPr is None and font == EAST_ASIAN_FONT:  # the common case: a fresh run, one copied element
        run._r.insert(0, deepcopy(_east_asian_rpr()))
        return
    r_pr = run._r.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), font)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


@lru_cache(maxsize=1)
def _east_asian_rpr():
    r_pr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    r_pr.append(fonts)
    r_pr.append(lang)
    return r_pr


@lru_cache(maxsize=None)
def _clark(tag: str) -> str:
    return qn(tag)


def make_element(tag: str):
    """A loose python-docx element ('w:r', 'w:del', ...), without OxmlElement's per-call tag parsing."""
    from docx.oxml.parser import oxml_parser

    return oxml_parser.makeelement(_clark(tag), nsmap=_W_NSMAP)


_W_NSMAP = {"w": _W[1:-1]}
_RUN_BREAKS = re.compile(r"(\n|\t)")


def append_run(paragraph, text: str, east_asian: bool = False):
    """Append a run holding `text` (newlines as breaks, tabs as tabs) and return it as a python-docx Run.

    python-docx's add_run sets the text character by character; this builds the same XML in one go.
    `east_asian` names the CJK font (as set_east_asian_font does).
    """
    from docx.text.run import Run

    run = fill_run(etree_sub(paragraph._p, f"{_W}r"), text, east_asian=east_asian)
    return Run(run, paragraph)


def etree_sub(parent, tag: str, attrib: dict | None = None):
    """A child element; it gets python-docx's element class from the parent's parser."""
    from lxml import etree

    return etree.SubElement(parent, tag, attrib) if attrib else etree.SubElement(parent, tag)


def fill_run(run, text: str, deleted: bool = False, east_asian: bool = False):
    """Give an empty w:r its properties and text (w:t, or w:delText when deleted)."""
    if east_asian:
        r_pr = etree_sub(run, f"{_W}rPr")
        etree_sub(r_pr, f"{_W}rFonts", {f"{_W}eastAsia": EAST_ASIAN_FONT})
        etree_sub(r_pr, f"{_W}lang", {f"{_W}eastAsia": "zh-CN"})
    text = xml_safe(text)
    pieces = _RUN_BREAKS.split(text) if ("\n" in text or "\t" in text) and not deleted else [text]
    for piece in pieces:
        if piece == "\n":
            etree_sub(run, f"{_W}br")
        elif piece == "\t":
            etree_sub(run, f"{_W}tab")
        elif piece:
            etree_sub(run, f"{_W}delText" if deleted else f"{_W}t", {_XML_SPACE: "preserve"}).text = piece
    return run


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _text_run(text: str, deleted: bool = False):
    return fill_run(make_element("w:r"), text, deleted=deleted)


def add_tracked_replacement(paragraph, deleted: str, inserted: str, ids: RevisionIds, author: str = REPAIR_AUTHOR,
                            east_asian: bool = False):
    """Append <w:del>deleted</w:del><w:ins>inserted</w:ins>; returns the deleted and inserted w:r elements."""
    runs = []
    for tag, text in ((f"{_W}del", deleted), (f"{_W}ins", inserted)):
        change = etree_sub(paragraph._p, tag, {f"{_W}id": ids(), f"{_W}author": author, f"{_W}date": ids.date})
        runs.append(fill_run(etree_sub(change, f"{_W}r"), text, deleted=tag.endswith("del"), east_asian=east_asian))
    return runs[0], runs[1]


_EAST_ASIAN_RPR = (f'<w:rPr><w:rFonts w:eastAsia="{EAST_ASIAN_FONT}"/><w:lang w:eastAsia="zh-CN"/></w:rPr>')


def run_xml(text: str, deleted: bool = False, east_asian: bool = False) -> str:
    """A w:r as an XML string (for append_xml): text escaped, control characters dropped."""
    from xml.sax.saxutils import escape

    tag = "w:delText" if deleted else "w:t"
    return (f"<w:r>{_EAST_ASIAN_RPR if east_asian else ''}<{tag} xml:space=\"preserve\">"
            f"{escape(xml_safe(text))}</{tag}></w:r>")


def tracked_replacement_xml(deleted: str, inserted: str, ids: RevisionIds, author: str = REPAIR_AUTHOR,
                            comment_id: int | None = None) -> str:
    """<w:del>deleted</w:del><w:ins>inserted</w:ins> as an XML string, the insertion commented when asked."""
    from xml.sax.saxutils import quoteattr

    who = f"w:author={quoteattr(xml_safe(author))} w:date=\"{ids.date}\""
    xml = (f'<w:del w:id="{ids()}" {who}>{run_xml(deleted, deleted=True, east_asian=True)}</w:del>'
           f'<w:ins w:id="{ids()}" {who}>{run_xml(inserted, east_asian=True)}</w:ins>')
    if comment_id is None:
        return xml
    return (f'<w:commentRangeStart w:id="{comment_id}"/>{xml}<w:commentRangeEnd w:id="{comment_id}"/>'
            f'<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="{comment_id}"/></w:r>')


class DeferredXml:
    """WordprocessingML content spliced into word/document.xml after python-docx has saved it.

    A paragraph of megabytes holds hundreds of thousands of runs; building them as lxml elements
    (or moving a parsed subtree into the document) takes minutes, a string splice takes a second.
    Each paragraph gets a marker comment now, replaced by its content in the saved package.
    """

    _MARKER = re.compile(rb"<!--translate-xml:(\d+)-->")

    def __init__(self):
        self.contents: list[bytes] = []  # UTF-8: half the memory of a str of CJK text

    def append(self, paragraph, content: str) -> None:
        """Append `content` (w: prefixed XML) to the paragraph, at save time."""
        from lxml import etree

        paragraph._p.append(etree.Comment(f"translate-xml:{len(self.contents)}"))
        self.contents.append(content.encode("utf-8"))

    def splice(self, package: bytes) -> bytes:
        """The saved package with each marker replaced by its content."""
        if not self.contents:
            return package
        import io
        import zipfile

        source = zipfile.ZipFile(io.BytesIO(package))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "word/document.xml":
                    data = self._MARKER.sub(lambda m: self.contents[int(m.group(1))], data)
                target.writestr(item, data)
        return out.getvalue()


def add_hidden_id(paragraph, block_id: str, ids: RevisionIds) -> None:
    """A hidden bookmark carrying the block id: invisible in Word, kept through edits."""
    start = OxmlElement("w:bookmarkStart")
    number = ids()
    start.set(qn("w:id"), number)
    start.set(qn("w:name"), ID_BOOKMARK_PREFIX + block_id)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), number)
    p_pr = paragraph._p.pPr
    if p_pr is not None:
        p_pr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    start.addnext(end)


def hidden_ids(element) -> list[str]:
    return [b.get(qn("w:name"))[len(ID_BOOKMARK_PREFIX):] for b in element.iter(qn("w:bookmarkStart"))
            if (b.get(qn("w:name")) or "").startswith(ID_BOOKMARK_PREFIX)]


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
            parts.append(node.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}p" and parts and node is not element:
            parts.append("\n")
    return "".join(parts).strip("\n")


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
        if not _inside(node, f"{_W}ins"):
            parts.append(node.text or "")
    return "".join(parts)


def tracked_change_count(element) -> int:
    return sum(1 for _ in element.iter(f"{_W}ins", f"{_W}del"))


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

    for section in document.sections:
        yield from once(section.header.paragraphs)
    for p in document.element.body.iter(qn("w:p")):
        if in_fallback(p):
            continue
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        yield (names.get(style.get(qn("w:val")), "") if style is not None else "Normal"), p
    for section in document.sections:
        yield from once(section.footer.paragraphs)
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


def embed_run(document, signature: dict, blocks: list[dict]) -> None:
    """Store the run (signature; block ids, sources, machine translations) inside the DOCX package."""
    import json

    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    blob = json.dumps({"signature": signature, "blocks": blocks}, ensure_ascii=False).encode("utf-8")
    part = Part(PackURI(BLOCKS_PARTNAME), "application/json", blob, document.part.package)
    document.part.relate_to(part, BLOCKS_RELTYPE)


def embedded_run(document) -> dict | None:
    """{"signature", "blocks"} as written by embed_run, or None for a DOCX that is not ours."""
    import json

    for rel in document.part.rels.values():
        if rel.reltype == BLOCKS_RELTYPE and not rel.is_external:
            try:
                return json.loads(rel.target_part.blob.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                return None
    return None


class CommentWriter:
    """Word comments added in constant time each.

    python-docx's add_comment looks up the highest comment id by scanning every comment, which
    makes a document with one comment per block quadratic; here the next id is kept instead.
    """

    def __init__(self, document):
        self.document = document
        self.element = None  # w:comments, looked up (or created) at the first comment
        self.next_id = 0
        self.date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def add(self, runs, text: str, author: str, initials: str = "") -> int:
        """Anchor a comment with `text` (paragraphs split at newlines) on `runs` (first to last)."""
        comment_id = self.new(text, author, initials)
        runs = runs if isinstance(runs, (list, tuple)) else [runs]
        runs[0].mark_comment_range(runs[-1], comment_id)
        return comment_id

    def new(self, text: str, author: str, initials: str = "") -> int:
        """Add a comment to the comments part and return its id; the caller places its anchors."""
        if self.element is None:
            self.element = self.document.part._comments_part.element
            ids = [int(c.get(qn("w:id"))) for c in self.element.iterchildren(qn("w:comment"))]
            self.next_id = max(ids, default=-1) + 1
        comment_id = self.next_id
        self.next_id += 1
        comment = OxmlElement("w:comment")
        comment.set(qn("w:id"), str(comment_id))
        comment.set(qn("w:author"), xml_safe(author))
        comment.set(qn("w:initials"), xml_safe(initials))
        comment.set(qn("w:date"), self.date)
        for number, line in enumerate(text.split("\n")):
            p = OxmlElement("w:p")
            p_pr = OxmlElement("w:pPr")
            style = OxmlElement("w:pStyle")
            style.set(qn("w:val"), "CommentText")
            p_pr.append(style)
            p.append(p_pr)
            if number == 0:
                reference = OxmlElement("w:r")
                r_pr = OxmlElement("w:rPr")
                r_style = OxmlElement("w:rStyle")
                r_style.set(qn("w:val"), "CommentReference")
                r_pr.append(r_style)
                reference.append(r_pr)
                reference.append(OxmlElement("w:annotationRef"))
                p.append(reference)
            if line:
                p.append(_text_run(line))
            comment.append(p)
        self.element.append(comment)
        return comment_id
