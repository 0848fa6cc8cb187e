"""Glossary enforcement, proven through a deterministic engine with the real engines' protocol."""

import json
import re

import pytest

from translate.glossary.matcher import TermMatcher, present, protect, restore
from translate.glossary.model import Entry, Glossary
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file


def glossary(*rows):
    return Glossary([Entry(list(s.split("|")), t, k) for s, t, k in rows], digest="test")


GLOSSARY = glossary(("日活|日活跃用户", "DAU", "term"), ("开源", "open source|open-source", "term"),
                    ("A100", "A100", "keep"), ("幻方量化|幻方", "High-Flyer", "name"))


def test_longest_match_first_and_never_inside_a_longer_term():
    spans = TermMatcher(GLOSSARY).find("日活跃用户和日活,幻方量化与幻方")
    assert [(s.source, s.key) for s in spans] == [("日活跃用户", "日活"), ("日活", "日活"), ("幻方量化", "幻方量化"),
                                                  ("幻方", "幻方量化")]


def test_latin_terms_need_word_boundaries():
    assert [s.source for s in TermMatcher(GLOSSARY).find("A100和A1000,XA100")] == ["A100"]


def test_full_width_letters_and_digits_match_a_half_width_term():
    spans = TermMatcher(GLOSSARY).find("英伟达的Ａ１００芯片，不是Ａ１０００")
    assert [(s.source, s.key, s.start) for s in spans] == [("Ａ１００", "A100", 4)]


def test_adjective_form_before_a_noun():
    spans = TermMatcher(GLOSSARY).find("开源模型登顶开源第一,支持开源")
    assert [s.targets[0] for s in spans] == ["open-source", "open source", "open source"]


def test_protect_and_restore_both_strategies():
    text = "DeepSeek的日活突破"
    spans = TermMatcher(GLOSSARY).find(text)
    assert protect(text, spans, "inline") == "DeepSeek的DAU突破"
    assert protect(text, spans, "placeholder") == "DeepSeek的ZX1突破"
    assert restore("DeepSeek's zx 1 broke", spans, "placeholder") == "DeepSeek's DAU broke"
    assert restore("left ZX7 over", spans, "placeholder") == "left over"


def test_presence_is_case_insensitive_and_plural_tolerant():
    span = TermMatcher(glossary(("大模型", "large model", "term"))).find("大模型")[0]
    assert present("Large Models rose", span) and present("large-model race", span) and not present("model", span)


def write(tmp_path, text):
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(tmp_path, text, engine, **options):
    gl = tmp_path / "g.csv"
    gl.write_text("source,target,kind,note\n日活,DAU,term,\n幻方,High-Flyer,name,\n开源,open source|open-source,term,\n",
                  encoding="utf-8")
    opts = RunOptions(out_dir=str(tmp_path / "out"), formats=("json",), glossaries=[str(gl)], default_glossary=False,
                      quiet=True, use_cache=False, force=True, **options)
    try:
        run_file(write(tmp_path, text), opts, load_engine=lambda: engine)
    except Exception as exc:  # RunFailed still writes outputs
        if getattr(exc, "exit_code", None) != 1:
            raise
    return json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))


def test_terms_are_enforced_and_reported(tmp_path, rule_engine):
    data = run(tmp_path, "标题\n幻方的日活突破了,开源模型。\n", rule_engine())
    block = data["blocks"][1]
    assert "High-Flyer" in block["translation"] and "DAU" in block["translation"]
    assert "open-source" in block["translation"]
    assert all(t["enforced"] for t in block["terms"]) and not block["flags"]
    assert {t["source"]: (t["occurrences"], t["enforced"], t["missing"]) for t in data["terms"]} == {
        "日活": (1, 1, 0), "幻方": (1, 1, 0), "开源": (1, 1, 0)}


