"""The language-model judge of ambiguous spun forms (repair/judge.py), through a deterministic scorer with the
interface of the real one (repair/language_model.py SentenceScorer): what the model says is set by the test."""

import subprocess
import sys

import pytest

from translate.errors import InputError
from translate.repair import default_table, gate_evidence
from translate.repair.judge import THRESHOLD, TRUSTED_FLOOR, rejudge
from translate.repair.language_model import load_scorer
from translate.repair.restore import clean_lines, repair_document, restore_text
from translate.repair.table import ALWAYS, CONTEXT

# A spun passage (东谈主, 作念, 莫得 are no words) with everyday forms that the table also reads as spun.
SPUN = ("东谈主们莫得想到，这家公司当年作念的居品在群众市集上卖得很好。"
        "记者了解到，不少东谈主觉得该公司作念事很认真，截至面前还莫得收到投诉。")
CLEAN = "国家统计局今天发布数据，十月份全国居民消费价格同比上涨百分之零点三。专家表示，物价总体保持稳定。"


class PhraseScorer:
    """Log-likelihood = the bonuses of the phrases a text contains, minus a little per character."""

    name = "phrase-test-scorer"

    def __init__(self, bonuses: dict[str, float] | None = None):
        self.bonuses, self.calls, self.texts = bonuses or {}, 0, 0

    def log_likelihoods(self, texts, progress=None):
        self.calls += 1
        self.texts += len(texts)
        if progress:
            progress(len(texts))
        return [sum(v for k, v in self.bonuses.items() if k in t) - 0.1 * len(t) for t in texts]


def _context_sites(text):
    table = default_table()
    return [(m.start(), m.group()) for m in table.pattern.finditer(text) if table.kind(m.group()) == CONTEXT]


def _first_pass(text):
    table = default_table()
    evidence = gate_evidence(text, table)
    assert evidence.spun
    return table, evidence, restore_text(text, table, spun_document=True, evidence=evidence)


def test_the_model_restores_a_site_the_table_left_and_keeps_one_it_would_have_changed():
    table, evidence, (_, first) = _first_pass(SPUN)
    repaired_first = {r.offset for r in first}
    sites = _context_sites(SPUN)
    left = [(o, f) for o, f in sites if o not in repaired_first]
    changed = [(o, f) for o, f in sites if o in repaired_first]
    assert left and changed, "the example needs a site of each kind"
    (left_at, left_form), (changed_at, changed_form) = left[0], changed[0]
    left_original = table.rules[left_form][0].original
    changed_repair = next(r for r in first if r.offset == changed_at)
    scorer = PhraseScorer({SPUN[left_at - 2:left_at] + left_original: 40.0,  # the model reads the original here
                           SPUN[changed_at - 2:changed_at] + changed_form: 40.0})  # and the form as written here
    text, repairs = restore_text(SPUN, table, spun_document=True, evidence=evidence, scorer=scorer)
    by_offset = {r.offset: r for r in repairs}
    assert by_offset[left_at].restored == left_original and by_offset[left_at].confidence >= THRESHOLD
    assert changed_at not in by_offset, changed_repair
    assert changed_form in text and "东谈主" not in text


def test_a_neutral_model_adds_nothing_and_always_forms_stay_repaired():
    table, evidence, (_, first) = _first_pass(SPUN)
    against = PhraseScorer({f: 40.0 for _, f in _context_sites(SPUN)})  # every form read as written
    _, repairs = restore_text(SPUN, table, spun_document=True, evidence=evidence, scorer=PhraseScorer())
    assert {r.offset for r in repairs} <= {r.offset for r in first}
    _, repairs = restore_text(SPUN, table, spun_document=True, evidence=evidence, scorer=against)
    assert all(r.rule == ALWAYS for r in repairs) and len(repairs) == sum(r.rule == ALWAYS for r in first)


def test_a_trusted_first_pass_repair_stands_unless_the_model_finds_it_unlikely():
    table, evidence, (_, first) = _first_pass(SPUN)
    trusted = [r for r in first if r.rule == CONTEXT and r.confidence >= 0.85]
    assert trusted
    site = trusted[0]
    # Mildly for the original: not enough for the model to add the repair alone, enough to keep the table's.
    mild = PhraseScorer({SPUN[site.offset - 2:site.offset] + site.restored: 2.0})
    kept = rejudge(SPUN, first, table, evidence, mild, lambda _: 3)[1]
    assert any(r.offset == site.offset and r.restored == site.restored for r in kept)
    untrusted = [r.offset for r in first if r.rule == CONTEXT and r.confidence < 0.85]
    assert not untrusted or all(r.offset not in untrusted or r.confidence >= THRESHOLD for r in kept)
    against = PhraseScorer({SPUN[site.offset - 2:site.offset] + site.spun: 40.0})
    judged = rejudge(SPUN, first, table, evidence, against, lambda _: 3)[1]
    assert all(r.offset != site.offset for r in judged)
    assert TRUSTED_FLOOR < THRESHOLD


