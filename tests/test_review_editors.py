"""Review files through real editors with no run data at hand: LibreOffice DOCX -> DOCX, and DOCX -> ODT ->
DOCX (which decorates bookmark names "_Copy_1"), each renamed into another folder without STEM.json.

The DOCX's bookmarks carry fingerprints of each block's machine translation and repaired source, so the
import tells edited rows from untouched ones by itself. Needs `soffice` (libreoffice-writer-nogui); skipped
only where it is missing.
"""

import json
import shutil
import subprocess

import docx
import pytest
from click.testing import CliRunner
from test_review import STEM

from translate.cli import cli
from translate.formats.docx.oxml import hidden_ids
from translate.memory.tm import TranslationMemory
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file
from translate.review.apply import import_review

ROUTES = {"libreoffice-docx": "lo", "odt-then-docx": "back"}


@pytest.fixture(scope="session")
def editor_copies(tmp_path_factory, article_path):
    """Both layouts written by a run, re-saved by LibreOffice as DOCX, and saved as ODT and back as DOCX."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    from engines import RuleEngine

    base = tmp_path_factory.mktemp("editors")
    originals = []
    for layout in ("table", "interleaved"):
        run_file(str(article_path), RunOptions(out_dir=str(base / layout), quiet=True, layout=layout),
                 load_engine=lambda: RuleEngine())
        originals.append(str(shutil.copy(base / layout / f"{STEM}.bilingual.docx", base / f"{layout}.docx")))
    profile = f"-env:UserInstallation=file://{base}/profile"

    def convert(fmt, folder, files):
        subprocess.run([soffice, profile, "--headless", "--convert-to", fmt, "--outdir", str(base / folder), *files],
                       check=True, capture_output=True, timeout=300)

    convert("docx", "lo", originals)
    convert("odt", "odt", originals)
    convert("docx", "back", [str(base / "odt" / f"{layout}.odt") for layout in ("table", "interleaved")])
    return base


def _translation_paragraphs(document, layout):
    """Each block's (first) translation paragraph, in order."""
    if layout == "table":
        return [row.cells[1].paragraphs[0] for row in document.tables[0].rows if hidden_ids(row.cells[0]._tc)]
    paragraphs = document.paragraphs
    return [paragraphs[i + 1] for i, p in enumerate(paragraphs) if hidden_ids(p._p)]


def _retype(paragraph, text):
    """What an editor typing over a translation leaves: the first run holds the text, the others are emptied."""
    runs = paragraph.runs
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def _starts_with_repair(blocks):
    return next(n for n, b in enumerate(blocks) if b["repairs"] and b["repairs"][0]["offset"] == 0 and n > 0)


@pytest.mark.parametrize("layout", ["table", "interleaved"])
@pytest.mark.parametrize("route", list(ROUTES))
def test_renamed_editor_copy_without_run_data_stores_both_edits(editor_copies, article_path, tmp_path, route, layout,
                                                               rule_engine):
    blocks = json.loads((editor_copies / layout / f"{STEM}.json").read_text(encoding="utf-8"))["blocks"]
    document = docx.Document(str(editor_copies / ROUTES[route] / f"{layout}.docx"))
    translations = _translation_paragraphs(document, layout)
    assert len(translations) == len(blocks)
    repaired_row, plain_row = _starts_with_repair(blocks), 2
    _retype(translations[repaired_row], "An editor's sentence for a repaired source.")
    _retype(translations[plain_row], "Overnight, DeepSeek stole the limelight.")
    mail = tmp_path / "mail"
    mail.mkdir()
    edited = mail / "article.bilingual (edited ZH).docx"
    document.save(str(edited))
    publish = tmp_path / "publish"

    report = import_review(str(edited), str(publish))

    assert report["run_data"] == "the DOCX itself" and report["conflicts"] == []
    assert [r["id"] for r in report["blocks"]] == [b["id"] for b in blocks]
    assert sorted(r["id"] for r in report["blocks"] if r["changed"]) == sorted(
        blocks[n]["id"] for n in (repaired_row, plain_row))
    assert report["stored_edited"] == 2 and report["stored"] == report["stored_edited"] + report["stored_unedited"]
    assert report["effort"] is None  # untracked edits without run data: not measured, never reported as 0%
    again = run_file(str(article_path), RunOptions(out_dir=str(tmp_path / "again"), quiet=True,
                                                   tm_path=str(publish / "tm.sqlite")),
                     load_engine=lambda: rule_engine()).document.blocks
    assert again[repaired_row].translation == "An editor's sentence for a repaired source."
    assert again[plain_row].translation == "Overnight, DeepSeek stole the limelight."
    assert all(b.origin == "tm" for b in again if b.kind.translatable)


