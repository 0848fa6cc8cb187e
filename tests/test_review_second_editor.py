"""What real editors' copies do to the memory and the report: a second editor's copy of the same file, a source
pasted over a translation, Accept All Changes on the repairs, ruler tab stops, marks forged into other rows."""

import json
import shutil

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from test_review import STEM, _without_embedded_run
from test_review_merged_rows import _block_rows, _cells, _retype

from translate.formats.docx.oxml import hidden_ids
from translate.memory.tm import TranslationMemory
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file
from translate.review.apply import import_review


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory, article_path):
    from engines import RuleEngine

    out = tmp_path_factory.mktemp("run")
    run_file(str(article_path), RunOptions(out_dir=str(out), quiet=True, formats=("docx", "json")),
             load_engine=lambda: RuleEngine())
    return out


def _copy(run_folder, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(run_folder, out)
    return out, docx.Document(str(out / f"{STEM}.bilingual.docx"))


def _repaired(out):
    return {b["id"]: b["repaired"] for b in json.loads((out / f"{STEM}.json").read_text("utf-8"))["blocks"]}


def _import(document, tmp_path, name, run_data=True, **options):
    folder = tmp_path / name
    folder.mkdir()
    if not run_data:
        _without_embedded_run(document)
    document.save(str(folder / "copy.docx"))
    return import_review(str(folder / "copy.docx"), str(tmp_path / "published"), tm_path=str(tmp_path / "tm.sqlite"),
                         force=True, **options)


def test_a_second_editors_untouched_row_never_replaces_the_first_editors_review(run_folder, tmp_path):
    out, first = _copy(run_folder, tmp_path)
    second = docx.Document(str(out / f"{STEM}.bilingual.docx"))  # both editors start from the same file
    row = _block_rows(first)[4]
    block_id = hidden_ids(_cells(row)[0])[0]
    _retype(_cells(row)[1], "The first editor's translation.")
    _import(first, tmp_path, "a")
    _retype(_cells(_block_rows(second)[6])[1], "The second editor edited another row.")
    report = _import(second, tmp_path, "b")
    source = _repaired(out)[block_id]
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    assert tm.entry(source)[:2] == ("The first editor's translation.", "review")
    assert report["kept_reviewed"] == [block_id] and any("that one is kept" in w for w in report["warnings"])
    third = docx.Document(str(out / f"{STEM}.bilingual.docx"))
    _retype(_cells(_block_rows(third)[4])[1], "A third editor's own edit.")
    report = _import(third, tmp_path, "c")  # an edit wins, and says whose review it replaces
    assert TranslationMemory(tmp_path / "tm.sqlite").entry(source)[0] == "A third editor's own edit."
    assert any("replaces another reviewed translation" in w for w in report["warnings"])


def test_a_source_pasted_over_its_translation_is_published_but_never_stored(run_folder, tmp_path):
    out, document = _copy(run_folder, tmp_path)
    row = _block_rows(document)[5]
    block_id = hidden_ids(_cells(row)[0])[0]
    _retype(_cells(row)[1], _repaired(out)[block_id])
    report = _import(document, tmp_path, "a")
    assert report["chinese"] == [block_id]
    assert TranslationMemory(tmp_path / "tm.sqlite").lookup(_repaired(out)[block_id]) is None


def test_accepted_repairs_and_ruler_tab_stops_change_no_source(run_folder, tmp_path):
    out, document = _copy(run_folder, tmp_path)
    for row in _block_rows(document):
        cell = _cells(row)[0]
        for deletion in list(cell.iter(qn("w:del"))):  # Accept All Changes on the source repairs
            deletion.getparent().remove(deletion)
        for insertion in list(cell.iter(qn("w:ins"))):
            for child in list(insertion):
                insertion.addprevious(child)
            insertion.getparent().remove(insertion)
        for p in cell.iter(qn("w:p")):  # a tab stop on the ruler, as LibreOffice's RTF round trip writes
            properties = p.find(qn("w:pPr"))
            if properties is None:
                properties = OxmlElement("w:pPr")
                p.insert(0, properties)
            tabs = OxmlElement("w:tabs")
            tabs.append(OxmlElement("w:tab", {qn("w:val"): "clear", qn("w:pos"): "720"}))
            properties.append(tabs)
    _retype(_cells(_block_rows(document)[3])[1], "An edit.")
    report = _import(document, tmp_path, "a", run_data=False)
    assert not [w for w in report["warnings"] if "source edited" in w or "differs" in w], report["warnings"]
    assert not any(source.startswith("\t") for source, _, _ in TranslationMemory(tmp_path / "tm.sqlite").entries())


@pytest.mark.parametrize("run_data", [True, False])
def test_a_mark_forged_into_another_row_costs_no_row(run_folder, tmp_path, run_data):
    out, document = _copy(run_folder, tmp_path)
    rows = _block_rows(document)
    genuine = hidden_ids(_cells(rows[4])[0])[0]
    mark = next(_cells(rows[3])[0].iter(qn("w:bookmarkStart")))
    mark.set(qn("w:name"), next(_cells(rows[4])[0].iter(qn("w:bookmarkStart"))).get(qn("w:name")))
    for n, row in enumerate(rows):
        _retype(_cells(row)[1], f"Row {n + 1} edited.")
    report = _import(document, tmp_path, "a", run_data=run_data)
    published = (tmp_path / "published" / f"{STEM}.en.md").read_text(encoding="utf-8")
    assert all(f"Row {n + 1} edited." in published for n in range(len(rows)))
    assert report["deleted"] == [] and genuine in [r["id"] for r in report["blocks"]]
    assert any("carries the id of block" in w for w in report["warnings"])
