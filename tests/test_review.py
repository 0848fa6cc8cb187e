"""The editorial loop: run -> edit in Word -> review import -> run again."""

import copy
import json

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from translate.cli import cli
from translate.errors import ReviewError
from translate.formats.docx.oxml import hidden_ids
from translate.memory.tm import TranslationMemory
from translate.memory.tmx import export_tmx, import_tmx
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file
from translate.review.apply import import_review

STEM = "why-bat-did-not-build-deepseek.zh"


def track_replace(cell, new_text):
    """What Word writes with Track Changes on: old runs inside w:del, new text inside w:ins."""
    paragraph = cell.paragraphs[0]
    deletion = OxmlElement("w:del")
    deletion.set(qn("w:id"), "9001")
    deletion.set(qn("w:author"), "Editor")
    for run in list(paragraph._p.findall(qn("w:r"))):
        for t in run.findall(qn("w:t")):
            t.tag = qn("w:delText")
        deletion.append(run)
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "9002")
    insertion.set(qn("w:author"), "Editor")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = new_text
    run.append(text)
    insertion.append(run)
    paragraph._p.append(deletion)
    paragraph._p.append(insertion)


@pytest.fixture
def translated(tmp_path, article_path, rule_engine):
    options = RunOptions(out_dir=str(tmp_path / "out"), quiet=True)
    run_file(str(article_path), options, load_engine=lambda: rule_engine())
    return tmp_path / "out"


def ids_of_run(out):
    return [b["id"] for b in json.loads((out / f"{STEM}.json").read_text(encoding="utf-8"))["blocks"]]


def test_edit_import_and_rerun_reuses_the_editors_translations(translated, article_path, rule_engine, tmp_path):
    path = translated / f"{STEM}.bilingual.docx"
    document = docx.Document(str(path))
    rows = document.tables[0].rows
    rows[2].cells[1].paragraphs[0].text = "Overnight, DeepSeek stole the limelight from almost every Chinese model."
    track_replace(rows[3].cells[1], "Over the past year, Kimi broke out among consumers.")
    typo = rows[4].cells[1].paragraphs[0]
    fixed_typo = typo.text.replace("big", "large", 1) + " (checked)"
    typo.text = fixed_typo
    document.add_comment(rows[2].cells[1].paragraphs[0].runs, text="Check the tone here.", author="Editor")
    edited = tmp_path / "edited.docx"
    document.save(str(edited))

    report = import_review(str(edited), str(translated), force=True)
    changed = {r["id"]: r for r in report["blocks"] if r["changed"]}
    data = json.loads((translated / f"{STEM}.json").read_text(encoding="utf-8"))
    ids = [b["id"] for b in data["blocks"]]
    assert set(changed) == {ids[2], ids[3], ids[4]}
    assert changed[ids[3]]["tracked_changes"] == 2 and changed[ids[2]]["edit_distance"] > 10
    assert report["comments"] == [{"author": "Editor", "text": "Check the tone here.", "block": ids_of_run(translated)[2],
                                   "where": "row 3"}]
    assert 0 < report["effort"] < 1 and report["warnings"] == []
    published = (translated / f"{STEM}.en.md").read_text(encoding="utf-8")
    assert "Over the past year, Kimi broke out among consumers." in published

    engine = rule_engine()
    again = run_file(str(article_path), RunOptions(out_dir=str(translated), quiet=True, force=True),
                     load_engine=lambda: engine)
    blocks = again.document.blocks
    assert blocks[2].translation == "Overnight, DeepSeek stole the limelight from almost every Chinese model."
    assert blocks[3].translation == "Over the past year, Kimi broke out among consumers."
    assert blocks[4].translation == fixed_typo
    assert {b.origin for b in blocks[:41]} == {"tm"}  # every approved block came from the memory
    assert engine.calls == []


