"""Glossary CSVs edited as their editor saved them: only the changed row's bytes change."""

import os
import stat

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.errors import GlossaryError
from translate.glossary.model import add_entry, load_glossaries, parse_csv, remove_entry, to_csv
from translate.glossary.tbx import read_entries


def write_bytes(tmp_path, data: bytes, name="g.csv", mode=0o644):
    path = tmp_path / name
    path.write_bytes(data)
    os.chmod(path, mode)
    return str(path)


def test_add_to_reordered_crlf_bom_file_keeps_every_other_byte(tmp_path):
    original = ("\ufefftarget,source,context,kind,note\r\n"
                "Doubao,豆包,consumer apps,name,\"ByteDance's chatbot, launched 2023\"\r\n"
                "DAU,日活,,term,\"two\nlines\"\r\n").encode("utf-8")
    path = write_bytes(tmp_path, original, mode=0o640)
    assert add_entry(path, "月之暗面", "Moonshot AI", "name", 'says "hi", twice\nand more') == "added"
    data = open(path, "rb").read()
    assert data.startswith(original), "rows before the new one must be byte-identical"
    assert data.endswith(b"\r\n") and stat.S_IMODE(os.stat(path).st_mode) == 0o640
    entries = {e.key: e for e in load_glossaries([path], use_default=False).entries}
    assert entries["月之暗面"].target == "Moonshot AI" and entries["月之暗面"].note == 'says "hi", twice\nand more'
    assert entries["豆包"].target == "Doubao" and entries["日活"].note == "two\nlines"


def test_update_rewrites_only_its_row_and_keeps_extra_columns(tmp_path):
    rows = ["source,target,context,kind,note\n", "豆包,Doubao,chatbot,name,first\n", "日活,DAU,,term,\n",
            "幻方,High-Flyer,,name,\n"]
    path = write_bytes(tmp_path, "".join(rows).encode("utf-8"))
    assert add_entry(path, "豆包", "Doubao app", "name") == "updated"
    lines = open(path, encoding="utf-8", newline="").read().splitlines(keepends=True)
    assert lines[0] == rows[0] and lines[2:] == rows[2:]
    assert lines[1] == "豆包,Doubao app,chatbot,name,first\n"  # context and note kept


def test_two_column_file_gets_two_cells_and_still_loads(tmp_path):
    path = write_bytes(tmp_path, b"source,target\n\xe6\x97\xa5\xe6\xb4\xbb,DAU")  # no final newline
    add_entry(path, "幻方", "High-Flyer")
    assert open(path, encoding="utf-8").read() == "source,target\n日活,DAU\n幻方,High-Flyer\n"
    assert [e.target for e in load_glossaries([path], use_default=False).entries] == ["DAU", "High-Flyer"]
    add_entry(path, "豆包", "Doubao", "name")  # a kind other than term adds the column; old rows stay as they were
    assert open(path, encoding="utf-8").read() == "source,target,kind\n日活,DAU\n幻方,High-Flyer\n豆包,Doubao,name\n"
    assert [e.kind for e in load_glossaries([path], use_default=False).entries] == ["term", "term", "name"]


def test_remove_leaves_other_rows_byte_identical(tmp_path):
    original = "source,target,kind,note\r\n# keep me\r\n豆包,Doubao,name,\r\n日活,DAU,term,\r\n"
    path = write_bytes(tmp_path, original.encode("utf-8"))
    assert remove_entry(path, "豆包") == 1
    assert open(path, "rb").read() == "source,target,kind,note\r\n# keep me\r\n日活,DAU,term,\r\n".encode("utf-8")


def test_excel_unicode_text_is_read_and_written_back_as_utf16_tabs(tmp_path):
    text = "source\ttarget\tkind\tnote\r\n日活\tDAU\tterm\t\r\n"
    original = b"\xff\xfe" + text.encode("utf-16-le")
    path = write_bytes(tmp_path, original)
    loaded = load_glossaries([path], use_default=False)
    assert loaded.entries[0].target == "DAU" and "UTF-16" in loaded.notices[0]
    add_entry(path, "幻方", "High-Flyer", "name")
    data = open(path, "rb").read()
    assert data.startswith(original) and data[len(original):].decode("utf-16-le") == "幻方\tHigh-Flyer\tname\t\r\n"


