"""Size limits on what we read, checked while streaming so that a hostile file costs little.

A .docx is a zip: its compressed size says nothing about what it expands to. Every member is
decompressed in chunks and counted, and every XML member is fed to a pull parser that counts
depth and text length, before python-docx/lxml build a tree of it.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from ..errors import InputError

MAX_BYTES = 64 * 1024 * 1024  # an input file (or stdin)
MAX_ZIP_ENTRIES = 2000
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one decompressed member (pictures included)
MAX_XML_MEMBER_BYTES = 32 * 1024 * 1024  # one decompressed XML part
MAX_PACKAGE_BYTES = 256 * 1024 * 1024  # all members together, decompressed
MAX_XML_DEPTH = 200
MAX_XML_TEXT = 8 * 1024 * 1024  # characters in one text node
_CHUNK = 1024 * 1024
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def read_capped(path: str | Path, what: str = "file", limit: int = MAX_BYTES,
                split: str = "split it or give a smaller file") -> bytes:
    """The bytes of `path`, refused past `limit` while reading: a FIFO or a device (/dev/zero) reports no
    size, so the cap is applied to what is read, as for stdin. Raises InputError with one line."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError as exc:
        raise InputError(f"no such {what}; check the path", str(path)) from exc
    except IsADirectoryError as exc:
        raise InputError(f"is a folder; give a {what}", str(path)) from exc
    except PermissionError as exc:
        raise InputError("cannot be read (permission denied); check its permissions", str(path)) from exc
    except (OSError, ValueError) as exc:  # a name the system refuses (too long, NUL), an I/O error
        raise InputError(f"cannot be read ({getattr(exc, 'strerror', None) or exc})", str(path)) from exc
    if len(data) > limit:
        raise InputError(f"is larger than {limit // 2**20} MB; {split}", str(path))
    return data


def check_zip_package(data: bytes, path: str) -> None:
    """Raise InputError if the zip in `data` is corrupt or expands past our limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError("is not a valid .docx (corrupt or truncated); re-save it from Word", path) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_ENTRIES:
            raise InputError(f"has {len(members)} zip entries (the limit is {MAX_ZIP_ENTRIES}); it is not a normal "
                             "Word file: re-save it from Word", path)
        # What the zip declares is refused at once (a bomb that says what it is costs nothing); what it
        # does not declare honestly is caught while streaming, member by member.
        declared = sum(info.file_size for info in members)
        if declared > MAX_PACKAGE_BYTES:
            raise InputError(f"declares {declared // 2**20} MB when unzipped (the limit is "
                             f"{MAX_PACKAGE_BYTES // 2**20} MB in all); it may be a zip bomb: re-save it from Word "
                             "or split the article", path)
        total = 0
        for info in members:
            if info.is_dir():
                continue
            total += _check_member(archive, info, path, MAX_PACKAGE_BYTES - total)


def _check_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, room: int) -> int:
    is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
    own = MAX_XML_MEMBER_BYTES if is_xml else MAX_MEMBER_BYTES
    cap = min(own, room)
    own_limit = f"{own // 2**20} MB for one {'XML part' if is_xml else 'member'}"
    limit = own_limit if cap == own else f"{MAX_PACKAGE_BYTES // 2**20} MB in all"
    if info.file_size > own:
        raise InputError(f"member {info.filename} declares {info.file_size // 2**20} MB when unzipped (the limit is "
                         f"{own_limit}); it may be a zip bomb: re-save it from Word or split the article", path)
    checker = XmlLimits(f"{path} ({info.filename})") if is_xml else None
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > cap:
                    raise InputError(f"expands past the limit of {limit} when unzipped (member {info.filename}); "
                                     "it may be a zip bomb: re-save it from Word or split the article", path)
                if checker is not None:
                    checker.feed(chunk)
        if checker is not None:
            checker.close()
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError, OSError,
            ValueError) as exc:
        raise InputError(f"is not a valid .docx (member {info.filename} cannot be unzipped: {exc}); "
                         "re-save it from Word", path) from exc
    return size


class XmlLimits:
    """A streaming check of one XML document: well-formed, depth and text node size within limits."""

    def __init__(self, name: str):
        from lxml import etree

        self.name = name
        self.parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True,
                                          load_dtd=False, huge_tree=False)
        self.depth = 0
        self.seen = b""

    def feed(self, chunk: bytes) -> None:
        from lxml import etree

        # Entities are never expanded (no XXE, no billion laughs), so the text of one would be cut silently:
        # Word never writes a DOCTYPE, and one is refused. `seen` keeps a tail for a marker across chunks.
        self.seen = self.seen[-16:] + chunk
        if b"<!DOCTYPE" in self.seen:
            raise InputError("has a DOCTYPE (a DTD or entities), which Word never writes and which are not read; "
                             "re-save it from Word", self.name)
        self.seen = self.seen[-16:]
        try:
            self.parser.feed(chunk)
            self._drain()
        except etree.XMLSyntaxError as exc:
            raise xml_error(exc, self.name) from exc

    def close(self) -> None:
        from lxml import etree

        try:
            self.parser.close()
            self._drain()
        except etree.XMLSyntaxError as exc:
            raise xml_error(exc, self.name) from exc

    def _drain(self) -> None:
        for event, element in self.parser.read_events():
            if event == "start":
                self.depth += 1
                if self.depth > MAX_XML_DEPTH:
                    raise InputError(f"nests XML deeper than {MAX_XML_DEPTH} levels; it is not a normal Word file",
                                     self.name)
            else:
                self.depth -= 1
                if element.text is not None and len(element.text) > MAX_XML_TEXT:
                    raise InputError(f"has a text run over {MAX_XML_TEXT // 2**20} M characters; split the article",
                                     self.name)
                element.clear(keep_tail=True)  # keep memory flat: nothing is kept after its end tag
                while element.getprevious() is not None:
                    del element.getparent()[0]


def xml_error(exc: Exception, name: str) -> InputError:
    """One line for an XML parse failure: over the parser's own limits, or malformed."""
    if "XML_PARSE_HUGE" in str(exc) or "Excessive depth" in str(exc):
        return InputError("has XML over the size or nesting limits (a text run over 8 M characters, or nesting "
                          f"deeper than {MAX_XML_DEPTH}); split the article or re-save it from Word", name)
    return InputError(f"has malformed XML ({_first_line(exc)}); re-save it from Word", name)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
