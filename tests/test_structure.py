from translate.document import BlockKind, block_ids
from translate.readers import read_document


def test_example_article_blocks_and_kinds(article_path):
    document = read_document(str(article_path))
    kinds = [b.kind for b in document.blocks]
    assert len(document.blocks) == 41
    assert kinds[0] is BlockKind.TITLE and kinds[1] is BlockKind.BYLINE
    headings = [b.source for b in document.blocks if b.kind is BlockKind.HEADING]
    assert headings == ["深耕已久", "反套路"]
    assert [b.source for b in document.blocks if b.kind is BlockKind.CAPTION] == ["图片来自于幻方官网"]
    quotes = [b.source for b in document.blocks if b.kind is BlockKind.QUOTE]
    assert any(q.startswith("“咱们看到的是") for q in quotes) and any(q.startswith("“淌若有想法") for q in quotes)
    assert kinds.count(BlockKind.PARAGRAPH) == 41 - 2 - 2 - 1 - len(quotes)


def test_block_ids_survive_reruns_and_edits_elsewhere():
    texts = ["标题", "第一段。", "第二段。", "第一段。"]
    ids = block_ids(texts)
    assert ids == block_ids(texts)
    assert len(set(ids)) == 4  # a repeated paragraph gets its own id
    edited = block_ids(["标题", "第一段。", "改过的第二段。", "第一段。"])
    assert edited[0] == ids[0] and edited[1] == ids[1] and edited[3] == ids[3] and edited[2] != ids[2]


def test_a_byline_with_a_space_instead_of_a_separator_is_a_byline():
    from translate.readers.structure import classify

    assert [classify(t) for t in ("记者 王立新 发自上海", "本报记者 李四", "摄影 张三")] == [BlockKind.BYLINE] * 3
    assert classify("记者 昨天从市政府获悉，全市新增病例五例，其中三例为境外输入。") is BlockKind.PARAGRAPH


def test_lines_of_only_punctuation_or_emoji_are_copied_not_sent_to_the_engine(tmp_path, rule_engine):
    from translate.pipeline.options import RunOptions
    from translate.pipeline.run import run_file

    path = tmp_path / "a.txt"
    path.write_text("标题\n正文第一段。\n！！！\n⚽⚽⚽\n* * *\n正文第二段。\n", encoding="utf-8")
    engine = rule_engine()
    result = run_file(str(path), RunOptions(out_dir=str(tmp_path / "out"), quiet=True, use_cache=False,
                                            formats=("json",)), load_engine=lambda: engine)
    copied = [(b.source, b.translation, b.origin, b.flags) for b in result.document.blocks[2:5]]
    assert copied == [(s, s, "copy", []) for s in ("！！！", "⚽⚽⚽", "* * *")]
    sent = [text for call in engine.calls for text in call]
    assert not any(text.strip() in ("！！！", "⚽⚽⚽", "* * *") for text in sent)
    assert result.document.blocks[3].kind is BlockKind.PARAGRAPH


def _kinds(text: str) -> list[tuple[str, str]]:
    from translate.readers.structure import classify_lines

    return [(kind.value, line) for kind, line, _ in classify_lines(text.splitlines())]


def test_speaker_labels_section_numbers_credits_and_a_notices_closing_lines_get_their_kinds():
    interview = _kinds("专访张三：基础研究需要长期投入\n记者：您如何看待当前基础研究的现状？\n"
                       "张三：进步很快，但原创成果还不够多。\n记者：张三\n")
    assert [k for k, _ in interview] == ["title", "paragraph", "paragraph", "byline"]
    sections = _kinds("优化营商环境的若干措施\n一、简化审批流程\n各地要压缩企业开办时间。\n（一）基本情况\n"
                      "今年以来成效明显。\n1. 降低用电成本\n电价下调。\n")
    assert [line for k, line in sections if k == "heading"] == ["一、简化审批流程", "（一）基本情况", "1. 降低用电成本"]
    notice = _kinds("关于元旦放假安排的通知\n1月1日放假1天。\n特此通知。\n附件：1.值班安排表\n2.应急联系人名单\n"
                    "XX市人民政府办公室\n2024年12月20日\n（完）\n")
    assert [k for k, _ in notice] == ["title"] + ["paragraph"] * 7  # nothing after them: not headings
    credits = _kinds("长江护渔员的一天\n退捕上岸后，老陈成为一名护渔员。\n（新华社记者 李四 摄）\n资料图\n"
                     "■ 本报记者 张三\n（作者系北京大学经济学院教授）\n")
    assert [k for k, _ in credits] == ["title", "paragraph", "caption", "caption", "byline", "paragraph"]


