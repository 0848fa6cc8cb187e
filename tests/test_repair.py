from click.testing import CliRunner

from translate.cli import cli
from translate.repair import clean_lines, restore_text, spin_score
from translate.repair.restore import SPUN_PER_1000_HAN

CLEAN = ("当年他在学校学到的技能,如今派上了用场。天然气价格上涨,人民群众很关心。"
         "这家公司一经成立就不错,照旧保持着增长。咱们的市集也在扩大。")


def test_spun_article_scores_as_spun_and_clean_text_as_clean(article_path):
    assert spin_score(article_path.read_text(encoding="utf-8")) > 10 * SPUN_PER_1000_HAN
    assert spin_score(CLEAN) == 0.0


def test_clean_text_passes_through_unchanged():
    repaired, repairs = clean_lines(CLEAN)
    assert repaired == CLEAN and repairs == []


def test_non_word_forms_are_always_restored():
    text, repairs = restore_text("东谈主工智能莫得作念到,淌若好意思国知谈的话", spun_document=False)
    assert text == "人工智能没有做到,如果美国知道的话"
    assert {r.rule for r in repairs} == {"always"}


def test_word_boundary_accidents_of_the_spinner_are_undone():
    assert restore_text("态度黑白常坚定")[0] == "态度是非常坚定"
    assert restore_text("市场倏得发目下国内")[0] == "市场突然发现在国内"


def test_ambiguous_forms_follow_context_in_a_spun_document():
    text, repairs = restore_text("过程中他照旧用大模子的技能,登顶群众开源第一", spun_document=True)
    assert text == "过程中他还是用大模型的技术,登顶全球开源第一"
    assert all(0 < r.confidence <= 1 for r in repairs)
    # The same words in a document that is not spun are left alone.
    assert restore_text("他照旧用模子的技能", spun_document=False)[0] == "他照旧用模子的技能"


def test_real_words_containing_spun_forms_are_kept():
    assert restore_text("人民群众用上了天然气,比比皆是", spun_document=True)[0] == "人民群众用上了天然气,比比皆是"


def test_wider_vocabulary_is_restored_only_where_the_document_is_spun():
    # Forms of other domains (market, standards, consumers): non-words everywhere, rare real words in spun text only.
    spun = ("据盘考东谈主员先容,咱们王人知说念阛阓上的居品质地参差不齐,处所政府正在制定新的圭臬。"
            "该公司创举东谈主暗示,将握续镌汰成本,保握竞争上风。驳倒区里,不少耗尽者合计这莫得真谛。")
    repaired, repairs = clean_lines(spun)
    assert repaired == ("据研究人员介绍,我们都知道市场上的产品质量参差不齐,地方政府正在制定新的标准。"
                        "该公司创始人表示,将持续降低成本,保持竞争优势。评论区里,不少消费者觉得这没有真谛。")
    # In clean text the rare real words, idioms and fixed phrases stay.
    clean = "他多次收受他人财物。两人一见如故,奉为圭臬,最终占据上风。王人杰说,这篇三国演义的评论很好。"
    assert clean_lines(clean) == (clean, [])


def test_non_word_forms_of_round_six_are_restored_wherever_they_occur():
    spun = "厚爱东谈主暗示,公司将饱读励职工掌捏新工艺、把捏契机,这很有意旨道理。"
    repaired, repairs = restore_text(spun, spun_document=False)  # non-words: even where the document is not read as spun
    assert "负责人" in repaired and "鼓励职工掌握新工艺、把握" in repaired and repaired.endswith("这很有意思。")
    assert {r.restored for r in repairs} >= {"负责人", "鼓励", "掌握", "把握", "意思"}
    clean = "他饱读诗书,为人谦和,掌握了三门外语。"
    assert restore_text(clean, spun_document=True)[0] == clean


def test_repair_offsets_point_into_the_spun_text():
    source = "我个东谈主觉得莫得问题"
    _, repairs = restore_text(source)
    for repair in repairs:
        assert source[repair.offset:repair.offset + len(repair.spun)] == repair.spun


def test_article_repairs_every_unambiguous_form(article_path):
    text = article_path.read_text(encoding="utf-8")
    repaired, repairs = clean_lines(text)
    for spun in ("东谈主", "作念", "莫得", "淌若", "好意思国", "知谈", "念念考", "岂论", "黑白常", "发目下", "大模子"):
        assert spun in text and spun not in repaired, spun
    assert "人工智能" in repaired and "理所当然" in repaired and "话语权" in repaired
    assert repaired.count("\n") == text.count("\n")


def test_threshold_controls_ambiguous_repairs():
    strict, _ = restore_text("他照旧用模子", threshold=0.999)
    assert strict == "他照旧用模子"


