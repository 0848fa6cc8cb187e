"""Read .txt / .md / .docx (or stdin) into a Document of raw blocks."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

from .document import BlockKind, Document, make_blocks
from .errors import InputError
from .structure import classify_lines

MAX_BYTES = 64 * 1024 * 1024

# Signatures of files people feed us by mistake, with what to tell them.
_MAGIC = [
    (b"%PDF", "is a PDF; export the article as .docx or .txt first"),
    (b"\x89PNG", "is a PNG image, not an article"),
    (b"\xff\xd8\xff", "is a JPEG image, not an article"),
    (b"GIF8", "is a GIF image, not an article"),
    (b"\xd0\xcf\x11\xe0", "is an old binary Word .doc or a password-protected file; save it as .docx without a password"),
    (b"PK\x03\x04", "is a ZIP archive; give a .docx, .txt or .md article"),
]


def read_document(path: str, *, to_simplified: bool = False) -> Document:
    """Read an article. `path` may be "-" for stdin. Raises InputError with a one-line reason."""
    data, name, suffix = read_bytes(path)
    if suffix == ".docx":
        items = _docx_items(data, path)
        encoding = "docx"
    else:
        text, encoding = decode(data, path)
        if to_simplified and encoding == "big5":
            text = traditional_to_simplified(text)
        items = _markdown_items(text) if suffix in (".md", ".markdown") else classify_lines(text.splitlines())
    if not any(t.strip() for _, t, _ in items):
        raise InputError("has no text to translate; give an article with at least one paragraph", path)
    return Document(name=name, blocks=make_blocks(items), path=path, encoding=encoding)


def read_bytes(path: str) -> tuple[bytes, str, str]:
    if path == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1), "stdin", ".txt"
    p = Path(path)
    if not p.exists():
        raise InputError("no such file; check the path", path)
    if p.is_dir():
        raise InputError("is a folder; give an article file (.txt, .md, .docx)", path)
    try:
        if p.stat().st_size > MAX_BYTES:
            raise InputError(f"is larger than {MAX_BYTES // 2**20} MB; split it into smaller articles", path)
        data = p.read_bytes()
    except PermissionError as exc:
        raise InputError("cannot be read (permission denied); check its permissions", path) from exc
    name = p.name.rsplit(".", 1)[0] if "." in p.name else p.name
    return data, name, p.suffix.lower()


def decode(data: bytes, path: str = "") -> tuple[str, str]:
    """Decode article bytes: UTF-8 (BOM or not), UTF-16 with BOM, GB18030/GBK, Big5."""
    if not data.strip():
        raise InputError("is empty; give an article with text", path)
    for magic, reason in _MAGIC:
        if data.startswith(magic):
            raise InputError(reason, path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError("starts like UTF-16 but does not decode; re-save it as UTF-8", path) from exc
    if b"\x00" in data[:8192]:
        raise InputError("looks binary, not text; give a .txt, .md or .docx article", path)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _decode_mixed(data)
    if mixed is not None:
        return mixed, "mixed"
    encoding = _guess_cjk_encoding(data)
    if encoding is None:
        raise InputError("is not UTF-8, GB18030 or Big5 text; re-save it as UTF-8", path)
    return data.decode(encoding), encoding


def _decode_mixed(data: bytes) -> str | None:
    """Files pasted together from UTF-8 and GBK sources: decode line by line when most lines are UTF-8."""
    lines = data.split(b"\n")
    utf8 = 0
    decoded = []
    for line in lines:
        try:
            decoded.append(line.decode("utf-8-sig" if not decoded else "utf-8"))
            utf8 += any(b > 127 for b in line)
        except UnicodeDecodeError:
            encoding = _guess_cjk_encoding(line)
            if encoding is None:
                return None
            decoded.append(line.decode(encoding))
    foreign = len(lines) - sum(1 for line in lines if _is_utf8(line))
    return "\n".join(decoded) if utf8 > foreign else None


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _guess_cjk_encoding(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            data.decode(encoding)
            candidates.append(encoding)
        except UnicodeDecodeError:
            continue
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    best = from_bytes(data, cp_isolation=candidates).best()
    return "big5" if best is not None and best.encoding == "big5" else "gb18030"


def traditional_to_simplified(text: str) -> str:
    import opencc

    return opencc.OpenCC("t2s").convert(text)


_FENCE = re.compile(r"^(```|~~~)")
_MD_HEADING = re.compile(r"^(#{1,6}\s+)(.*)$")
_MD_PREFIX = re.compile(r"^((?:>\s?)+|[-*+]\s+|\d+[.)]\s+)(.*)$")
_MD_IMAGE_ONLY = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$")


def _markdown_items(text: str) -> list[tuple[BlockKind, str, str]]:
    """Markdown blocks: front matter, code fences, HTML and images pass through as CODE."""
    lines = text.splitlines()
    items: list[tuple[BlockKind, str, str]] = []
    i = 0
    if lines and lines[0].strip() == "---":
        end = next((j for j in range(1, len(lines)) if lines[j].strip() == "---"), None)
        if end is not None:
            items.append((BlockKind.CODE, "\n".join(lines[: end + 1]), ""))
            i = end + 1
    paragraph: list[str] = []

    def flush():
        if paragraph:
            items.extend(classify_lines(["".join(paragraph)], first_is_title=False))
            paragraph.clear()

    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line.strip()):
            flush()
            fence = line.strip()[:3]
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(fence):
                j += 1
            items.append((BlockKind.CODE, "\n".join(lines[i : j + 1]), ""))
            i = j + 1
            continue
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("<") or _MD_IMAGE_ONLY.match(stripped):
            flush()
            items.append((BlockKind.CODE, line, ""))
        elif m := _MD_HEADING.match(stripped):
            flush()
            first = not any(k is not BlockKind.CODE for k, _, _ in items)
            kind = BlockKind.TITLE if m.group(1).strip() == "#" and first else BlockKind.HEADING
            items.append((kind, m.group(2), m.group(1)))
        elif m := _MD_PREFIX.match(stripped):
            flush()
            kind = BlockKind.QUOTE if m.group(1).startswith(">") else BlockKind.PARAGRAPH
            items.append((kind, m.group(2), m.group(1)))
        else:
            paragraph.append(stripped)
        i += 1
    flush()
    return items


def _docx_items(data: bytes, path: str) -> list[tuple[BlockKind, str, str]]:
    import io

    for magic, reason in _MAGIC[:5]:
        if data.startswith(magic):
            raise InputError(reason, path)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError("is not a valid .docx (corrupt or truncated); re-save it from Word", path) from exc
    from .writers.docx_xml import iter_body_paragraphs

    items: list[tuple[BlockKind, str, str]] = []
    texts: list[tuple[str, str]] = []
    for style, text in iter_body_paragraphs(document):
        if text.strip():
            texts.append((style, text))
    classified = classify_lines([t for _, t in texts])
    for (style, _), (kind, text, markup) in zip(texts, classified):
        if style.startswith("Title"):
            kind = BlockKind.TITLE
        elif style.startswith("Heading"):
            kind = BlockKind.HEADING
        elif style.startswith(("Quote", "Intense Quote")):
            kind = BlockKind.QUOTE
        elif style.startswith("Caption"):
            kind = BlockKind.CAPTION
        items.append((kind, text, markup))
    return items
