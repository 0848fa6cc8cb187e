"""Bilingual and target-only Markdown."""

from __future__ import annotations

import re

from ..document import BlockKind, Document

_BLOCK_COMMENT = re.compile(r"^<!-- block (\S+) ", re.M)
_EMPHASIS = re.compile(r"(?<!\\)[*_]")
_HTML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# A link to a script or data scheme, inline `[x](javascript:…)` or as a reference definition
# `[1]: data:…` (which a `[x][1]` anywhere uses): the `(` or `:` after the `]` is escaped, so no link forms.
# The target is read as renderers decode it (entities, backslash escapes, spaces and controls dropped).
_LINK_TARGET = re.compile(r"\]([(:])(\s*)(<?[^\s)>]*)")
_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
# CommonMark autolinks (<https://…>): kept for web and mail schemes, shown as text for any other
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}):([^\s<>]*)>")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
_TAG_LIKE = re.compile(r"<[A-Za-z/!?]")
_COMPLETE_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")
# A comment kept only where every parser ends it at the same place: no '>' or '->' right after '<!--' (which
# HTML closes at once), no '--', '<' or '>' inside; any other '<!--' is shown as text.
_TAG_OR_COMMENT = re.compile(r"<!--(?![->])(?:(?!--)[^<>])*-->|</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")
# script and style with their content (to the end, when never closed)
_ACTIVE_CONTENT = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.S | re.I)
_ORDERED = re.compile(r"\d{1,9}[.)](?=[ \t]|$)")
_RULE_OR_UNDERLINE = re.compile(r"(?:[-*_=][ \t]*){3,}|=+[ \t]*|-+[ \t]*")
_TABLE_DELIMITER = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*|\|[ \t]*:?-+:?[ \t]*\|?[ \t]*")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# "[^qa-1]: …" or "[x]: /url" at a line's start would define a footnote or link (ours included), unseen
_DEFINITION = re.compile(r"\[[^\]\n]*\]:")


def bilingual_markdown(document: Document, signature: dict) -> str:
    """Each source block (as received) followed by its translation; ids as HTML comments, flags as footnotes."""
    lines = [f"<!-- translate {signature.get('tool', '')} model={signature.get('model', '')} -->", ""]
    notes: list[str] = []
    for block in document.blocks:
        lines.append(f"<!-- block {block.id} {block.kind.value} -->")
        if block.kind is BlockKind.CODE:
            lines += [_as_code(block.source), ""]
            continue
        # HTML markup (<p class=...>) is the source's, not ours: the kind's marker stands in for it
        prefix = _prefix(block) if not block.markup.startswith("<") else _KIND_PREFIX.get(block.kind, "")
        if is_table_cell(block):  # a cell beside its translation is no table: each shown as a paragraph
            prefix = ""
        lines += [prefix + _escape(block.source), ""]
        marker = ""
        for flag in block.flags:
            # labels of our own ('qa-'), so that an article's footnotes [^1] keep theirs
            message = " ⏎ ".join(line.strip() for line in flag.message.splitlines() if line.strip())  # one line
            notes.append(f"[^qa-{len(notes) + 1}]: **{flag.code}** ({block.id}): {_escape(message)}")
            marker += f" ⚠[^qa-{len(notes)}]"
        origin = " <!-- from translation memory -->" if block.origin == "tm" else ""
        lines += [prefix + _escape(block.translation) + marker + origin, ""]
    if any(b.repairs for b in document.blocks):
        lines += ["<details><summary>Source repairs</summary>", ""]
        for block in document.blocks:
            for repair in block.repairs:
                lines.append(f"- {block.id} @{repair.offset}: {_escape(repair.spun)} → {_escape(repair.restored)} "
                             f"({repair.rule}, {repair.confidence:.2f})")
        lines += ["", "</details>", ""]
    lines += notes
    return "\n".join(lines).rstrip() + "\n"


