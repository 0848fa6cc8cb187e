"""Building large WordprocessingML documents in linear time.

python-docx creates elements one at a time through Python (tens of microseconds each) and
looks up ids and insertion points by scanning; a paragraph of megabytes or a document of
tens of thousands of blocks then takes minutes. These builders keep per-item costs constant:
runs made in one go, source paragraphs spliced in as XML after saving, comments with a kept id.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import lru_cache

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ...controls import xml_safe

EAST_ASIAN_FONT = "SimSun"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W = W
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


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


_EAST_ASIAN_RPR = (f'<w:rPr><w:rFonts w:eastAsia="{EAST_ASIAN_FONT}"/><w:lang w:eastAsia="zh-CN"/></w:rPr>')


def run_xml(text: str, deleted: bool = False, east_asian: bool = False) -> str:
    """A w:r as an XML string (for append_xml): text escaped, control characters dropped."""
    from xml.sax.saxutils import escape

    tag = "w:delText" if deleted else "w:t"
    return (f"<w:r>{_EAST_ASIAN_RPR if east_asian else ''}<{tag} xml:space=\"preserve\">"
            f"{escape(xml_safe(text))}</{tag}></w:r>")


def tracked_replacement_xml(deleted: str, inserted: str, ids, author: str,
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
    """WordprocessingML content spliced into word/document.xml after python-docx has serialized it.

    A paragraph of megabytes holds hundreds of thousands of runs; building them as lxml elements
    (or moving a parsed subtree into the document) takes minutes, a string splice takes a second.
    Each paragraph gets a marker comment now, replaced by its content when the package is saved.
    """

    _MARKER = re.compile(rb"<!--translate-xml:(\d+)-->")

    def __init__(self):
        self.contents: list[bytes] = []  # UTF-8: half the memory of a str of CJK text

    def append(self, paragraph, content: str) -> None:
        """Append `content` (w: prefixed XML) to the paragraph, at save time."""
        from lxml import etree

        paragraph._p.append(etree.Comment(f"translate-xml:{len(self.contents)}"))
        self.contents.append(content.encode("utf-8"))

    def splice(self, document_xml: bytes) -> bytes:
        """The serialized word/document.xml with each marker replaced by its content (template.save
        calls this before zipping the part)."""
        if not self.contents:
            return document_xml
        return self._MARKER.sub(lambda m: self.contents[int(m.group(1))], document_xml)


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
                p.append(fill_run(make_element("w:r"), line))
            comment.append(p)
        self.element.append(comment)
        return comment_id


# Inline Markdown a translation of a Markdown article carries: links, strong, emphasis, code, escapes.
_INLINE_MARKDOWN = re.compile(r"(?<!!)\[([^\]\n]+)\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))+)>?(?:\s+\"[^\"]*\")?\s*\)"
                              r"|\*\*(.+?)\*\*|__(.+?)__"
                              r"|(?<![*A-Za-z0-9])\*(?![\s*])([^*\n]+?)(?<![\s*])\*(?![*A-Za-z0-9])|`([^`\n]+)`"
                              r"|\\([\\`*_{}\[\]()#+\-.!|<>~])")
_WEB_LINK = re.compile(r"(?i)^(?:https?://|mailto:)")


def append_markdown_runs(paragraph, text: str) -> None:
    """`text` as Word runs, its inline Markdown as Word formats it: [text](https://…) a hyperlink, **strong**
    bold, *emphasis* italic, `code` plain, \\* a literal *. A link to anything but a web or mail address is
    shown as written, never live (as the published Markdown keeps no script link)."""
    last, inside_image = 0, _image_test(text)
    for match in _INLINE_MARKDOWN.finditer(text):
        if inside_image(match.start()):
            continue
        if match.start() > last:
            append_run(paragraph, text[last:match.start()])
        label, target, strong, strong2, emphasis, code, escaped = match.groups()
        if label is not None and _WEB_LINK.match(target) and _link_ids(paragraph.part, target) is not None:
            _append_hyperlink(paragraph, label, target)
        elif label is not None:
            append_run(paragraph, match.group(0))  # shown as written, never a live link
        elif strong is not None or strong2 is not None:
            append_run(paragraph, strong if strong is not None else strong2).bold = True
        elif emphasis is not None:
            append_run(paragraph, emphasis).italic = True
        else:
            append_run(paragraph, code if code is not None else escaped)
        last = match.end()
    if last < len(text) or not text:
        append_run(paragraph, text[last:])


def _image_test(text: str):
    """offset -> whether it lies in an image `![alt](url)` (shown as written, as the published Markdown keeps
    it); one scan of the text, then a bisection per question (a paragraph of many links stays linear)."""
    from bisect import bisect_right

    spans = [image.span() for image in _IMAGE.finditer(text)]
    starts = [start for start, _ in spans]

    def inside(at: int) -> bool:
        index = bisect_right(starts, at) - 1
        return index >= 0 and at < spans[index][1]

    return inside


_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^)\n]*\)")


def markdown_shown_text(text: str) -> str:
    """The text `append_markdown_runs` shows for `text` (its runs joined)."""
    inside_image = _image_test(text)

    def shown(match: re.Match) -> str:
        if inside_image(match.start()):
            return match.group(0)
        label, target, strong, strong2, emphasis, code, escaped = match.groups()
        if label is not None:
            return label if _WEB_LINK.match(target) else match.group(0)
        return next(part for part in (strong, strong2, emphasis, code, escaped) if part is not None)

    return _INLINE_MARKDOWN.sub(shown, text)


MAX_HYPERLINKS = 2000  # distinct targets per document; python-docx adds each in time linear in those before


def _link_ids(part, url: str) -> dict | None:
    """The part's hyperlink ids by target, or None when `url` would be one target too many (then it is text)."""
    ids = part.__dict__.setdefault("_hyperlink_ids", {})
    return ids if url in ids or len(ids) < MAX_HYPERLINKS else None


def _append_hyperlink(paragraph, label: str, url: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE

    ids = _link_ids(paragraph.part, url)
    r_id = ids.get(url) or ids.setdefault(url, paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK,
                                                                         is_external=True))
    link = etree_sub(paragraph._p, f"{_W}hyperlink", {f"{_R}id": r_id})
    run = etree_sub(link, f"{_W}r")
    r_pr = etree_sub(run, f"{_W}rPr")
    etree_sub(r_pr, f"{_W}color", {f"{_W}val": "0563C1"})
    etree_sub(r_pr, f"{_W}u", {f"{_W}val": "single"})
    fill_run(run, label)
