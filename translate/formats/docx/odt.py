"""An editor's review file saved as OpenDocument (.odt), Word 97-2003 (.doc) or RTF, turned back into DOCX by
LibreOffice for the import.

LibreOffice keeps our bookmarks through DOCX -> ODT/DOC/RTF -> DOCX (tests/test_review_editors.py), so
converting the editor's file with it loses nothing the import reads; reading those formats ourselves would be
more review readers to keep in step with the first. Without LibreOffice the editor is told, in one line, to
save as .docx.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ...errors import ReviewError
from ...readers.limits import check_zip_package

CONVERT_TIMEOUT = 180  # seconds; a first start of LibreOffice with a fresh profile takes 5-20 s
_SAVE_AS_DOCX = "open it in LibreOffice or WPS and save it as Word (.docx), then import that file"


def is_opendocument(path: Path, data: bytes) -> bool:
    return path.suffix.lower() in (".odt", ".ott", ".fodt") or data[30:73] == b"mimetypeapplication/vnd.oasis.opendocument"


def other_word_format(path: Path, data: bytes) -> str:
    """The suffix LibreOffice reads `data` by when it is not DOCX ('.odt', '.doc', '.rtf'), else ''."""
    if is_opendocument(path, data):
        return ".fodt" if path.suffix.lower() == ".fodt" else ".odt"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return ".doc"
    return ".rtf" if data.startswith(b"{\\rtf") else ""


_NAMES = {".odt": "an OpenDocument text", ".fodt": "a flat OpenDocument file (.fodt)",
          ".doc": "a Word 97-2003 document (.doc)", ".rtf": "an RTF document"}


def to_docx(data: bytes, path: str, kind: str) -> bytes:
    """The DOCX LibreOffice writes for `data` of format `kind` (`other_word_format`); one-line ReviewError
    where it cannot."""
    soffice = _find_soffice()
    name = _NAMES[kind]
    if kind == ".fodt" or soffice is None:
        raise ReviewError(f"is {name}{'' if soffice else ', and LibreOffice is not installed'}; {_SAVE_AS_DOCX}", path)
    if kind == ".odt":
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise ReviewError(f"is not a valid OpenDocument file (corrupt or truncated); {_SAVE_AS_DOCX}", path)
        check_zip_package(data, path)  # zip bombs and entity tricks are refused before LibreOffice parses anything
    with tempfile.TemporaryDirectory(prefix="translate-convert-") as folder:
        source = Path(folder) / f"review{kind}"
        source.write_bytes(data)
        # Its own profile and home: no clash with a LibreOffice the editor has open, nothing of ours in theirs,
        # and none of our environment (API keys) passed on.
        command = [soffice, f"-env:UserInstallation={(Path(folder) / 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "docx", "--outdir", folder, str(source)]
        environment = {"PATH": os.environ.get("PATH", ""), "HOME": folder, "LANG": "C.UTF-8"}
        try:
            subprocess.run(command, check=False, capture_output=True, timeout=CONVERT_TIMEOUT, env=environment)
        except (subprocess.TimeoutExpired, OSError) as exc:
            raise ReviewError(f"is {name} that LibreOffice did not convert; {_SAVE_AS_DOCX}", path) from exc
        converted = Path(folder) / "review.docx"
        if not converted.is_file():  # soffice exits 0 even when it could not convert
            raise ReviewError(f"is {name} that LibreOffice could not convert; {_SAVE_AS_DOCX}", path)
        return converted.read_bytes()


def _find_soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    mac = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")  # not on PATH after a macOS install
    return found or (str(mac) if mac.is_file() else None)