def test_gbk_file_is_read_with_a_notice_and_stays_gbk(tmp_path):
    original = "source,target,kind,note\n日活,DAU,term,\n".encode("gbk")
    path = write_bytes(tmp_path, original)
    loaded = load_glossaries([path], use_default=False)
    assert loaded.entries[0].sources == ["日活"] and "GB18030" in loaded.notices[0]
    add_entry(path, "幻方", "High-Flyer", "name")
    assert open(path, "rb").read() == original + "幻方,High-Flyer,name,\n".encode("gbk")


def test_semicolon_file_gets_a_resave_hint(tmp_path):
    path = write_bytes(tmp_path, "source;target\n日活;DAU\n".encode("utf-8"))
    with pytest.raises(GlossaryError, match="semicolons; re-save"):
        load_glossaries([path], use_default=False)


def test_edit_commands_refuse_the_shipped_glossary(tmp_path, monkeypatch):
    monkeypatch.delenv("TRANSLATE_GLOSSARY", raising=False)
    runner = CliRunner()
    for args in (["glossary", "add", "豆包", "Doubao"], ["glossary", "remove", "豆包"],
                 ["glossary", "import", str(tmp_path / "x.tbx")]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2 and "-g" in result.output and len(result.output.strip().splitlines()) == 1
    from translate.glossary.model import default_glossary_path

    result = runner.invoke(cli, ["glossary", "add", "豆包", "Doubao", "-g", str(default_glossary_path())])
    assert result.exit_code == 2 and "read-only" in result.output


def test_configured_user_glossary_is_edited_without_g(tmp_path, monkeypatch):
    path = tmp_path / "mine.csv"
    monkeypatch.setenv("TRANSLATE_GLOSSARY", str(path))
    result = CliRunner().invoke(cli, ["glossary", "add", "豆包", "Doubao", "--kind", "name"])
    assert result.exit_code == 0, result.output
    assert [e.target for e in parse_csv(path.read_bytes(), str(path))] == ["Doubao"]


def test_csv_export_neutralises_formulas_and_import_restores_them(tmp_path):
    path = write_bytes(tmp_path, 'source,target,kind,note\n日活,DAU,term,"=HYPERLINK(""http://x"")"\n'
                                 "负号,-1 notch,term,@once\n引号,'=literal,term,\n".encode("utf-8"))
    exported = to_csv(load_glossaries([path], use_default=False).entries)
    assert "'=HYPERLINK" in exported and "'-1 notch" in exported and "'@once" in exported
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in exported.splitlines() for cell in line.split(","))
    back = tmp_path / "back.csv"
    back.write_text(exported, encoding="utf-8")
    assert [(e.target, e.note) for e in read_entries(str(back))] == [("DAU", '=HYPERLINK("http://x")'),
                                                                      ("-1 notch", "@once"), ("'=literal", "")]


def test_a_stray_quote_inside_an_unquoted_cell_does_not_swallow_the_next_rows(tmp_path):
    original = 'source,target,kind,note\n屏幕,5" screen,term,\n日活,DAU,term,\n'
    path = write_bytes(tmp_path, original.encode("utf-8"))
    add_entry(path, "幻方", "High-Flyer", "name")
    assert open(path, encoding="utf-8").read() == original + "幻方,High-Flyer,name,\n"
    assert [e.target for e in load_glossaries([path], use_default=False).entries] == ['5" screen', "DAU", "High-Flyer"]


def test_lint_reports_a_rendering_that_is_both_target_and_forbidden(tmp_path):
    from translate.glossary.lint import lint

    path = write_bytes(tmp_path, "source,target,kind,note,avoid\n日活,DAU,term,,daily actives|dau\n".encode("utf-8"))
    assert lint(path) == [f"{path}:2: 'dau' is both a target and a forbidden rendering (avoid)"]