def test_a_quotation_with_its_speaker_between_is_a_paragraph_and_the_title_may_follow_a_note_or_a_date():
    quoted = _kinds("出口再创新高\n“我们对明年充满信心。”负责人说，“海外工厂将陆续投产。”\n“这是一整句引语。”\n")
    assert [k for k, _ in quoted] == ["title", "paragraph", "quote"]
    for first, kind in (("编者按：本文作者为北京大学教授，文章仅代表作者个人观点。", "paragraph"),
                        ("【编者按】大模型的下一步在哪里？本报专访了张伟", "paragraph"),
                        ("2024-12-05 10:30 来源：澎湃新闻", "byline")):
        assert _kinds(f"{first}\n让烟火气回归城市街头\n地摊经济曾经饱受争议。\n") == [
            (kind, first), ("title", "让烟火气回归城市街头"), ("paragraph", "地摊经济曾经饱受争议。")]


def test_list_numbers_dotted_ellipses_and_english_sentences_split_where_a_reader_would():
    from translate.segment import segment_text

    def split(text):
        return [s.text for s in segment_text(text)]

    assert split("1. 建立快速维权机制。2. 完善制度。") == ["1. 建立快速维权机制。", "2. 完善制度。"]
    assert split("这是第一句......这是第二句。") == ["这是第一句......", "这是第二句。"]
    assert split("U.S. sales rose 3.1%. 分析师认为不错。") == ["U.S. sales rose 3.1%. ", "分析师认为不错。"]
    assert split("He was born in 1990. 他说。") == ["He was born in 1990. ", "他说。"]
    assert split("营收达到3.5亿元，etc... 然后") == ["营收达到3.5亿元，etc... 然后"]
    assert split("图![图表](https://x.com/a.png)与词条。太好了![1]他说。") == ["图![图表](https://x.com/a.png)与词条。", "太好了!",
                                                                    "[1]他说。"]


def test_blocks_and_sentences_without_chinese_are_copied_not_sent_to_the_engine(tmp_path, rule_engine):
    from translate.pipeline.options import RunOptions
    from translate.pipeline.run import run_file

    path = tmp_path / "a.md"
    path.write_text("# 标题\n\n| 模型 | 参数 |\n|---|---|\n| Qwen2.5 | 72B |\n\n<https://example.com/q>\n\n"
                    "U.S. sales rose 3.1%. 分析师认为这一趋势仍将延续。\n", encoding="utf-8")
    engine = rule_engine()
    result = run_file(str(path), RunOptions(out_dir=str(tmp_path / "out"), quiet=True, use_cache=False,
                                            formats=("json", "md")), load_engine=lambda: engine)
    sent = [text for call in engine.calls for text in call]
    assert sent and all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in sent), sent
    copied = {b.source: b.translation for b in result.document.blocks if b.origin == "copy"}
    assert {"Qwen2.5", "72B"} <= set(copied) and all(copied[s] == s for s in copied)
    last = result.document.blocks[-1]
    assert last.translation.startswith("U.S. sales rose 3.1%.") and last.segments[0].origin == "copy"
    assert "https://example.com/q" in (tmp_path / "out" / "a.en.md").read_text(encoding="utf-8")