def test_clean_text_never_reaches_the_model():
    scorer = PhraseScorer({"全球": 50.0, "目前": 50.0})
    text, repairs = clean_lines(CLEAN + "\n" + CLEAN, scorer=scorer)
    assert text == CLEAN + "\n" + CLEAN and repairs == [] and scorer.calls == 0


def test_a_document_is_scored_in_one_batch_and_its_memo_is_kept_per_model(tmp_path):
    from translate.document import Block, BlockKind, Document

    class Memo(dict):
        def get(self, key):
            return super().get(key)

        def put(self, key, value):
            self[key] = value

    paragraphs = [SPUN, SPUN.replace("记者", "本报记者"), SPUN[:30]]
    scorer = PhraseScorer()
    text, _ = clean_lines("\n".join(paragraphs), scorer=scorer, progress=True)
    assert scorer.calls > 0 and "东谈主" not in text
    first_call_texts = scorer.texts

    def document():
        return Document(name="x", blocks=[Block(id=f"p{i}", kind=BlockKind.PARAGRAPH, source=p)
                                                     for i, p in enumerate(paragraphs)])

    memo, favour_market = Memo(), PhraseScorer({"截至目前": 40.0})
    doc = document()
    repair_document(doc, memo=memo, scorer=PhraseScorer())
    assert doc.spin["model"] == "phrase-test-scorer" and first_call_texts
    again = document()
    favour_market.name = "another-model"
    repair_document(again, memo=memo, scorer=favour_market)
    assert favour_market.calls > 0  # another model's decisions are not served from the first one's memo
    assert any(r.restored == "目前" for b in again.blocks for r in b.repairs)
    assert not any(r.restored == "目前" for b in doc.blocks for r in b.repairs)


def test_repair_model_choices():
    assert load_scorer("off") is None
    with pytest.raises(InputError):
        load_scorer("/no/such/model/folder")


