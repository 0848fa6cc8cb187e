"""Bilingual DOCX files as Word leaves them: what an editor types, deletes and converts, simulated by editing
the WordprocessingML (Word itself is not available to the tests), each imported with and without run data."""

import json
import re
import zipfile

import pytest
from lxml import etree
from test_review_cat_tools import ARTICLE, ZENG_SOURCE, published, review_import

from translate.memory.tm import TranslationMemory
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'


@pytest.fixture
def word_run(tmp_path, rule_engine):
    source = tmp_path / "art.zh.md"
    source.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    run_file(str(source), RunOptions(out_dir=str(out), formats=("json", "docx", "md"), quiet=True, use_cache=False,
                                     force=True), load_engine=lambda: rule_engine())
    blocks = json.loads((out / "art.zh.json").read_text(encoding="utf-8"))["blocks"]
    return out, {b["source"]: b for b in blocks}


def edit_docx(out, tmp_path, edit, run_data: bool):
    """A copy of the run's bilingual DOCX with `edit(root)` applied to its body; without run data it is also
    renamed into a folder of its own and loses the embedded JSON (as LibreOffice drops it)."""
    original = out / "art.zh.bilingual.docx"
    folder = tmp_path / ("with-run" if run_data else "alone")
    folder.mkdir()
    edited = folder / ("art.zh.bilingual.docx" if run_data else "edited copy.docx")
    with zipfile.ZipFile(original) as zin, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                edit(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif not run_data and item.filename == "customXml/translate-blocks.json":
                continue
            elif not run_data and item.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb"<Relationship [^>]*translate-blocks[^>]*/>", b"", data)
            zout.writestr(item, data)
    if run_data:
        (folder / "art.zh.json").write_bytes((out / "art.zh.json").read_bytes())
    return edited


def translation_paragraph(root, block_id):
    mark = next(b for b in root.iter(f"{{{W}}}bookmarkStart") if b.get(f"{{{W}}}name").startswith(f"_tt_{block_id}"))
    return mark.getparent()


def retype(root, block_id, runs_xml):
    """The block's translation replaced by `runs_xml` (WordprocessingML run-level content), its marks kept."""
    p = translation_paragraph(root, block_id)
    for child in list(p):
        if etree.QName(child).localname not in ("pPr", "bookmarkStart", "bookmarkEnd"):
            p.remove(child)
    for child in etree.fromstring(f"<w:x {NS}>{runs_xml}</w:x>"):
        p.insert(len(p) - 2, child)  # before the translation's own mark, which ends the paragraph


@pytest.mark.parametrize("run_data", [True, False])
def test_typed_no_break_and_soft_hyphens_and_symbols_are_stored_as_the_text_shows(tmp_path, word_run, run_data):
    out, blocks = word_run
    typed = ('<w:r><w:t xml:space="preserve">Zeng said the well</w:t><w:noBreakHyphen/><w:t>known bat</w:t>'
             '<w:softHyphen/><w:t xml:space="preserve">tery ships in 2025 at 5</w:t><w:sym w:font="Times New Roman" '
             'w:char="00B0"/><w:t xml:space="preserve">C, mass pro\u00adduction.</w:t></w:r>')
    edited = edit_docx(out, tmp_path, lambda root: retype(root, blocks[ZENG_SOURCE]["id"], typed), run_data)
    result, report = review_import(edited, tmp_path / "pub")
    assert result.exit_code == 0, result.output
    expected = "Zeng said the well-known battery ships in 2025 at 5°C, mass production."
    assert TranslationMemory(tmp_path / "pub" / "tm.sqlite").lookup(ZENG_SOURCE) == expected
    assert expected in published(tmp_path / "pub")


