"""Table surgery an editor does in Word or LibreOffice: Split Table, Merge Cells across rows (both columns, or
the translation column only), translations moved between rows, a row deleted with Track Changes on, and in
the interleaved layout a translation run into the next source. Each block's text stays its own or the import
refuses in one line; nothing is silently dropped or stored under another block."""

import copy
import json
import shutil

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from test_review import STEM, _without_embedded_run

from translate.cli import cli
from translate.formats.docx.oxml import block_marks, hidden_ids
from translate.memory.tm import TranslationMemory
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file
from translate.review.apply import import_review


@pytest.fixture(scope="module")
def runs(tmp_path_factory, article_path):
    from engines import RuleEngine

    written = {}
    for layout in ("table", "interleaved"):
        out = tmp_path_factory.mktemp(layout)
        run_file(str(article_path), RunOptions(out_dir=str(out), quiet=True, layout=layout,
                                               formats=("docx", "json")), load_engine=lambda: RuleEngine())
        written[layout] = out
    return written


def _fresh(runs, layout, tmp_path):
    """A copy of the run's folder, so that each test imports into its own."""
    out = tmp_path / "out"
    shutil.copytree(runs[layout], out)
    return out


def _block_rows(document):
    return [tr for tr in document.tables[0]._tbl.findall(qn("w:tr")) if hidden_ids(tr.findall(qn("w:tc"))[0])]


def _cells(tr):
    return tr.findall(qn("w:tc"))


def _retype(cell, text):
    """Type `text` over the cell's first paragraph, keeping its bookmarks (as typing over selected text does)."""
    p = cell.find(qn("w:p"))
    for run in p.findall(qn("w:r")):
        p.remove(run)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    anchor = p.find(qn("w:bookmarkStart"))
    anchor.addprevious(run) if anchor is not None else p.append(run)


def _edit_all(rows):
    for n, tr in enumerate(rows, start=1):
        _retype(_cells(tr)[1], f"Edited translation of row {n}.")


def _opened(runs, tmp_path, edit=True):
    """A copy of the table run's folder, its bilingual DOCX opened, its block rows (each translation edited)."""
    out = _fresh(runs, "table", tmp_path)
    document = docx.Document(str(out / f"{STEM}.bilingual.docx"))
    rows = _block_rows(document)
    if edit:
        _edit_all(rows)
    return out, document, rows


def _published(out, stem):
    return [p.strip() for p in (out / f"{stem}.en.md").read_text(encoding="utf-8").split("\n\n") if p.strip()]


def _save(document, folder, name, run_data=True):
    folder.mkdir(exist_ok=True)
    if not run_data:
        _without_embedded_run(document)
    path = folder / name
    document.save(str(path))
    return path


def _refused_in_one_line(edited, tmp_path, words, *options):
    """The import stops in one line (exit 2) saying `words`, and stores nothing."""
    result = CliRunner().invoke(cli, ["review", "import", str(edited), "-o", str(tmp_path / "published"), *options])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1, result.output
    assert all(word in result.output for word in words), result.output
    assert not (tmp_path / "published" / "tm.sqlite").exists()


@pytest.mark.parametrize("run_data", [True, False])
def test_a_split_table_is_read_whole(runs, tmp_path, run_data):
    out, document, rows = _opened(runs, tmp_path)
    table = document.tables[0]._tbl
    second = OxmlElement("w:tbl")  # Table > Split Table before row 20: a paragraph between two tables
    second.append(copy.deepcopy(table.find(qn("w:tblPr"))))
    second.append(copy.deepcopy(table.find(qn("w:tblGrid"))))
    for tr in rows[19:]:
        second.append(tr)
    gap = OxmlElement("w:p")
    table.addnext(gap)
    gap.addnext(second)
    edited = _save(document, tmp_path / "mail", "desk copy.docx", run_data)  # no STEM.json beside it
    report = import_review(str(edited), str(tmp_path / "published"))
    assert report["changed"] == len(rows) and report["deleted"] == []
    assert any("split into 2 tables" in w for w in report["warnings"])
    published = _published(tmp_path / "published", STEM)
    assert published[-1] == f"Edited translation of row {len(rows)}." and len(published) == len(rows)


