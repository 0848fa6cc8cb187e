"""Per-site decisions inside a spun document: genuine everyday words stay, spun uses are restored."""

from translate.repair import clean_lines, default_table

# A paragraph that is plainly spun (东谈主, 作念, 莫得 ...), used as surrounding context.
SPUN = "东谈主们莫得想到,这家公司作念到了,淌若知谈的话,好意思国的东谈主也会念念考。"


def repaired(sentence: str) -> str:
    """Repair `sentence` as one paragraph of a spun document."""
    return clean_lines(SPUN + "\n" + sentence)[0].split("\n")[1]


def test_a_form_inside_a_longer_fixed_phrase_stays_but_not_inside_a_suffixed_word():
    from translate.repair.segmentation import bound_in_words

    assert bound_in_words("当今", "现在", "他在信中写道:", "社会,孩子们")  # 当今社会 is one phrase
    assert not bound_in_words("若干", "多少", "到底有", "年差距")  # 若干年: a suffix, the spinner's 多少年
    assert not bound_in_words("街谈", "街道", "老", "改造完成")  # no word of its own: boundaries say nothing
    assert repaired("他在信中写道:当今社会,孩子们的压力太大。") == "他在信中写道:当今社会,孩子们的压力太大。"
    assert repaired("当今东谈主工智能发展很快。") == "现在人工智能发展很快。"


def test_the_form_in_its_own_collocation_stays_however_spun_the_document():
    assert repaired("镇上的市集一经有三百多年历史。") == "镇上的市集已经有三百多年历史。"
    assert repaired("欧好意思市集的需求在着落。") == "欧美市场的需求在下降。"
    assert repaired("保留墙体表面的旧砖。") == "保留墙体表面的旧砖。"


def test_a_doubled_form_holds_one_substitution_read_as_the_first():
    assert repaired("各单位要明确职责职责,严格执行。") == "各单位要明确工作职责,严格执行。"


def test_a_pure_synonym_is_restored_only_with_the_original_words_collocations():
    assert repaired("上个月全国住户消费价钱同比上涨。") == "上个月全国居民消费价格同比上涨。"
    assert repaired("当地住户说,河水变清了。") == "当地居民说,河水变清了。"
    for sentence in ("已经有多名住户向社区反映。", "沿线住户出行比以往方便。", "对危险区域的住户提前转移。"):
        assert repaired(sentence) == sentence
    assert repaired("进货价钱险些每天皆在变。") == "进货价格几乎每天都在变。"
    assert repaired("路边有狗的粪便,她险些踩上。") == "路边有狗的粪便,她险些踩上。"


def test_a_consequence_after_a_new_subject_marks_the_real_construction():
    assert repaired("材料一经审核通过,钱很快就打到了卡上。") == "材料一经审核通过,钱很快就打到了卡上。"
    assert repaired("合同一经签字,再想反悔就难了。") == "合同一经签字,再想反悔就难了。"
    assert repaired("其行为一经构成诈骗罪,法院依法判决。") == "其行为已经构成诈骗罪,法院依法判决。"


def test_surface_readings_and_set_phrases_of_everyday_words_stay():
    for sentence in ("很多纠纷表面上是钱的问题。", "影片表面上讲的是一个家庭的故事。", "只要路子走对了,日子就有盼头。",
                     "古镇不是天下独一份的景点。", "这些小技能看似不起眼。", "他不断学习新技能。"):
        assert repaired(sentence) == sentence, sentence
    assert repaired("比单纯背表面知识更重要。") == "比单纯背理论知识更重要。"


def test_bench_reports_genuine_words_changed_on_the_new_held_out_sets():
    from translate.measure.repair import HELD_OUT_2, HELD_OUT_3, HELD_OUT_4, format_report, report

    assert len(HELD_OUT_2) == len(HELD_OUT_3) == len(HELD_OUT_4) == 3
    result = report(with_speed=False)
    for group in ("spun_held_out_2", "spun_held_out_2_spinner_c", "spun_held_out_3", "spun_held_out_3_spinner_c",
                  "spun_held_out_4", "spun_held_out_4_spinner_c"):
        assert "off_site_per_10k" in result[group + "_pooled"] and len(result[group]) == 3
    assert result["clean_held_out_3"]["auto_per_10k"] == result["clean_held_out_4"]["auto_per_10k"] == 0.0
    assert "held out 3" in format_report(result)


def test_a_document_spun_only_with_everyday_words_is_gated_by_its_context_sites():
    """Spinner C leaves almost no non-word forms in this set; the forced pass's confident context repairs
    mark it spun, while the clean text (dense in the same words in their proper sense) stays unmarked."""
    from translate.measure.repair import _read
    from translate.measure.spinner import spin
    from translate.repair import document_evidence, gate_evidence
    from translate.repair.evidence import SPUN_EVIDENCE

    clean = _read("repair/eval/collision_sports_weather_prices.txt")
    spun, _ = spin(clean, "C")
    assert document_evidence(spun, default_table()).evidence < SPUN_EVIDENCE  # the first route does not fire
    gated = gate_evidence(spun)
    assert gated.spun and gated.context_spun
    assert clean_lines(spun)[0] != spun
    for name in ("repair/eval/collision_sports_weather_prices.txt", "repair/eval/heldout3_memoir_school.txt",
                 "repair/eval/heldout4_fishing_port_typhoon.txt"):
        evidence = gate_evidence(_read(name))
        assert not evidence.spun, name
        assert clean_lines(_read(name))[0] == _read(name)


def test_words_meeting_across_a_non_word_form_neither_mark_a_clean_document_nor_change():
    from translate.repair.segmentation import across_words

    clean = ("调查组多方核实了举报内容。他常说念书是一辈子的事。他指出当今世界正经历深刻变化。"
             "青年人要敢于谈理想。会上大家讨论谈路线图的细节。当年的群众一经发动，成效天然显著。")
    text, repairs = clean_lines(clean)
    assert (text, repairs) == (clean, [])
    assert across_words("组多", "大多", "调查", "方核实") and not across_words("组多", "大多", "中的", "数企业")
    # in a spun document the same forms are the spinner's: restored
    assert repaired("报告中的组多数企业知谈这个谈理很简单。") == "报告中的大多数企业知道这个道理很简单。"


def test_a_keep_phrase_protects_a_rare_real_word_in_a_spun_document():
    assert repaired("学者们无不奉为圭臬，东谈主东谈主称颂。") == "学者们无不奉为圭臬，人人称颂。"
    assert repaired("这是行业的圭臬。") == "这是行业的标准。"
