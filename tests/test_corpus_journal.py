"""What the journal lets a re-run do: an edited article runs again (its outputs replaced only while no one
edited them), a re-run from another working folder is the same run, two runs into one folder never write an
article twice, and a model replaced in place or another repair judge is another signature."""

import json
import os
from pathlib import Path

import pytest

from translate import translate_corpus
from translate.engines import engine_kind
from translate.engines.base import EngineSettings
from translate.pipeline import corpus_window
from translate.pipeline.journal import JOURNAL_NAME
from translate.pipeline.options import RunOptions, signature

FORMATS = ("json", "md")


def _articles(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text("北京市今天发布了新的交通政策。\n专家表示，这项政策有助于缓解拥堵。\n", encoding="utf-8")
    (folder / "b.txt").write_text("公司用户达到一百万。\n", encoding="utf-8")


def _run(source, out, rule_engine, **settings):
    engine = rule_engine()
    return translate_corpus([source], out, load_engine=lambda: engine, formats=FORMATS, **settings)


def test_an_edited_article_runs_again_unless_its_outputs_were_edited(tmp_path, rule_engine):
    source, out = tmp_path / "in", tmp_path / "out"
    _articles(source)
    _run(source, out, rule_engine)
    with (source / "a.txt").open("a", encoding="utf-8") as handle:
        handle.write("气象部门预计本周将有大雨。\n")
    again = _run(source, out, rule_engine)
    assert {Path(a["input"]).name: a["status"] for a in again.articles} == {"a.txt": "translated", "b.txt": "skipped"}
    assert "大雨" in (out / "a.bilingual.md").read_text(encoding="utf-8")
    (out / "a.bilingual.md").write_text("An editor's notes, typed into the output file.", encoding="utf-8")
    (source / "a.txt").write_text("另一篇文章。\n", encoding="utf-8")
    refused = _run(source, out, rule_engine)
    assert [a["status"] for a in refused.articles if Path(a["input"]).name == "a.txt"] == ["error"]
    assert (out / "a.bilingual.md").read_text(encoding="utf-8") == "An editor's notes, typed into the output file."


def test_a_rerun_from_another_working_folder_is_the_same_run(tmp_path, rule_engine, monkeypatch):
    source, out = tmp_path / "in", tmp_path / "out"
    _articles(source)
    monkeypatch.chdir(tmp_path)
    _run(Path("in"), Path("out"), rule_engine)
    monkeypatch.chdir(source)
    again = _run(Path("."), Path("../out"), rule_engine)
    assert [a["status"] for a in again.articles] == ["skipped", "skipped"]
    journal = json.loads((out / JOURNAL_NAME).read_text(encoding="utf-8"))
    assert all("/" not in name for entry in journal.values() for name in entry["outputs"])


def test_an_article_another_run_wrote_meanwhile_is_skipped_not_written_twice(tmp_path, rule_engine, monkeypatch):
    source, out = tmp_path / "in", tmp_path / "out"
    _articles(source)
    real_translate = corpus_window.CorpusRun._translate
    writes = []
    real_write = corpus_window.write_outputs

    def count_writes(document, *args, **kwargs):
        writes.append(document.name)
        return real_write(document, *args, **kwargs)

    def other_run_first(self, prepared):  # the other run finishes both articles while this one translates
        monkeypatch.setattr(corpus_window.CorpusRun, "_translate", real_translate)
        _run(source, out, rule_engine)
        return real_translate(self, prepared)

    monkeypatch.setattr(corpus_window, "write_outputs", count_writes)
    monkeypatch.setattr(corpus_window.CorpusRun, "_translate", other_run_first)
    late = _run(source, out, rule_engine)
    assert [a["status"] for a in late.articles] == ["skipped", "skipped"]
    assert sorted(writes) == ["a", "b"]  # each article written once, by the run that got there first


def test_a_model_replaced_in_place_or_another_repair_judge_is_another_signature(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.bin").write_bytes(b"old weights")
    settings = EngineSettings(model=str(model))
    before = engine_kind(settings).signature(settings)
    (model / "model.bin").write_bytes(b"new weights, a bigger file")
    assert engine_kind(settings).signature(settings) != before
    glossary = type("G", (), {"digest": "g"})()
    judged = [signature(RunOptions(repair_model=choice), glossary)["repair_model"] for choice in ("off", str(model))]
    assert judged[0] == "off" and judged[1].startswith("model:")


@pytest.fixture(autouse=True)
def _no_environment_judge(monkeypatch):
    monkeypatch.setenv("TRANSLATE_REPAIR_MODEL", os.environ.get("TRANSLATE_REPAIR_MODEL", "off"))


def test_an_input_named_twice_runs_once_and_no_article_takes_the_summarys_name(tmp_path, rule_engine):
    source, out = tmp_path / "in", tmp_path / "out"
    _articles(source)
    (source / "corpus-summary.txt").write_text("一篇叫这个名字的文章。\n", encoding="utf-8")
    engine = rule_engine()
    result = translate_corpus([source, source, source / "a.txt"], out, load_engine=lambda: engine, formats=FORMATS)
    statuses = {Path(a["input"]).name: a["status"] for a in result.articles}
    assert len(result.articles) == 3 and statuses["a.txt"] == statuses["b.txt"] == "translated"
    assert statuses["corpus-summary.txt"] == "error"
    assert "articles" in json.loads((out / "corpus-summary.json").read_text(encoding="utf-8"))
