"""What an LLM's reply may look like and still be the article's words: cleaning keeps translations that
resemble chatter, refusals or secrets, and rejects replies that are not translations."""

import pytest

from translate.engines.redact import redact, redact_secrets
from translate.engines.reply import ReplyProblem, clean_reply

pytest.importorskip("httpx")

from test_llm_engine import blocks_json, run, server, settings_for, small_article, user_message  # noqa: E402,F401


@pytest.mark.parametrize("reply, source", [
    ("As an AI company, Baidu invests heavily in research.", "作为一家AI公司，百度在研发上投入巨大。"),
    ("Sorry, we cannot disclose more details, the spokesman said.", "对不起，我们暂时无法透露更多细节，发言人说。"),
    ("I'm sorry, I can't come, he told reporters.", "他对记者说：“抱歉，我来不了。”"),
    ("Critics said the post violates our usage policy, the platform said.", "平台称，该帖子违反了我们的使用政策。"),
    ("Unfortunately, I cannot attend today's press conference.", "遗憾的是，我无法出席今天的发布会。"),
    ("I apologize to all affected passengers.", "我向所有受影响的乘客道歉。"),
    ("I cannot provide more details.", "本人无法提供更多细节。"),
    ("I cannot continue to serve as chairman.", "本人不能继续担任主席一职。"),
    ("I will not assist any illegal activity.", "我会拒绝协助任何违法行为。"),
    ("As an AI language model, ChatGPT cannot access real-time data.", "作为AI语言模型，ChatGPT无法获取实时数据。"),
    ("The company said it could not comply with the request.", "公司称无法满足这一要求。"),
    ('"I can only provide this information," he said.', "“我只能提供这些信息，”他说。"),
    ("I cannot complete this project on time.", "我无法按时完成这个项目。"),
    ('"I cannot help you," he said.', "“我帮不了你，”他说。"),
    ("But I can't do that, he said.", "他说：“但这件事做不到。”"),
    ("The firm said it can't process so many orders.", "公司表示无法处理这么多订单。"),
    ('Musk wrote: "This car is great. Let me know if there are any problems."', "马斯克写道：“这辆车很棒。有任何问题请告诉我。”"),
    ("Translation: Wei Xiao", "翻译：魏晓"),
    ("Baidu reported results.\nNote: the figures above are unaudited.", "百度公布了业绩。\n注：以上数据未经审计。"),
    ("Liang Wenfeng (梁文锋) founded DeepSeek.", "梁文锋创立了DeepSeek。"),
])
def test_a_translation_that_looks_like_chatter_or_a_refusal_is_kept_whole(reply, source):
    assert clean_reply(reply, source=source)[0] == reply


@pytest.mark.parametrize("reply, source, kept", [
    ("Baidu reported results.\nNote: I rendered 业绩 as results.", "百度公布了业绩。", "Baidu reported results."),
    ("Baidu reported results. I hope this helps!", "百度公布了业绩。", "Baidu reported results."),
    ("Translate this paragraph:\n<text>\n梁文锋表示…\n</text>\n\nLiang Wenfeng said…", "梁文锋表示…",
     "Liang Wenfeng said…"),
])
def test_chatter_and_an_echoed_prompt_are_removed(reply, source, kept):
    assert clean_reply(reply, source=source)[0] == kept


@pytest.mark.parametrize("reply", ["I'm sorry, but I can't help with that.",
                                   "As an AI language model, I cannot translate this.", "京东开设了新仓库。",
                                   "I'm sorry, but I'm not able to help with that request.",
                                   "I'm sorry, but this content may violate our usage policies.",
                                   "As an AI, I cannot translate content of this nature.",
                                   "Sorry, I can only translate text from Chinese to English.",
                                   "I\u2019m sorry, but I can\u2019t help with that.", "I can\u2019t assist with that request.",
                                   "I apologize, but I cannot translate this text.",
                                   "Unfortunately, I cannot fulfill this request.",
                                   "I'm sorry, but I won't be able to help with that.",
                                   "I'm sorry, but I can't create content like that.",
                                   "I cannot translate text like this.", "I must decline to translate this text.",
                                   "I don't feel comfortable translating this content.", "Sorry \u2014 I can't help with that.",
                                   "My apologies, but I cannot translate this.", "I cannot complete this translation.",
                                   "As an AI developed by Alibaba, I cannot do this.",
                                   "Sorry, this content violates our policy."])
