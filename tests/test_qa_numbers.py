"""Numbers as news writes them: dates with month names, weekdays, ordinals, multiples and words are
found; a number the translation adds (number-added) is reported, and the forms news uses are not."""

import pytest

from translate.document import Block, BlockKind, Segment, TermHit
from translate.qa.checks import check_block
from translate.qa.english_numbers import read_english_numbers
from translate.qa.numbers import added_numbers, chinese_numeral_values, missing_numbers

# A faithful rendering in the styles of English news: no flag at all.
FAITHFUL = [
    ("2024年1月13日，公司发表声明。", "On January 13, 2024, the company issued a statement."),
    ("2024年1月13日，公司发表声明。", "On Jan. 13, 2024, the company issued a statement."),
    ("2024年5月，销量回升。", "In May 2024, sales recovered."),
    ("公司在3月公布了这项计划。", "The company announced the plan in March."),
    ("2022年11月，他公开表示反对。", "In November 2022, he publicly objected."),
    ("1月15日（周一），股价上涨2.1%。", "Shares rose 2.1% on Monday."),
    ("真正商用可能还需要10年。", "True commercial use may be a decade away."),
    ("这是2023年以来第3次降准。", "It is the third cut since 2023."),
    ("公司将在2025年至2026年推出新品。", "The company will launch new products in 2025-26."),
    ("利率下调0.25个百分点。", "The rate was cut by a quarter of a percentage point."),
    ("降准0.5个百分点。", "The ratio was cut by half a percentage point."),
    ("营收为1054.31亿元。", "Revenue was 105.431 billion yuan."),
    ("上证综指报2910.22点。", "The index closed at 2,910.22 points."),
    ("2024年1-3月，销量增长。", "In the first quarter of 2024, sales grew."),
    ("上世纪90年代，他创办了公司。", "In the 1990s he founded the company."),
    ("会议于15时开始。", "The meeting began at 3 pm."),
    ("销量增长了3倍。", "Sales tripled."),
    ("平台拥有2000多万用户。", "The platform has more than 20 million users."),
    ("近3千人参加了活动。", "Nearly 3,000 people took part."),
    ("成交额约5000亿元。", "Turnover was about RMB500bn."),
    ("两家公司达成协议。", "The 2 companies reached an agreement."),
    ("二〇二四年是关键一年。", "2024 is a crucial year."),
    ("新冠疫情改变了一切。", "The COVID-19 pandemic changed everything."),
    ("公司正在建设5G网络。", "The company is building a 5G network."),
    ("这是最好的选择之一。", "It is one of the best choices."),
    ("他第1个发言。", "He spoke first."),
    ("营收增长2倍。", "Revenue doubled."),
    ("股价在12月末回落。", "The shares fell back at the end of December."),
    # counts in Chinese numerals, and numerals that are words or names (统一, 万一, 几十年, 三一重工, 八十年代)
    ("公司拥有一万张显卡。", "The company owns 10,000 graphics cards."),
    ("两千三百名员工参加。", "Two thousand three hundred employees took part."),
    ("物价同比上涨百分之零点四。", "Prices rose 0.4 percent year on year."),
    ("十二万人次到访，比二〇二三年多。", "There were 120,000 visits, more than in 2023."),
    ("他们统一了标准，万一出事也不怕。", "They unified the standard and are not afraid if anything happens."),
    ("这要跟上几十年，三一重工也一样。", "It takes decades to catch up, and so it is for Sany Heavy Industry."),
    ("这栋楼建于上世纪八十年代。", "The building went up in the 1980s."),
    ("一两年内会有结果。", "There will be results within a year or two."),
    ("英伟达的Ａ１００芯片供不应求，Ｑｗｅｎ３也是。", "Nvidia's A100 chips are in short supply, and so is Qwen3."),
    ("销量达到２０００台。", "Sales reached 2,000 units."),
    ("十多万人参加了活动。", "More than 100,000 people took part."),
    ("项目投资三千多万元。", "The project cost more than 30 million yuan."),
    ("这是一百年来的第一次。", "It is the first time in a century."),
    ("建党一百周年之际，九十多岁的老人来了。", "At the centenary, a man in his nineties came."),
]

# (source, wrong translation, the codes it must raise)
WRONG = [
    ("2024年1月13日，公司发表声明。", "On January 31, 2024, the company issued a statement.", {"number", "number-added"}),
    ("2024年5月，销量回升。", "In June 2024, sales recovered.", {"number"}),
    ("他表示，营收增长8%。", "He said revenue grew 8% to 2 billion yuan.", {"number-added"}),
    ("1月15日，股价上涨。", "The shares rose on January 16.", {"number", "number-added"}),
    ("公司将在2025年至2026年推出新品。", "The company will launch new products in 2025-27.", {"number", "number-added"}),
    ("这是2023年以来第3次降准。", "It is the fourth cut since 2023.", {"number"}),
    ("他表示，这一点很重要。", "He said on March 3 that 40% of it was important.", {"number-added"}),
    ("公司拥有一万张显卡。", "The company owns 1,000 graphics cards.", {"number"}),
    ("工厂有两千名工人。", "The factory has 200 workers.", {"number"}),
    ("物价同比上涨百分之五点二。", "Prices rose 2.5 percent year on year.", {"number"}),
]