def test_clean_command_keeps_line_structure_and_lists_repairs(tmp_path, article_path):
    out = tmp_path / "clean.txt"
    result = CliRunner().invoke(cli, ["clean", str(article_path), "-o", str(out)])
    assert result.exit_code == 0
    original = article_path.read_text(encoding="utf-8")
    cleaned = out.read_text(encoding="utf-8")
    assert len(cleaned.split("\n")) == len(original.split("\n"))
    assert cleaned.splitlines()[0] == "(原标题:为什么BAT没能做出DeepSeek)"
    diff = CliRunner().invoke(cli, ["clean", str(article_path), "--diff"])
    assert diff.exit_code == 0 and "作念 -> 做" in diff.output and ":1:" in diff.output


def test_repair_evaluation_on_other_domains_restores_every_non_word():
    # Issue 15 replaced the table-reversed spinner with an independent reference spinner; same assertions.
    from importlib import resources

    from translate.measure.repair import evaluate_spun, false_changes
    from translate.measure.spinner import spin

    clean = resources.files("translate").joinpath("data/clean_zh.txt").read_text("utf-8")
    spun, sites = spin(clean)
    assert spun != clean and spin_score(spun) >= SPUN_PER_1000_HAN
    result = evaluate_spun(clean)
    assert result["by_class"]["always"]["recall"] == 1.0 and result["by_class"]["always"]["precision"] == 1.0
    assert false_changes(clean)["auto_per_10k"] == 0.0
    assert result["recall"] > 0.7 and result["precision"] > 0.8


def test_a_desks_own_spin_forms_are_restored_and_take_precedence(tmp_path, monkeypatch):
    """$TRANSLATE_SPIN_FORMS: vocabulary of a spinner the packaged table does not know, added by the desk."""
    from translate.repair.table import ALWAYS, CONTEXT, default_table

    text = "这是一款极新的居品，东谈主们都很可爱，莫得东谈主不心爱。"
    packaged = default_table()
    assert "极新" in clean_lines(text)[0] and packaged.kind("当年") == CONTEXT
    forms = tmp_path / "desk forms.tsv"
    forms.write_text("# our desk's spinner\n极新\t全新\n当年\t过去\talways\n", encoding="utf-8")
    monkeypatch.setenv("TRANSLATE_SPIN_FORMS", str(forms))
    desk = default_table()
    assert desk.digest != packaged.digest and desk.kind("当年") == ALWAYS  # the desk's row first
    assert clean_lines(text)[0] == "这是一款全新的产品，人们都很可爱，没有人不心爱。"
    forms.write_text("当年\t过去\tcontext\n", encoding="utf-8")  # an edited file is read again
    assert default_table().kind("当年") == CONTEXT and "极新" in clean_lines(text)[0]


def test_a_bad_spin_forms_file_is_one_line_naming_it_and_the_line(tmp_path, monkeypatch):
    source = tmp_path / "a.txt"
    source.write_text("东谈主们莫得想到。\n", encoding="utf-8")
    forms = tmp_path / "forms.tsv"
    for content, words in [("极新\t全新\n极旧\n", ["line 2", "tab"]), ("极新\t全新\tsometimes\n", ["line 1", "always"]),
                           ("极新\t全新\talways\tx\n", ["line 1", "three columns"]),
                           ('极"新\t全新\n', ["line 1", "may not contain"])]:
        forms.write_text(content, encoding="utf-8")
        monkeypatch.setenv("TRANSLATE_SPIN_FORMS", str(forms))
        result = CliRunner().invoke(cli, ["clean", str(source), "--repair-model", "off"])
        assert result.exit_code == 2 and len(result.output.splitlines()) == 1, result.output
        assert str(forms) in result.output and all(w in result.output for w in words), result.output
    result = CliRunner().invoke(cli, ["run", str(source), "-o", str(tmp_path / "out"), "--repair-model", "off"])
    assert result.exit_code == 2 and str(forms) in result.output and len(result.output.splitlines()) == 1
    assert not (tmp_path / "out").exists()  # every input is read before the output folder is made
    monkeypatch.setenv("TRANSLATE_SPIN_FORMS", "/dev/zero")  # never read: it would not end
    result = CliRunner().invoke(cli, ["clean", str(source), "--repair-model", "off"])
    assert result.exit_code == 2 and "not a regular file" in result.output
    monkeypatch.setenv("TRANSLATE_SPIN_FORMS", str(tmp_path / "missing.tsv"))
    result = CliRunner().invoke(cli, ["clean", str(source), "--repair-model", "off"])
    assert result.exit_code == 2 and "missing.tsv" in result.output and "unset" in result.output