def test_a_term_dropped_inline_is_recovered_with_placeholders(tmp_path, rule_engine):
    engine = rule_engine(drop=["DAU"])  # drops the inline target, but copies placeholders
    data = run(tmp_path, "标题\n幻方的日活突破了。\n", engine)
    block = data["blocks"][1]
    assert "DAU" in block["translation"]
    assert [t["strategy"] for t in block["terms"] if t["source"] == "日活"] == ["placeholder"]
    assert any("ZX1" in text or "ZX2" in text for call in engine.calls for text in call)


def test_a_term_the_engine_always_drops_is_flagged_never_leaked(tmp_path, rule_engine):
    engine = rule_engine(drop=["DAU"], alter_placeholders=lambda token: "")
    data = run(tmp_path, "标题\n幻方的日活突破了。\n", engine)
    block = data["blocks"][1]
    assert [f["code"] for f in block["flags"]].count("term-missing") == 1
    assert "日活" in [f["span"] for f in block["flags"]]
    assert data["terms"][0]["missing"] + data["terms"][1]["missing"] == 1
    assert "ZX" not in block["translation"]


def test_an_altered_placeholder_is_recovered_or_flagged_never_leaked(tmp_path, rule_engine):
    spaced = run(tmp_path, "标题\n日活突破了。\n", rule_engine(drop=["DAU"], alter_placeholders=lambda t: "z x " + t[2:]))
    assert "DAU" in spaced["blocks"][1]["translation"] and not spaced["blocks"][1]["flags"]
    wrong = run(tmp_path, "标题\n日活突破了。\n", rule_engine(drop=["DAU"], alter_placeholders=lambda t: "ZX99"))
    assert "ZX" not in wrong["blocks"][1]["translation"]
    assert [f["code"] for f in wrong["blocks"][1]["flags"]] == ["term-missing"]


def test_large_numbers_come_out_right_whatever_the_engine_does(tmp_path, rule_engine):
    # The rule engine renders 万 as "ten-thousand": protection must not let it.
    data = run(tmp_path, "标题\n日活已达2215万,超过2000万和1695万,投资10亿元,有1万张A100芯片,用户2亿。\n", rule_engine())
    translation = data["blocks"][1]["translation"]
    for english in ("22.15 million", "20 million", "16.95 million", "1 billion yuan", "10,000", "200 million"):
        assert english in translation
    assert not [f for f in data["blocks"][1]["flags"] if f["code"] == "number"]


def test_example_article_numbers_are_right_in_the_output(tmp_path, article_path, rule_engine):
    # The rule engine renders 万 as "ten-thousand" and 亿 as "hundred-million": wrong, unless protected.
    opts = RunOptions(out_dir=str(tmp_path / "o"), formats=("json",), quiet=True, use_cache=False)
    run_file(str(article_path), opts, load_engine=lambda: rule_engine())
    data = json.loads((tmp_path / "o" / "why-bat-did-not-build-deepseek.zh.json").read_text(encoding="utf-8"))
    text = " ".join(b["translation"] for b in data["blocks"])
    for english in ("20 million", "15 million", "22.15 million", "16.95 million", "200 million", "1 billion yuan",
                    "10,000"):
        assert english in text, english
    assert not re.search(r"\d\s*(ten-thousand|hundred-million)", text)
    assert not [f for b in data["blocks"] for f in b["flags"] if f["code"] == "number"]


def contextual(*rows):
    return Glossary([Entry(list(s.split("|")), t, k, context=c) for s, t, k, c in rows], digest="test")


def found(matcher, text):
    result = matcher.analyse(text)
    return [s.source for s in result.enforce], [s.source for s in result.ambiguous]


def test_chinese_terms_match_only_where_they_are_whole_words():
    matcher = TermMatcher(glossary(("阿里", "Alibaba", "name"), ("开源", "open source", "term"),
                                   ("日活", "DAU", "term"), ("百度", "Baidu", "name")))
    assert found(matcher, "阿里山的风景很美,阿里的股价涨了。") == (["阿里"], [])
    assert [s.start for s in matcher.find("阿里山的风景很美,阿里的股价涨了。")] == [9]
    assert found(matcher, "开源节流是持家之道。节日活动很多。") == ([], [])
    assert found(matcher, "百度百科和腾讯、阿里、百度") == (["百度", "阿里", "百度"], [])


