"""Source repair weighs evidence: neighbours, the document, the passage; keep-phrases on restored text."""

import pytest

from translate.repair import clean_lines, document_evidence, restore_text
from translate.repair.table import default_table

# A paragraph that is plainly spun (东谈主, 作念, 莫得 ...), used as surrounding context.
SPUN = "东谈主们莫得想到,这家公司作念到了,淌若知谈的话,好意思国的东谈主也会念念考。"


def repaired(sentence: str) -> str:
    """Repair `sentence` as one paragraph of a spun document."""
    return clean_lines(SPUN + "\n" + sentence)[0].split("\n")[1]


def test_keep_phrases_are_checked_on_the_restored_text():
    # 作事群众 is 服务群众 spun: its 群众 is real too.
    assert repaired("广大东谈主民群众和作事群众都很欢迎。") == "广大人民群众和服务群众都很欢迎。"
    assert repaired("这家公司登顶群众开源第一。") == "这家公司登顶全球开源第一。"


def test_a_document_that_contains_the_original_trusts_the_spun_looking_word_less():
    # A spinner replaces every 全球; a document that still has one is less likely to owe its 群众 to it.
    def confidence(text):
        _, found = clean_lines(text)
        return next(r.confidence for _, r in found if r.spun == "群众")

    plain = SPUN + "\n这款居品登顶群众开源第一,出身于美国。"
    assert confidence(plain.replace("美国", "全球")) < confidence(plain)
    table = default_table()
    assert document_evidence("全球经济", table).present == {"全球": 1}


def test_evidence_backed_gates_restore_constructions_and_keep_proverbs():
    assert repaired("他是天下上最快的东谈主。") == "他是世界上最快的人。"
    assert repaired("天下各国的代表都来了。") == "世界各国的代表都来了。"
    assert repaired("天下没有免费的午餐。") == "天下没有免费的午餐。"
    assert repaired("咱们从零启动,不怕试错。") == "我们从零开始,不怕试错。"
    assert repaired("他的作风黑白常鉴定地支持改革。") == "他的态度是非常坚定地支持改革。"
    assert repaired("多国暗示支持这项方案。") == "多国表示支持这项方案。"
    assert repaired("天然它能快速贸易化,但也框定了旅途。").startswith("虽然它能快速商业化,但")


def test_a_quoted_we_is_read_by_the_document_not_by_the_quote_marks():
    # The spinner rewrites quotations too: with no 我们 anywhere, a quoted 咱们 is a spun 我们 ...
    assert repaired("他说:“咱们从零启动,不怕试错。”") == "他说:“我们从零开始,不怕试错。”"
    # ... unless the document shows the spinner left 我们 alone.
    assert repaired("我们认为,“咱们从零启动”说得对。") == "我们认为,“咱们从零开始”说得对。"


def test_rows_for_forms_the_spinner_produces():
    assert "希望" in repaired("市集也大批抱有期待,但愿其中有谁能追上。")
    assert "与之相比," in repaired("与之比较,ChatGPT花了244天。")
    assert repaired("团队组多由应届毕业生构成,不看教悔。") == "团队大多由应届毕业生构成,不看经验。"
    assert repaired("完好意思的赛季,欧好意思市集。") == "完美的赛季,欧美市场。"
    assert repaired("真不好意思,让你久等了。") == "真不好意思,让你久等了。"
    assert repaired("老街谈改造完成,街谈巷议不断。") == "老街道改造完成,街谈巷议不断。"
    assert repaired("去鼓励总共行业发展,总共三家公司。").endswith("整个行业发展,总共三家公司。")


def test_one_rare_real_word_neither_flips_a_clean_document_nor_changes_anything():
    clean = "当年他学到的技能派上了用场。咱们的市集在扩大,群众很满意。这家公司一经成立就不错。"
    for word in ("关联词", "岂论", "速即", "肖似", "期骗", "况兼"):
        text = clean + word + "如此。"
        assert not document_evidence(text, default_table()).spun, word
        assert clean_lines(text) == (text, []), word


def test_a_clean_passage_forced_through_repair_keeps_its_real_words():
    clean = ("这所职业学校注重培养学生的技能,人民群众很关心。新规一经公布,就引起了关注。"
             "师傅把铁水倒进模子里。他的成绩一直不错。")
    assert restore_text(clean, spun_document=True) == (clean, [])


def test_neighbours_that_form_a_word_with_the_original_raise_its_odds():
    from translate.repair.evidence import DocumentEvidence, site_logit

    table, empty = default_table(), DocumentEvidence()
    rule = next(r for r in table.rules["天下"] if r.original == "世界")
    assert site_logit(rule, "全", "", table, empty) > site_logit(rule, "在", "", table, empty)
    rule = next(r for r in table.rules["天然"] if r.original == "自然")
    assert site_logit(rule, "", "气", table, empty) < site_logit(rule, "", "地", table, empty)


def test_reference_spinner_uses_forms_the_table_lacks():
    from translate.measure.spinner import spin, synonyms

    table = default_table()
    missing = [o for o, s in synonyms().items() if s not in table.rules]
    assert len(missing) >= 20
    spun, sites = spin("我们已经开始执行计划。")
    assert spun == "咱们一经启动延伸蓄意。" and [s.original for s in sites] == ["我们", "已经", "开始", "执行", "计划"]