def test_a_docx_that_is_not_ours_is_refused(tmp_path):
    path = tmp_path / "other.docx"
    other = docx.Document()
    other.add_paragraph("hello")
    other.save(str(path))
    with pytest.raises(ReviewError, match="not a bilingual DOCX"):
        import_review(str(path), str(tmp_path))
    result = CliRunner().invoke(cli, ["review", "import", str(path), "-o", str(tmp_path)])
    assert result.exit_code == 2 and result.output.startswith("error: ") and len(result.output.splitlines()) == 1


def test_restructured_table_is_matched_with_warnings_never_silently(translated, tmp_path):
    document = docx.Document(str(translated / f"{STEM}.bilingual.docx"))
    table = document.tables[0]._tbl
    rows = table.findall(qn("w:tr"))
    table.remove(rows[5])  # a deleted row
    for bookmark in rows[6].iter(qn("w:bookmarkStart")):  # a row whose hidden id was lost
        bookmark.getparent().remove(bookmark)
    table.append(copy.deepcopy(rows[7]))  # a duplicated row
    edited = tmp_path / "restructured.docx"
    document.save(str(edited))
    report = import_review(str(edited), str(translated), force=True)
    text = " ".join(report["warnings"])
    assert "matched by its source text" in text and "appears twice" in text
    deleted = ids_of_run(translated)[5]
    assert report["deleted"] == [deleted] and f"block {deleted} (after row 5): deleted by the editor" in text
    assert len(report["blocks"]) == 40


def test_tmx_round_trip(tmp_path):
    tm = TranslationMemory(tmp_path / "a.sqlite")
    tm.add("人工智能会改变世界。", "AI will change the world.")
    tm.add("过去一年", "Over the past year")
    other = TranslationMemory(tmp_path / "b.sqlite")
    assert import_tmx(other, export_tmx(tm).encode("utf-8"), "x.tmx") == 2
    assert other.lookup("人工智能会改变世界。") == "AI will change the world."
    tmx = tmp_path / "m.tmx"
    tm.close()
    assert CliRunner().invoke(cli, ["tm", "export", "--tm", str(tmp_path / "a.sqlite"), "-o", str(tmx)]).exit_code == 0
    result = CliRunner().invoke(cli, ["tm", "import", str(tmx), "--tm", str(tmp_path / "c.sqlite")])
    assert result.exit_code == 0 and "imported 2" in result.output


def test_interleaved_layout_round_trips(tmp_path, article_path, rule_engine):
    options = RunOptions(out_dir=str(tmp_path / "out"), quiet=True, layout="interleaved", formats=("docx",))
    run_file(str(article_path), options, load_engine=lambda: rule_engine())
    path = tmp_path / "out" / f"{STEM}.bilingual.docx"
    document = docx.Document(str(path))
    sources = [i for i, p in enumerate(document.paragraphs) if hidden_ids(p._p)]
    document.paragraphs[sources[2] + 1].text = "An edited translation."
    document.save(str(tmp_path / "edited.docx"))
    report = import_review(str(tmp_path / "edited.docx"), str(tmp_path / "out"), force=True)
    assert report["changed"] == 1 and report["warnings"] == [] and len(report["blocks"]) == 41


def _edited_copy(document, tmp_path, name="edited.docx"):
    path = tmp_path / name
    document.save(str(path))
    return path


def test_swapped_ids_are_reported_and_not_stored(translated, tmp_path):
    document = docx.Document(str(translated / f"{STEM}.bilingual.docx"))
    rows = document.tables[0].rows
    first, second = (next(r.cells[0]._tc.iter(qn("w:bookmarkStart"))) for r in (rows[3], rows[4]))
    names = first.get(qn("w:name")), second.get(qn("w:name"))
    first.set(qn("w:name"), names[1])
    second.set(qn("w:name"), names[0])
    rows[3].cells[1].paragraphs[0].text = "An edit under a swapped id."
    report = import_review(str(_edited_copy(document, tmp_path)), str(translated), force=True)
    swapped = [hidden_ids(r.cells[0]._tc)[0] for r in (rows[4], rows[3])]
    assert report["conflicts"] == sorted(swapped)
    assert sum("ids swapped" in w for w in report["warnings"]) == 2
    assert swapped[0] not in {r["id"] for r in report["blocks"]} and len(report["blocks"]) == 39
    tm = TranslationMemory(translated / "tm.sqlite")
    assert tm.lookup(rows[3].cells[0].text) != "An edit under a swapped id."


