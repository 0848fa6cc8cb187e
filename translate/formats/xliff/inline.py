"""Inline markup in XLIFF 1.2: Markdown/HTML codes and protected spans <-> <ph>/<bpt>/<ept>.

Each code keeps its native text as element content, so a file can be read back without a
skeleton, and CAT tools show the codes as tags that translators cannot break. Paired codes
(**bold**, *italic*, [link](url), <b>…</b>) become <bpt>/<ept> with one id; the rest <ph>.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_URL = r"https?://[^\s)\]，。、<>\"]*[^\s)\]，。、<>\".,;:!?]"  # trailing punctuation is the sentence's
# stops at `]` and bounds the title: `[^)\s]+` alone rescanned to the end from every `](` (quadratic)
_LINK_END = r"\]\([^)\s\]]+(?:\s+\"[^\"\n]{0,500}\")?\)"
_CODE = re.compile(
    r"(?P<code>`[^`\n]+`)"
    rf"|(?P<link_open>!?\[(?=[^\[\]\n]*{_LINK_END}))"
    rf"|(?P<link_close>{_LINK_END})"
    rf"|(?P<autolink><{_URL}>)"
    r"|(?P<html></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)"
    rf"|(?P<url>{_URL})"
    r"|(?P<bold>\*\*|__)"
    r"|(?P<italic>(?<!\*)\*(?!\*))"
)
_HTML_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_HTML_CTYPE = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underlined", "a": "link"}


@dataclass
class Code:
    kind: str  # "ph" | "bpt" | "ept"
    code: str  # native text
    ctype: str
    id: str = ""


Token = str | Code


def tokenize(text: str) -> list[Token]:
    """Text and codes, in order; codes that find no partner become <ph>."""
    tokens: list[Token] = []
    position = 0
    open_codes: list[tuple[int, str]] = []  # (token index, pairing key)
    for m in _CODE.finditer(text):
        if m.start() > position:
            tokens.append(text[position : m.start()])
        kind, code = m.lastgroup, m.group()
        token = Code("ph", code, _ph_ctype(kind, code))
        key = _pair_key(kind, code)
        if key and key[1] == "close" and open_codes and open_codes[-1][1] == key[0]:
            start, _ = open_codes.pop()
            opener = tokens[start]
            assert isinstance(opener, Code)
            opener.kind, token.kind = "bpt", "ept"
            token.ctype = opener.ctype = _pair_ctype(kind, opener.code)
        elif key and key[1] == "open":
            open_codes.append((len(tokens), key[0]))
        elif key and key[1] == "toggle":
            if open_codes and open_codes[-1][1] == key[0]:
                start, _ = open_codes.pop()
                opener = tokens[start]
                assert isinstance(opener, Code)
                opener.kind, token.kind = "bpt", "ept"
                token.ctype = opener.ctype = kind
            else:
                open_codes.append((len(tokens), key[0]))
        tokens.append(token)
        position = m.end()
    if position < len(text):
        tokens.append(text[position:])
    return tokens


def broken_pairs(source: str, target: str) -> list[str]:
    """Codes the source has in pairs (a link's `[` and `](url)`, `<b>` and `</b>`) that the target has unpaired:
    a closing code moved before its opening one, or one of the two deleted. Such a target is broken markup."""
    paired = {t.code for t in tokenize(source) if isinstance(t, Code) and t.kind in ("bpt", "ept")}
    return [t.code for t in tokenize(target) if isinstance(t, Code) and t.kind == "ph" and t.code in paired]


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def join_segments(parts: list[str], glue: list[str] | None = None, *, spaced: bool = True) -> str:
    """A unit's text from the segments a CAT tool cut it into. `glue[i]` is what the file has between parts i
    and i+1 (an <ignorable>, the text between <mrk>s): whitespace between two Chinese characters is the tool's
    artefact and dropped; where the file has nothing between two Latin ends (a Chinese source has no space
    for the tool to keep), one space goes back, as the English needs it (`spaced`: targets; a source is cut
    where the tool chose, mid-word too, and joined as it was)."""
    glue = glue if glue is not None else [""] * len(parts)
    text = ""
    for n, part in enumerate(parts):
        between = glue[n - 1] if n else ""
        if text and part:
            left, right = text[-1], part[0]
            if not between.strip() and _CJK.match(left) and _CJK.match(right):
                between = ""
            elif spaced and not between and not left.isspace() and not right.isspace() and not _CJK.match(left) \
                    and not _CJK.match(right) and (right.isalnum() or right in "\"'(\u201c\u2018"):
                between = " "
        text += between + part
    return text


def _pair_key(kind: str, code: str) -> tuple[str, str] | None:
    if kind == "link_open":
        return "link", "open"
    if kind == "link_close":
        return "link", "close"
    if kind in ("bold", "italic"):
        return code, "toggle"
    if kind == "html" and not code.endswith("/>"):
        name = _HTML_NAME.match(code)[1].lower()
        return f"html:{name}", "close" if code.startswith("</") else "open"
    return None


def _ph_ctype(kind: str, code: str) -> str:
    if kind == "html" and _HTML_NAME.match(code)[1].lower() == "br":
        return "lb"
    named = {"code": "x-code", "autolink": "x-url", "url": "x-url", "html": "x-html"}
    return named.get(kind, f"x-{kind.replace('_', '-')}")


def _pair_ctype(kind: str, opener: str) -> str:
    if kind == "link_close":
        return "link"
    return _HTML_CTYPE.get(_HTML_NAME.match(opener)[1].lower(), "x-html")


def number_codes(tokens: list[Token], reference: list[Token] | None = None) -> list[Token]:
    """Give codes ids: from 1 in the source; in the target, the id of the same source code where there is one."""
    available: dict[tuple[str, str], list[str]] = {}
    used = 0
    for token in reference or []:
        if isinstance(token, Code):
            available.setdefault((token.kind, token.code), []).append(token.id)
            used = max(used, int(token.id))
    pairs: list[Code] = []
    for token in tokens:
        if not isinstance(token, Code):
            continue
        if token.kind == "ept" and pairs:
            token.id = pairs.pop().id
            continue
        ids = available.get((token.kind, token.code))
        if ids:
            token.id = ids.pop(0)
        else:
            used += 1
            token.id = str(used)
        if token.kind == "bpt":
            pairs.append(token)
    return tokens


def fill(element, tokens: list[Token], namespace: str) -> None:
    """Append text and inline elements to an lxml element."""
    from lxml import etree

    from ...controls import xml_safe

    last = None
    for token in tokens:
        if isinstance(token, str):
            token = xml_safe(token)  # a control character from the source or engine must not break the file
            if last is None:
                element.text = (element.text or "") + token
            else:
                last.tail = (last.tail or "") + token
            continue
        child = etree.SubElement(element, f"{{{namespace}}}{token.kind}", id=token.id)
        if token.kind != "ept":
            valid = token.ctype in _CTYPES or token.ctype.startswith("x-")
            child.set("ctype", token.ctype if valid else f"x-{token.ctype}")
        if token.kind in ("bpt", "ept"):
            child.set("rid", token.id)
        child.text = xml_safe(token.code)
        last = child


_CTYPES = {"bold", "italic", "underlined", "link", "image", "pb", "lb"}


def codes_by_id(element) -> dict[str, str]:
    """id -> native code of the inline elements under `element` (a <source>)."""
    found = {}
    for child in element.iter():
        if isinstance(child.tag, str) and _local(child.tag) in ("ph", "bpt", "ept", "it", "x", "bx", "ex"):
            found.setdefault((_local(child.tag), child.get("id", "")), "".join(child.itertext()))
    return {f"{kind}:{id_}": code for (kind, id_), code in found.items()}


def plain_text(element, source_codes: dict[str, str] | None = None) -> str:
    """The text of a <source>/<target> with each inline element turned back into its native code.

    Empty codes (<x/>, <bx/>, <ex/>, or a <ph/> a tool emptied) take the source's code with the same id; so do
    the two ends of a <g> a tool wrote for a <bpt>/<ept> pair.
    """
    source_codes = source_codes or {}
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # comments, processing instructions
            parts.append(child.tail or "")
            continue
        name = _local(child.tag)
        if name in ("ph", "bpt", "ept", "it"):
            code = "".join(child.itertext()) or source_codes.get(f"{name}:{child.get('id', '')}", "")
            parts.append(code)
        elif name in ("x", "bx", "ex"):
            equivalent = {"x": "ph", "bx": "bpt", "ex": "ept"}[name]
            parts.append(source_codes.get(f"{equivalent}:{child.get('id', '')}", "")
                         or source_codes.get(f"{name}:{child.get('id', '')}", ""))
        elif name == "g":  # a pair a tool rewrote as <g id>: the source's codes of that id around its content
            key = child.get("id", "")
            parts.append(source_codes.get(f"bpt:{key}", "") + plain_text(child, source_codes)
                         + source_codes.get(f"ept:{key}", ""))
        else:  # mrk, sub: their text is content
            parts.append(plain_text(child, source_codes))
        parts.append(child.tail or "")
    return "".join(parts)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
