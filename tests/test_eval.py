"""`translate eval`: scores against a reference, settings side by side, the aligner on paragraph
mismatch, JSON keys. Predictable scores come from the deterministic RuleEngine; the real engine
path runs on a tiny random-weight model."""

import json

import pytest
from click.testing import CliRunner
from engines import RuleEngine

from translate.cli import cli
from translate.engines.base import EngineSettings
from translate.errors import InputError
from translate.measure.evaluate import Setting, evaluate, format_table, parse_setting, read_settings_file, reference_set

PARAGRAPHS = ["人工智能公司的用户达到2000万。", "我们开源了大模型。", "公司有1万张芯片。", "日活突破了500万。"]


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.zh.txt"
    path.write_text("\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    return path


def rule_outputs(path) -> list[str]:
    """What the pipeline makes of the article with the RuleEngine (glossary and number protection included)."""
    from translate.glossary.model import load_glossaries
    from translate.pipeline.options import RunOptions, signature
    from translate.pipeline.run import translate_document
    from translate.readers import read_document

    document = read_document(str(path))
    options = RunOptions(out_dir=str(path.parent / "rule-out"), use_cache=False, quiet=True)
    glossary = load_glossaries([])
    translate_document(document, options, glossary, signature(options, glossary), lambda: RuleEngine())
    return [b.translation for b in document.blocks]


def test_a_reference_equal_to_the_output_scores_100_chrf_and_bleu(article, tmp_path):
    reference = tmp_path / "reference.en.txt"
    reference.write_text("\n\n".join(rule_outputs(article)) + "\n", encoding="utf-8")
    report = evaluate(str(article), str(reference), [Setting("rule", EngineSettings())],
                      load_engine=lambda s: RuleEngine())
    assert report["chrf"] == 100.0 and report["bleu"] == 100.0
    result = report["settings"][0]
    assert result["aligned"] is False and result["pairs"] == len(PARAGRAPHS)
    assert result["numbers"] == {"numbers": 3, "correct": 3, "accuracy": 1.0}
    assert result["terms"]["occurrences"] >= 3 and result["terms"]["accuracy"] == 1.0
    assert report["signatures"]["bleu"].startswith("nrefs:1|") and "tok:13a" in report["signatures"]["bleu"]
    assert report["signatures"]["chrf"].startswith("nrefs:1|") and "nc:6" in report["signatures"]["chrf"]


def test_two_settings_are_scored_side_by_side_and_differ_where_their_engines_differ(article, tmp_path):
    reference = tmp_path / "reference.en.txt"
    reference.write_text("\n\n".join(rule_outputs(article)) + "\n", encoding="utf-8")
    base = EngineSettings()
    settings = [parse_setting("greedy:beams=1", base), parse_setting("beam4:beams=4", base)]
    # the "greedy" engine loses a word, the glossary term DAU (for 日活) and a number
    engines = {1: lambda: RuleEngine(drop=["company", "DAU", "5 million"],
                                    alter_placeholders=lambda token: ""), 4: RuleEngine}
    report = evaluate(str(article), str(reference), settings, load_engine=lambda s: engines[s.beams]())
    greedy, beam4 = report["settings"]
    assert [greedy["name"], beam4["name"]] == ["greedy", "beam4"]
    assert greedy["settings"] == {"beams": 1} and beam4["settings"] == {}
    assert beam4["chrf"] == beam4["bleu"] == 100.0
    assert greedy["chrf"] < 100.0 and greedy["bleu"] < 100.0
    assert report["chrf"] == greedy["chrf"]  # the top-level scores are the first setting's
    assert greedy["terms"]["correct"] < greedy["terms"]["occurrences"]
    assert greedy["numbers"]["correct"] == 2 and greedy["flags"]["number"] == 1
    assert greedy["flags"]["term-missing"] >= 1 and "term-missing" not in beam4["flags"]
    table = format_table(report).splitlines()
    assert table[0].split()[:3] == ["setting", "chrF", "BLEU"]
    assert table[1].split()[0] == "greedy" and table[2].split()[:3] == ["beam4", "100.0", "100.0"]
    assert any(line.startswith("bleu: nrefs:1|") for line in table)


def test_a_reference_with_merged_and_dropped_paragraphs_is_aligned_first(article, tmp_path):
    outputs = rule_outputs(article)
    merged = tmp_path / "merged.en.txt"
    merged.write_text(f"{outputs[0]} {outputs[1]}\n\n{outputs[2]}\n\n{outputs[3]}\n", encoding="utf-8")
    result = evaluate(str(article), str(merged), [Setting("rule", EngineSettings())],
                      load_engine=lambda s: RuleEngine())["settings"][0]
    assert result["aligned"] is True and result["reference_paragraphs"] == 3
    assert result["pairs"] == 3 and result["unpaired"] == {"blocks": 0, "reference": 0}
    assert result["chrf"] == 100.0 and result["bleu"] == 100.0  # the merged pair is scored as one
    dropped = tmp_path / "dropped.en.txt"
    dropped.write_text(f"{outputs[0]}\n\n{outputs[1]}\n\n{outputs[3]}\n", encoding="utf-8")
    result = evaluate(str(article), str(dropped), [Setting("rule", EngineSettings())],
                      load_engine=lambda s: RuleEngine())["settings"][0]
    # a short paragraph the reference lacks: dropped or joined to a neighbour, every reference paragraph paired
    assert result["aligned"] is True and result["reference_paragraphs"] == 3
    assert result["unpaired"]["reference"] == 0 and result["pairs"] + result["unpaired"]["blocks"] >= 3


def test_settings_parse_over_the_engine_options_and_from_a_toml_file(tmp_path):
    base = EngineSettings(model="models/m")
    setting = parse_setting("fast:beams=1,engine=ctranslate2,batch-tokens=512", base)
    assert (setting.name, setting.engine.beams, setting.engine.engine, setting.engine.batch_tokens,
            setting.engine.model) == ("fast", 1, "ctranslate2", 512, "models/m")
    for bad, message in [("nocolon", "NAME:key=value"), ("x:beams", "key=value"), ("x:colour=red", "unknown key"),
                         ("x:beams=many", "beams takes a int")]:
        with pytest.raises(ValueError, match=message):
            parse_setting(bad, base)
    path = tmp_path / "settings.toml"
    path.write_text('[greedy]\nbeams = 1\n\n[nllb]\nmodel = "models/nllb-ct2"\nbeams = 4\n', encoding="utf-8")
    settings = read_settings_file(str(path), base)
    assert [(s.name, s.engine.beams, s.engine.model) for s in settings] == [
        ("greedy", 1, "models/m"), ("nllb", 4, "models/nllb-ct2")]
    path.write_text("beams = 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="one \\[name\\] table per setting"):
        read_settings_file(str(path), base)


def test_the_example_reference_set_ships_with_the_package_paragraph_for_paragraph():
    source, reference = reference_set("example")
    assert source.exists() and reference.exists()
    count = [sum(1 for line in p.read_text(encoding="utf-8").splitlines() if line.strip()) for p in (source, reference)]
    assert count == [41, 41]
    with pytest.raises(InputError, match="no reference set 'flores'"):
        reference_set("flores")


def test_eval_command_prints_two_settings_side_by_side_on_a_real_engine(tiny_model):
    result = CliRunner().invoke(cli, ["eval", "--model", str(tiny_model), "--setting", "greedy:beams=1",
                                      "--setting", "beam2:beams=2", "-q"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["setting", "chrF", "BLEU"]
    assert [line.split()[0] for line in lines[1:3]] == ["greedy", "beam2"]
    assert "41 paragraph pairs" in result.stdout and "chrf: nrefs:1|" in result.stdout


def test_eval_json_has_chrf_bleu_and_every_setting(tiny_model, tmp_path):
    settings = tmp_path / "settings.toml"
    settings.write_text("[greedy]\nbeams = 1\n[short]\nbeams = 1\nmax_output_tokens = 4\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--reference-set", "example", "--model", str(tiny_model),
                                      "--settings", str(settings), "--json", "-q"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"chrf", "bleu", "signatures", "settings"} <= set(report)
    assert [s["name"] for s in report["settings"]] == ["greedy", "short"]
    short = report["settings"][1]
    assert {"chrf", "bleu", "terms", "numbers", "flags", "seconds", "tokens_per_second"} <= set(short)
    assert short["output_tokens"] < report["settings"][0]["output_tokens"]  # 4 tokens per segment at most


@pytest.mark.parametrize("args, message", [
    (["only-source.zh.txt"], "give both SOURCE and REFERENCE"),
    (["--setting", "nocolon"], "NAME:key=value"),
    (["--setting", "a:beams=1", "--setting", "a:beams=2"], "its own name"),
])
def test_bad_eval_usage_is_one_line_and_exit_2(args, message):
    result = CliRunner().invoke(cli, ["eval", *args])
    assert result.exit_code == 2 and message in result.output


def test_llm_server_settings_take_the_command_line_names_one_url_or_several(tmp_path):
    base = EngineSettings(model="models/m")
    one = parse_setting("llm:engine=openai,api-base=http://127.0.0.1:8080/v1,api-model=qwen", base)
    assert (one.engine.engine, one.engine.api_bases, one.engine.api_model) == (
        "openai", ("http://127.0.0.1:8080/v1",), "qwen")
    two = parse_setting("fleet:api-base=http://a:8000/v1|http://b:8000/v1,api-timeout=30", base)
    assert (two.engine.api_bases, two.engine.timeout) == (("http://a:8000/v1", "http://b:8000/v1"), 30.0)
    path = tmp_path / "settings.toml"
    path.write_text('[qwen]\nengine = "openai"\napi_base = ["http://a/v1", "http://b/v1"]\napi_model = "q"\n',
                    encoding="utf-8")
    assert read_settings_file(str(path), base)[0].engine.api_bases == ("http://a/v1", "http://b/v1")


def test_a_setting_the_run_command_would_refuse_is_refused_and_one_where_every_block_failed_is_failed(article,
                                                                                                      tmp_path):
    with pytest.raises(ValueError, match="beams takes 1 to 16"):
        parse_setting("zero:beams=0", EngineSettings())
    reference = tmp_path / "reference.en.txt"
    reference.write_text("\n\n".join(rule_outputs(article)) + "\n", encoding="utf-8")
    settings = [parse_setting("good:beams=4", EngineSettings()), parse_setting("broken:beams=1", EngineSettings())]
    engines = {4: RuleEngine, 1: lambda: RuleEngine(fail_on="。")}  # every paragraph ends so: every block fails
    report = evaluate(str(article), str(reference), settings, load_engine=lambda s: engines[s.beams]())
    assert report["failed_settings"] == ["broken"] and "every block failed" in report["settings"][1]["error"]
    partly = {4: RuleEngine, 1: lambda: RuleEngine(fail_on="芯片")}  # the block holding 1万 fails
    report = evaluate(str(article), str(reference), settings, load_engine=lambda s: partly[s.beams]())
    numbers = report["settings"][1]["numbers"]
    assert numbers["numbers"] < report["settings"][0]["numbers"]["numbers"]  # a failed block's numbers not counted


@pytest.mark.parametrize("content, words", [(None, "is a folder"), (b"\xff\xfe\x00bad", "not UTF-8")])
def test_a_settings_file_that_is_a_folder_or_not_text_is_one_line(tmp_path, article, content, words):
    settings = tmp_path / ("folder" if content is None else "bad.toml")
    settings.mkdir() if content is None else settings.write_bytes(content)
    result = CliRunner().invoke(cli, ["eval", str(article), str(article), "--settings", str(settings)])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1 and words in result.output