def test_rows_without_ids_are_matched_by_source_with_a_warning_each(translated, tmp_path):
    document = docx.Document(str(translated / f"{STEM}.bilingual.docx"))
    for bookmark in list(document.element.body.iter(qn("w:bookmarkStart"))):
        bookmark.getparent().remove(bookmark)
    document.tables[0].rows[5].cells[1].paragraphs[0].text = "Edited without ids."
    report = import_review(str(_edited_copy(document, tmp_path)), str(translated), force=True)
    assert sum("matched by its source text" in w for w in report["warnings"]) == 41
    assert report["changed"] == 1 and len(report["blocks"]) == 41


def _without_embedded_run(document):
    from translate.formats.docx.oxml import BLOCKS_RELTYPE

    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == BLOCKS_RELTYPE:
            del document.part.rels[rel_id]


def test_no_ids_and_no_run_data_exits_2_with_one_line(translated, tmp_path):
    document = docx.Document(str(translated / f"{STEM}.bilingual.docx"))
    for bookmark in list(document.element.body.iter(qn("w:bookmarkStart"))):
        bookmark.getparent().remove(bookmark)
    _without_embedded_run(document)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    edited = _edited_copy(document, elsewhere)  # no STEM.json beside it, none in -o
    result = CliRunner().invoke(cli, ["review", "import", str(edited), "-o", str(tmp_path / "new-out")])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1
    assert "no block ids and no run data" in result.output and "--run" in result.output
    # With the run's JSON named, the same file is matched by source text.
    result = CliRunner().invoke(cli, ["review", "import", str(edited), "-o", str(tmp_path / "new-out"),
                                      "--run", str(translated / f"{STEM}.json")])
    assert result.exit_code == 0 and result.output.count("matched by its source text") == 41


