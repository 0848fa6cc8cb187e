"""LLM reply hygiene, the prompt file, translate.toml, and `translate model info --engine openai`."""

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.engines.base import ContextBlock, GlossaryNote, TranslationRequest
from translate.engines.prompt import load_prompt
from translate.engines.reply import ReplyProblem, clean_reply


@pytest.mark.parametrize("content", [
    "<think>\nLet me translate this carefully.\n</think>\n\nDeepSeek released a model.",
    "Here is the translation:\n\nDeepSeek released a model.",
    "Sure! Here's the English translation:\nDeepSeek released a model.",
    '"DeepSeek released a model."',
    "\u201cDeepSeek released a model.\u201d",
    "```\nDeepSeek released a model.\n```",
    "Translation: DeepSeek released a model.",
    "DeepSeek released a model.\n\nNote: 发布 can also mean launch.",
    "Let me think about it.\n</think>\nDeepSeek released a model.",  # template opened <think> itself
])
def test_wrappers_around_the_translation_are_removed(content):
    assert clean_reply(content, "stop", source="DeepSeek发布了模型。")[0] == "DeepSeek released a model."


def test_quotes_inside_the_answer_and_around_a_quoted_source_stay():
    inner = 'He said "no" and left.'
    assert clean_reply(inner)[0] == inner
    assert clean_reply("\u201cWe will win.\u201d", source="\u201c我们会赢。\u201d")[0] == "\u201cWe will win.\u201d"


@pytest.mark.parametrize("content, finish, reason", [
    ("DeepSeek released", "length", "cut off"),
    ("<think>I need to consider the many ways", "stop", "reasoning"),
    ("I'm sorry, but I can't help with that.", "stop", "refused"),
    ("<think>hmm</think>", "stop", "empty"),
    (None, "stop", "empty"),
])
def test_unusable_replies_are_problems_not_translations(content, finish, reason):
    with pytest.raises(ReplyProblem, match=reason):
        clean_reply(content, finish)


def test_the_prompt_comes_from_the_versioned_data_file():
    prompt = load_prompt()
    assert prompt.version == "news-v2"
    request = TranslationRequest("他说开源很重要。", "paragraph", "标题", [ContextBlock("前文。", "Earlier.")],
                                 [GlossaryNote("开源", "open source", "term", "adjective before a noun"),
                                  GlossaryNote("A100", "A100", "keep"), GlossaryNote("Kimi", "Kimi", "keep", "the chatbot"),
                                  GlossaryNote("梁文锋", "Liang Wenfeng", "name"),
                                  GlossaryNote("2000万", "20 million", "number")])
    messages = prompt.messages(request)
    assert messages[0]["content"] == prompt.texts["system"].strip()
    user = messages[1]["content"]
    for line in ("Article title: 标题", "Source: 前文。", "English: Earlier.", "- 开源 = open source (term; adjective before a noun)",
                 "- Kimi = Kimi (keep: copy unchanged; the chatbot)", "- 梁文锋 = Liang Wenfeng (name)", "- 2000万 = 20 million", "<text>\n他说开源很重要。\n</text>"):
        assert line in user
    assert "A100 =" not in user  # kept as written with no note for translators: the system prompt covers it
    from dataclasses import replace

    reask = prompt.messages(replace(request, previous_reply="He said it matters.",
                                    feedback=[prompt.problem("term", source="开源", target="open source")]))
    assert [m["role"] for m in reask] == ["system", "user", "assistant", "user"]
    assert 'the glossary term 开源 must be rendered exactly as "open source"' in reask[-1]["content"]


@pytest.fixture
def config_home(tmp_path, monkeypatch):
    """An empty user config folder and working folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return home, work


def _settings_seen(args):
    """The EngineSettings `translate run` would use, without running it."""
    import translate.pipeline.run as pipeline

    seen = {}

    def fake_run_file(path, options, load_engine=None):
        seen["settings"] = options.engine
        raise pipeline.TranslateError("stop here")

    original = pipeline.run_file
    pipeline.run_file = fake_run_file
    try:
        result = CliRunner().invoke(cli, ["run", "a.txt", *args])
    finally:
        pipeline.run_file = original
    return seen.get("settings"), result


def test_the_config_file_gives_defaults_and_the_command_line_wins(config_home):
    home, work = config_home
    (home / "translate").mkdir(parents=True)
    (home / "translate" / "translate.toml").write_text(
        '[engine]\nengine = "openai"\napi_base = "http://127.0.0.1:8080/v1"\napi_model = "user-model"\ncontext = 3\n')
    (work / "translate.toml").write_text('[engine]\napi-model = "project-model"\nconcurrency = 6\n')
    settings, _ = _settings_seen([])
    assert settings.engine == "openai" and settings.api_bases == ("http://127.0.0.1:8080/v1",)
    assert settings.api_model == "project-model" and settings.concurrency == 6 and settings.context == 3
    settings, _ = _settings_seen(["--api-model", "cli-model", "--context", "0", "--api-base", "http://a/v1",
                                  "--api-base", "http://b/v1"])
    assert settings.api_model == "cli-model" and settings.context == 0
    assert settings.api_bases == ("http://a/v1", "http://b/v1") and settings.concurrency == 6


@pytest.mark.parametrize("text, message", [
    ('[engine]\napi_key = "sk-123"\n', "does not belong in a file"),
    ('[engine]\ncolour = "red"\n', "unknown option 'colour'"),
    ('[engine]\nconcurrency = "many"\n', "concurrency"),
    ("[engine\n", "not valid TOML"),
    ('[server]\nurl = "x"\n', "unknown section"),
])
def test_a_bad_config_file_is_one_line_naming_it(config_home, text, message):
    _, work = config_home
    (work / "translate.toml").write_text(text)
    _, result = _settings_seen([])
    assert result.exit_code == 2 and message in result.output and "translate.toml" in result.output
    assert "sk-123" not in result.output


def test_model_info_reports_whether_the_server_answers_and_its_models(config_home):
    from translate.measure.loopback import Behaviour, LoopbackServer

    with LoopbackServer(Behaviour(models=["qwen3-8b", "gemma-3"])) as server:
        result = CliRunner().invoke(cli, ["model", "info", "--engine", "openai", "--api-base", server.base,
                                          "--api-model", "gemma-3"])
    assert result.exit_code == 0, result.output
    assert f"{server.base}: answers; models: qwen3-8b, gemma-3; 'gemma-3' served" in result.output
    down = CliRunner().invoke(cli, ["model", "info", "--engine", "openai", "--api-base", "http://127.0.0.1:9/v1"])
    assert "does not answer" in down.output
    assert CliRunner().invoke(cli, ["model", "info"]).exit_code == 2
