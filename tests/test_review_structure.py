"""Structural edits in both layouts, with and without the run's data: each reported by row, never mixed
into another block, never stored in the TM as something it is not, nothing published twice."""

import copy
import json

import docx
import pytest
from docx.oxml.ns import qn
from test_review import STEM, _without_embedded_run

from translate.formats.docx.oxml import hidden_ids
from translate.memory.tm import TranslationMemory
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file
from translate.review.apply import import_review

ORPHAN, DELETED, MOVED, ADDED_AFTER, SOURCE_EDITED, REJECTED = 5, 8, 15, 20, 12, 21
ADDED = "A paragraph the editor added."
NEW_SOURCE = "编辑改写了这一段中文。"


@pytest.fixture(scope="module", params=["table", "interleaved"])
def written(request, tmp_path_factory, article_path):
    from engines import RuleEngine

    out = tmp_path_factory.mktemp(request.param)
    run_file(str(article_path), RunOptions(out_dir=str(out), quiet=True, layout=request.param,
                                           formats=("docx", "json")), load_engine=lambda: RuleEngine())
    blocks = json.loads((out / f"{STEM}.json").read_text(encoding="utf-8"))["blocks"]
    return request.param, out, blocks


def _units(document, layout):
    """Per block: (the element to move or delete as the block's row, its source paragraph, its translation)."""
    if layout == "table":
        rows = [r for r in document.tables[0].rows if hidden_ids(r.cells[0]._tc)]
        return [([r._tr], r.cells[0].paragraphs[0]._p, r.cells[1].paragraphs[0]._p) for r in rows]
    sources = [p._p for p in document.paragraphs if hidden_ids(p._p)]
    return [([s, s.getnext()], s, s.getnext()) for s in sources]


def _retype(p, text):
    texts = list(p.iter(qn("w:t")))
    texts[0].text = text
    for t in texts[1:]:
        t.text = ""


def _reject_repairs(p):
    for insertion in list(p.iter(qn("w:ins"))):
        insertion.getparent().remove(insertion)
    for deletion in list(p.iter(qn("w:del"))):
        for text in deletion.iter(qn("w:delText")):
            text.tag = qn("w:t")
        for child in list(deletion):
            deletion.addprevious(child)
        deletion.getparent().remove(deletion)


def _edit_structure(document, layout):
    units = _units(document, layout)
    elements, source, _ = units[ORPHAN]
    source.getparent().remove(source) if layout == "interleaved" else [source.remove(c) for c in list(source)
                                                                        if c.tag != qn("w:pPr")]
    for element in units[DELETED][0]:
        element.getparent().remove(element)
    anchor = units[MOVED + 1][0][-1]
    for element in reversed(units[MOVED][0]):
        anchor.addnext(element)
    translation = units[ADDED_AFTER][2]
    added = copy.deepcopy(translation)
    for node in list(added.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"))):
        node.getparent().remove(node)
    _retype(added, ADDED)
    if layout == "table":  # a row added under the block's row
        row = copy.deepcopy(units[ADDED_AFTER][0][0])
        row.findall(qn("w:tc"))[0].find(qn("w:p")).clear()
        cell = row.findall(qn("w:tc"))[1]
        cell.remove(cell.find(qn("w:p")))
        cell.append(added)
        units[ADDED_AFTER][0][0].addnext(row)
    else:
        translation.addnext(added)
    _retype(units[SOURCE_EDITED][1], NEW_SOURCE)
    _reject_repairs(units[REJECTED][1])


@pytest.mark.parametrize("run_data", [True, False])
def test_structural_edits_are_reported_and_never_mixed(written, tmp_path, run_data):
    layout, out, blocks = written
    document = docx.Document(str(out / f"{STEM}.bilingual.docx"))
    _edit_structure(document, layout)
    if not run_data:
        _without_embedded_run(document)
    (tmp_path / "mail").mkdir()
    edited = tmp_path / "mail" / ("edited.docx" if run_data else "article (edited).docx")
    document.save(str(edited))
    report = import_review(str(edited), str(tmp_path / "pub"))
    ids = [b["id"] for b in blocks]
    text = "\n".join(report["warnings"])

    assert report["orphans"] == [ids[ORPHAN]] and f"block {ids[ORPHAN]}'s source paragraph was deleted" in text
    if run_data:
        assert report["deleted"] == [ids[DELETED]] and f"block {ids[DELETED]} (after " in text
    else:  # the ids of deleted rows are unknown without the run: their places in it are not
        assert report["deleted"] == [f"block {DELETED + 1} of the run"] and "deleted by the editor" in text
    assert f"block {ids[MOVED]} was moved" in text and "added" in text
    assert report["conflicts"] == []
    assert [c["id"] for c in report["rejected_repairs"]] == [ids[REJECTED]]
    assert [c["id"] for c in report["source_edits"]] == [ids[SOURCE_EDITED]]
    assert report["stored"] == report["stored_edited"] + report["stored_unedited"]

    tm = TranslationMemory(tmp_path / "pub" / "tm.sqlite")
    assert tm.lookup(blocks[ORPHAN]["repaired"]) is None and tm.lookup(blocks[DELETED]["repaired"]) is None
    assert tm.lookup(blocks[ADDED_AFTER]["repaired"]) == blocks[ADDED_AFTER]["translation"]  # not glued on
    assert all(ADDED not in target for _, target, _ in tm.entries())
    assert tm.lookup(NEW_SOURCE) == blocks[SOURCE_EDITED]["translation"]
    assert tm.lookup(blocks[SOURCE_EDITED]["repaired"]) is None
    assert tm.lookup(blocks[REJECTED]["source"]) == blocks[REJECTED]["translation"]
    assert tm.lookup(blocks[REJECTED]["repaired"]) is None

    published = (tmp_path / "pub" / f"{STEM}.en.md").read_text(encoding="utf-8").split("\n\n")
    assert published.count(blocks[ORPHAN]["translation"]) == 1
    assert blocks[DELETED]["translation"] not in published
    assert published[published.index(blocks[ADDED_AFTER]["translation"]) + 1] == ADDED
    assert published.index(blocks[MOVED]["translation"]) > published.index(blocks[MOVED + 1]["translation"])
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "pub" / f"{STEM}.en.docx")).paragraphs]
    assert paragraphs[paragraphs.index(blocks[ADDED_AFTER]["translation"]) + 1] == ADDED
    assert paragraphs.count(blocks[ORPHAN]["translation"]) == 1