def test_a_block_without_chinese_still_takes_the_memory_and_the_glossary_and_is_punctuated_as_english(
        tmp_path, rule_engine):
    from translate.memory.tm import TranslationMemory
    from translate.pipeline.options import RunOptions
    from translate.pipeline.run import run_file

    path = tmp_path / "b.txt"
    path.write_text("标题\n（NASDAQ：BIDU）\nDAU\nCPI：+0.2%；PPI：-2.5%。\n", encoding="utf-8")
    glossary = tmp_path / "g.csv"
    glossary.write_text("source,target,kind,note\nDAU,daily active users,term,\n", encoding="utf-8")
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.add("（NASDAQ：BIDU）", "(Nasdaq: BIDU)", origin="review")
    tm.close()
    engine = rule_engine()
    result = run_file(str(path), RunOptions(out_dir=str(tmp_path / "out"), quiet=True, use_cache=False,
                                            formats=("json",), glossaries=[str(glossary)],
                                            tm_path=str(tmp_path / "tm.sqlite")), load_engine=lambda: engine)
    blocks = {b.source: b for b in result.document.blocks}
    assert (blocks["（NASDAQ：BIDU）"].translation, blocks["（NASDAQ：BIDU）"].origin) == ("(Nasdaq: BIDU)", "tm")
    assert blocks["DAU"].origin == "mt"  # a Latin glossary term goes to the engine, and is enforced
    assert [(h.key, h.enforced) for h in blocks["DAU"].terms] == [("DAU", True)]
    assert (blocks["CPI：+0.2%；PPI：-2.5%。"].translation, blocks["CPI：+0.2%；PPI：-2.5%。"].origin) == (
        "CPI: +0.2%; PPI: -2.5%.", "copy")


def test_a_dated_lead_a_run_of_numbered_items_and_a_byline_with_a_full_stop_keep_their_kinds():
    lead = _kinds("2024年12月5日，记者从市教育局获悉，寒假将于1月开始。\n寒假安排\n学生放假。\n")
    assert [k for k, _ in lead] == ["paragraph", "heading", "paragraph"]
    items = _kinds("通知\n需携带以下材料：\n1、身份证\n2、户口本\n3、近期照片\n请准时到场。\n")
    assert [k for k, _ in items] == ["title"] + ["paragraph"] * 5
    assert [k for k, _ in _kinds("标题\n来源：人民日报。\n编辑：王五。\n正文。\n")] == ["title", "byline", "byline",
                                                                                "paragraph"]
    assert [k for k, _ in _kinds("本报记者 李四\n一、总体情况\n今年经济平稳。\n")] == ["byline", "heading", "paragraph"]


def test_two_numbering_levels_a_byline_with_a_comma_and_an_interviewer_greeting():
    levels = _kinds("通知\n（一）加强组织领导\n（1）成立工作专班。\n（2）明确分工。\n（二）强化责任落实\n（1）压实责任。\n")
    assert [line for k, line in levels if k == "heading"] == ["（一）加强组织领导", "（二）强化责任落实"]
    dated = _kinds("2024-05-20 10:30 来源：新华社 作者：王一，李二\n我国首艘大型邮轮完成试航\n正文。\n")
    assert [k for k, _ in dated] == ["byline", "title", "paragraph"]
    talk = _kinds("专访\n记者：您好！\n张三：您好。\n记者：谢谢您接受采访。\n")
    assert [k for k, _ in talk] == ["title", "paragraph", "paragraph", "paragraph"]


def test_english_punctuation_changes_only_chinese_marks_and_full_width_forms():
    from translate.segment import english_punctuation

    assert english_punctuation("300 m² … 5×10⁹ tonnes of CO₂ ①Apple ™ ½") == "300 m² … 5×10⁹ tonnes of CO₂ ①Apple ™ ½"
    assert english_punctuation("What？！ Really！！ 2022、2023") == "What?! Really!! 2022, 2023"
    assert english_punctuation("https://example.com/a?b=1,2 10：30") == "https://example.com/a?b=1,2 10:30"
