from hypothesis import given, settings
from hypothesis import strategies as st

from translate.segment import chunk_spans, segment_text, sentence_spans


def pieces(text, **kw):
    return [s.text for s in segment_text(text, **kw)]


def test_sentences_split_at_full_and_half_width_enders():
    assert pieces("问题在于,为什么是DeepSeek?要知道。好!") == ["问题在于,为什么是DeepSeek?", "要知道。", "好!"]


def test_decimal_numbers_and_percentages_are_never_split():
    text = "日活已达2215万,是ChatGPT的41.6%。融资3.5亿元。"
    assert pieces(text) == ["日活已达2215万,是ChatGPT的41.6%。", "融资3.5亿元。"]


def test_quotations_stay_whole():
    text = "他说:“我个人觉得。现在需要想出一个策略。”然后走了。"
    assert pieces(text) == ["他说:“我个人觉得。现在需要想出一个策略。”", "然后走了。"]


def test_latin_words_and_urls_are_not_cut():
    text = "访问 example.com/a?b=1 看看OpenAI CEO说了什么。"
    assert pieces(text) == [text]


def test_closing_quote_and_space_stay_with_their_sentence():
    assert pieces("“好。” 他说。") == ["“好。” ", "他说。"]


def test_long_sentences_are_chunked_under_the_limit_at_clause_punctuation():
    text = "，".join(["这是一个很长的分句"] * 40) + "。"
    spans = sentence_spans(text)
    chunks = [c for s, e in spans for c in chunk_spans(text, s, e, 50)]
    assert all(e - s <= 50 for s, e in chunks)
    assert all(text[e - 1] == "，" for _, e in chunks[:-1])
    assert "".join(text[s:e] for s, e in chunks) == text


def test_chunking_without_punctuation_never_cuts_a_latin_word():
    text = "ABCDEFGHIJ" * 3 + "中" * 30
    chunks = chunk_spans(text, 0, len(text), 25)
    assert all(e - s <= 25 for s, e in chunks)
    assert "".join(text[s:e] for s, e in chunks) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("中文字。，,.!?！？；“”「」()（） \n\t3.5%AaZz万") ), max_size=400),
       st.integers(min_value=5, max_value=300))
def test_segmentation_is_lossless_whitespace_included(text, max_chars):
    segments = segment_text(text, max_chars)
    assert "".join(s.text for s in segments) == text
    assert all(s.text == text[s.start:s.end] for s in segments)
    assert all(len(s.text) <= max_chars for s in segments)


def test_a_quote_never_closed_in_the_block_does_not_stop_sentence_splitting():
    assert pieces("他说“这是开头。然后没有结束引号。第三句。") == ["他说“这是开头。", "然后没有结束引号。", "第三句。"]
    assert pieces("（“引号内。）后面一句。再一句。") == ["（“引号内。）", "后面一句。", "再一句。"]
    assert pieces('He said "hi. 然后。继续。') == ['He said "hi. ', "然后。", "继续。"]


def test_an_english_sentence_ends_before_the_chinese_one_but_abbreviations_do_not():
    text = 'Mr. Slutsky said the team had "worked very hard". 他还表示，比赛同样关键。'
    assert pieces(text) == ['Mr. Slutsky said the team had "worked very hard". ', "他还表示，比赛同样关键。"]
    assert pieces("The U.S. 政府宣布。Apple Inc. 公司发布。e.g. 例如。") == ["The U.S. 政府宣布。", "Apple Inc. 公司发布。",
                                                                       "e.g. 例如。"]