@pytest.mark.parametrize("run_data", [True, False])
def test_rows_merged_in_both_columns_are_read_as_their_own_blocks(runs, tmp_path, run_data):
    out, document, rows = _opened(runs, tmp_path)
    ids = [hidden_ids(_cells(tr)[0])[0] for tr in rows]
    for upper, lower in zip(_cells(rows[4]), _cells(rows[5])):  # Merge Cells over rows 5 and 6, both columns
        for p in lower.findall(qn("w:p")):
            upper.append(p)
        lower.append(OxmlElement("w:p"))
        upper.find(qn("w:tcPr")).append(OxmlElement("w:vMerge", {qn("w:val"): "restart"}))
        lower.find(qn("w:tcPr")).append(OxmlElement("w:vMerge"))
    edited = _save(document, tmp_path / "mail", "merged.docx", run_data)
    report = import_review(str(edited), str(tmp_path / "published"))
    assert [r["id"] for r in report["blocks"]] == ids and report["changed"] == len(rows)
    assert any("2 blocks merged into one row" in w for w in report["warnings"])
    assert _published(tmp_path / "published", STEM)[4:6] == ["Edited translation of row 5.",
                                                             "Edited translation of row 6."]
    tm = TranslationMemory(tmp_path / "published" / "tm.sqlite")
    repaired = {b["id"]: b["repaired"] for b in json.loads((out / f"{STEM}.json").read_text("utf-8"))["blocks"]}
    assert tm.lookup(repaired[ids[5]]) == "Edited translation of row 6."


def test_merged_translation_column_goes_back_to_each_row(runs, tmp_path):
    out, document, rows = _opened(runs, tmp_path)
    upper, lower = _cells(rows[7])[1], _cells(rows[8])[1]
    for p in lower.findall(qn("w:p")):
        upper.append(p)
    lower.append(OxmlElement("w:p"))
    upper.find(qn("w:tcPr")).append(OxmlElement("w:vMerge", {qn("w:val"): "restart"}))  # as Word writes a merge
    lower.find(qn("w:tcPr")).append(OxmlElement("w:vMerge"))
    report = import_review(str(_save(document, tmp_path / "mail", "e.docx")), str(tmp_path / "published"))
    assert report["emptied"] == [] and report["changed"] == len(rows)
    assert _published(tmp_path / "published", STEM)[7:9] == ["Edited translation of row 8.",
                                                             "Edited translation of row 9."]


@pytest.mark.parametrize("run_data", [True, False])
def test_a_translation_cut_and_pasted_over_another_row_is_a_move_not_stored(runs, tmp_path, run_data):
    out, document, rows = _opened(runs, tmp_path)
    cut, over = _cells(rows[1])[1], _cells(rows[3])[1]
    for p in over.findall(qn("w:p")):
        over.remove(p)
    for p in cut.findall(qn("w:p")):
        over.append(p)
    cut.append(OxmlElement("w:p"))
    moved = hidden_ids(_cells(rows[1])[0])[0]
    report = import_review(str(_save(document, tmp_path / "mail", "e.docx", run_data)), str(tmp_path / "published"))
    assert any("translations moved between rows" in w for w in report["warnings"])
    assert _published(tmp_path / "published", STEM)[1].strip("*") == "Edited translation of row 2."
    tm = TranslationMemory(tmp_path / "published" / "tm.sqlite")
    assert "Edited translation of row 2." not in {t for _, t, _ in tm.entries()} and moved not in [
        r["id"] for r in report["blocks"] if r["changed"] and r["id"] not in report["emptied"]]


def test_merged_rows_whose_translations_cannot_be_told_apart_are_refused(runs, tmp_path):
    out, document, rows = _opened(runs, tmp_path, edit=False)
    upper, lower = _cells(rows[2]), _cells(rows[3])
    upper[0].append(copy.deepcopy(lower[0].find(qn("w:p"))))
    for node in list(upper[1].iter(qn("w:bookmarkStart"))):  # typed over: the translation marks are gone
        node.getparent().remove(node)
    _retype(upper[1], "One translation typed for both.")
    rows[3].getparent().remove(rows[3])
    _refused_in_one_line(_save(document, tmp_path / "mail", "e.docx"), tmp_path, ["merged into one row", "row 3"])


