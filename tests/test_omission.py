"""A sentence left out of a paragraph's translation, found by its dictionary words."""

from translate.align.evaluation import ARTICLES, parallel_paragraphs
from translate.align.sides import english_sentences
from translate.qa.omission import omitted_sentences
from translate.repair import restore_text


def test_faithful_translations_have_no_omission_flag():
    for article in ARTICLES:
        for zh, en in parallel_paragraphs(article):
            assert omitted_sentences(restore_text(zh)[0], en) == [], (article, en[:40])


def test_a_sentence_removed_from_the_translation_is_reported():
    zh, en = parallel_paragraphs("check-batteries")[9]  # two sentences: Zeng's proposal, then his forecast
    zh = restore_text(zh)[0]
    first, second = english_sentences(en)
    found = omitted_sentences(zh, first)
    assert [sentence.startswith("他认为") for sentence, _, _ in found] == [True]
    assert omitted_sentences(zh, en) == []


def test_found_omissions_across_the_example_article_are_about_half_and_never_false():
    removed = found = 0
    for zh, en in parallel_paragraphs():
        zh, sentences = restore_text(zh)[0], english_sentences(en)
        for k in range(len(sentences) if len(sentences) > 1 else 0):
            removed += 1
            found += bool(omitted_sentences(zh, " ".join(sentences[:k] + sentences[k + 1:])))
    assert removed > 20 and found >= 0.3 * removed
