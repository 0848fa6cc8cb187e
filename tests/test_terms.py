"""Glossary enforcement, proven through a deterministic engine with the real engines' protocol."""

import json
import re

from translate.glossary import Entry, Glossary
from translate.pipeline import RunOptions, run_file
from translate.terms import TermMatcher, present, protect, restore


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