def test_a_company_list_satisfies_a_list_context():
    matcher = TermMatcher(contextual(("字节", "ByteDance", "name", "跳动|抖音|@list"),
                                     ("阿里", "Alibaba", "name", ""), ("腾讯", "Tencent", "name", "")))
    assert found(matcher, "字节、阿里、腾讯都在做大模型。") == (["字节", "阿里", "腾讯"], [])
    assert found(matcher, "字节和阿里都在做大模型。") == (["字节", "阿里"], [])
    assert found(matcher, "字节最近很忙,阿里也是。") == (["阿里"], ["字节"])  # near, but not a list


def test_negative_context_is_another_sense_and_a_failed_positive_one_is_ambiguous():
    matcher = TermMatcher(contextual(("字节", "ByteDance", "name", r"跳动|公司;!re:\d\s*字节;!比特")))
    assert found(matcher, "该文件大小为1024字节。") == ([], [])
    assert found(matcher, "一个字节等于8比特。") == ([], [])
    assert found(matcher, "字节公司很年轻。") == (["字节"], [])
    assert found(matcher, "字节最近很忙。") == ([], ["字节"])


def test_regex_conditions_apply_only_around_the_match():
    matcher = TermMatcher(contextual(("百度", "Baidu", "name", r"!re:[0-9两数]\s*百度")))
    assert [s.start for s in matcher.find("水温达到两百度,百度地图显示附近有温泉。")] == [8]


def test_nearby_means_the_same_sentence_within_twenty_characters():
    matcher = TermMatcher(contextual(("字节", "ByteDance", "name", "公司")))
    assert found(matcher, "这家公司很好。字节很忙。") == ([], ["字节"])
    assert found(matcher, "字节" + "很" * 25 + "公司") == ([], ["字节"])
    assert found(matcher, "字节" + "很" * 10 + "公司") == (["字节"], [])


def test_all_capital_latin_entries_are_case_sensitive_others_are_not():
    matcher = TermMatcher(contextual(("BAT", "BAT", "keep", ""), ("AI", "AI", "keep", ""),
                                     ("DeepSeek", "DeepSeek", "name", ""), ("Kimi", "Kimi", "keep", "@case"),
                                     ("GPU", "GPU", "keep", "@anycase")))
    assert found(matcher, "BAT和bat,BATTERY,MAIL与AI,Ai")[0] == ["BAT", "AI"]
    spans = matcher.find("deepseek和DEEPSEEK,kimi和Kimi,gpu")
    assert [(s.source, s.targets[0]) for s in spans] == [("deepseek", "DeepSeek"), ("DEEPSEEK", "DeepSeek"),
                                                         ("Kimi", "Kimi"), ("gpu", "GPU")]


def test_word_bounds_are_memoised_so_a_rerun_need_not_segment(monkeypatch):
    import translate.glossary.word_bounds as word_bounds

    memo = {}

    class Memo:
        get, put = staticmethod(memo.get), staticmethod(memo.__setitem__)

    text = "阿里山的风景很美,阿里的股价涨了。"
    first = TermMatcher(glossary(("阿里", "Alibaba", "name")), memo=Memo()).find(text)
    monkeypatch.setattr(word_bounds, "tokenizer_for", lambda words: pytest.fail("segmented again"))
    again = TermMatcher(glossary(("阿里", "Alibaba", "name")), memo=Memo()).find(text)
    assert [s.start for s in again] == [s.start for s in first] == [9] and len(memo) == 1


def test_glossary_words_never_reach_the_global_jieba_dictionary():
    import jieba

    TermMatcher(glossary(("蓝鲸智算云", "Blue Whale Cloud", "name"))).find("蓝鲸智算云发布了新模型")
    jieba.dt.check_initialized()
    assert "蓝鲸智算云" not in jieba.dt.FREQ
