"""--engine openai against a real OpenAI-compatible HTTP server on loopback that misbehaves on cue."""

import json
import re
import time

import pytest

pytest.importorskip("httpx")

from translate.engines.base import EngineSettings  # noqa: E402
from translate.errors import ModelError, RunFailed  # noqa: E402
from translate.measure.loopback import Behaviour, LoopbackServer, drop_chinese  # noqa: E402
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file  # noqa: E402

ARTICLE = """开源模型的新时代
DeepSeek发布了开源大模型,日活突破2000万。
公司使用了10000张A100芯片。
用户增长很快,我们在做新的产品。
这是一个新的开始。
"""


@pytest.fixture
def small_article(tmp_path):
    path = tmp_path / "small.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def server(rule_engine):
    """A factory: server(**Behaviour fields) starts one, stopped after the test."""
    started = []

    def start(**fields):
        fields.setdefault("translate", rule_engine().translate_one)
        running = LoopbackServer(Behaviour(**fields)).__enter__()
        started.append(running)
        return running

    yield start
    for running in started:
        running.__exit__(None, None, None)


def settings_for(*servers, **fields) -> EngineSettings:
    fields.setdefault("api_model", "test-model")
    return EngineSettings(engine="openai", api_bases=tuple(s.base for s in servers), **fields)


def run(article, out, settings, **options):
    options.setdefault("formats", ("json",))
    return run_file(str(article), RunOptions(out_dir=str(out), quiet=True, force=True, engine=settings, **options))


def blocks_json(out, name="small"):
    return json.loads((out / f"{name}.json").read_text(encoding="utf-8"))["blocks"]


def user_message(body):
    return next(m["content"] for m in body["messages"] if m["role"] == "user")


def test_every_block_goes_through_the_server_with_only_its_own_glossary_entries(small_article, tmp_path, server):
    llm = server()
    result = run(small_article, tmp_path, settings_for(llm))
    bodies = llm.chat_bodies()
    assert len(bodies) == len(result.document.blocks) == 5
    by_text = {re.search(r"<text>\n(.*?)\n</text>", user_message(b), re.S).group(1): user_message(b) for b in bodies}
    assert "- 开源 = open-source (term" in by_text["DeepSeek发布了开源大模型,日活突破2000万。"]
    assert "- 日活 = DAU (term" in by_text["DeepSeek发布了开源大模型,日活突破2000万。"]
    assert "- 2000万 = 20 million" in by_text["DeepSeek发布了开源大模型,日活突破2000万。"]
    # A100 = A100 is kept as written, which the system prompt already asks: no line for it.
    assert "Glossary" not in by_text["公司使用了10000张A100芯片。"]  # nor 开源, which is in the earlier blocks only
    assert "Glossary" not in by_text["这是一个新的开始。"]
    for block in blocks_json(tmp_path):
        assert block["translation"] and block["engine"] == "openai:test-model"
    assert result.summary["reasked_blocks"] == 0
    assert all(h.enforced and h.strategy == "prompt" for b in result.document.blocks for h in b.terms)


def test_each_request_carries_the_title_and_the_previous_blocks(small_article, tmp_path, server):
    llm = server()
    run(small_article, tmp_path, settings_for(llm, concurrency=1, context=2))
    last = user_message(llm.chat_bodies()[-1])
    assert "Article title: 开源模型的新时代" in last
    assert "Source: 公司使用了10000张A100芯片。" in last and "Source: 用户增长很快" in last
    assert "Source: DeepSeek发布了" not in last  # only the previous two
    # One request at a time: the previous block's translation was finished and goes along.
    assert re.search(r"Source: 用户增长很快.*\nEnglish: \S", last)
    none = server()
    run(small_article, tmp_path / "none", settings_for(none, context=0))
    assert all("Earlier in the article" not in user_message(b) for b in none.chat_bodies())


def test_a_missing_term_is_reasked_naming_it_then_enforced(small_article, tmp_path, server):
    llm = server(ignore_terms_first={"开源"})
    result = run(small_article, tmp_path, settings_for(llm))
    reasks = [b for b in llm.chat_bodies() if len(b["messages"]) > 2]
    assert len(reasks) == 2  # the title and the paragraph that hold 开源
    for body in reasks:
        assert 'the glossary term 开源 must be rendered exactly as "open' in body["messages"][-1]["content"]
        assert body["messages"][-2]["role"] == "assistant"
    assert result.summary["reasked_blocks"] == 2
    hits = [h for b in result.document.blocks for h in b.terms if h.source == "开源"]
    assert hits and all(h.enforced and h.strategy == "re-ask" for h in hits)
    assert not any(f.code == "term-missing" for b in result.document.blocks for f in b.flags)


