"""--engine openai, round two: secrets out of outputs, a fleet with dead hosts and 429 storms, context that
carries translations, request-content cache keys, wrong-block replies, the operator's details."""

import json
import re
import socket
import time

import pytest

pytest.importorskip("httpx")

from test_llm_engine import blocks_json, run, server, settings_for, small_article, user_message  # noqa: E402,F401

from translate.engines.base import EngineSettings  # noqa: E402
from translate.errors import RunFailed  # noqa: E402
from translate.measure.loopback import Behaviour, LoopbackServer, drop_chinese  # noqa: E402

KEY = "sk-live-SECRET-7a7a7a7a7a7a"


def dead_base() -> str:
    """A loopback URL nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def numbered_article(folder, count, name="many.txt"):
    path = folder / name
    path.write_text("\n".join(f"第{i + 1}段说，公司在{1990 + i}年招了{i + 3}名员工。" for i in range(count)), encoding="utf-8")
    return path


def test_a_key_echoed_by_the_server_reaches_no_output_cache_or_stderr(small_article, tmp_path, server, monkeypatch):
    from click.testing import CliRunner

    from translate.cli import cli

    monkeypatch.setenv("MY_LLM_KEY", KEY)
    # Every try of the first block is a 500 that quotes the request headers: the block fails, and its
    # flag holds the server's message.
    llm = server(statuses=[(500, {})] * 5, echo_headers=True)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(small_article), "-o", str(out), "--engine", "openai",
                                      "--api-base", llm.base, "--api-model", "test-model", "--api-key-env",
                                      "MY_LLM_KEY", "--concurrency", "1", "--format", "docx,md,json,xliff",
                                      "--xliff-version", "2"])
    assert result.exit_code == 1, result.output
    assert all(r["headers"].get("Authorization") == f"Bearer {KEY}" for r in llm.requests)
    record = json.loads((out / "small.json").read_text(encoding="utf-8"))
    flag = record["blocks"][0]["flags"][0]
    assert flag["code"] == "engine-error" and "HTTP 500" in flag["message"] and "[redacted]" in flag["message"]
    # A 401 that echoes the header ends the run with one line, without the key.
    refusing = server(statuses=[(401, {})], echo_headers=True)
    failing = CliRunner().invoke(cli, ["run", str(small_article), "-o", str(tmp_path / "refused"), "--engine",
                                       "openai", "--api-base", refusing.base, "--api-model", "test-model",
                                       "--api-key-env", "MY_LLM_KEY"])
    assert failing.exit_code == 2 and "HTTP 401" in failing.output
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p != small_article]
    assert {p.suffix for p in files} >= {".docx", ".md", ".json", ".xlf", ".sqlite"}
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in result.output + failing.output


def test_redaction_removes_keys_header_values_and_bearer_tokens():
    from translate.engines.redact import redact

    text = ('upstream said {"headers": {"Authorization": "Bearer abc.DEF-123", "api-key": "k-999"}} '
            "x-api-key=zzz9 and Bearer tok_ABCDEF1; key sk-proj-0123456789abcdef0123 and " + KEY)
    cleaned = redact(text, (KEY,))
    for secret in ("abc.DEF-123", "k-999", "zzz9", "tok_ABCDEF1", "sk-proj-0123456789abcdef0123", KEY):
        assert secret not in cleaned
    assert cleaned.startswith("upstream said") and redact("2023年 grew 5%", ()) == "2023年 grew 5%"


def test_a_dead_second_base_at_the_start_fails_no_block(tmp_path, server):
    article = numbered_article(tmp_path, 8)
    llm = server(translate=drop_chinese)
    settings = EngineSettings(engine="openai", api_bases=(llm.base, dead_base()), api_model="test-model",
                              concurrency=4)
    result = run(article, tmp_path, settings, max_chars=1000)
    assert all(b.translation for b in result.document.blocks) and not result.summary["failed_blocks"]
    assert len(llm.chat_bodies()) == 8
    assert any("cannot connect" in w and "skipped" in w for w in result.summary["warnings"])


def test_a_base_dying_mid_run_fails_no_block_and_costs_little_time(tmp_path, server):
    article = numbered_article(tmp_path, 12)
    healthy, dying = server(translate=drop_chinese, delay=0.05), server(translate=drop_chinese, delay=0.05, die_after=2)
    began = time.monotonic()
    result = run(article, tmp_path, EngineSettings(engine="openai", api_bases=(healthy.base, dying.base),
                                                   api_model="test-model", concurrency=4), max_chars=1000)
    seconds = time.monotonic() - began
    assert all(b.translation for b in result.document.blocks) and not result.summary["failed_blocks"]
    assert len(dying.chat_bodies()) == 2 and len(healthy.chat_bodies()) == 10
    assert seconds < 5, seconds  # no backoff while another base answers
    assert any("stopped answering" in w for w in result.summary["warnings"])


def test_a_429_storm_pauses_every_worker_and_loses_no_block(tmp_path, server):
    article = numbered_article(tmp_path, 16)
    llm = server(translate=drop_chinese, delay=0.02, statuses=[(429, {"Retry-After": "1"})] * 40)
    result = run(article, tmp_path, settings_for(llm, concurrency=16), max_chars=1000)
    assert all(b.translation for b in result.document.blocks) and not result.summary["failed_blocks"]
    assert result.summary["throttled_requests"] >= 16
    chats = sorted((r for r in llm.requests if r["path"].endswith("/chat/completions")), key=lambda r: r["start"])
    # After the first 429 every worker waits out the same pause: no request is sent inside it.
    first_throttle = chats[0]["end"]
    inside = [r for r in chats if first_throttle + 0.1 < r["start"] < first_throttle + 0.9]
    assert not inside


def test_rps_spaces_out_retries_too(small_article, tmp_path, server):
    llm = server(statuses=[(500, {})] * 3)
    run(small_article, tmp_path, settings_for(llm, concurrency=1, rps=5))
    starts = sorted(r["start"] for r in llm.requests if r["path"].endswith("/chat/completions"))
    assert len(starts) == 8
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.15  # 5 a second, retries included


def test_at_concurrency_4_most_requests_with_context_carry_the_earlier_english(tmp_path):
    from translate.measure.bench import example_article

    with LoopbackServer(Behaviour(delay=0.02)) as llm:
        result = run(example_article(), tmp_path, EngineSettings(engine="openai", api_bases=(llm.base,),
                                                                  api_model="test-model", concurrency=4),
                     use_cache=False)
        users = [user_message(b) for b in llm.chat_bodies()]
    with_context = [u for u in users if "Earlier in the article" in u]
    carrying = [u for u in with_context if "English: " in u.split("Earlier in the article")[1].split("Glossary")[0]]
    assert result.summary["context_with_translation"] >= 0.8
    assert len(carrying) / len(with_context) >= 0.8
    assert any("Its English: " in u for u in users)  # the title's English, once it exists
    # No same-spelling Latin entry without a translator's note is in any prompt.
    for user in users:
        for source, target in re.findall(r"^- (.+?) = (.+?) \(", user, re.M):
            assert not (source == target and re.fullmatch(r"[ -~]+", source)), user


def test_contiguous_runs_cover_every_block_once_in_order():
    from translate.engines.openai_compat import contiguous_runs

    for count in range(0, 30):
        for workers in range(1, 10):
            runs = contiguous_runs(count, workers)
            assert [i for r in runs for i in r] == list(range(count))
            assert len(runs) <= max(1, workers) and max(map(len, runs)) - min(map(len, runs)) <= 1


def test_an_unrelated_glossary_row_or_a_fallback_re_requests_nothing(small_article, tmp_path, server):
    llm = server()
    run(small_article, tmp_path, settings_for(llm))
    asked = len(llm.chat_bodies())
    unrelated = tmp_path / "unrelated.csv"
    unrelated.write_text("source,target,kind,note\n量子计算,quantum computing,term,\n", encoding="utf-8")
    again = run(small_article, tmp_path, settings_for(llm), glossaries=[str(unrelated)])
    assert len(llm.chat_bodies()) == asked and again.summary["cached_segments"] == 5
    run(small_article, tmp_path, settings_for(llm, fallback="ctranslate2"))
    assert len(llm.chat_bodies()) == asked


def test_maintainers_notes_stay_out_of_prompts_and_prompt_notes_go_in(small_article, tmp_path, server):
    glossary = tmp_path / "notes.csv"
    glossary.write_text("source,target,kind,note,prompt_note\n"
                        "新时代,new era,term,the source sometimes misspells it,\n"
                        "日活,DAU,term,plural tolerated,daily active users\n", encoding="utf-8")
    llm = server()
    run(small_article, tmp_path, settings_for(llm), glossaries=[str(glossary)])
    prompts = "\n".join(user_message(b) for b in llm.chat_bodies())
    assert "misspells" not in prompts and "plural tolerated" not in prompts
    assert "- 日活 = DAU (term; daily active users)" in prompts


def test_a_server_answering_with_the_previous_block_is_flagged_number_added(tmp_path, server):
    article = numbered_article(tmp_path, 6)
    llm = server(translate=lambda text: re.sub(r"[\u4e00-\u9fff，。]+", " ", text).strip(), wrong_block=True)
    result = run(article, tmp_path, settings_for(llm, concurrency=1), max_chars=1000)
    wrong = [b for b in result.document.blocks[1:]]
    assert all(any(f.code == "number-added" for f in b.flags) for b in wrong)


def test_a_missing_year_is_reasked_as_written(tmp_path, server):
    article = tmp_path / "year.txt"
    article.write_text("公司在2023年发布了产品。", encoding="utf-8")
    llm = server(translate=lambda text: "The company released a product.")
    run(article, tmp_path, settings_for(llm))
    reask = llm.chat_bodies()[1]["messages"][-1]["content"]
    assert "2023" in reask and "2,023" not in reask


def test_closing_chatter_and_control_characters_are_cleaned_before_xliff_2(small_article, tmp_path, server):
    llm = server(closing="\n\nI hope this helps! Let me know if you need anything else.", control_character="\x07")
    result = run(small_article, tmp_path, settings_for(llm), formats=("json", "xliff"), xliff_version="2.1")
    for block in result.document.blocks:
        assert "hope this helps" not in block.translation and "\x07" not in block.translation
    assert (tmp_path / "small.xlf").read_text(encoding="utf-8").count("<segment") == 5
    assert result.summary["replies_cleaned"]["chatter"] == 5


def test_a_cut_off_reply_names_max_tokens_and_max_tokens_is_sent(small_article, tmp_path, server):
    llm = server(truncate_on="10000")
    with pytest.raises(RunFailed):
        run(small_article, tmp_path, settings_for(llm, max_tokens=900))
    assert {b["max_tokens"] for b in llm.chat_bodies()} == {900}
    flagged = [b for b in blocks_json(tmp_path) if b["flags"] and b["flags"][0]["code"] == "engine-error"]
    assert len(flagged) == 1 and "--max-tokens" in flagged[0]["flags"][0]["message"]
    assert flagged[0]["engine"] == "openai:test-model"


def test_a_server_without_models_route_is_probed_with_a_tiny_chat_request(small_article, tmp_path, server):
    llm = server(no_models_route=True)
    result = run(small_article, tmp_path, settings_for(llm))
    assert all(b.translation for b in result.document.blocks)
    probe = llm.chat_bodies()[0]
    assert probe["max_tokens"] == 1


def test_model_info_exits_1_for_a_dead_base_or_a_model_not_served(server):
    from click.testing import CliRunner

    from translate.cli import cli

    llm = server(models=["qwen"])
    healthy = CliRunner().invoke(cli, ["model", "info", "--engine", "openai", "--api-base", llm.base,
                                       "--api-model", "qwen"])
    assert healthy.exit_code == 0, healthy.output
    missing = CliRunner().invoke(cli, ["model", "info", "--engine", "openai", "--api-base", llm.base,
                                       "--api-model", "gemma"])
    assert missing.exit_code == 1 and "NOT served" in missing.output
    dead = CliRunner().invoke(cli, ["model", "info", "--engine", "openai", "--api-base", llm.base,
                                    "--api-base", dead_base(), "--api-model", "qwen"])
    assert dead.exit_code == 1 and "does not answer" in dead.output


def test_eval_keeps_the_finished_settings_and_marks_the_failed_one(small_article, tmp_path, server):
    from translate.errors import ModelError
    from translate.measure.evaluate import Setting, evaluate, format_table

    reference = tmp_path / "reference.en.txt"
    reference.write_text("\n\n".join(f"Paragraph {i}." for i in range(5)) + "\n", encoding="utf-8")
    llm = server()
    good = Setting("served", EngineSettings(engine="openai", api_bases=(llm.base,), api_model="test-model"))
    dead = Setting("dead", EngineSettings(engine="openai", api_bases=(dead_base(),), api_model="test-model"))
    report = evaluate(str(small_article), str(reference), [good, dead])
    assert report["failed_settings"] == ["dead"] and report["settings"][0]["pairs"] == 5
    assert "does not answer" in report["settings"][1]["error"]
    table = format_table(report)
    assert table.splitlines()[1].startswith("served") and "dead: FAILED" in table
    with pytest.raises(ModelError):
        evaluate(str(small_article), str(reference), [dead])


def test_credentials_in_the_api_base_are_sent_but_never_shown_or_written(small_article, tmp_path, server):
    from click.testing import CliRunner

    from translate.cli import cli

    live, dead = server(), dead_base()
    with_key = live.base.replace("http://", f"http://desk:{KEY}@") + f"?api-key={KEY}-q"
    dead_with_key = dead.replace("http://", f"http://desk:{KEY}@")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(small_article), "-o", str(out), "--engine", "openai",
                                      "--api-base", with_key, "--api-base", dead_with_key, "--api-model",
                                      "test-model", "--format", "json,md"])
    assert result.exit_code == 0, result.output
    sent = [r for r in live.requests if r["path"].startswith("/v1/chat/completions")]
    assert sent and all(r["path"].endswith(f"?api-key={KEY}-q") for r in sent)  # the query travels
    assert all(r["headers"].get("Authorization", "").startswith("Basic ") for r in sent)  # and the user:password
    assert "skipped" in result.output and "[redacted]@127.0.0.1" in result.output  # the dead base, named safely
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != small_article:
            assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in result.output
    info = CliRunner().invoke(cli, ["model", "info", "--engine", "openai", "--api-base", dead_with_key])
    assert info.exit_code != 0 and KEY not in info.output and "[redacted]@" in info.output
    bare = CliRunner().invoke(cli, ["model", "info", "--engine", "openai", "--api-base", "127.0.0.1:9/v1"])
    assert bare.exit_code == 2 and "http://127.0.0.1:9/v1" in bare.output