def test_an_import_never_replaces_publication_files_without_force(written, tmp_path):
    from click.testing import CliRunner

    from translate.cli import cli

    _, out, _ = written
    before = (out / f"{STEM}.en.docx").read_bytes() if (out / f"{STEM}.en.docx").exists() else None
    result = CliRunner().invoke(cli, ["review", "import", str(out / f"{STEM}.bilingual.docx"), "-o", str(out),
                                      "--tm", str(tmp_path / "tm.sqlite")])
    assert result.exit_code == 2 and "--force" in result.output and len(result.output.splitlines()) == 1
    assert not (tmp_path / "tm.sqlite").exists()  # refused before anything was stored
    if before is not None:
        assert (out / f"{STEM}.en.docx").read_bytes() == before


def test_quiet_import_prints_the_paths_written_but_not_the_summary(written, tmp_path):
    from click.testing import CliRunner

    from translate.cli import cli

    _, out, _ = written
    loud = CliRunner().invoke(cli, ["review", "import", str(out / f"{STEM}.bilingual.docx"), "-o", str(tmp_path / "a")])
    quiet = CliRunner().invoke(cli, ["review", "import", str(out / f"{STEM}.bilingual.docx"), "-o", str(tmp_path / "b"),
                                     "--quiet"])
    assert loud.exit_code == quiet.exit_code == 0
    assert "blocks changed" in loud.stdout and "blocks changed" not in quiet.stdout
    assert str(tmp_path / "b" / f"{STEM}.en.md") in quiet.stdout.splitlines()


def _crafted_table(document, rows, cell_xml):
    """A table appended to a review file, with `cell_xml` as the first cell of each row."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(f'<w:tr>{cell_xml}<w:tc><w:p/></w:tc></w:tr>' for _ in range(rows))
    table = parse_xml(f"<w:tbl {w}>{body}</w:tbl>")
    document.element.body.insert(0, table)


def test_a_huge_cell_span_is_refused_in_one_line(written, tmp_path):
    from click.testing import CliRunner

    from translate.cli import cli

    _, out, _ = written
    document = docx.Document(str(out / f"{STEM}.bilingual.docx"))
    _crafted_table(document, 1, '<w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr><w:p/></w:tc>')
    document.save(str(tmp_path / "span.docx"))
    result = CliRunner().invoke(cli, ["review", "import", str(tmp_path / "span.docx"), "-o", str(tmp_path / "p")])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1 and "spans 2000000000 columns" in result.output


def test_thousands_of_vertically_merged_rows_do_not_break_the_import(written, tmp_path):
    _, out, blocks = written
    document = docx.Document(str(out / f"{STEM}.bilingual.docx"))
    _crafted_table(document, 3000, '<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>')
    document.save(str(tmp_path / "merged.docx"))
    report = import_review(str(tmp_path / "merged.docx"), str(tmp_path / "p"))
    assert [r["id"] for r in report["blocks"]] == [b["id"] for b in blocks] and report["changed"] == 0


def test_published_files_keep_a_docx_layout_and_cms_closing_tags(tmp_path):
    from engines import RuleEngine

    article = docx.Document()
    article.sections[0].header.paragraphs[0].text = "页眉文字"
    article.add_paragraph().add_run("人工智能很重要。").bold = True
    table = article.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "第一格", "第二格"
    article.save(str(tmp_path / "a.docx"))
    (tmp_path / "c.md").write_text("<h1>人工智能很重要</h1>\n\n<p>过去一年。</p>\n", encoding="utf-8")
    for name in ("a.docx", "c.md"):
        run_file(str(tmp_path / name), RunOptions(out_dir=str(tmp_path / "out"), quiet=True, formats=("docx", "json")),
                 load_engine=lambda: RuleEngine())
        import_review(str(tmp_path / "out" / f"{name.split('.')[0]}.bilingual.docx"), str(tmp_path / "pub"))
    published = docx.Document(str(tmp_path / "pub" / "a.en.docx"))
    assert published.sections[0].header.paragraphs[0].text and len(published.tables) == 1
    assert published.paragraphs[0].runs[0].bold and "页眉" not in published.sections[0].header.paragraphs[0].text
    lines = (tmp_path / "pub" / "c.en.md").read_text(encoding="utf-8").split("\n\n")
    assert lines[0].startswith("<h1>") and lines[0].endswith("</h1>") and lines[1].endswith("</p>\n")


def test_a_long_list_of_held_back_blocks_says_how_many_it_does_not_show():
    from translate.review.edits import listed

    ids = [f"b{n:010d}" for n in range(7)]
    assert listed(ids[:5]) == ", ".join(ids[:5])
    line = listed(ids)
    assert line.startswith(", ".join(ids[:5])) and ids[5] not in line and "and 2 more" in line
