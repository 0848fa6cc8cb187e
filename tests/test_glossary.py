import multiprocessing

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.errors import GlossaryError
from translate.glossary.lint import lint
from translate.glossary.model import add_entry, default_glossary_path, load_glossaries, parse_csv, remove_entry
from translate.glossary.tbx import from_tbx, to_tbx


def write(tmp_path, text, name="g.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_shipped_glossary_lints_clean_and_covers_the_article():
    assert lint(str(default_glossary_path())) == []
    table = load_glossaries([]).by_source()
    for source, target in [("日活", "DAU"), ("幻方量化", "High-Flyer"), ("梁文锋", "Liang Wenfeng"),
                           ("萤火二号", "Fire-Flyer 2"), ("豆包", "Doubao"), ("文心一言", "ERNIE Bot"),
                           ("通义千问", "Tongyi Qianwen"), ("商汤", "SenseTime"), ("国盛证券", "Guosheng Securities"),
                           ("山姆·奥尔特曼", "Sam Altman"), ("C端", "consumer")]:
        assert table[source].targets[0] == target
    assert table["A100"].kind == "keep" and table["开源"].targets == ["open source", "open-source"]


def test_later_glossaries_override_earlier_ones(tmp_path):
    mine = write(tmp_path, "source,target,kind,note\n豆包,Doubao chatbot,name,\n")
    assert load_glossaries([mine]).by_source()["豆包"].target == "Doubao chatbot"
    assert "日活" not in load_glossaries([mine], use_default=False).by_source()


@pytest.mark.parametrize("text, problem", [
    ("source,kind\n日活,term\n", "line 1: header lacks column target"),
    ("source,target,target\n日活,DAU,x\n", "duplicate header column target"),
    ("source,target,kind\n日活,DAU,term\n豆包,,name\n", "line 3: empty source or target"),
    ("source,target,kind\n日活,DAU,bogus\n", "line 2: kind 'bogus'"),
    ("source,target\n日活,DAU,extra\n", "line 2: more cells"),
])
def test_bad_glossaries_name_file_and_line(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(GlossaryError) as error:
        parse_csv(open(path, "rb").read(), path)
    assert problem in str(error.value) and str(error.value).startswith(path)


def test_bom_and_comments_are_accepted(tmp_path):
    path = write(tmp_path, "\ufeffsource,target,kind,note\n# a comment\n日活,DAU,term,\n")
    assert [e.sources for e in parse_csv(open(path, "rb").read(), path)] == [["日活"]]


def test_lint_reports_each_problem_as_file_line(tmp_path):
    path = write(tmp_path, "source,target,kind,note\n日活,DAU,term,\n日活,daily users,term,\n豆包,Doubao,name,\n"
                           "豆包,Doubao,name,\n大模型 ,large model,term,\n大模型公司,AI company,term,\n"
                           "字节,,name,\n")
    problems = lint(path)
    assert f"{path}:3: '日活' is a conflicting target ('DAU') at line 2" in problems
    assert f"{path}:5: '豆包' is a duplicate of line 4" in problems
    assert f"{path}:6: stray whitespace in source" in problems
    assert any(p.startswith(f"{path}:7: '大模型公司' contains '大模型'") for p in problems)
    assert f"{path}:8: empty target" in problems
    result = CliRunner().invoke(cli, ["glossary", "lint", "-g", path])
    assert result.exit_code == 1
    assert CliRunner().invoke(cli, ["glossary", "lint"]).exit_code == 0


def test_lint_reports_non_utf8(tmp_path):
    path = write(tmp_path, "source,target\n日活,DAU\n", encoding="gb18030")
    assert lint(path) and ":2:" in lint(path)[0] and "UTF-8" in lint(path)[0]


def test_add_and_remove_keep_order_and_comments(tmp_path):
    path = write(tmp_path, "source,target,kind,note\n# names\n豆包,Doubao,name,\n日活,DAU,term,\n")
    assert add_entry(path, "月之暗面", "Moonshot AI", "name", "startup") == "added"
    assert add_entry(path, "豆包", "Doubao app", "name") == "updated"
    assert remove_entry(path, "日活") == 1 and remove_entry(path, "日活") == 0
    lines = open(path, encoding="utf-8").read().splitlines()
    assert lines == ["source,target,kind,note", "# names", "豆包,Doubao app,name,", "月之暗面,Moonshot AI,name,startup"]


def _add(args):
    add_entry(*args)


def test_concurrent_adds_lose_no_row(tmp_path):
    path = write(tmp_path, "source,target,kind,note\n")
    jobs = [(path, f"词{i}", f"word {i}", "term", "") for i in range(24)]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        pool.map(_add, jobs)
    sources = {e.sources[0] for e in parse_csv(open(path, "rb").read(), path)}
    assert sources == {f"词{i}" for i in range(24)}


def test_tbx_round_trip_keeps_variants_kinds_and_notes():
    entries = load_glossaries([]).entries
    back = from_tbx(to_tbx(entries).encode("utf-8"), "x.tbx")
    assert [(e.sources, e.targets, e.kind, e.note) for e in back] == [(e.sources, e.targets, e.kind, e.note)
                                                                       for e in entries]


def test_glossary_cli_add_list_export_import(tmp_path):
    path = str(tmp_path / "new.csv")
    runner = CliRunner()
    assert runner.invoke(cli, ["glossary", "add", "月之暗面", "Moonshot AI", "--kind", "name", "-g", path]).exit_code == 0
    listed = runner.invoke(cli, ["glossary", "list", "-g", path, "--grep", "moonshot"])
    assert "月之暗面\tMoonshot AI\tname" in listed.output
    tbx = tmp_path / "out.tbx"
    assert runner.invoke(cli, ["glossary", "export", "-g", path, "-o", str(tbx)]).exit_code == 0
    other = str(tmp_path / "other.csv")
    imported = runner.invoke(cli, ["glossary", "import", str(tbx), "-g", other])
    assert imported.exit_code == 0 and "imported 1" in imported.output


def test_context_column_is_read_and_a_bad_one_names_file_and_line(tmp_path):
    path = write(tmp_path, "source,target,kind,note,context\n字节,ByteDance,name,,跳动|@list;!re:\\d字节\n"
                           "腾讯,Tencent,name,,\n")
    entries = parse_csv(open(path, "rb").read(), path)
    assert [(e.key, e.context) for e in entries] == [("字节", "跳动|@list;!re:\\d字节"), ("腾讯", "")]
    for context, problem in [("re:(", "line 2: bad regular expression"), ("跳动|@near", "line 2: unknown context"),
                             ("跳动;!", "line 2: empty context condition")]:
        bad = write(tmp_path, f"source,target,kind,note,context\n字节,ByteDance,name,,{context}\n", name="bad.csv")
        with pytest.raises(GlossaryError) as error:
            parse_csv(open(bad, "rb").read(), bad)
        assert problem in str(error.value) and str(error.value).startswith(bad)
        assert any(p.startswith(f"{bad}:2: ") for p in lint(bad))


def test_lint_warns_about_short_entries_without_context_inside_common_words(tmp_path):
    path = write(tmp_path, "source,target,kind,note,context\n阿里,Alibaba,name,,\n开源,open source,term,,\n"
                           "腾讯,Tencent,name,,\n阿里巴巴,Alibaba,name,,\n字节,ByteDance,name,,公司|@list\n"
                           "BAT,BAT,keep,,\n")
    warnings = [p for p in lint(path) if "warning" in p]
    assert [w.split(": warning")[0] for w in warnings] == [f"{path}:2", f"{path}:3"]
    assert "阿里山" in warnings[0] and "阿里巴巴" not in warnings[0] and "开源节流" in warnings[1]


def test_the_shipped_glossary_file_in_the_tree_lints_clean():
    # The tree's own file, whatever the installed package data points at.
    from pathlib import Path

    assert lint(str(Path(__file__).resolve().parent.parent / "glossary" / "tech-zh-en.csv")) == []
