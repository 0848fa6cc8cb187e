"""`translate check`: QA of a human translation. Planted translator errors, one per block, in
a copy of the example article's reference translation, each caught with the right code."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.align.files import check_files
from translate.cli import cli
from translate.document import Block, BlockKind
from translate.glossary.matcher import TermMatcher
from translate.glossary.model import load_glossaries
from translate.pipeline.options import RunOptions
from translate.qa.checks import check_translation

DATA = Path(__file__).resolve().parent.parent / "translate" / "data"
SOURCE = DATA / "why-bat-did-not-build-deepseek.zh.txt"
REFERENCE = DATA / "why-bat-did-not-build-deepseek.en.txt"
# The glossary of this tree (the installed default may be an older copy).
GLOSSARY = str(Path(__file__).resolve().parent.parent / "glossary" / "tech-zh-en.csv")

# (paragraph index, text in the reference, what the translator wrote instead, code, severity)
PLANTED = [
    (3, "200 million daily", "20 million daily", "number", "error"),  # 2亿: scale
    (5, "Sam Altman", "Sam Oltman", "name-missing", "error"),
    (7, "22.15 million", "2.215 million", "number", "error"),  # 2215万: the example
    (8, "genuinely Chinese start-up", "genuinely 中国 start-up", "untranslated", "warning"),
    (11, "that broke through", "that broke broke broke broke through", "repetition", "error"),
    (15, "giant High-Flyer", "giant Magic Square", "name-missing", "error"),  # 幻方量化: the example
    (16, "Liang Wenfeng firmly believed that \"artificial intelligence will change the world\".",
     "Liang Wenfeng firmly believed that", "truncated", "error"),
    (18, "In 2015 Liang", "In 2016 Liang", "number", "error"),  # a year
    (19, "large-scale deep learning research", "large-scale neural network research", "term-missing", "warning"),
    (20, "1 billion yuan", "10 billion yuan", "number", "error"),  # 10亿元
    (22, "high-performance GPU chips", "high-performance graphics chips", "latin", "warning"),
    (23, "10,000 A100", "1,000 A100", "number", "error"),  # 1万张: a count
    (30, "one or two years behind the US, but the real gap is", "behind the US, but the real difference is",
     "latin", "warning"),  # gap
    (27, " Tencent's AI must serve its social and gaming ecosystem, and Alibaba's AI must fit into e-commerce and "
         "cloud computing. This logic of business synergy allows fast commercialisation, but it also fixes the path of "
         "technical development: the more resources invested, the more they optimise existing models instead of "
         "breaking new ground.", "", "length", "warning"),  # only the first sentence rendered
]


def reference() -> list[str]:
    return [line for line in REFERENCE.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_check(tmp_path, paragraphs, name="t.en.txt", **options):
    path = tmp_path / name
    path.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    out = tmp_path / ("out-" + name)
    return check_files(str(SOURCE), str(path), RunOptions(out_dir=str(out), formats=("json",), glossaries=[GLOSSARY],
                                                          quiet=True, **options)), out


def blocks_of(out) -> list[dict]:
    return json.loads(next(Path(out).glob("*.json")).read_text(encoding="utf-8"))["blocks"]


def test_the_untouched_reference_translation_has_no_error_flag(tmp_path):
    result, out = run_check(tmp_path, reference())
    assert result.summary["errors"] == 0 and not result.failed
    assert [p for p in result.problems if p[2] == "error"] == []
    assert result.summary["dropped"] == 0 and len(blocks_of(out)) == 41


def test_every_planted_translator_error_is_caught_with_its_code(tmp_path):
    paragraphs = reference()
    for index, right, wrong, _, _ in PLANTED:
        assert right in paragraphs[index], (index, right)
        paragraphs[index] = paragraphs[index].replace(right, wrong)
    result, out = run_check(tmp_path, paragraphs)
    blocks = blocks_of(out)
    planted = {index: (code, severity) for index, _, _, code, severity in PLANTED}
    for index, (code, severity) in planted.items():
        flags = {(f["code"], f["severity"]) for f in blocks[index]["flags"]}
        assert (code, severity) in flags, (index, blocks[index]["flags"])
    untouched_errors = [(k, f) for k, b in enumerate(blocks) if k not in planted for f in b["flags"]
                        if f["severity"] == "error"]
    assert untouched_errors == []
    assert result.failed and result.summary["errors"] >= sum(1 for *_, s in PLANTED if s == "error")


def test_a_dropped_paragraph_is_reported_as_dropped(tmp_path):
    paragraphs = reference()
    for dropped in (4, 24, 38):
        kept = paragraphs[:dropped] + paragraphs[dropped + 1:]
        result, out = run_check(tmp_path, kept, name=f"drop{dropped}.txt")
        blocks = blocks_of(out)
        flags = [(f["code"], f["severity"], f["message"]) for f in blocks[dropped]["flags"]]
        assert ("align-dropped", "warning") in {(c, s) for c, s, _ in flags}, (dropped, flags)
        assert any("no translation for this paragraph" in m for *_, m in flags)
        assert result.summary["dropped"] == 1
        # its neighbours keep their own translations
        assert blocks[dropped + 1]["translation"] == paragraphs[dropped + 1]


@pytest.mark.parametrize("source, translation", [
    ("上线20天,日活构陷了2000万。", "Twenty days after launch its DAU passed 20m."),
    ("日活早早突破2亿。", "Its DAU passed 200m early on."),
    ("投资达到10亿元。", "It invested one billion yuan."),
    ("有逾越1万张A100芯片。", "It had more than ten thousand A100 chips."),
    ("日活已达2215万。", "Its daily active users reached 22,150,000."),
    ("是ChatGPT日活用户的41.6%。", "It was 41.6 per cent of ChatGPT's DAU."),
    ("萤火二号投资达到15亿美元。", "Fire-Flyer 2 cost $1.5bn."),
    ("OpenAI CEO山姆·奥尔特曼进行反思。", "OpenAI chief executive Sam Altman reflected."),
    ("仅用了18天。", "It needed only eighteen days."),
])
def test_correct_alternative_renderings_raise_no_flag(source, translation):
    block = Block("b1", BlockKind.PARAGRAPH, source, translation=translation)
    check_translation(block, TermMatcher(load_glossaries([GLOSSARY])))
    assert block.flags == []


def test_an_empty_human_translation_is_an_error():
    block = Block("b1", BlockKind.PARAGRAPH, "这是一场风暴。", translation="  ")
    check_translation(block, None)
    assert [(f.code, f.severity) for f in block.flags] == [("empty", "error")]


def test_align_shows_the_same_flags(tmp_path):
    paragraphs = reference()
    paragraphs[7] = paragraphs[7].replace("22.15 million", "2.215 million")
    (tmp_path / "t.txt").write_text("\n".join(paragraphs), encoding="utf-8")
    result = CliRunner().invoke(cli, ["align", str(SOURCE), str(tmp_path / "t.txt"), "-o", str(tmp_path / "o"),
                                      "--format", "json,md", "-g", GLOSSARY, "--quiet"])
    assert result.exit_code == 0, result.output
    assert any(f["code"] == "number" and f["span"] == "2215万" for f in blocks_of(tmp_path / "o")[7]["flags"])
    markdown = next((tmp_path / "o").glob("*.bilingual.md")).read_text(encoding="utf-8")
    assert "**number**" in markdown and "2215万" in markdown


def test_check_exit_codes_are_0_clean_1_errors_2_bad_input(tmp_path):
    paragraphs = reference()
    (tmp_path / "clean.txt").write_text("\n".join(paragraphs), encoding="utf-8")
    paragraphs[15] = paragraphs[15].replace("High-Flyer", "Magic Square")
    (tmp_path / "wrong.txt").write_text("\n".join(paragraphs), encoding="utf-8")
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")

    def check(name, *extra):
        return CliRunner().invoke(cli, ["check", str(SOURCE), str(tmp_path / name), "-o", str(tmp_path / name[:-4]),
                                        "-g", GLOSSARY, *extra])

    clean = check("clean.txt")
    assert clean.exit_code == 0, clean.output
    assert "0 error(s)" in clean.output
    wrong = check("wrong.txt")
    assert wrong.exit_code == 1
    assert "error [name-missing]" in wrong.output and "1 error(s)" in wrong.output
    assert (tmp_path / "wrong" / f"{SOURCE.stem}.bilingual.docx").exists()  # outputs written all the same
    assert check("empty.txt").exit_code == 2
    assert check("missing.txt").exit_code == 2
    assert check("clean.txt", "--format", "pdf").exit_code == 2


def test_a_translation_reused_from_the_tm_is_checked_not_retranslated(tmp_path, rule_engine):
    from translate.memory.tm import TranslationMemory
    from translate.pipeline.run import run_file

    article = tmp_path / "a.zh.txt"
    article.write_text("2015年梁文锋创办幻方。\n\nDeepSeek的日活已达2215万。\n\n这是一场风暴。\n", encoding="utf-8")
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.add("2015年梁文锋创办幻方。", "In 2015 Liang Wenfeng founded Magic Square.")
    tm.add("DeepSeek的日活已达2215万。", "DeepSeek's DAU reached 2.215 million.")
    tm.close()
    engine = rule_engine()
    result = run_file(str(article), RunOptions(out_dir=str(tmp_path / "out"), tm_path=str(tmp_path / "tm.sqlite"),
                                               glossaries=[GLOSSARY], quiet=True), load_engine=lambda: engine)
    founded, users, storm = result.document.blocks
    assert founded.origin == users.origin == "tm"
    assert founded.translation == "In 2015 Liang Wenfeng founded Magic Square."  # flagged, kept as remembered
    assert ("name-missing", "error") in {(f.code, f.severity) for f in founded.flags}
    assert ("number", "error") in {(f.code, f.severity) for f in users.flags}
    asked = " ".join(text for call in engine.calls for text in call)
    assert "幻方" not in asked and "2215" not in asked and storm.origin == "mt"


def test_a_damaged_cluster_attributes_each_error_to_its_own_block(tmp_path):
    """Side by side: a legitimate split, an omitted paragraph, a looping sentence, a caption with a wrong
    name, a truncation and a dropped sentence. The dictionary score and the caption anchor keep every
    block on its own translation, so each error lands on its own block."""
    lines = reference()
    first, rest = lines[30].split(". ", 1)
    damaged = lines[:30] + [first + ".", rest]  # 30: split in two, fairly
    # 31: omitted
    damaged.append(lines[32].replace("is built.", "is built, built, built, built."))  # 32: a loop
    damaged.append(lines[33].replace("High-Flyer", "Magic Square"))  # 33: the caption's name is wrong
    damaged.append(lines[34][:lines[34].index("assemble a team quickly and") + 27])  # 34: cut off after "and"
    damaged.append(lines[35].replace(" Everyone has their own growth path and comes with their own ideas, so there "
                                     "is no need to push them.", ""))  # 35: a sentence dropped
    damaged += lines[36:]
    result, out = run_check(tmp_path, damaged)
    blocks = blocks_of(out)
    expected = {30: "align-split", 31: "align-dropped", 32: "repetition", 33: "name-missing", 34: "truncated",
                35: "omission"}
    for index, code in expected.items():
        assert code in {f["code"] for f in blocks[index]["flags"]}, (index, blocks[index]["flags"])
    for index in (32, 33, 34, 35):  # each keeps its own (damaged) translation
        assert blocks[index]["translation"] == damaged[index], index
    assert blocks[31]["translation"] == ""
    errors = {k for k, b in enumerate(blocks) for f in b["flags"] if f["severity"] == "error"}
    assert errors == {32, 33, 34}


@pytest.mark.parametrize("command", ["check", "align"])
def test_the_translation_may_come_on_stdin(tmp_path, command):
    source = tmp_path / "k.zh.txt"
    source.write_text("公司发布新模型。\n用户达到一百万。\n", encoding="utf-8")
    english = "The company released a new model.\nUsers reached one million.\n"
    result = CliRunner().invoke(cli, [command, str(source), "-", "-o", str(tmp_path / "out"), "--format", "json"],
                                input=english)
    assert result.exit_code in (0, 1) and "is empty" not in result.output, result.output
    record = json.loads((tmp_path / "out" / "k.zh.json").read_text(encoding="utf-8"))
    assert [b["translation"] for b in record["blocks"]] == english.splitlines()


def test_each_added_paragraph_has_its_own_flag(tmp_path):
    source = tmp_path / "s.zh.txt"
    source.write_text("幻方发布新模型。\n", encoding="utf-8")
    translation = tmp_path / "s.en.txt"
    translation.write_text("High-Flyer released a new model.\nShare this\nLike\nFollow us\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(source), str(translation), "-o", str(tmp_path / "out"),
                                      "--format", "json"])
    record = json.loads((tmp_path / "out" / "s.zh.json").read_text(encoding="utf-8"))
    added = [f for b in record["blocks"] for f in b["flags"] if f["code"] == "align-added"]
    assert len(added) == record["summary"]["added"] == 2, result.output
    assert all(len(line.split(": paragraph")) <= 2 for line in result.output.splitlines())


def test_a_bad_memory_or_glossary_stops_check_and_align_before_anything_is_written(tmp_path):
    source = tmp_path / "s.zh.txt"
    source.write_text("公司发布新模型。\n", encoding="utf-8")
    english = tmp_path / "s.en.txt"
    english.write_text("The company released a new model.\n", encoding="utf-8")
    for command, option in (("check", ["--tm", str(tmp_path / "typo.sqlite")]), ("align", ["--tm", "/proc/x.sqlite"]),
                            ("check", ["-g", str(tmp_path / "missing.csv")])):
        result = CliRunner().invoke(cli, [command, str(source), str(english), "-o", str(tmp_path / "out"), *option])
        assert result.exit_code == 2 and len(result.output.splitlines()) == 1, result.output
        assert not (tmp_path / "out").exists()


def test_a_file_name_with_a_line_break_stays_one_line_in_every_summary(tmp_path):
    source = tmp_path / "s\nzh.txt"
    source.write_text("幻方发布新模型。\n", encoding="utf-8")
    translation = tmp_path / "s\u202een.txt"
    translation.write_text("High-Flyer released a new model.\nShare this\n", encoding="utf-8")
    for command in ("check", "align"):
        result = CliRunner().invoke(cli, [command, str(source), str(translation), "-o", str(tmp_path / command),
                                          "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        summary = [line for line in result.stderr.splitlines() if "blocks" in line]
        assert len(summary) == 1 and ("s\\nzh.txt" in summary[0] or "s\\u202een.txt" in summary[0]), result.stderr
        assert all(line.startswith(str(tmp_path)) for line in result.stderr.splitlines()), result.stderr
