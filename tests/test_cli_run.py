"""End to end: translate run on the example article with a real (tiny) model."""

import json
import subprocess
import sys

import docx
import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.formats.docx.oxml import accepted_text, hidden_ids, original_text

STEM = "why-bat-did-not-build-deepseek.zh"


@pytest.fixture(scope="module")
def run_outputs(tmp_path_factory, tiny_model, article_path):
    out = tmp_path_factory.mktemp("run")
    result = CliRunner().invoke(cli, ["run", str(article_path), "-o", str(out), "--model", str(tiny_model),
                                      "--beams", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def test_run_writes_all_five_files(run_outputs):
    names = sorted(p.name for p in run_outputs.iterdir() if not p.name.endswith("sqlite") and not p.name.startswith("."))
    assert names == sorted(f"{STEM}.{s}" for s in ("bilingual.docx", "bilingual.md", "en.docx", "en.md", "json"))


def test_bilingual_docx_has_one_row_per_block_in_order_with_source_as_received(run_outputs, article_path):
    lines = [line.strip() for line in article_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    document = docx.Document(str(run_outputs / f"{STEM}.bilingual.docx"))
    table = document.tables[0]
    assert len(table.rows) == 41 == len(lines)
    for row, line in zip(table.rows, lines):
        # Rejecting every tracked repair gives back the text exactly as received.
        assert original_text(row.cells[0]._tc) == line
    data = json.loads((run_outputs / f"{STEM}.json").read_text(encoding="utf-8"))
    assert [i for row in table.rows for i in hidden_ids(row.cells[0]._tc)] == [b["id"] for b in data["blocks"]]


def test_docx_shows_repairs_as_tracked_changes_and_styles_kinds(run_outputs):
    document = docx.Document(str(run_outputs / f"{STEM}.bilingual.docx"))
    first = document.tables[0].rows[0].cells[0]
    assert accepted_text(first._tc) == "(原标题:为什么BAT没能做出DeepSeek)"
    assert first._tc.xpath(".//w:del//w:delText")[0].text == "作念"
    styles = [row.cells[0].paragraphs[0].style.name for row in document.tables[0].rows]
    assert styles[0] == "Title" and styles[1] == "Subtitle"
    assert styles[12] == "Heading 2"  # 深耕已久
    assert "Caption" in styles
    fonts = first._tc.xpath(".//w:rFonts/@w:eastAsia")
    assert fonts and set(fonts) == {"SimSun"}


def test_json_records_kinds_signature_terms_and_repairs(run_outputs):
    data = json.loads((run_outputs / f"{STEM}.json").read_text(encoding="utf-8"))
    kinds = [b["kind"] for b in data["blocks"]]
    assert kinds[:2] == ["title", "byline"]
    assert kinds.count("heading") == 2 and kinds.count("caption") == 1 and kinds.count("quote") >= 1
    assert data["blocks"][12]["source"] == "深耕已久"
    assert data["signature"]["model"].endswith("marian") and data["signature"]["beams"] == 1
    terms = {t["source"]: t for t in data["terms"]}
    assert terms["日活"]["occurrences"] == 5
    assert terms["开源"]["occurrences"] == 4
    assert terms["A100"]["occurrences"] == 1
    assert data["spin"]["spun"] is True and len(data["repairs"]) > 150
    assert all({"id", "kind", "source", "repaired", "translation", "flags", "terms"} <= set(b) for b in data["blocks"])


def test_bilingual_markdown_lists_every_block_once_in_order(run_outputs):
    text = (run_outputs / f"{STEM}.bilingual.md").read_text(encoding="utf-8")
    data = json.loads((run_outputs / f"{STEM}.json").read_text(encoding="utf-8"))
    import re

    assert re.findall(r"<!-- block (\S+) ", text) == [b["id"] for b in data["blocks"]]
    for block in data["blocks"]:
        assert block["source"] in text


def test_no_repair_keeps_repairs_out_of_the_source_column(tmp_path, tiny_model, article_path):
    result = CliRunner().invoke(cli, ["run", str(article_path), "-o", str(tmp_path), "--model", str(tiny_model),
                                      "--beams", "1", "--quiet", "--no-repair", "--format", "docx"])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / f"{STEM}.bilingual.docx"))
    assert not document.element.body.xpath(".//w:del")
    assert document.tables[0].rows[0].cells[0].text == "(原标题:为什么BAT没能作念出DeepSeek)"
    assert not (tmp_path / f"{STEM}.json").exists()


def test_rerun_translates_nothing_and_needs_force(tmp_path, tiny_model, article_path):
    args = ["run", str(article_path), "-o", str(tmp_path), "--model", str(tiny_model), "--beams", "1", "--quiet"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 2 and "--force" in refused.output
    again = CliRunner().invoke(cli, args + ["--force", "--format", "json"])
    assert again.exit_code == 0
    summary = json.loads((tmp_path / f"{STEM}.json").read_text(encoding="utf-8"))["summary"]
    assert summary["translated_segments"] == 0 and summary["cached_segments"] > 0


def test_interleaved_layout_puts_translation_under_each_source(tmp_path, tiny_model, article_path):
    result = CliRunner().invoke(cli, ["run", str(article_path), "-o", str(tmp_path), "--model", str(tiny_model),
                                      "--beams", "1", "--quiet", "--layout", "interleaved", "--format", "docx"])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / f"{STEM}.bilingual.docx"))
    assert not document.tables
    sources = [p for p in document.paragraphs if hidden_ids(p._p)]
    assert len(sources) == 41


def test_transformers_engine_runs_the_whole_path(tmp_path, tiny_model, article_path):
    result = CliRunner().invoke(cli, ["run", str(article_path), "-o", str(tmp_path), "--model", str(tiny_model),
                                      "--beams", "2", "--engine", "transformers", "--quiet", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / f"{STEM}.json").read_text(encoding="utf-8"))
    assert all(b["translation"] for b in data["blocks"])


def test_subprocess_run_and_help_do_not_import_torch(tmp_path, tiny_model, article_path):
    code = "import sys, translate.cli; sys.exit(1 if {'torch', 'transformers', 'ctranslate2'} & set(sys.modules) else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
    done = subprocess.run([sys.executable, "-m", "translate", "run", str(article_path), "-o", str(tmp_path),
                           "--model", str(tiny_model), "--beams", "1", "--format", "md"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"{STEM}.bilingual.md" in done.stdout


def test_missing_model_offline_says_how_to_get_it(tmp_path, article_path):
    result = CliRunner().invoke(cli, ["run", str(article_path), "-o", str(tmp_path), "--model", "Nobody/no-such-model"])
    assert result.exit_code == 2
    assert "translate model pull Nobody/no-such-model" in result.output
    assert "Traceback" not in result.output


def test_an_article_named_twice_runs_once(tmp_path, tiny_model, monkeypatch):
    article = tmp_path / "s.txt"
    article.write_text("标题\n公司发布新模型。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["run", "s.txt", "./s.txt", str(article), "-o", "out", "--model", str(tiny_model),
                                      "--beams", "1", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert "named twice; it runs once" in result.output and result.stdout.count("s.json") == 1