def target_markdown(document: Document, translations: dict[str, str] | None = None) -> str:
    out = []
    previous = None
    for block in document.blocks:
        if previous is not None and _in_open_row(previous):
            out.append("")  # a table's cells are one row of text: no paragraph break between them
        elif previous is not None:
            out.append("\n\n")
        previous = block
        if block.kind is BlockKind.CODE:
            out.append(_carried(block))
            continue
        text = _publishable((translations or {}).get(block.id, block.translation), block.source + block.markup)
        parts = re.split(r"\n[ \t]*\n", text) if not block.markup.startswith("<") else [text]
        parts = [p.strip("\n") for p in parts if p.strip()] or [text]
        if block.kind is BlockKind.BYLINE or block.kind is BlockKind.CAPTION:
            # italic, unless the text has emphasis of its own ('**编辑：** 小李'): '***' around it would break it
            parts = [p if _EMPHASIS.search(p) else f"*{p}*" for p in parts]
        # a paragraph the editor added is a paragraph of its own, in the block's form
        if not block.markup.startswith("<") and not is_table_cell(block):
            parts = [_as_text_lines(p, _prefix(block)) for p in parts]
        elif is_table_cell(block):
            parts = [" ".join(p.split()).replace("|", "\\|") for p in parts]  # one line, its pipes escaped
        written = "\n\n".join(_prefix(block) + p for p in parts) + block.markup_end
        # the article's own HTML around the text (<p class=…>…</p>) is sanitised like its HTML blocks
        out.append(_sanitised_block(written) if block.markup.startswith("<") else written)
    return "".join(out) + "\n"


def is_table_cell(block) -> bool:
    """A Markdown table cell (the reader gives it the pipes before it as markup); en.docx asks it too."""
    return block.markup.endswith("| ") and not block.markup.startswith("<")


def _in_open_row(block) -> bool:
    """The cell is followed by more of its table (only a table's last cell carries the closing pipes)."""
    return is_table_cell(block) and not block.markup_end


def _prefix(block) -> str:
    """The block's own Markdown marker, or one for its kind (a .txt title becomes '# ')."""
    return block.markup or _KIND_PREFIX.get(block.kind, "")


_KIND_PREFIX = {BlockKind.TITLE: "# ", BlockKind.HEADING: "## ", BlockKind.QUOTE: "> "}


def _unlinked(text: str) -> str:
    """`text` with the `(` or `:` of every link to a script or data scheme escaped: no such link can form."""
    import html

    def check(match: re.Match) -> str:
        target = re.sub(r"[\s\x00-\x1f\\]", "", html.unescape(match.group(3))).lstrip("<").lower()
        return "]\\" + match.group(0)[1:] if target.startswith(_UNSAFE_SCHEMES) else match.group(0)

    return _LINK_TARGET.sub(check, text)


def _escape(text: str) -> str:
    """Text for the bilingual file: HTML from the source shows as text (it can neither run nor
    forge our block comments), links to script schemes are broken, and every line of a
    multi-line text is kept from turning into Markdown structure."""
    text = _unlinked(text.translate(_HTML_SPECIAL))
    return "\n".join(_as_text_line(line) for line in text.split("\n"))


def _as_text_line(line: str) -> str:
    """A line of text that cannot open Markdown structure: a heading, quote, list, fence, table, rule,
    setext underline or indented code (a translation '1. …' or '~~~' must not swallow what follows)."""
    line = line.lstrip(" \t")
    ordered = _ORDERED.match(line)
    if ordered:
        return line[: ordered.end() - 1] + "\\" + line[ordered.end() - 1:]
    if line[:1] in ("#", ">", "|", "=") or _DEFINITION.match(line) or line.startswith(("```", "~~~")) or _RULE_OR_UNDERLINE.fullmatch(line) \
            or _TABLE_DELIMITER.fullmatch(line) or re.match(r"[-+*](?:[ \t]|$)", line):
        return "\\" + line
    return line


def _publishable(text: str, source: str | None = None) -> str:
    """A translation for STEM.en.md: Markdown inline syntax kept (the article's emphasis and links), HTML
    only as Ammonia's safelist allows (no script, no event handlers, no script URLs), links to script
    schemes broken (lines that would open block structure: `_as_text_lines`). The text comes from a
    model, which an article can steer: it is treated as hostile."""
    pieces, last = [], 0
    for link in _AUTOLINK.finditer(text):
        pieces.append(_sanitised(text[last:link.start()]))
        safe = link.group(1).lower() in _SAFE_SCHEMES
        pieces.append(link.group(0) if safe else "&lt;" + link.group(0)[1:])
        last = link.end()
    pieces.append(_sanitised(text[last:]))
    published = _unlinked("".join(pieces))
    return published if source is None else _only_the_sources_targets(published, source)


def _only_the_sources_targets(text: str, source: str) -> str:
    """Links, images and autolinks whose target the source block does not have are shown as text: a model
    must not add a tracking image or a link the article never had."""
    known = {_plain_target(m.group(3)) for m in _LINK_TARGET.finditer(source)} | {
        _plain_target(m.group(0)[1:-1]) for m in _AUTOLINK.finditer(source)}

    def has(target: str) -> bool:
        return not target or target in source or _plain_target(target) in known

    def check(match: re.Match) -> str:
        return match.group(0) if has(match.group(3)) else "]\\" + match.group(0)[1:]

    text = _LINK_TARGET.sub(check, text)
    return _AUTOLINK.sub(lambda m: m.group(0) if has(m.group(0)[1:-1]) else "&lt;" + m.group(0)[1:], text)


