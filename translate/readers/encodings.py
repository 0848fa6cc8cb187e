"""Decoding article bytes: UTF-8 (BOM or not), UTF-16 (BOM or not), GB18030/GBK, Big5, mixed files."""

from __future__ import annotations

from ..errors import InputError

# Signatures of files people feed us by mistake, with what to tell them.
MAGIC = [
    (b"%PDF", "is a PDF; export the article as .docx or .txt first"),
    (b"\x89PNG", "is a PNG image, not an article"),
    (b"\xff\xd8\xff", "is a JPEG image, not an article"),
    (b"GIF8", "is a GIF image, not an article"),
    (b"\xd0\xcf\x11\xe0", "is an old binary Word .doc or a password-protected file; save it as .docx without a password"),
    (b"{\\rtf", "is an RTF document; save it as Word (.docx) or plain text (.txt)"),
    # An OpenDocument text is a zip whose first member is its stored mimetype (ODF 1.2, section 3.3).
    (b"PK\x03\x04", "is an OpenDocument text (.odt); save it as Word (.docx) in LibreOffice or WPS, or as .txt",
     b"mimetypeapplication/vnd.oasis.opendocument.text"),
    (b"PK\x03\x04", "is a ZIP archive; give a .docx, .txt or .md article"),
]


def decode(data: bytes, path: str = "") -> tuple[str, str]:
    """Decode article bytes: UTF-8 (BOM or not), UTF-16 (BOM or not), GB18030/GBK, Big5."""
    if not data.strip():
        raise InputError("is empty; give an article with text", path)
    for magic, reason, *inside in MAGIC:
        if data.startswith(magic) and all(marker in data[:128] for marker in inside):
            raise InputError(reason, path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError("starts like UTF-16 but does not decode; re-save it as UTF-8", path) from exc
    if b"\x00" in data[:8192]:
        text = _utf16_without_bom(data)
        if text is None:
            raise InputError("looks binary, not text; give a .txt, .md or .docx article", path)
        return text, "utf-16"
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


def utf16_byte_order(data: bytes) -> str:
    """'utf-16-be' or 'utf-16-le': the byte order UTF-16 text without a BOM reads as."""
    return "utf-16-be" if _utf16_share(data, "utf-16-be") > _utf16_share(data, "utf-16-le") else "utf-16-le"


def _utf16_share(data: bytes, encoding: str) -> float:
    sample = data[:8192].decode(encoding, errors="replace")
    return sum(1 for ch in sample if _plausible(ch)) / max(1, len(sample))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark (some exports do): the byte order whose text is almost
    all plausible characters (Latin, CJK, punctuation, line breaks), else None (binary)."""
    if len(data) % 2:
        return None
    encoding = utf16_byte_order(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _utf16_share(data, encoding) >= 0.95 else None


def _plausible(ch: str) -> bool:
    code = ord(ch)
    return (0x20 <= code < 0x7F or ch in "\n\r\t" or 0x3000 <= code <= 0x30FF or 0x4E00 <= code <= 0x9FFF
            or 0xFF00 <= code <= 0xFFEF or 0x2000 <= code <= 0x206F or 0xA0 <= code <= 0x24F)


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
    """GB18030 or Big5, by which reads as common Chinese; None when neither does (Windows-1252 English whose
    accented letters GB18030 would pair with the next letter: 'r閟um閟')."""
    scored = []
    for encoding in ("gb18030", "big5"):
        try:
            scored.append((_plausibility(data.decode(encoding)), encoding))
        except UnicodeDecodeError:
            continue
    if not scored:
        return None
    if len(scored) == 2 and scored[0][0] == scored[1][0]:  # a tie (long texts rarely): the statistics decide
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
        return "big5" if best is not None and best.encoding == "big5" else "gb18030"
    score, encoding = max(scored)
    return None if score <= 0 and _latin_glued(data.decode(encoding)) else encoding


def _latin_glued(text: str) -> bool:
    """Most Han characters sit between Latin letters ('r閟um閟', 'Zo霋s'): accented Latin bytes paired up."""
    han = [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]
    glued = sum(1 for i in han if 0 < i < len(text) - 1 and text[i - 1].isascii() and text[i - 1].isalpha()
                and text[i + 1].isascii() and text[i + 1].isalpha())
    return not han or glued > len(han) * 0.3


def _plausibility(text: str) -> int:
    """How much `text` reads as Chinese: +1 for each of the 3,755 most common characters (GB2312 level 1,
    after Traditional -> Simplified), -1 for any other Han character, -2 for a letter or mark Chinese text
    seldom has (Cyrillic, Greek, bopomofo, ※, §: what mojibake is made of)."""
    score = 0
    for ch in traditional_to_simplified(text[:4096]):
        if "\u4e00" <= ch <= "\u9fff":
            try:
                score += 1 if 0xB0 <= ch.encode("gb2312")[0] <= 0xD7 else -1
            except UnicodeEncodeError:
                score -= 1
        elif "\u0370" <= ch <= "\u04ff" or "\u3100" <= ch <= "\u312f" or ch in "※§¤﹝﹞":
            score -= 2
    return score


def traditional_to_simplified(text: str) -> str:
    import opencc

    return opencc.OpenCC("t2s").convert(text)


def encode_like(text: str, original: bytes, encoding: str) -> bytes:
    """`text` in the encoding (and with the BOM) the original bytes had; mixed files become UTF-8."""
    if encoding == "utf-16":
        had_bom = original.startswith((b"\xff\xfe", b"\xfe\xff"))
        # without a BOM: the byte order the text reads as (Chinese in either order has no zero byte to go by)
        big_endian = original.startswith(b"\xfe\xff") or (not had_bom and utf16_byte_order(original) == "utf-16-be")
        bom = (b"\xfe\xff" if big_endian else b"\xff\xfe") if had_bom else b""
        return bom + text.encode("utf-16-be" if big_endian else "utf-16-le")
    if encoding in ("gb18030", "big5"):
        try:
            return text.encode(encoding)
        except UnicodeEncodeError:  # a repair brought in a character the old encoding lacks
            return text.encode("utf-8")
    bom = b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b""
    return bom + text.encode("utf-8")