def test_a_term_still_missing_after_one_reask_is_flagged(small_article, tmp_path, server, rule_engine):
    def never_open(text):
        return re.sub(r"open[- ]source", "", rule_engine().translate_one(text)).strip() or "a model"

    llm = server(translate=never_open)
    result = run(small_article, tmp_path, settings_for(llm))
    paragraph = result.document.blocks[1]
    assert any(f.code == "term-missing" and f.span == "开源" for f in paragraph.flags)
    asked = [b for b in llm.chat_bodies() if "<text>\nDeepSeek发布了" in user_message(b)]
    assert len(asked) == 2  # the first ask and exactly one re-ask


def test_a_wrong_number_is_reasked_naming_the_right_value(small_article, tmp_path, server):
    llm = server(ignore_terms_first={"2000万"})
    result = run(small_article, tmp_path, settings_for(llm))
    reask = next(b for b in llm.chat_bodies() if len(b["messages"]) > 2)
    assert "- 2000万 must appear as 20 million" in reask["messages"][-1]["content"]
    assert "20 million" in result.document.blocks[1].translation


def test_think_blocks_reasoning_and_chatter_are_stripped(small_article, tmp_path, server):
    llm = server(think=True, chatter=True, reasoning_field=True)
    result = run(small_article, tmp_path, settings_for(llm))
    for block in result.document.blocks:
        assert "think" not in block.translation.lower() and "Reasoning" not in block.translation
        assert not block.translation.startswith(("Here is", '"')) and not block.translation.endswith('"')
    assert result.summary["replies_cleaned"]["think"] == 5 and result.summary["replies_cleaned"]["chatter"] == 5


def test_a_429_with_retry_after_is_waited_out_and_retried(small_article, tmp_path, server):
    llm = server(statuses=[(429, {"Retry-After": "1"})])
    result = run(small_article, tmp_path, settings_for(llm, concurrency=1))
    chats = [r for r in llm.requests if r["path"].endswith("/chat/completions")]
    assert len(chats) == 6 and result.summary["retried_requests"] == 1
    assert chats[1]["start"] - chats[0]["end"] >= 0.9  # Retry-After honoured
    assert all(b.translation for b in result.document.blocks)


def test_500s_are_retried_until_the_server_answers(small_article, tmp_path, server):
    llm = server(statuses=[(500, {}), (502, {}), (503, {})])
    result = run(small_article, tmp_path, settings_for(llm, concurrency=1))
    assert result.summary["retried_requests"] == 3 and all(b.translation for b in result.document.blocks)


def test_a_request_that_times_out_is_sent_again(small_article, tmp_path, server):
    llm = server(slow_once_on="这是一个新的开始", slow_seconds=3)
    result = run(small_article, tmp_path, settings_for(llm, timeout=1))
    assert result.summary["retried_requests"] == 1
    assert result.document.blocks[-1].translation


def test_a_server_that_always_fails_gives_up_and_flags_the_block(small_article, tmp_path, server):
    llm = server(statuses=[(500, {})] * 5)
    with pytest.raises(RunFailed, match="1 block"):
        run(small_article, tmp_path, settings_for(llm, concurrency=1))
    failed = blocks_json(tmp_path)[0]
    assert failed["translation"] == "" and failed["flags"][0]["code"] == "engine-error"
    assert "HTTP 500" in failed["flags"][0]["message"]


def test_a_truncated_reply_fails_the_block_and_the_fallback_translates_it(small_article, tmp_path, server, rule_engine):
    llm = server(truncate_on="10000")
    with pytest.raises(RunFailed):
        run(small_article, tmp_path / "plain", settings_for(llm))
    failed = blocks_json(tmp_path / "plain")[2]
    assert failed["flags"][0]["code"] == "engine-error" and "cut off" in failed["flags"][0]["message"]

    settings = settings_for(llm, fallback="ctranslate2", model="fallback-model")
    result = run_file(str(small_article), RunOptions(out_dir=str(tmp_path / "fb"), quiet=True, formats=("json", "docx"),
                                                     engine=settings), load_engine=rule_engine)
    block = result.document.blocks[2]
    assert block.translation and block.engine == "ctranslate2:fallback-model"
    assert result.summary["fallback_blocks"] == 1
    assert any(f.code == "fallback-engine" for f in block.flags)
    assert [b["engine"] for b in blocks_json(tmp_path / "fb")][1:4] == [
        "openai:test-model", "ctranslate2:fallback-model", "openai:test-model"]
    import docx

    comments = [c.text for c in docx.Document(str(tmp_path / "fb" / "small.bilingual.docx")).comments]
    assert any("translated by ctranslate2:fallback-model" in c for c in comments)


