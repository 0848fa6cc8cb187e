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
from translate.memory import TranslationMemory, export_tmx, import_tmx
from translate.pipeline import RunOptions, run_file
from translate.review import import_review

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

    report = import_review(str(edited), str(translated))
    changed = {r["id"]: r for r in report["blocks"] if r["changed"]}
    data = json.loads((translated / f"{STEM}.json").read_text(encoding="utf-8"))
    ids = [b["id"] for b in data["blocks"]]
    assert set(changed) == {ids[2], ids[3], ids[4]}
    assert changed[ids[3]]["tracked_changes"] == 2 and changed[ids[2]]["edit_distance"] > 10
    assert report["comments"] == [{"author": "Editor", "text": "Check the tone here."}]
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
    report = import_review(str(edited), str(translated))
    text = " ".join(report["warnings"])
    assert "matched by its source text" in text and "appears twice" in text and "1 block(s) not found" in text
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
    sources = [i for i, p in enumerate(document.paragraphs) if p._p.xpath(".//w:bookmarkStart")]
    document.paragraphs[sources[2] + 1].text = "An edited translation."
    document.save(str(tmp_path / "edited.docx"))
    report = import_review(str(tmp_path / "edited.docx"), str(tmp_path / "out"))
    assert report["changed"] == 1 and report["warnings"] == [] and len(report["blocks"]) == 41
