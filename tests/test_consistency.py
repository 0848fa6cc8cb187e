"""Consistency across an article and its translation memory (Xbench-style): warnings naming both renderings."""

import json
from pathlib import Path

from click.testing import CliRunner

from translate.cli import cli
from translate.document import Block, BlockKind
from translate.qa.consistency import Unit, check_consistency, person_names

DATA = Path(__file__).resolve().parent.parent / "translate" / "data"


def units(*pairs):
    return [Unit(Block(f"b{k}", BlockKind.PARAGRAPH, zh, translation=en), k, zh, en)
            for k, (zh, en) in enumerate(pairs, 1)]


def codes(unit):
    return [f.code for f in unit.block.flags]


def test_the_same_source_sentence_translated_two_ways_is_flagged_with_both():
    found = units(("公司当季营收同比增长百分之八。", "Quarterly revenue rose 8% year on year."),
                  ("这是另一句完全不同的话。", "This is another sentence entirely."),
                  ("公司当季营收同比增长百分之八。", "Revenue for the quarter grew by 8%."))
    check_consistency(found)
    assert codes(found[0]) == [] and codes(found[2]) == ["inconsistent-source"]
    message = found[2].block.flags[0].message
    assert "paragraph 1" in message and "Revenue for the quarter" in message and "Quarterly revenue" in message


def test_one_english_sentence_for_two_sources_is_flagged():
    found = units(("公司当季营收同比增长百分之八。", "Quarterly revenue rose 8% year on year."),
                  ("公司当季利润同比增长百分之八。", "Quarterly revenue rose 8% year on year."))
    check_consistency(found)
    assert codes(found[1]) == ["inconsistent-target"]


def test_short_repeats_and_identical_renderings_are_not_flagged():
    found = units(("他说。", "He said."), ("他说。", "He added."),
                  ("公司当季营收同比增长百分之八。", "Quarterly revenue rose 8% year on year."),
                  ("公司当季营收同比增长百分之八。", "Quarterly revenue rose 8% year-on-year."))
    check_consistency(found)
    assert all(codes(u) == [] for u in found)


def test_people_are_found_by_the_pinyin_of_their_surname():
    assert person_names("东方金诚首席宏观分析师王青指出", "Wang Qing, chief analyst at Golden Credit, said") \
        == [("王青", "Wang Qing", True)]
    assert person_names("董事长曾毓群说", "CATL chairman Robin Zeng said") == [("曾毓群", "Robin Zeng", False)]
    assert person_names("曾毓群坦言", "Zeng acknowledged") == [("曾毓群", "Zeng", False)]


def test_a_name_rendered_two_ways_and_one_rendering_for_two_names_are_flagged():
    found = units(("首席科学家吴凯表示。", "Chief scientist Wu Kai said so."),
                  ("吴凯预计明年推出。", "Kai Wu expects a launch next year."),
                  ("吴凯预计后年量产。", "Wu expects mass production the year after."),
                  ("创始人梁文锋说。", "Founder Liang Wenfeng said."),
                  ("分析师梁汝波说。", "Analyst Liang Wenfeng said."))
    check_consistency(found)
    assert codes(found[1]) == ["name-inconsistent"] and "'Wu Kai' in paragraph 1" in found[1].block.flags[0].message
    assert codes(found[2]) == []  # the short form after the full one
    assert codes(found[3]) == [] and codes(found[4]) == ["name-inconsistent"]
    assert "梁汝波" in found[4].block.flags[0].message and "梁文锋" in found[4].block.flags[0].message


def test_check_compares_with_the_memory_without_writing_it(tmp_path):
    from translate.memory.tm import TranslationMemory
    from translate.repair import restore_text

    zh = (DATA / "check-rates.zh.txt").read_text(encoding="utf-8").splitlines()
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.add(restore_text(zh[5])[0], "Wang Ching, chief macro analyst at Golden Credit Rating, said the economy was "
           "recovering.")
    tm.close()
    result = CliRunner().invoke(cli, ["check", str(DATA / "check-rates.zh.txt"), str(DATA / "check-rates.en.txt"),
                                      "-g", str(DATA / "check-rates.glossary.csv"), "-o", str(tmp_path / "o"),
                                      "--tm", str(tmp_path / "tm.sqlite"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "warning [tm-inconsistent]" in result.output and "warning [name-inconsistent]" in result.output
    flags = json.loads(next((tmp_path / "o").glob("*.json")).read_text(encoding="utf-8"))["blocks"][5]["flags"]
    assert {"tm-inconsistent", "name-inconsistent"} <= {f["code"] for f in flags}
    assert any("Wang Ching" in f["message"] and "Wang Qing" in f["message"] for f in flags)
    assert len(TranslationMemory(tmp_path / "tm.sqlite").entries()) == 1
