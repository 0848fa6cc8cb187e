"""Glossary files and patterns, round three: edits through links, no leftover lock, invisible sources,
near-linear import and lint, regexes that do not backtrack on hostile paragraphs."""

import random
import time

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.formats.xliff.inline import _CODE
from translate.glossary.lint import lint
from translate.glossary.matcher import markup_spans
from translate.glossary.model import add_entry, load_glossaries
from translate.glossary.tbx import import_file


def glossary_file(tmp_path, body="中国,China\n"):
    path = tmp_path / "real.csv"
    path.write_text("source,target\n" + body, encoding="utf-8")
    return path


def test_editing_a_glossary_through_a_link_edits_its_target_and_leaves_no_lock(tmp_path):
    real = glossary_file(tmp_path)
    link = tmp_path / "link.csv"
    link.symlink_to(real.name)
    result = CliRunner().invoke(cli, ["glossary", "add", "美国", "United States", "-g", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and "美国,United States" in real.read_text(encoding="utf-8")
    CliRunner().invoke(cli, ["glossary", "remove", "中国", "-g", str(link)])
    assert link.is_symlink() and "中国" not in real.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "real.csv"]


def test_lint_names_sources_of_invisible_characters_and_mid_file_byte_order_marks(tmp_path):
    path = glossary_file(tmp_path, "\u200b\u200b,zero\n\ufeff美国,United States\n日本,Japan\n")
    problems = lint(str(path))
    assert any(":2:" in p and "only invisible" in p for p in problems), problems
    assert any(":3:" in p and "U+FEFF" in p for p in problems), problems
    assert not any(":4:" in p and "invisible" in p for p in problems)


def test_glossary_add_refuses_a_source_of_invisible_characters(tmp_path):
    path = glossary_file(tmp_path)
    result = CliRunner().invoke(cli, ["glossary", "add", "\u200b\ufeff", "nothing", "-g", str(path)])
    assert result.exit_code == 2 and "invisible" in result.output


def random_glossary(path, rows: int, seed: int = 7):
    rng = random.Random(seed)
    characters = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    sources = set()
    while len(sources) < rows:
        sources.add("".join(rng.choice(characters) for _ in range(rng.randint(2, 6))))
    path.write_text("source,target\n" + "".join(f"{s},term {i}\n" for i, s in enumerate(sorted(sources))),
                    encoding="utf-8")


def test_glossary_import_and_lint_grow_about_linearly(tmp_path):
    """Twice the rows may cost at most about three times as long (quadratic code costs four times)."""
    seconds = {}
    for rows in (2000, 4000):
        source, into = tmp_path / f"in{rows}.csv", tmp_path / f"into{rows}.csv"
        random_glossary(source, rows)
        lint(str(glossary_file(tmp_path)))  # dictionaries loaded before timing
        started = time.perf_counter()
        assert import_file(str(source), str(into))["added"] == rows
        lint(str(into))
        seconds[rows] = time.perf_counter() - started
    assert seconds[4000] < 3 * seconds[2000] + 0.5, seconds
    assert len(load_glossaries([str(tmp_path / "into4000.csv")], use_default=False).entries) == 4000


def test_a_glossary_import_keeps_updating_rows_it_added(tmp_path):
    path = glossary_file(tmp_path)
    assert add_entry(str(path), "中国|中华", "China") == "updated"
    assert add_entry(str(path), "中华", "China") == "unchanged"
    assert path.read_text(encoding="utf-8").count("China") == 1


@pytest.mark.parametrize("piece", ["中文](x", "](x \"a", "<http://a"])
def test_markup_patterns_stay_linear_on_a_paragraph_of_link_fragments(piece):
    timings = []
    for repeat in (20_000, 80_000):
        text = piece * repeat
        best = float("inf")
        for _ in range(3):  # the best of three: another process on the machine must not read as quadratic
            started = time.perf_counter()
            markup_spans(text)
            list(_CODE.finditer(text))
            best = min(best, time.perf_counter() - started)
        timings.append(best)
    # 4x the text: linear takes about 4x; the quadratic shape this guards against took 16x and more
    assert timings[1] < 8 * timings[0] + 0.2, timings


def test_markup_patterns_still_find_links_and_titles():
    text = 'see [a](http://x.com/a_(b) "t") and <https://y.org> ok'
    assert [s.source for s in markup_spans(text)] == ["](http://x.com/a_(b)", "<https://y.org>"]
    assert [m.group() for m in _CODE.finditer('[a](http://x.com "title")') if m.lastgroup == "link_close"] == \
        ['](http://x.com "title")']


def test_an_import_or_add_without_a_kind_keeps_the_rows_kind(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("source,target,kind,note\n幻方,Magic Square,name,hedge fund\n", encoding="utf-8")
    (tmp_path / "k.csv").write_text("source,target\n幻方,High-Flyer\n", encoding="utf-8")
    (tmp_path / "k.tbx").write_text('<tbx><text><body><conceptEntry id="c1"><langSec xml:lang="zh"><termSec><term>幻方'
                                    '</term></termSec></langSec><langSec xml:lang="en"><termSec><term>HF</term>'
                                    '</termSec></langSec></conceptEntry></body></text></tbx>', encoding="utf-8")
    for command in (["glossary", "import", str(tmp_path / "k.csv")], ["glossary", "import", str(tmp_path / "k.tbx")],
                    ["glossary", "add", "幻方", "High-Flyer"], ["glossary", "add", "新词", "new word"]):
        assert CliRunner().invoke(cli, command + ["-g", str(path)]).exit_code == 0
    entries = {e.key: e for e in load_glossaries([str(path)], use_default=False).entries}
    assert (entries["幻方"].target, entries["幻方"].kind, entries["幻方"].note) == ("High-Flyer", "name", "hedge fund")
    assert entries["新词"].kind == "term"


def test_glossary_add_stores_no_bidi_override_and_no_line_break(tmp_path):
    path = glossary_file(tmp_path)
    result = CliRunner().invoke(cli, ["glossary", "add", "开\u202e源\u200b", "open source", "-g", str(path)])
    assert result.exit_code == 0 and "\u202e" not in result.output
    assert "开源,open source" in path.read_text(encoding="utf-8") and "\u202e" not in path.read_text(encoding="utf-8")
    broken = CliRunner().invoke(cli, ["glossary", "add", "多\n行", "multi", "-g", str(path)])
    assert broken.exit_code == 2 and len(broken.output.splitlines()) == 1 and "line break" in broken.output


def test_rows_of_one_import_file_that_clash_are_named_and_counted_once(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("source,target,kind,note\n日活,DAU,term,\n", encoding="utf-8")
    before = path.read_bytes()
    (tmp_path / "imp.csv").write_text("source,target,kind,note\n日活,Daily Active Users,term,\n日活,DAU,term,\n",
                                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["glossary", "import", str(tmp_path / "imp.csv"), "-g", str(path)])
    assert result.exit_code == 0 and "(0 added, 0 updated, 1 unchanged)" in result.stdout
    assert "imp.csv:3: 日活 is also on line 2" in result.stderr and path.read_bytes() == before


@pytest.mark.parametrize("name, data, words", [
    ("x.tbx", b"<root><a>b</a></root>", "is not a TBX file"),
    ("terms.xlsx", b"PK\x03\x04" + b"\0" * 64, "save it as CSV"),
])
def test_a_file_that_is_not_a_glossary_is_refused_in_one_line(tmp_path, name, data, words):
    (tmp_path / name).write_bytes(data)
    result = CliRunner().invoke(cli, ["glossary", "import", str(tmp_path / name), "-g", str(tmp_path / "g.csv")])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1 and words in result.output
