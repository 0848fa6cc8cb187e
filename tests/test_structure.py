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
