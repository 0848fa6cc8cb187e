"""One run record read back from every review file; engines and output formats plugged by what they are."""

import json

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.engines import ENGINES, EngineKind
from translate.engines.base import EngineSettings
from translate.errors import InputError
from translate.formats import FORMATS
from translate.formats.record import load_record, read_record_file
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file


def _article(tmp_path, text="标题\n公司的用户达到一百万。\n开源的公司。\n"):
    path = tmp_path / "news.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("data, problem", [
    ([], "not a JSON object"),
    ({"blocks": 5}, "no list of blocks"),
    ({"blocks": [{"id": "b1", "translation": "x"}]}, "block 1 has no source text"),
    ({"blocks": [{"id": "b1", "source": "s", "translation": "x", "kind": "sidebar"}]}, "unknown kind 'sidebar'"),
    ({"blocks": [{"id": "b1", "source": "s", "translation": "x", "flags": [{"code": "x", "severity": "fatal"}]}]},
     "malformed flags"),
    ({"blocks": [{"id": "b1", "source": "s", "translation": "x"}] * 2}, "two blocks share an id"),
    ({"signature": [], "blocks": []}, "signature is not an object"),
])
def test_malformed_run_data_is_one_line_naming_the_file(data, problem):
    with pytest.raises(InputError) as raised:
        load_record(data, "edited.docx")
    message = str(raised.value)
    assert message.startswith("edited.docx: ") and problem in message and "\n" not in message


def test_the_run_json_is_the_record_with_details(tmp_path, rule_engine):
    result = run_file(str(_article(tmp_path)), RunOptions(out_dir=str(tmp_path / "out"), formats=("json",),
                                                          quiet=True), load_engine=lambda: rule_engine())
    record = read_record_file(str(tmp_path / "out" / "news.json"))
    assert [b.id for b in record.blocks] == [b.id for b in result.document.blocks]
    assert [b.translation for b in record.blocks] == [b.translation for b in result.document.blocks]
    assert record.source_file == str(tmp_path / "news.txt") and record.signature["tool"].startswith("translate")
    data = json.loads((tmp_path / "out" / "news.json").read_text(encoding="utf-8"))
    assert "terms" in data["blocks"][0] and data["summary"]["blocks"] == len(record.blocks)


def test_forged_run_data_in_a_docx_is_refused_in_one_line(tmp_path, rule_engine):
    import zipfile

    run_file(str(_article(tmp_path)), RunOptions(out_dir=str(tmp_path / "out"), formats=("docx",), quiet=True),
             load_engine=lambda: rule_engine())
    original = tmp_path / "out" / "news.bilingual.docx"
    forged = tmp_path / "forged.bilingual.docx"
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(forged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith(".json"):
                data = json.dumps({"blocks": [{"id": "b1", "kind": "sidebar", "source": "s", "translation": "t"}]}).encode()
            target.writestr(item, data)
    done = CliRunner().invoke(cli, ["review", "import", str(forged), "-o", str(tmp_path / "review")])
    assert done.exit_code == 2 and "unknown kind" in done.output and "Traceback" not in done.output


def test_xliff_21_survives_a_control_character_in_a_translation(tmp_path, rule_engine):
    class Noisy(rule_engine):
        def translate_one(self, text):
            return super().translate_one(text) + "\x07\x1b"

    run_file(str(_article(tmp_path)), RunOptions(out_dir=str(tmp_path / "out"), formats=("xliff",), quiet=True,
                                                 xliff_version="2.1"), load_engine=lambda: Noisy())
    from lxml import etree

    root = etree.parse(str(tmp_path / "out" / "news.xlf")).getroot()
    assert root.get("version") == "2.1" and "\x07" not in etree.tostring(root, encoding="unicode")


def test_the_summary_reports_each_stage_in_seconds(tmp_path, rule_engine):
    result = run_file(str(_article(tmp_path)), RunOptions(out_dir=str(tmp_path / "out"), formats=("md",), quiet=True),
                      load_engine=lambda: rule_engine())
    stages = result.summary["stage_seconds"]
    assert list(stages) == ["read", "repair", "translate", "qa", "write"]
    assert all(value >= 0 for value in stages.values()) and stages["write"] > 0


class EchoBlockEngine:
    """A block engine that is not the OpenAI one: it answers each request with its text in brackets."""

    name = "echo-blocks"
    unit = "block"
    max_input_tokens = 0

    def translate(self, requests, progress=None, on_result=None):
        results = []
        for index, request in enumerate(requests):
            results.append(f"[{request.text}]")
            if on_result:
                on_result(index, results[-1])
            if progress:
                progress(1)
        return results


def test_a_second_block_engine_needs_no_pipeline_change(tmp_path, monkeypatch):
    kind = EngineKind("echo", "block", lambda settings: EchoBlockEngine(), lambda settings: {"engine": "echo"})
    monkeypatch.setitem(ENGINES, "echo", kind)
    options = RunOptions(out_dir=str(tmp_path / "out"), formats=("json",), quiet=True, default_glossary=False,
                         engine=EngineSettings(engine="echo", api_model="m"))
    result = run_file(str(_article(tmp_path)), options)
    blocks = result.document.blocks
    assert [b.translation for b in blocks] == [f"[{b.text}]" for b in blocks]  # whole blocks, not sentences
    assert {b.engine for b in blocks} == {"echo:m"}


def test_every_format_is_one_registry_entry_with_a_suffix_and_a_writer(tmp_path, rule_engine):
    options = RunOptions(out_dir=str(tmp_path / "out"), formats=tuple(FORMATS), quiet=True)
    result = run_file(str(_article(tmp_path)), options, load_engine=lambda: rule_engine())
    suffixes = sorted(f.suffix for files in FORMATS.values() for f in files)
    assert sorted("." + p.name.split(".", 1)[1] for p in result.outputs) == suffixes
    assert all(p.stat().st_size > 0 for p in result.outputs)


def test_debug_comes_from_the_command_line_parser(tmp_path):
    missing = str(tmp_path / "missing.txt")
    plain = CliRunner().invoke(cli, ["run", missing, "-o", str(tmp_path / "out")])
    assert plain.exit_code == 2 and plain.output.count("\n") == 1 and "no such file" in plain.output
    debug = CliRunner().invoke(cli, ["run", missing, "-o", str(tmp_path / "out"), "--debug"])
    # the traceback is shown, and the exit status stays what scripts rely on
    assert debug.exit_code == 2 and "Traceback" in debug.output and "InputError" in debug.output


def test_the_api_checks_formats_as_the_command_does_and_wants_an_input(tmp_path, rule_engine):
    import translate

    article = tmp_path / "a.txt"
    article.write_text("标题\n公司用户达到一百万。\n", encoding="utf-8")
    for wrong in (["pdf"], "docx,pdf"):
        with pytest.raises(InputError, match="use a subset of"):
            translate.translate_file(article, out_dir=str(tmp_path / "out"), formats=wrong,
                                     load_engine=lambda: rule_engine())
    result = translate.translate_file(article, out_dir=str(tmp_path / "out"), formats="json,md",
                                      load_engine=lambda: rule_engine())
    assert sorted(p.suffix for p in result.outputs) == [".json", ".md", ".md"]
    with pytest.raises(InputError, match="no articles given"):
        translate.translate_corpus([], tmp_path / "corpus")