def block_for(source, translation):
    block = Block(id="b1", kind=BlockKind.PARAGRAPH, source=source, translation=translation)
    block.segments = [Segment(0, len(source), source, translation)]
    return block


@pytest.mark.parametrize("source, translation", FAITHFUL)
def test_numbers_written_as_news_writes_them_raise_no_flag(source, translation):
    block = block_for(source, translation)
    check_block(block)
    assert block.flags == []


@pytest.mark.parametrize("source, translation, codes", WRONG)
def test_wrong_or_added_numbers_are_flagged(source, translation, codes):
    block = block_for(source, translation)
    check_block(block)
    assert codes <= {f.code for f in block.flags}, block.flags
    severities = {f.code: f.severity for f in block.flags}
    assert severities.get("number", "error") == "error" and severities.get("number-added", "warning") == "warning"


def test_english_dates_words_and_multiples_state_their_values():
    values = read_english_numbers("On January 13 and in mid-March, two decades after the third quarter of 1999, "
                                  "half a million people, twenty-first, a dozen, threefold, Q2").values
    assert {13, 1, 3, 20, 1999, 7, 9, 500000, 21, 12, 4, 6} <= {int(v) for v in values}


def test_may_is_a_month_only_where_a_date_is_meant():
    assert 5 in read_english_numbers("in May").values and 5 in read_english_numbers("May 4").values
    assert 5 not in read_english_numbers("Prices May rise. It may fall.").values


def test_a_weekday_stands_for_the_day_and_month_but_not_for_other_numbers():
    assert missing_numbers("1月26日（周五），指数收涨0.15%。", "On Friday the index closed up 0.15%.") == []
    assert [text for text, _ in missing_numbers("1月26日（周五），指数收涨0.15%。", "On Friday the index closed up.")] \
        == ["0.15"]


def test_chinese_numerals_excuse_figures_of_the_translation():
    assert {2300, 2024, 3, 4, 120000, 350000000, 1} <= {int(v) for v in chinese_numeral_values(
        "两千三百人，二〇二四年，三四个，十二万，三亿五千万，首次")}
    assert added_numbers("三家公司参加。", "3 companies took part.") == []


def test_a_number_a_glossary_target_brings_is_not_added():
    block = block_for("萤火号投资巨大。", "Fire-Flyer 2 cost a great deal.")
    block.terms = [TermHit("萤火号", "Fire-Flyer 2", "name", 0)]
    check_block(block)
    assert "number-added" not in {f.code for f in block.flags}
    assert [f.text for f in added_numbers("萤火号投资巨大。", "Fire-Flyer 2 cost a great deal.")] == ["2"]


def test_a_reply_for_another_paragraph_is_caught_by_its_numbers():
    block = block_for("这是一场极其夸张的AI风暴。",
                      "Twenty days after launch, DeepSeek's DAU reached 22.15 million, 41.6% of ChatGPT's.")
    check_block(block)
    added = [f.span for f in block.flags if f.code == "number-added"]
    assert added == ["22.15 million", "41.6"]


def test_a_list_items_own_number_is_not_an_added_figure():
    from translate.document import Block, BlockKind
    from translate.qa.checks import check_block

    item = Block(id="x", kind=BlockKind.PARAGRAPH, source="扩大出口")
    item.translation = "1. Expanding exports"
    check_block(item)
    assert item.flags == []
    added = Block(id="y", kind=BlockKind.PARAGRAPH, source="扩大出口")
    added.translation = "Expanding exports by 5 points"
    check_block(added)
    assert [f.code for f in added.flags] == ["number-added"]


def test_a_scale_joined_by_hyphens_counts():
    from translate.qa.numbers import missing_numbers

    source = "投资100亿元建设新厂。"
    assert missing_numbers(source, "It will build a plant with a 10-billion-yuan investment.") == []
    assert [text for text, _ in missing_numbers(source, "It will build a plant with a 10-million-yuan investment.")] \
        == ["100亿元"]


def test_a_markdown_link_target_is_not_a_latin_word_to_find():
    from translate.document import Block, BlockKind
    from translate.qa.checks import check_block

    block = Block(id="x", kind=BlockKind.PARAGRAPH, source="据[协会](https://www.caam.org.cn)统计，Tesla销量增长。")
    block.translation = "According to the association, sales grew."  # as en.docx shows it: the URL is the link's
    check_block(block)
    assert [f.message for f in block.flags if f.code == "latin"] == ["'Tesla' from the source is not in the translation"]


def test_an_autolinks_url_is_its_text_and_is_looked_for():
    from translate.document import Block, BlockKind
    from translate.qa.checks import check_block

    block = Block(id="x", kind=BlockKind.PARAGRAPH, source="详情见<https://github.com/OpenAI/gpt>。")
    block.translation = "See details."
    check_block(block)
    assert any(f.code == "latin" and "github.com" in f.message for f in block.flags)