def test_refusals_and_replies_that_repeat_the_chinese_are_not_translations(reply):
    for source in ("京东开设了新仓库。", "我县今年经济增长迅速。", "我们发布了新模型。"):  # 我县, 我们: no "I"
        with pytest.raises(ReplyProblem):
            clean_reply(reply, source=source)


def test_a_reply_keeps_the_articles_words_and_loses_the_key_even_split_by_an_invisible_character():
    key = "fk7Hq2ZpX9wLm4Rt8NvB"
    words = "The government will push basic income pilots; the company issued bearer shares."
    assert redact_secrets(words, (key,)) == words
    assert "dXNlcjpwYXNz" not in redact("Authorization: basic dXNlcjpwYXNz", (key,))  # error bodies: headers go
    for split in ("\x00", "\u200b", "\u202e", "\x07"):
        assert key not in redact_secrets(f"Tencent launched it. {key[:6]}{split}{key[6:]}", (key,))
        assert key not in redact(f"HTTP 400 bad key {key[:6]}{split}{key[6:]}", (key,))


def test_a_200_answer_with_an_error_object_is_tried_again(small_article, tmp_path, server):
    llm = server(statuses=[(200, {}), (200, {})])
    document = run(small_article, tmp_path, settings_for(llm)).document
    assert all(b.translation for b in document.blocks)
    assert not [f for b in document.blocks for f in b.flags if f.code == "engine-error"]
    assert len(llm.chat_bodies()) >= len(document.blocks) + 2


def test_api_timeout_bounds_the_whole_reply_not_each_read():
    import asyncio

    from translate.engines.openai_http import ChatClient

    class Trickling:  # a server that sends a byte now and then never trips a per-read timeout
        async def post(self, url, json):
            await asyncio.sleep(30)

    client = ChatClient(["http://127.0.0.1:9/v1"], timeout=0.2)
    client._http = Trickling()
    with pytest.raises(TimeoutError):
        asyncio.run(client._post("http://127.0.0.1:9/v1/chat/completions", {}))


def test_a_name_the_model_will_not_write_is_an_error_as_check_calls_it(tmp_path, server):
    article = tmp_path / "n.txt"
    article.write_text("幻方量化发布新模型。\n", encoding="utf-8")
    llm = server(translate=lambda text: "Magic Square released a new model.")
    document = run(article, tmp_path / "out", settings_for(llm)).document
    flags = [(f.code, f.severity) for f in document.blocks[0].flags]
    assert ("name-missing", "error") in flags and ("term-missing", "warning") not in flags


def test_a_base_that_is_not_http_is_one_line(tmp_path):
    from click.testing import CliRunner

    from translate.cli import cli

    for base, words in (("localhost:8080/v1", "has no scheme"), ("ftp://x/v1", "is not http:// or https://")):
        result = CliRunner().invoke(cli, ["model", "info", "--engine", "openai", "--api-base", base,
                                          "--api-model", "m"])
        assert result.exit_code == 2 and words in result.output and len(result.output.strip().splitlines()) == 1


def test_paragraphs_without_chinese_are_copied_on_the_llm_path_too(tmp_path, server):
    article = tmp_path / "e.txt"
    article.write_text('苹果发布新品\n"We are thrilled," said Tim Cook.\nSam Altman is the CEO of OpenAI.\n'
                       "https://www.apple.com/iphone\n", encoding="utf-8")
    llm = server(translate=lambda text: "Apple launches new products")
    document = run(article, tmp_path / "out", settings_for(llm)).document
    sent = [user_message(body) for body in llm.chat_bodies()]
    assert len(sent) == 1 and "苹果" in sent[0]
    copied = [(b.source, b.translation, b.origin) for b in document.blocks[1:]]
    assert copied == [(b.source, b.source, "copy") for b in document.blocks[1:]]
    assert not [f for b in document.blocks[1:] for f in b.flags]
