"""The shipped glossary on sentences where its short names mean something else, and where they do not.

Each sentence is one paragraph of one run through the pipeline with the deterministic rule engine;
the checks read the run JSON, as an editor's tools would. The rule engine drops Chinese it does not
know, so an English name can only reach the translation through glossary enforcement.
"""

import json
import re
from pathlib import Path

import docx
import pytest

from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file

SHIPPED = str(Path(__file__).resolve().parent.parent / "glossary" / "tech-zh-en.csv")

# sentence, the target that would be the wrong sense here
DIFFERENT_SENSE = [
    ("该文件大小为1024字节。", "ByteDance"),  # bytes
    ("每个汉字占两个字节。", "ByteDance"),
    ("UTF-8编码中一个中文字符占3个字节。", "ByteDance"),
    ("数据以字节为单位存储。", "ByteDance"),
    ("阿里山的风景很美。", "Alibaba"),  # Alishan
    ("穆罕默德·阿里是拳王。", "Alibaba"),  # Muhammad Ali
    ("开源节流是持家之道。", "open source"),  # broaden income, cut spending
    ("要开源增收,也要控制成本。", "open source"),
    ("MAIL服务器出了问题。", "AI"),
    ("BATTERY电量不足。", "BAT"),
    ("水温达到两百度。", "Baidu"),  # 200 degrees
    ("众里寻他千百度。", "Baidu"),  # a line of Song poetry
    ("商汤灭夏,建立商朝。", "SenseTime"),  # King Tang of Shang
    ("这是一个三阶幻方,每行之和相等。", "High-Flyer"),  # a magic square
    ("早餐吃了一个豆包和一碗粥。", "Doubao"),  # a bean-paste bun
    ("私募股权基金募资困难。", "private fund"),  # private equity
    ("节日活动很多。", "DAU"),  # 节日 + 活动, not 日活
    ("PC端和移动端都已上线。", "consumer"),  # PC client, not C端
    ("叶二娘是金庸小说人物。", "Ye Er"),
]

# sentence, {source: target} that must be enforced
INTENDED = [
    ("字节跳动旗下的抖音很火。", {"字节跳动": "ByteDance"}),
    ("字节和阿里都在做大模型。", {"字节": "ByteDance", "阿里": "Alibaba", "大模型": "large model"}),
    ("商汤、百度、腾讯、字节、阿里都有大量算力。", {"商汤": "SenseTime", "百度": "Baidu", "腾讯": "Tencent",
                                         "字节": "ByteDance", "阿里": "Alibaba", "算力": "computing power"}),
    ("百度百科上有这个词条。", {"百度": "Baidu"}),
    ("这台服务器配有8张80GB显存的A100 GPU。", {"A100": "A100", "GPU": "GPU"}),
    ("他在字节工作了三年。", {"字节": "ByteDance"}),
    ("阿里的股价上涨了,阿里云发布了新模型。", {"阿里": "Alibaba"}),
    ("为什么BAT没能做出DeepSeek?", {"BAT": "BAT", "DeepSeek": "DeepSeek"}),
    ("这个开源模型很强。", {"开源": "open-source"}),
    ("AI芯片需求大增。", {"AI": "AI"}),
    ("幻方是国内知名的私募巨头。", {"幻方": "High-Flyer", "私募": "private fund"}),
    ("水温达到两百度,百度地图显示附近有温泉。", {"百度": "Baidu"}),
    ("豆包的日活用户超过千万。", {"豆包": "Doubao", "日活用户": "DAU"}),
    ("C端用户增长很快。", {"C端": "consumer"}),
    ("商汤科技发布了新模型。", {"商汤": "SenseTime"}),
]

AMBIGUOUS = "字节最近很忙。"


@pytest.fixture(scope="module")
def run_json(tmp_path_factory, rule_engine_class):
    tmp = tmp_path_factory.mktemp("senses")
    sentences = [s for s, _ in DIFFERENT_SENSE] + [s for s, _ in INTENDED] + [AMBIGUOUS]
    source = tmp / "senses.txt"
    source.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    options = RunOptions(out_dir=str(tmp / "out"), formats=("json", "docx"), glossaries=[SHIPPED],
                         default_glossary=False, quiet=True, use_cache=False, force=True)
    run_file(str(source), options, load_engine=lambda: rule_engine_class())
    data = json.loads((tmp / "out" / "senses.json").read_text(encoding="utf-8"))
    data["docx"] = tmp / "out" / "senses.bilingual.docx"
    return data


@pytest.fixture(scope="module")
def rule_engine_class():
    from engines import RuleEngine

    return RuleEngine


def words(target):
    """open-source and Open Source are the same rendering."""
    return re.split(r"[-\s]+", target.lower())


def block_for(data, sentence):
    return next(b for b in data["blocks"] if b["source"] == sentence)


@pytest.mark.parametrize("sentence, wrong", DIFFERENT_SENSE)
def test_nothing_is_enforced_in_another_sense(run_json, sentence, wrong):
    block = block_for(run_json, sentence)
    assert not [t for t in block["terms"] if words(t["target"]) == words(wrong) and t["enforced"]], block["terms"]
    rendering = r"[-\s]+".join(map(re.escape, words(wrong)))
    assert not re.search(rf"(?<![A-Za-z]){rendering}(?![A-Za-z])", block["translation"], re.IGNORECASE)


@pytest.mark.parametrize("sentence, expected", INTENDED)
def test_the_intended_sense_is_enforced(run_json, sentence, expected):
    block = block_for(run_json, sentence)
    enforced = {t["source"]: t["target"] for t in block["terms"] if t["enforced"]}
    assert enforced == expected
    assert not [t for t in block["terms"] if t["ambiguous"]]
    for target in expected.values():
        assert " ".join(words(target)) in " ".join(words(block["translation"]))


def test_an_uncertain_sense_is_left_to_the_engine_and_flagged(run_json):
    block = block_for(run_json, AMBIGUOUS)
    assert [(t["source"], t["enforced"], t["ambiguous"]) for t in block["terms"]] == [("字节", False, True)]
    flags = [f for f in block["flags"] if f["code"] == "term-ambiguous"]
    assert len(flags) == 1 and flags[0]["severity"] == "info" and "字节" in flags[0]["message"]
    assert "ByteDance" not in block["translation"]


def test_the_terms_report_counts_enforced_missing_and_ambiguous_apart(run_json):
    report = {t["source"]: t for t in run_json["terms"]}
    byte_dance = report["字节"]
    assert byte_dance["ambiguous"] == 1 and byte_dance["enforced"] == 3 and byte_dance["missing"] == 0
    assert all(t["occurrences"] == t["enforced"] + t["missing"] + t["ambiguous"] for t in run_json["terms"])
    assert "阿里山" not in report and report["阿里"]["occurrences"] == 4


def test_the_ambiguous_flag_is_a_word_comment(run_json):
    comments = [c.text for c in docx.Document(str(run_json["docx"])).comments]
    assert any("[term-ambiguous]" in text and "字节" in text for text in comments)