def test_exports_keep_or_name_the_context_and_prompt_note_columns(tmp_path):
    from click.testing import CliRunner

    from translate.cli import cli

    path = write_bytes(tmp_path, "source,target,kind,note,context,prompt_note\n阿里,Alibaba,name,,电商|淘宝,the company\n"
                       .encode("utf-8"))
    csv_export = CliRunner().invoke(cli, ["glossary", "export", "--format", "csv", "-g", path])
    assert csv_export.exit_code == 0 and "电商|淘宝" in csv_export.output and "the company" in csv_export.output
    tbx_export = CliRunner().invoke(cli, ["glossary", "export", "--format", "tbx", "-g", path])
    assert tbx_export.exit_code == 0 and "1 entries have a context or prompt_note" in tbx_export.output


def test_export_to_a_csv_file_writes_csv_unless_told_otherwise(tmp_path):
    from click.testing import CliRunner

    from translate.cli import cli

    assert CliRunner().invoke(cli, ["glossary", "export", "-o", str(tmp_path / "terms.csv")]).exit_code == 0
    assert (tmp_path / "terms.csv").read_text(encoding="utf-8").startswith("source,target,kind,note")
    assert CliRunner().invoke(cli, ["glossary", "export", "-o", str(tmp_path / "terms.tbx")]).exit_code == 0
    assert (tmp_path / "terms.tbx").read_text(encoding="utf-8").startswith("<?xml")


def test_an_import_with_a_term_over_two_lines_is_refused_and_a_repeated_variant_is_linted(tmp_path):
    from click.testing import CliRunner

    from translate.cli import cli

    broken = tmp_path / "broken.csv"
    broken.write_text('source,target,kind,note\n"大\n模型",large model,term,\n月之暗面,Moonshot AI,name,\n', encoding="utf-8")
    desk = tmp_path / "desk.csv"
    desk.write_text("source,target,kind,note\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["glossary", "import", str(broken), "-g", str(desk)])
    assert result.exit_code == 2 and "line break" in result.output
    assert desk.read_text(encoding="utf-8") == "source,target,kind,note\n"  # nothing imported
    twice = tmp_path / "twice.csv"
    twice.write_text("source,target,kind,note\n大模型|大模型,large model,term,\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["glossary", "lint", "-g", str(twice)])
    assert "given twice in this row" in result.output and "duplicate of line 2" not in result.output


def test_a_quote_never_closed_is_named_as_such(tmp_path):
    from click.testing import CliRunner

    from translate.cli import cli

    broken = tmp_path / "quotes.csv"
    broken.write_text('source,target,kind,note\n月之暗面,Moonshot AI,name,\n"大模型,large model,term,\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["glossary", "list", "-g", str(broken)])
    assert result.exit_code == 2 and "line 3: a quote" in result.output and "never closed" in result.output


def test_remove_takes_every_row_of_a_repeated_term_and_only_the_variant_from_rows_with_others(tmp_path):
    from translate.glossary.model import load_glossaries, remove_entry

    path = tmp_path / "dupes.csv"
    path.write_text("source,target,kind,note\n月之暗面,Moonshot AI,name,\n豆包,Doubao,name,\n"
                    "月之暗面,Dark Side of the Moon,name,\n百度|百度公司,Baidu Inc.,name,\n", encoding="utf-8")
    assert remove_entry(str(path), "月之暗面") == 2
    assert [e.sources for e in load_glossaries([str(path)], use_default=False).entries] == [["豆包"], ["百度", "百度公司"]]
    path.write_text("source,target,kind,note\n百度,Baidu,name,\n百度|百度公司,Baidu Inc.,name,\n", encoding="utf-8")
    assert remove_entry(str(path), "百度") == 2  # the variant goes; 百度公司 stays with its own target
    assert path.read_text(encoding="utf-8") == "source,target,kind,note\n百度公司,Baidu Inc.,name,\n"


def test_removing_a_term_its_row_repeats_removes_the_row(tmp_path):
    from translate.glossary.model import remove_entry

    path = tmp_path / "g.csv"
    path.write_text("source,target,kind,note\n大模型|大模型,large model,term,\n", encoding="utf-8")
    assert remove_entry(str(path), "大模型") == 1
    assert path.read_text(encoding="utf-8") == "source,target,kind,note\n"