def _plain_target(target: str) -> str:
    """A link target as compared: <> and a trailing slash off, percent-escapes decoded, scheme and host in
    lower case (a model writing http://www.news.cn/ for http://www.news.cn keeps the article's link)."""
    from urllib.parse import unquote

    target = unquote(target.strip().strip("<>")).rstrip("/")
    found = re.match(r"([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)(.*)", target, re.S)
    return found.group(1).lower() + found.group(2) if found else target


def _as_text_lines(part: str, prefix: str) -> str:
    """`_as_text_line` on each line; the first follows the block's marker, after which only a heading's
    text cannot open structure."""
    lines = part.split("\n")
    first_free = prefix.startswith("#")
    return "\n".join(line if n == 0 and first_free else _as_text_line(line) for n, line in enumerate(lines))


def _sanitised(text: str) -> str:
    """Inline HTML of a translation: complete tags on Ammonia's safelist kept (attributes cleaned by it);
    any other '<' shown as text, so that nothing the model wrote is silently dropped either."""
    if not _TAG_LIKE.search(text):
        return text  # no markup: left exactly as written (no entities for '&' or '<')
    import nh3

    def keep_or_show(match: re.Match) -> str:
        return match.group(0) if match.group(1).lower() in nh3.ALLOWED_TAGS else "&lt;" + match.group(0)[1:]

    marked = _COMPLETE_TAG.sub(keep_or_show, text)
    shown = re.sub(r"<(?!/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>)", "&lt;", marked)  # '<' opening no tag
    return nh3.clean(shown)


def _sanitised_block(html: str) -> str:
    """The article's own HTML, as a CMS writes it, possibly one tag per block (<div class=…> … </div>):
    each complete tag on Ammonia's safelist is kept with the attributes it allows, plus the ones a CMS
    styles with (class, id, title, lang, dir); any other tag is dropped, script and style with their
    content; plain closed comments stay (inert); any other '<' is shown as text, so that nothing opens a
    tag or a comment that would swallow the rest of the article. Tags are always written as Ammonia
    writes them, never as the article spelled them."""
    import nh3

    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = {"class", "id", "title", "lang", "dir"}

    def kept(tag: re.Match) -> str:
        name = tag.group(1).lower()
        if name not in nh3.ALLOWED_TAGS:
            return ""
        if tag.group(0).startswith("</"):
            return f"</{name}>"
        cleaned = nh3.clean(tag.group(0), attributes=attributes)  # the tag alone: Ammonia closes it
        return cleaned[: -len(f"</{name}>")] if cleaned.endswith(f"</{name}>") else cleaned

    while _ACTIVE_CONTENT.search(html):  # until none is left: removing one may join the halves of another
        html = _ACTIVE_CONTENT.sub("", html)
    pieces, last = [], 0
    for token in _TAG_OR_COMMENT.finditer(html):
        pieces.append(html[last:token.start()].replace("<", "&lt;"))
        pieces.append(token.group(0) if token.group(0).startswith("<!--") else kept(token))
        last = token.end()
    pieces.append(html[last:].replace("<", "&lt;"))
    return "".join(pieces)


def _carried(block) -> str:
    """Source carried through untranslated into STEM.en.md: an HTML block sanitised (an empty result leaves
    a comment naming the block, so that every block is still there), a fence closed if the article left
    it open (the rest of the article would otherwise be code), front matter as it is."""
    source = block.source
    if source.startswith(("    ", "\t")):
        return source  # indented code: shown as code, whatever it holds (never stripped into live HTML)
    if source.lstrip().startswith("<"):
        cleaned = _sanitised_block(source).strip()
        return cleaned or f"<!-- {block.id}: HTML left out (script or other active content) -->"
    fence = _FENCE.match(source)
    if fence:
        lines = source.rstrip("\n").split("\n")
        closed = len(lines) > 1 and lines[-1].strip().startswith(fence.group(1)) \
            and set(lines[-1].strip()) == {fence.group(1)[0]}
        return source if closed else source.rstrip("\n") + "\n" + fence.group(1)
    return source


def _as_code(text: str) -> str:
    """Carried-through source (fences, HTML, front matter) as an indented code block: shown, never rendered."""
    return "\n".join("    " + line for line in text.split("\n"))


def block_ids_in(bilingual: str) -> list[str]:
    """The block ids of a bilingual Markdown file, in order (its block comments)."""
    return _BLOCK_COMMENT.findall(bilingual)