@pytest.mark.parametrize("tracked", [True, False])
@pytest.mark.parametrize("run_data", [True, False])
def test_a_translation_deleted_whole_is_reported_and_neither_stored_nor_published(tmp_path, word_run, run_data,
                                                                                  tracked):
    out, blocks = word_run
    machine = blocks[ZENG_SOURCE]["translation"]
    deletion = (f'<w:del w:id="901" w:author="Editor"><w:r><w:delText>{machine}</w:delText></w:r></w:del>'
                if tracked else "")
    edited = edit_docx(out, tmp_path, lambda root: retype(root, blocks[ZENG_SOURCE]["id"], deletion), run_data)
    result, report = review_import(edited, tmp_path / "pub")
    assert result.exit_code == 0, result.output
    assert report["emptied"] == [blocks[ZENG_SOURCE]["id"]]
    assert any("was deleted (its source kept)" in w for w in report["warnings"])
    assert TranslationMemory(tmp_path / "pub" / "tm.sqlite").lookup(ZENG_SOURCE) is None
    assert machine.strip() not in published(tmp_path / "pub")


def _table_to_text(root):
    """Word's Table > Convert to Text, tabs between cells: each row one paragraph, the cells' content joined."""
    for table in list(root.iter(f"{{{W}}}tbl")):
        for tr in table.iterchildren(f"{{{W}}}tr"):
            p = etree.SubElement(root.find(f"{{{W}}}body"), f"{{{W}}}p")
            for n, tc in enumerate(tr.iterchildren(f"{{{W}}}tc")):
                if n:
                    etree.SubElement(etree.SubElement(p, f"{{{W}}}r"), f"{{{W}}}tab")
                for cell_p in tc.iterchildren(f"{{{W}}}p"):
                    p.extend(c for c in list(cell_p) if etree.QName(c).localname != "pPr")
            table.addprevious(p)
        table.getparent().remove(table)


@pytest.mark.parametrize("run_data", [True, False])
def test_a_table_converted_to_text_is_refused_in_one_line(tmp_path, word_run, run_data):
    out, _ = word_run
    edited = edit_docx(out, tmp_path, _table_to_text, run_data)
    result, report = review_import(edited, tmp_path / "pub")
    assert result.exit_code == 2
    line = result.output.strip()
    assert "\n" not in line and str(edited) in line and "converted to text" in line
    assert not (tmp_path / "pub" / "tm.sqlite").exists()


def _wrap(element, *tags):
    """`element` moved inside nested wrappers (`tags`, outermost first), where it stood."""
    outer = inner = etree.Element(f"{{{W}}}{tags[0]}")
    for tag in tags[1:]:
        inner = etree.SubElement(inner, f"{{{W}}}{tag}")
    element.addprevious(outer)
    inner.append(element)


@pytest.mark.parametrize("run_data", [True, False])
def test_rows_and_cells_inside_content_controls_are_read_not_taken_for_deleted(tmp_path, word_run, run_data):
    """Word wraps repeating sections in w:sdt and custom XML in w:customXml, around rows or single cells."""
    out, blocks = word_run

    def edit(root):
        rows = list(root.iter(f"{{{W}}}tr"))
        retype(root, blocks[ZENG_SOURCE]["id"], '<w:r><w:t>Zeng said: 2025.</w:t></w:r>')
        zeng_row = translation_paragraph(root, blocks[ZENG_SOURCE]["id"]).getparent().getparent()
        _wrap(list(zeng_row.iterchildren(f"{{{W}}}tc"))[1], "sdt", "sdtContent")
        _wrap(zeng_row, "sdt", "sdtContent")
        _wrap(rows[-1], "customXml")

    edited = edit_docx(out, tmp_path, edit, run_data)
    result, report = review_import(edited, tmp_path / "pub")
    assert result.exit_code == 0, result.output
    assert not report["deleted"] and report["stored_edited"] == 1
    assert TranslationMemory(tmp_path / "pub" / "tm.sqlite").lookup(ZENG_SOURCE) == "Zeng said: 2025."
    text = published(tmp_path / "pub")
    assert all(b["translation"].strip() in text for s, b in blocks.items() if s != ZENG_SOURCE)