def test_repair_bench_reports_gain_and_per_class_figures():
    from translate.measure.repair import evaluate_spun, format_report, report

    row = evaluate_spun("我们已经开始执行计划。这个人没有做到。")
    assert set(row["by_class"]) == {"always", "context", "other original", "not in table"}
    assert 0 < row["gain"] <= 1
    result = report(with_speed=False)
    text = format_report(result)
    assert "held out" in text and "recall" in text and "precision" in text and "genuine words changed" in text
    assert "spun_collision_spinner_c_pooled" in result and "off_site_per_10k" in result["spun_collision_pooled"]
    assert result["rare_word"]["changes_beyond_the_word"] == 0


def test_context_statistics_rebuild_from_the_dictionaries():
    pytest.importorskip("wordfreq")
    from translate.repair.build_stats import build

    rows = {form: (rate, left, right) for form, rate, _, left, right in build({"世界", "群众"})}
    stats = default_table().stats
    assert abs(rows["世界"][0] - stats["世界"].rate) / stats["世界"].rate < 0.01
    assert rows["世界"][1]["全"] == pytest.approx(stats["世界"].left["全"], abs=1)
    assert rows["群众"][2]["性"] == pytest.approx(stats["群众"].right["性"], abs=1)


def test_a_form_across_a_word_boundary_or_inside_an_idiom_stays():
    assert repaired("昨天下午两点,他在天下各地都有一又友。") == "昨天下午两点,他在世界各地都有朋友。"
    assert repaired("修复职责不是一朝一夕的事。") == "修复工作不是一朝一夕的事。"
    assert repaired("这里是一处天然保护区。") == "这里是一处自然保护区。"


def test_segmentation_weighs_both_readings_beyond_the_two_words():
    from translate.repair.segmentation import phrase_holds, reading_gain

    assert reading_gain("天下", "世界", "昨", "午的降雨") < -5
    assert reading_gain("天然", "自然", "一处", "保护区") > 5
    assert reading_gain("群众", "全球", "接到", "举报后") == pytest.approx(0, abs=1e-6)
    assert phrase_holds("群众", "县里组织了", "文化活动。", "", "文化")
    assert not phrase_holds("群众", "", "文化交流日益频繁。", "", "文化")


def test_genuine_collocations_of_everyday_words_stay_in_a_spun_document():
    for sentence in ("接到群众举报后,执法东谈主员赶到现场。", "个别干部作风漂浮,险些酿成事故。",
                     "双方多次商议,最终达成一致。", "今年的降雨强度是同期最强的。", "器物表面的纹饰很精美。",
                     "改革的成效逐步显现。", "他说:“我们吃过苦,咱们老百姓就盼着过上好日子。”"):
        assert repaired(sentence) == sentence.replace("东谈主", "人"), sentence


def test_wider_context_rules_restore_the_spun_uses():
    assert repaired("当年这类病东谈主大多只能转院。") == "过去这类病人大多只能转院。"
    assert repaired("患者出行比当年方便多了。") == "患者出行比过去方便多了。"
    assert repaired("其行为一经构成诈骗罪,法院依法判决。") == "其行为已经构成诈骗罪,法院依法判决。"
    assert repaired("这套表面最早由他提出。") == "这套理论最早由他提出。"
    assert repaired("这个办法最早由一位经济学家提出。") == "这个概念最早由一位经济学家提出。"
    assert repaired("市集天然会照常开放。") == "市场自然会照常开放。"
    # The real constructions stay: 一经…,就; 想办法; 当年就.
    assert repaired("新规一经公布,就引起了关注。") == "新规一经公布,就引起了关注。"
    assert repaired("大家一起想办法。") == "大家一起想办法。"


def test_keep_phrases_block_only_where_they_read_as_words():
    assert repaired("群众文化交流日益频繁。") == "全球文化交流日益频繁。"
    assert repaired("县里组织了群众文化活动。") == "县里组织了群众文化活动。"


def test_repair_bench_counts_genuine_words_changed_inside_spun_documents():
    from translate.measure.repair import evaluate_spun
    from translate.measure.repair_sites import off_site_repairs

    truth = {(0, "东谈主"): "人", (10, "群众"): "全球"}
    made = {(0, "东谈主"): "人", (10, "群众"): "全球", (20, "天下"): "世界", (11, "众"): "x"}
    assert off_site_repairs(made, truth) == [(20, "天下")]
    row = evaluate_spun("昨天下午,我们已经开始执行计划,这个人没有做到。")
    assert row["off_site"] == 0 and row["off_site_per_10k"] == 0.0


def test_repair_bench_counts_a_repair_inside_a_spinner_site_that_restores_it_as_that_site():
    from translate.measure.repair_sites import examples, match_sites

    truth = {(2, "完好意思"): "完美", (10, "东谈主"): "人"}
    made = match_sites({(3, "好意思"): "美", (10, "东谈主"): "人"}, truth)
    assert made == truth
    assert examples(truth, made, "这是完好意思的计划,东谈主们") == []
    wrong = match_sites({(3, "好意思"): "好看"}, truth)  # inside the site but not its original: still wrong
    assert wrong == {(3, "好意思"): "好看"}


def test_a_short_spun_brief_is_read_as_spun_and_its_clean_text_is_not():
    from pathlib import Path

    from translate.measure.spinner import spin
    from translate.repair import default_table, gate_evidence

    table = default_table()
    brief = (Path(__file__).parent / "data" / "heldout_articles" / "sports-derby.txt").read_text("utf-8")
    spun, _ = spin(brief, "A")
    evidence = gate_evidence(spun, table)
    assert evidence.evidence < 2.0 and evidence.context_sites < 4  # neither older route reads it
    assert evidence.spun and evidence.short_spun
    assert not gate_evidence(brief, table).spun
    one_form = brief.replace("。", "。东谈主", 1)  # one non-word form in clean text, no confident context repairs
    assert not gate_evidence(one_form, table).spun
