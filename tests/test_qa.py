import pytest

from translate.document import Block, BlockKind, Segment
from translate.qa.checks import check_block
from translate.qa.numbers import english_number, large_numbers

# (source, wrong translation, the flag code it must raise)
WRONG = [
    ("DeepSeek的日活已达2215万。", "DeepSeek's daily active users reached 2,215 million.", "number"),
    ("ChatGPT突破1500万大关花了244天。", "ChatGPT took 244 days to pass 1.5 million.", "number"),
    ("用户日活早早突破2亿。", "Daily users passed 2 billion early on.", "number"),
    ("萤火二号投资达到10亿元。", "Fire-Flyer 2 cost 10 billion yuan.", "number"),
    ("有逾越1万张A100芯片储备。", "It had more than 1,000 A100 chips in reserve.", "number"),
    ("是ChatGPT日活用户的41.6%。", "It was 46.1% of ChatGPT's daily users.", "number"),
    ("2015年梁文锋创办幻方。", "In 2016 Liang Wenfeng founded High-Flyer.", "number"),
    ("DeepSeek仅用了18天。", "DeepSeek needed only eight days.", "number"),
    ("仅用了18天突破2000万。", "It passed 2 million in 18 days.", "number"),
    ("拥有A100芯片最多的公司。", "The company with the most chips.", "latin"),
    ("OpenAI CEO山姆·奥尔特曼进行反思。", "Sam Altman reflected.", "latin"),
    ("成为全球增速最快的AI应用。", "It became the fastest-growing application in the world.", "latin"),
    ("与ChatGPT相比。", "Compared with the chatbot.", "latin"),
    ("拥有高性能GPU芯片。", "It has high-performance 芯片 chips.", "untranslated"),
    ("幻方量化孵化而生。", "It was born from 幻方量化.", "untranslated"),
    ("这是一场极其夸张的风暴。", "", "empty"),
    ("这是一场风暴。", "This is a storm storm storm storm.", "repetition"),
    ("这是一场风暴。", "The storm is the storm is the storm is the storm.", "repetition"),
    ("中国公司习惯了别人做技术创新。", "Chinese companies companies companies companies are used to it.", "repetition"),
    ("这是一场极其夸张的AI风暴,而且跟以往不同的是,这是一家真正由中国创业公司主导激发的AI风暴。",
     "AI storm.", "length"),
    ("问题在于,为什么是那家公司的那个产品做到了这一点?", "The question is why. " * 30, "length"),
    ("大厂没做到的,它反而实现了,用了20天。", "What big firms could not do, it did.", "number"),
]

RIGHT = [
    ("DeepSeek的日活已达2215万。", "DeepSeek's DAU reached 22.15 million."),
    ("ChatGPT突破1500万大关花了244天。", "ChatGPT took 244 days to pass the 15 million mark."),
    ("用户日活早早突破2亿。", "Its DAU passed 200 million early on."),
    ("萤火二号投资达到10亿元。", "Investment in Fire-Flyer 2 reached 1 billion yuan."),
    ("有逾越1万张A100芯片储备。", "It had more than 10,000 A100 chips in reserve."),
    ("是ChatGPT日活用户的41.6%。", "It was 41.6% of ChatGPT's DAU."),
    ("2015年梁文锋创办幻方。", "In 2015 Liang Wenfeng founded High-Flyer."),
    ("DeepSeek仅用了18天。", "DeepSeek needed only 18 days."),
    ("自2019年至2021年间。", "Between 2019 and 2021."),
    ("拥有A100芯片最多的公司。", "The company with the most A100 chips."),
    ("OpenAI CEO山姆·奥尔特曼进行反思。", "OpenAI CEO Sam Altman reflected."),
    ("成为全球增速最快的AI应用。", "It became the world's fastest-growing AI app."),
    ("与ChatGPT相比。", "Compared with ChatGPT."),
    ("拥有高性能GPU芯片。", "It has high-performance GPU chips."),
    ("幻方量化孵化而生。", "It was incubated by High-Flyer."),
    ("这是一场极其夸张的风暴。", "This is an extremely exaggerated storm."),
    ("那是非常非常好的。", "That was very, very good."),
    ("上线20天后的DeepSeek日活已达2215万。", "Twenty days after launch, DeepSeek's DAU reached 22.15 million."),
    ("还有一两年差距。", "There is still a gap of one or two years."),
    ("2017 年全面应用深度学习技术进行交易。", "In 2017 it fully applied deep learning to trading."),
    ("深耕已久", "Long in the making"),
]


def block_for(source, translation):
    block = Block(id="b1", kind=BlockKind.PARAGRAPH, source=source, translation=translation)
    block.segments = [Segment(0, len(source), source, translation)]
    return block


@pytest.mark.parametrize("source, translation, code", WRONG)
def test_wrong_translations_are_flagged_with_the_right_code(source, translation, code):
    block = block_for(source, translation)
    check_block(block)
    assert code in [f.code for f in block.flags]


@pytest.mark.parametrize("source, translation", RIGHT)
def test_correct_translations_raise_no_flag(source, translation):
    block = block_for(source, translation)
    check_block(block)
    assert block.flags == []


def test_chinese_large_numbers_convert_to_english_scale():
    found = {n.source: n.english for n in large_numbers("2000万1500万2215万1695万2亿10亿元1万张3.5亿")}
    assert found == {"2000万": "20 million", "1500万": "15 million", "2215万": "22.15 million",
                     "1695万": "16.95 million", "2亿": "200 million", "10亿元": "1 billion yuan", "1万": "10,000",
                     "3.5亿": "350 million"}
    assert english_number(large_numbers("1.2万亿")[0].value) == "1.2 trillion"