def test_a_refusal_is_not_taken_for_a_translation(small_article, tmp_path, server):
    llm = server(refuse_on="用户增长")
    with pytest.raises(RunFailed):
        run(small_article, tmp_path, settings_for(llm))
    assert "refused" in blocks_json(tmp_path)[3]["flags"][0]["message"]


def test_an_unknown_model_stops_the_run_naming_the_served_ones(small_article, tmp_path, server):
    llm = server(models=["qwen", "gemma"])
    with pytest.raises(ModelError, match="does not serve model 'test-model'; it serves: qwen, gemma"):
        run(small_article, tmp_path, settings_for(llm))


def test_a_server_that_does_not_answer_stops_the_run(small_article, tmp_path):
    settings = EngineSettings(engine="openai", api_bases=("http://127.0.0.1:9/v1",), api_model="m", timeout=2)
    with pytest.raises(ModelError, match="does not answer"):
        run(small_article, tmp_path, settings)


def test_requests_run_in_parallel_and_outputs_stay_in_order(tmp_path, server):
    article = tmp_path / "many.txt"
    names = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未"
    lines = [f"第{i}段讲{names[i]}和{names[i + 2]}的事。" for i in range(16)]
    article.write_text("\n".join(lines), encoding="utf-8")

    def codes(text):  # a reversible "translation": each Chinese character as its code point
        return " ".join(f"U{ord(c):X}" if "\u4e00" <= c <= "\u9fff" else c for c in text)

    # Later blocks answer faster, so replies arrive out of order.
    llm = server(translate=codes, delay=lambda text: 0.05 + 0.02 * (16 - int(re.search(r"\d+", text).group())))
    result = run(article, tmp_path, settings_for(llm, concurrency=4, context=0), max_chars=1000)
    assert llm.max_in_flight == 4
    for block in result.document.blocks:
        decoded = "".join(chr(int(c, 16)) for c in re.findall(r"U([0-9A-F]+)", block.translation))
        assert decoded == "".join(c for c in block.text if "\u4e00" <= c <= "\u9fff")
    ends = [r["end"] for r in llm.requests if r["path"].endswith("/chat/completions")]
    assert ends != sorted(ends)  # they did finish out of order


def test_a_rerun_comes_from_the_cache_and_the_key_follows_what_each_request_carries(small_article, tmp_path,
                                                                                  server):
    llm = server(models=["test-model", "other"])
    run(small_article, tmp_path, settings_for(llm))
    asked = len(llm.chat_bodies())
    again = run(small_article, tmp_path, settings_for(llm))
    assert len(llm.chat_bodies()) == asked and again.summary["cached_segments"] == 5
    assert {b.origin for b in again.document.blocks} == {"cache"}
    # One block of context instead of two changes the requests of the blocks with two before them.
    run(small_article, tmp_path, settings_for(llm, context=1))
    assert len(llm.chat_bodies()) == asked + 2
    run(small_article, tmp_path, settings_for(llm, api_model="other"))
    assert len(llm.chat_bodies()) == asked + 7
    # A glossary row found only in the title changes the title's request alone.
    run(small_article, tmp_path, settings_for(llm), glossaries=[str(_one_term_glossary(tmp_path))])
    assert len(llm.chat_bodies()) == asked + 8


def _one_term_glossary(folder):
    path = folder / "extra.csv"
    path.write_text("source,target,kind,note\n新时代,new era,term,\n", encoding="utf-8")
    return path


def test_the_prompt_version_is_part_of_every_cache_key():
    from dataclasses import replace

    from translate.engines.base import TranslationRequest
    from translate.engines.prompt import load_prompt

    prompt = load_prompt()
    request = TranslationRequest("你好")
    assert prompt.identity(request) != replace(prompt, version="news-v0").identity(request)
    assert prompt.version in prompt.identity(request)