def test_a_table_matching_no_block_exits_2(translated, tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "别的文章。", "Another article."
    result = CliRunner().invoke(cli, ["review", "import", str(_edited_copy(document, tmp_path)), "-o", str(translated),
                                      "--run", str(translated / f"{STEM}.json")])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1 and "nothing to import" in result.output


@pytest.fixture
def with_failures(tmp_path, article_path, rule_engine):
    """A run in which the engine looped on the two blocks mentioning 横空出世: repetition errors."""
    from translate.errors import RunFailed

    with pytest.raises(RunFailed):
        run_file(str(article_path), RunOptions(out_dir=str(tmp_path / "out"), quiet=True),
                 load_engine=lambda: rule_engine(loop_on="横空出世"))
    blocks = json.loads((tmp_path / "out" / f"{STEM}.json").read_text(encoding="utf-8"))["blocks"]
    failed = [i for i, b in enumerate(blocks) if any(f["severity"] == "error" for f in b["flags"])]
    assert len(failed) == 2
    return tmp_path / "out", blocks, failed


def test_unedited_failures_are_reported_not_approved(with_failures, tmp_path):
    out, blocks, failed = with_failures
    document = docx.Document(str(out / f"{STEM}.bilingual.docx"))
    rows = document.tables[0].rows
    rows[failed[0]].cells[1].paragraphs[0].text = "Fixed by the editor."
    report = import_review(str(_edited_copy(document, tmp_path)), str(out), force=True)
    untouched = [blocks[i]["id"] for i in failed[1:]]
    assert report["unreviewed_failures"] == untouched
    assert report["stored_edited"] == 1 and report["stored_unedited"] == 41 - len(failed)
    assert report["stored"] == 41 - len(untouched)
    tm = TranslationMemory(out / "tm.sqlite")
    assert tm.lookup(blocks[failed[0]]["repaired"]) == "Fixed by the editor."
    assert all(tm.lookup(blocks[i]["repaired"]) is None for i in failed[1:])
    assert tm.lookup(blocks[0]["repaired"]) == blocks[0]["translation"]  # unflagged and unedited: approved


def test_deleting_the_qa_comment_approves_a_flagged_translation(with_failures, tmp_path):
    out, blocks, failed = with_failures
    document = docx.Document(str(out / f"{STEM}.bilingual.docx"))
    cell = document.tables[0].rows[failed[1]].cells[1]._tc
    for tag in ("w:commentRangeStart", "w:commentRangeEnd", "w:commentReference"):
        for node in list(cell.iter(qn(tag))):
            (node.getparent().getparent() if tag == "w:commentReference" else node.getparent()).remove(
                node.getparent() if tag == "w:commentReference" else node)
    report = import_review(str(_edited_copy(document, tmp_path)), str(out), force=True)
    assert report["unreviewed_failures"] == [blocks[failed[0]]["id"]] and report["stored"] == 40


def test_enter_above_the_translation_and_extra_paragraphs_are_read_whole(translated, tmp_path):
    document = docx.Document(str(translated / f"{STEM}.bilingual.docx"))
    rows = document.tables[0].rows
    original = rows[6].cells[1].paragraphs[0].text
    rows[6].cells[1].paragraphs[0].insert_paragraph_before("")  # Enter pressed above the translation
    cell = rows[7].cells[1]
    cell.paragraphs[0].text = "First half of the edit."
    cell.add_paragraph("")
    cell.add_paragraph("Second half of the edit.")
    report = import_review(str(_edited_copy(document, tmp_path)), str(translated), force=True)
    changed = [r for r in report["blocks"] if r["changed"]]
    assert len(changed) == 1 and report["warnings"] == [f"row 8: the translation of block {changed[0]['id']} is now 2 "
                                                        "paragraphs (published as such)"]
    tm = TranslationMemory(translated / "tm.sqlite")
    data = json.loads((translated / f"{STEM}.json").read_text(encoding="utf-8"))["blocks"]
    assert tm.lookup(data[6]["repaired"]) == original
    assert tm.lookup(data[7]["repaired"]) == "First half of the edit.\n\nSecond half of the edit."
    published = (translated / f"{STEM}.en.md").read_text(encoding="utf-8")
    assert "\n\nFirst half of the edit.\n\nSecond half of the edit.\n\n" in published
    paragraphs = [p.text for p in docx.Document(str(translated / f"{STEM}.en.docx")).paragraphs]
    assert paragraphs[7:9] == ["First half of the edit.", "Second half of the edit."]


def test_interleaved_split_edit_and_enter_above_keep_every_paragraph(tmp_path, article_path, rule_engine):
    options = RunOptions(out_dir=str(tmp_path / "out"), quiet=True, layout="interleaved", formats=("docx", "json"))
    run_file(str(article_path), options, load_engine=lambda: rule_engine())
    document = docx.Document(str(tmp_path / "out" / f"{STEM}.bilingual.docx"))
    paragraphs = document.paragraphs
    sources = [i for i, p in enumerate(paragraphs) if hidden_ids(p._p)]
    translation = paragraphs[sources[3] + 1]
    translation.insert_paragraph_before("")  # Enter above the translation
    translation.text = "First half."
    paragraphs[sources[4]].insert_paragraph_before("Second half.")  # the edit split into two paragraphs
    report = import_review(str(_edited_copy(document, tmp_path)), str(tmp_path / "out"), force=True)
    assert report["changed"] == 1 and len(report["warnings"]) == 1 and "is now 2 paragraphs" in report["warnings"][0]
    blocks = json.loads((tmp_path / "out" / f"{STEM}.json").read_text(encoding="utf-8"))["blocks"]
    tm = TranslationMemory(tmp_path / "out" / "tm.sqlite")
    assert tm.lookup(blocks[3]["repaired"]) == "First half.\n\nSecond half."
    assert tm.lookup(blocks[4]["repaired"]) == blocks[4]["translation"]


def test_a_source_whose_bookmark_moved_to_an_empty_paragraph_above_keeps_its_id(tmp_path, article_path, rule_engine):
    options = RunOptions(out_dir=str(tmp_path / "out"), quiet=True, layout="interleaved", formats=("docx", "json"))
    run_file(str(article_path), options, load_engine=lambda: rule_engine())
    document = docx.Document(str(tmp_path / "out" / f"{STEM}.bilingual.docx"))
    paragraphs = document.paragraphs
    source = next(p for p in paragraphs if hidden_ids(p._p) and "DeepSeek" in p.text)
    above = source.insert_paragraph_before("")  # Enter at the start of the source: Word may move the bookmark up
    for node in source._p.xpath("./w:bookmarkStart | ./w:bookmarkEnd"):
        above._p.append(node)
    report = import_review(str(_edited_copy(document, tmp_path)), str(tmp_path / "out"), force=True)
    assert report["warnings"] == [] and report["changed"] == 0 and report["stored"] == 41


def test_tracked_moves_read_as_accepted():
    from docx.oxml import parse_xml

    from translate.formats.docx.oxml import accepted_text, original_text, tracked_change_count

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p = parse_xml(f'<w:p {w}><w:moveFrom w:id="1" w:author="E"><w:r><w:t>moved </w:t></w:r></w:moveFrom>'
                  f'<w:r><w:t>kept</w:t></w:r><w:moveTo w:id="2" w:author="E"><w:r><w:t> moved</w:t></w:r></w:moveTo>'
                  '</w:p>')
    assert accepted_text(p) == "kept moved" and original_text(p) == "moved kept" and tracked_change_count(p) == 2


def test_a_source_edited_slightly_is_kept_under_its_id_with_a_warning(translated, tmp_path):
    document = docx.Document(str(translated / f"{STEM}.bilingual.docx"))
    longest = max((t for row in document.tables[0].rows for t in row.cells[0]._tc.iter(qn("w:t"))),
                  key=lambda t: len(t.text or ""))
    longest.text = longest.text[:-2] + "。"  # the editor touched the Chinese
    report = import_review(str(_edited_copy(document, tmp_path)), str(translated), force=True)
    assert len(report["warnings"]) == 1 and "differs slightly" in report["warnings"][0]
    assert report["stored"] == 41 and report["conflicts"] == []


def test_a_deleted_paragraph_mark_joins_the_paragraphs():
    from docx.oxml import parse_xml

    from translate.formats.docx.review import _joined_text

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    cell = parse_xml(f'<w:tc {w}><w:p><w:pPr><w:rPr><w:del w:id="1" w:author="E"/></w:rPr></w:pPr>'
                     '<w:r><w:t>One sentence </w:t></w:r></w:p><w:p><w:r><w:t>continued.</w:t></w:r></w:p>'
                     '<w:p/><w:p><w:r><w:t>Another line.</w:t></w:r></w:p></w:tc>')
    assert _joined_text([cell]) == "One sentence continued.\n\nAnother line."


def test_an_editors_wrong_number_is_reported_by_qa_and_still_stored(translated, tmp_path):
    document = docx.Document(str(translated / f"{STEM}.bilingual.docx"))
    row = next(r for r in document.tables[0].rows if "2215万" in r.cells[0].text)
    row.cells[1].paragraphs[0].text = ("Twenty days after launch DeepSeek had 2.215 million daily active users, 41.6% of "
                                       "ChatGPT's, against 16.95 million for Doubao; ChatGPT took 244 days to pass 15 "
                                       "million and DeepSeek 18 days to pass 20 million.")
    report = import_review(str(_edited_copy(document, tmp_path)), str(translated), str(tmp_path / "tm.sqlite"), force=True)
    checked = next(r for r in report["blocks"] if r["changed"])
    numbers = [f for f in checked["qa"] if f["code"] == "number"]
    assert numbers and numbers[0]["severity"] == "error" and "2215万" in numbers[0]["message"]
    assert [e["id"] for e in report["qa_errors"]] == [checked["id"]]
    assert any("2215万" in e for e in report["qa_errors"][0]["errors"])
    assert checked["id"] not in report["unreviewed_failures"]  # the editor's decision still stands
    untouched = [r for r in report["blocks"] if not r["changed"]]
    assert untouched and all("qa" not in r for r in untouched)