def test_an_untouched_editor_copy_stores_nothing_as_edited(editor_copies, tmp_path):
    edited = shutil.copy(editor_copies / "back" / "table.docx", tmp_path / "returned.docx")
    report = import_review(str(edited), str(tmp_path / "publish"))
    assert report["changed"] == 0 and report["stored_edited"] == 0 and report["conflicts"] == []
    tm = TranslationMemory(tmp_path / "publish" / "tm.sqlite")
    assert {origin for _, _, origin in tm.entries()} == {"approved"}


def test_a_file_without_fingerprints_or_run_data_is_refused_with_one_line(editor_copies, tmp_path):
    """An older review file (ids but no fingerprints), renamed, no STEM.json: edits cannot be told apart."""
    document = docx.Document(str(editor_copies / "lo" / "table.docx"))
    for bookmark in document.element.body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
                                               "bookmarkStart"):
        name = bookmark.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name")
        bookmark.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name", name.split("_m")[0])
    document.save(str(tmp_path / "old.docx"))
    result = CliRunner().invoke(cli, ["review", "import", str(tmp_path / "old.docx"), "-o", str(tmp_path / "pub")])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1 and "--run STEM.json" in result.output
    assert not (tmp_path / "pub" / "tm.sqlite").exists()


@pytest.mark.parametrize("saved_as", ["odt", "doc", "rtf"])
def test_an_editor_copy_saved_in_another_format_is_imported_with_both_edits(editor_copies, tmp_path, saved_as):
    """The editor edits the review file and saves it as .odt (LibreOffice's and WPS's own format), Word 97-2003
    .doc or RTF, renamed, with no run data: the import converts it back through LibreOffice and stores both
    edits."""
    blocks = json.loads((editor_copies / "table" / f"{STEM}.json").read_text(encoding="utf-8"))["blocks"]
    document = docx.Document(str(editor_copies / "back" / "table.docx"))
    translations = _translation_paragraphs(document, "table")
    _retype(translations[2], "Overnight, DeepSeek stole the limelight.")
    _retype(translations[5], "A second sentence the editor wrote.")
    document.save(str(tmp_path / "edited.docx"))
    subprocess.run([shutil.which("soffice") or shutil.which("libreoffice"),
                    f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", saved_as,
                    "--outdir", str(tmp_path / "mail"), str(tmp_path / "edited.docx")],
                   check=True, capture_output=True, timeout=300)
    returned = (tmp_path / "mail" / f"edited.{saved_as}").rename(tmp_path / "mail" / f"DeepSeek (desk edit).{saved_as}")

    report = import_review(str(returned), str(tmp_path / "pub"))

    assert report["run_data"] == "the DOCX itself" and report["conflicts"] == []
    assert sorted(r["id"] for r in report["blocks"] if r["changed"]) == sorted(blocks[n]["id"] for n in (2, 5))
    assert report["stored_edited"] == 2 and [r["id"] for r in report["blocks"]] == [b["id"] for b in blocks]
    published = next((tmp_path / "pub").glob("*.en.md")).read_text(encoding="utf-8")
    assert "Overnight, DeepSeek stole the limelight." in published and "A second sentence the editor wrote." in published


def test_an_odt_without_libreoffice_or_a_flat_odt_is_refused_with_one_line(editor_copies, tmp_path, monkeypatch):
    flat = tmp_path / "review.fodt"
    flat.write_text("<?xml version='1.0'?><office:document/>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["review", "import", str(flat), "-o", str(tmp_path / "pub")])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1 and "save it as Word (.docx)" in result.output
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    result = CliRunner().invoke(cli, ["review", "import", str(editor_copies / "odt" / "table.odt"),
                                      "-o", str(tmp_path / "pub")])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1
    assert "LibreOffice is not installed" in result.output and "save it as Word (.docx)" in result.output
    assert not (tmp_path / "pub").exists()


def test_a_style_libreoffice_renamed_still_names_the_blocks_kind():
    from lxml import etree

    from translate.formats.docx.review import _style_name

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for value, name in (("Caption1", "Caption"), ("caption", "Caption"), ("Heading2", "Heading 2"), ("Title", "Title"),
                        ("Subtitle", "Subtitle"), ("MyStyle", "MyStyle")):
        p = etree.fromstring(f'<w:p xmlns:w="{w}"><w:pPr><w:pStyle w:val="{value}"/></w:pPr></w:p>')
        assert _style_name(p) == name