def test_the_api_key_is_sent_as_bearer_and_never_written(small_article, tmp_path, server, monkeypatch):
    from click.testing import CliRunner

    from translate.cli import cli

    key = "sk-test-SECRET-4242-abcdef"
    monkeypatch.setenv("MY_LLM_KEY", key)
    llm = server(think=True, ignore_terms_first={"开源"}, statuses=[(429, {"Retry-After": "0"})])
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(small_article), "-o", str(out), "--engine", "openai",
                                      "--api-base", llm.base, "--api-model", "test-model",
                                      "--api-key-env", "MY_LLM_KEY", "--debug"])
    assert result.exit_code == 0, result.output
    assert all(r["headers"].get("Authorization") == f"Bearer {key}" for r in llm.requests)
    failing = CliRunner().invoke(cli, ["run", str(small_article), "-o", str(tmp_path / "bad"), "--engine", "openai",
                                       "--api-base", llm.base, "--api-model", "missing", "--api-key-env", "MY_LLM_KEY"])
    assert failing.exit_code == 2
    written = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p != small_article)
    assert written and key.encode() not in written
    assert key not in result.output + failing.output
    from translate.engines.openai_compat import OpenAIEngine

    engine = OpenAIEngine(EngineSettings(engine="openai", api_bases=(llm.base,), api_model="test-model",
                                         api_key_env="MY_LLM_KEY"))
    assert key not in repr(engine) + repr(engine.__dict__) + json.dumps(engine.describe())


def test_a_server_that_rejects_unknown_fields_is_asked_without_them_from_then_on(small_article, tmp_path, server):
    strict = server(rejected_fields=("chat_template_kwargs", "reasoning_effort"))
    result = run(small_article, tmp_path, settings_for(strict, concurrency=1))
    assert all(b.translation for b in result.document.blocks)
    bodies = strict.chat_bodies()
    assert len(bodies) == 5 + 2  # the first block asked three times, fewer fields each time
    assert [("chat_template_kwargs" in b, "reasoning_effort" in b) for b in bodies[:3]] == [
        (True, True), (True, False), (False, False)]
    assert not any("chat_template_kwargs" in b or "reasoning_effort" in b for b in bodies[3:])
    # A server that only rejects reasoning_effort is still asked not to think through its template.
    vllm_like = server(rejected_fields=("reasoning_effort",))
    run(small_article, tmp_path / "b", settings_for(vllm_like, concurrency=1))
    assert all(b["chat_template_kwargs"] == {"enable_thinking": False} for b in vllm_like.chat_bodies())
    assert sum("reasoning_effort" in b for b in vllm_like.chat_bodies()) == 1


def test_several_bases_share_the_requests_round_robin(small_article, tmp_path, server):
    first, second = server(), server()
    run(small_article, tmp_path, settings_for(first, second))
    assert len(first.chat_bodies()) + len(second.chat_bodies()) == 5
    assert len(first.chat_bodies()) >= 2 and len(second.chat_bodies()) >= 2


def test_rps_spaces_out_request_starts(small_article, tmp_path, server):
    llm = server()
    began = time.monotonic()
    run(small_article, tmp_path, settings_for(llm, concurrency=4, rps=10))
    starts = sorted(r["start"] for r in llm.requests if r["path"].endswith("/chat/completions"))
    assert len(starts) == 5 and starts[-1] - began >= 0.4  # 5 starts at most 10 a second: the 5th at 0.4 s or later


def test_ctrl_c_keeps_finished_blocks_for_the_next_run(tmp_path, server):
    import signal
    import subprocess
    import sys

    article = tmp_path / "long.txt"
    article.write_text("\n".join(f"第{i}段。" for i in range(30)), encoding="utf-8")
    llm = server(translate=drop_chinese, delay=0.2)
    command = [sys.executable, "-m", "translate", "run", str(article), "-o", str(tmp_path / "out"), "--format", "json",
               "--engine", "openai", "--api-base", llm.base, "--api-model", "test-model", "--concurrency", "2", "-q"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(llm.chat_bodies()) < 8 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    sent = len(llm.chat_bodies())
    assert sent < 30
    result = run(article, tmp_path / "out", settings_for(llm, concurrency=8))
    assert result.summary["cached_segments"] >= 6
    assert len(llm.chat_bodies()) - sent == 30 - result.summary["cached_segments"]


def test_bench_llm_sends_every_block_of_the_example_to_a_separate_server_process():
    from translate.measure.bench_llm import run_llm_bench

    report = run_llm_bench(concurrency=8, delay=0.05)
    assert report["blocks"] == 41 and report["requests"] >= 41
    assert report["ideal_s"] == round(41 / 8 * 0.05, 3) and report["engine_s"] > 0
    assert report["ratio_to_ideal"] == pytest.approx(report["engine_s"] / report["ideal_s"], rel=0.01)