@pytest.mark.parametrize("run_data", [True, False])
def test_translations_swapped_between_rows_go_with_their_own_sources_and_are_not_stored(runs, tmp_path, run_data):
    out, document, rows = _opened(runs, tmp_path)
    a, b = _cells(rows[2])[1], _cells(rows[6])[1]
    pa, pb = a.findall(qn("w:p")), b.findall(qn("w:p"))
    for p in pa:
        b.append(p)
    for p in pb:
        a.append(p)
    ids = [hidden_ids(_cells(rows[n])[0])[0] for n in (2, 6)]
    edited = _save(document, tmp_path / "mail", "e.docx", run_data)
    report = import_review(str(edited), str(tmp_path / "published"),
                           run_path=str(out / f"{STEM}.json") if run_data else None)
    assert report["conflicts"] == sorted(ids)
    assert sum("translations moved between rows" in w for w in report["warnings"]) == 2
    published = _published(tmp_path / "published", STEM)  # each translation under the block its mark names
    assert published[2] == "Edited translation of row 3." and published[6] == "Edited translation of row 7."
    tm = TranslationMemory(tmp_path / "published" / "tm.sqlite")
    assert not {"Edited translation of row 3.", "Edited translation of row 7."} & {t for _, t, _ in tm.entries()}


@pytest.mark.parametrize("run_data", [True, False])
def test_a_row_deleted_with_track_changes_is_a_deleted_block(runs, tmp_path, run_data):
    out, document, rows = _opened(runs, tmp_path, edit=False)
    gone = hidden_ids(_cells(rows[3])[0])[0]
    properties = rows[3].find(qn("w:trPr"))
    if properties is None:
        properties = OxmlElement("w:trPr")
        rows[3].insert(0, properties)
    properties.append(OxmlElement("w:del", {qn("w:id"): "990", qn("w:author"): "Editor"}))
    for p in rows[3].iter(qn("w:p")):
        runs_ = p.findall(qn("w:r"))
        deletion = OxmlElement("w:del", {qn("w:id"): "991", qn("w:author"): "Editor"})
        runs_[0].addprevious(deletion) if runs_ else None
        for run in runs_:
            for t in run.findall(qn("w:t")):
                t.tag = qn("w:delText")
            deletion.append(run)
    edited = _save(document, tmp_path / "mail", "e.docx", run_data)
    report = import_review(str(edited), str(tmp_path / "published"))
    assert report["orphans"] == [] and len(report["deleted"]) == 1
    assert gone not in [r["id"] for r in report["blocks"]]
    assert len(_published(tmp_path / "published", STEM)) == len(rows) - 1


def test_a_translation_run_into_the_next_source_is_refused(runs, tmp_path):
    out = _fresh(runs, "interleaved", tmp_path)
    document = docx.Document(str(out / f"{STEM}.bilingual.docx"))
    sources = [p._p for p in document.paragraphs if hidden_ids(p._p)]
    translation, following = sources[3].getnext(), sources[4]  # Delete at the end of translation 4
    assert block_marks(translation, "target")
    for child in list(following):
        if child.tag != qn("w:pPr"):
            translation.append(child)
    following.getparent().remove(following)
    _refused_in_one_line(_save(document, tmp_path / "mail", "e.docx"), tmp_path,
                         ["a translation and the next block's source together"], "--run", str(out / f"{STEM}.json"))


def test_a_copied_row_without_run_data_counts_each_stored_pair_once(runs, tmp_path):
    out, document, rows = _opened(runs, tmp_path)
    rows[2].addnext(copy.deepcopy(rows[2]))
    report = import_review(str(_save(document, tmp_path / "mail", "e.docx", run_data=False)),
                           str(tmp_path / "published"))
    assert any("appears twice" in w for w in report["warnings"])
    tm = TranslationMemory(tmp_path / "published" / "tm.sqlite")
    assert report["stored"] == len(tm.entries()) == report["stored_edited"] + report["stored_unedited"]


def test_interleaved_a_translation_moved_below_another_pair_goes_back_to_its_source(runs, tmp_path):
    out = _fresh(runs, "interleaved", tmp_path)
    document = docx.Document(str(out / f"{STEM}.bilingual.docx"))
    sources = [p._p for p in document.paragraphs if hidden_ids(p._p)]
    for n, source in enumerate(sources):
        texts = list(source.getnext().iter(qn("w:t")))
        texts[0].text = f"Edited translation of block {n + 1}."
        for text in texts[1:]:
            text.text = ""
    moved = sources[3].getnext()
    sources[4].getnext().addnext(moved)  # cut below pair 5, with its mark
    report = import_review(str(_save(document, tmp_path / "mail", "e.docx")), str(tmp_path / "published"))
    assert report["emptied"] == [] and any("was found after" in w for w in report["warnings"])
    published = [p.strip("*") for p in _published(tmp_path / "published", STEM)]
    assert published[3:5] == ["Edited translation of block 4.", "Edited translation of block 5."]