def test_clean_with_a_missing_repair_model_is_one_line_and_exit_2(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(SPUN, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "translate", "clean", str(source), "--repair-model",
                             str(tmp_path / "nothing")], capture_output=True, text=True)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "--repair-model off" in result.stderr
    result = subprocess.run([sys.executable, "-m", "translate", "clean", str(source), "--repair-model", "off"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "人们没有想到" in result.stdout


def test_a_document_too_long_for_the_model_is_decided_by_the_table_with_a_warning(monkeypatch):
    from translate.document import Block, BlockKind, Document
    from translate.repair import restore

    monkeypatch.setattr(restore, "JUDGE_SENTENCE_LIMIT", 3)
    scorer = PhraseScorer({"截至目前": 40.0})

    def document():
        return Document(name="x", blocks=[Block(id=f"p{i}", kind=BlockKind.PARAGRAPH, source=SPUN) for i in range(3)])

    judged_out, table_only = document(), document()
    repair_document(judged_out, scorer=scorer)
    repair_document(table_only)
    assert scorer.calls == 0 and any("language model" in w for w in judged_out.warnings)
    assert [b.repaired for b in judged_out.blocks] == [b.repaired for b in table_only.blocks]
    assert clean_lines(SPUN + "\n" + SPUN, scorer=scorer)[0] == clean_lines(SPUN + "\n" + SPUN)[0]
    assert scorer.calls == 0


def test_a_first_run_without_its_model_fails_before_the_repair_stage(tmp_path, monkeypatch):
    from translate.engines.base import EngineSettings
    from translate.errors import ModelError
    from translate.pipeline import run as pipeline_run
    from translate.pipeline.options import RunOptions

    source = tmp_path / "a.txt"
    source.write_text(SPUN + "\n", encoding="utf-8")
    repaired = []
    monkeypatch.setattr(pipeline_run, "repair_document", lambda *a, **k: repaired.append(1))
    monkeypatch.setattr(pipeline_run, "load_scorer", lambda choice: PhraseScorer())  # a judge that would run
    options = RunOptions(out_dir=str(tmp_path / "out"), quiet=True,
                         engine=EngineSettings(model=str(tmp_path / "no-model")))
    with pytest.raises(ModelError):
        pipeline_run.run_file(str(source), options)
    assert repaired == []


def test_a_site_no_reading_of_the_model_could_restore_is_not_read():
    # 事发住户: the word cue weighs so much against 居民 that even the model's strongest reading (its log-odds
    # are capped) could not reach the threshold, so the judge keeps the form without scoring its sentence.
    text = SPUN + "事发住户告诉记者，东谈主们莫得想到会这样。"
    table, evidence, _ = _first_pass(text)
    at = text.index("事发住户") + 2
    scorer = PhraseScorer({"事发居民": 1000.0})
    repaired, repairs = restore_text(text, table, spun_document=True, evidence=evidence, scorer=scorer)
    assert at not in {r.offset for r in repairs} and "事发住户" in repaired
    asked = []
    recording = PhraseScorer()
    recording.log_likelihoods = lambda texts, progress=None: asked.extend(texts) or [0.0] * len(texts)
    restore_text(text, table, spun_document=True, evidence=evidence, scorer=recording)
    assert asked and not any("住户告诉" in t or "居民告诉" in t for t in asked)


def test_a_site_that_opens_its_sentence_is_read_with_the_end_of_the_sentence_before():
    """With no left context the model's odds would be those of two sentence openers (当年十年 / 过去十年)."""
    text = "东谈主们莫得想到，这家公司的居品卖得很好。当年十年里，不少东谈主作念事很认真，截至面前还莫得收到投诉。"
    seen = []

    class RecordingScorer(PhraseScorer):
        def log_likelihoods(self, texts, progress=None):
            seen.extend(texts)
            return super().log_likelihoods(texts, progress)

    table, evidence, _ = _first_pass(text)
    assert (text.index("当年"), "当年") in _context_sites(text)
    restore_text(text, table, spun_document=True, evidence=evidence, scorer=RecordingScorer())
    as_written = [t for t in seen if "当年十年里" in t]
    assert as_written and all("卖得很好。" in t for t in as_written), seen
    assert any("卖得很好。过去十年里" in t for t in seen), seen
    # a site inside the sentence is still read from its sentence's start
    assert all(t.startswith("过去十年里") for t in seen if "做事很负责" in t), seen


def test_the_site_study_replays_the_judges_own_decisions():
    """translate.measure.judge_sites replays decisions from recorded features: with the shipped settings it must
    decide every site as the judge did, or its counterfactual figures (README, round seven) mean nothing."""
    from translate.measure.judge_sites import document_rows, replay

    table, evidence, _ = _first_pass(SPUN)
    sites = _context_sites(SPUN)
    # The model reads every other form as its original and the rest as written, strongly: both decisions occur.
    scorer = PhraseScorer({SPUN[o - 2:o] + (table.rules[f][0].original if i % 2 else f): 40.0
                           for i, (o, f) in enumerate(sites)})
    _, repairs = restore_text(SPUN, table, spun_document=True, evidence=evidence, scorer=scorer)
    judged = {r.offset: r.restored for r in repairs if r.rule == CONTEXT}
    rows = document_rows(SPUN, judged, scorer, "test", "spun")
    read_sites = {row.start for row in rows}
    assert judged and set(judged) <= read_sites and read_sites - set(judged), "both decisions must be exercised"
    assert replay(rows) == {"test": [len(judged), 0, 0]}
    everything_genuine = document_rows(SPUN, {}, scorer, "test", "spun")
    assert replay(everything_genuine) == {"test": [0, len(judged), 0]}
    assert replay(everything_genuine, threshold=1.01, floor=1.01) == {"test": [0, 0, 0]}
    assert document_rows(CLEAN, {}, scorer, "test", "clean") == []  # the gate reads it clean: no judge
    # A trusted first-pass repair the model only mildly supports stands; undone when the floor is raised.
    site = next(r for r in _first_pass(SPUN)[2][1] if r.rule == CONTEXT and r.confidence >= 0.85)
    mild = PhraseScorer({SPUN[site.offset - 2:site.offset] + site.restored: 2.0})
    _, repairs = restore_text(SPUN, table, spun_document=True, evidence=evidence, scorer=mild)
    judged = {r.offset: r.restored for r in repairs if r.rule == CONTEXT}
    assert judged.get(site.offset) == site.restored
    rows = document_rows(SPUN, judged, mild, "test", "spun")
    assert replay(rows) == {"test": [len(judged), 0, 0]}
    assert replay(rows, floor=1.01)["test"][2] >= 1


def test_the_site_study_fits_known_weights_and_pools_a_forms_other_sites():
    import math
    import random

    from translate.measure.judge_sites import SiteRow, fit, leave_one_out, pool

    rng, true, bias = random.Random(7), (0.4, 0.3, 0.2, 0.5), -1.0
    rows = []
    for i in range(4000):
        x = tuple(rng.uniform(-6, 6) for _ in range(4))
        p = 1 / (1 + math.exp(-(sum(w * v for w, v in zip(true, x)) + bias)))
        rows.append(SiteRow("a" if i % 2 else "b", f"d{i % 50}", i, "群众", "全球", x, None,
                            "全球" if rng.random() < p else None))
    weights, intercept = fit(rows, l2=0.0)
    assert all(abs(w - t) < 0.1 for w, t in zip(weights, true)) and abs(intercept - bias) < 0.2, (weights, intercept)
    assert set(leave_one_out(rows)) == {"a", "b"}
    pair = [SiteRow("a", "doc", 0, "群众", "全球", (2.0, 0, 0, 0), None, None),
            SiteRow("a", "doc", 9, "群众", "全球", (-1.0, 0, 0, 0), None, None),
            SiteRow("a", "other", 0, "群众", "全球", (5.0, 0, 0, 0), None, None)]
    pool(pair, weights=(1.0, 0, 0, 0), intercept=0.0)
    assert [row.pooled for row in pair] == [-1.0, 2.0, 0.0]
