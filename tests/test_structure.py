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
