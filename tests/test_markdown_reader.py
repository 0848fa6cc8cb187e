"""Markdown is read by its CommonMark structure, and that structure comes back in STEM.en.md."""

import re

import pytest

from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file
from translate.readers.markdown import markdown_items

HAN = re.compile(r"[\u4e00-\u9fff]")


def items_of(text):
    return [(kind.value, body, markup, *rest) for kind, body, markup, *rest in markdown_items(text)]


def target_md(tmp_path, rule_engine, text):
    path = tmp_path / "a.md"
    path.write_text(text, encoding="utf-8")
    result = run_file(str(path), RunOptions(out_dir=str(tmp_path / "out"), quiet=True, use_cache=False,
                                            formats=("md", "json")), load_engine=lambda: rule_engine(keep_han=True))
    return (tmp_path / "out" / "a.en.md").read_text(encoding="utf-8"), result.document


def test_table_cells_are_blocks_and_the_table_comes_back_as_a_table(tmp_path, rule_engine):
    text = "# 标题\n\n| 型号 | 价格 |\n|:---|---:|\n| 标准版 |  |\n| 典藏版 | 10 |\n\n正文。\n"
    cells = [(body, markup) for kind, body, markup, *_ in items_of(text) if markup.endswith("| ")]
    assert [body for body, _ in cells] == ["型号", "价格", "标准版", "典藏版", "10"]
    out, _ = target_md(tmp_path, rule_engine, text)
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert len(table) == 4 and table[1] == "|:---|---:|"
    assert [line.count("|") for line in table] == [3, 3, 3, 3]  # the empty cell is kept
    assert "标准版" in table[2] and "典藏版" in table[3]


def test_a_multi_line_html_comment_is_carried_through_whole(tmp_path, rule_engine):
    text = "正文。\n\n<!-- 内部备注：\n这段注释不应翻译。\n-->\n\n结尾。\n"
    assert items_of(text)[1] == ("code", "<!-- 内部备注：\n这段注释不应翻译。\n-->", "")
    out, _ = target_md(tmp_path, rule_engine, text)
    assert "<!-- 内部备注：\n这段注释不应翻译。\n-->" in out


def test_setext_headings_rules_and_indented_code_keep_their_structure():
    text = "正文第一段。\n\n第二部分\n--------\n\n* * *\n\n    缩进代码，不翻译。\n\n结尾。\n"
    assert items_of(text)[1:4] == [("heading", "第二部分", "## "), ("code", "* * *", ""),
                                   ("code", "    缩进代码，不翻译。", "")]


def test_nested_lists_keep_their_indentation_in_the_target(tmp_path, rule_engine):
    text = "1. 第一项；\n2. 第二项；\n   - 子项甲\n     - 孙项\n3. 第三项。\n"
    markups = [markup for _, _, markup, *_ in items_of(text)]
    assert markups == ["1. ", "2. ", "   - ", "     - ", "3. "]
    out, _ = target_md(tmp_path, rule_engine, text)
    assert re.search(r"^   - .*子项甲", out, re.M) and re.search(r"^     - .*孙项", out, re.M)


def test_footnotes_keep_their_marker_and_link_definitions_pass_through(tmp_path, rule_engine):
    text = "正文[^1]，见[豆瓣][db]。\n\n[db]: https://movie.douban.com/\n\n[^1]: 河西走廊位于甘肃省。\n"
    assert items_of(text)[1:] == [("code", "[db]: https://movie.douban.com/", ""),
                                  ("paragraph", "河西走廊位于甘肃省。", "[^1]: ")]
    out, _ = target_md(tmp_path, rule_engine, text)
    assert "[db]: https://movie.douban.com/" in out and re.search(r"^\[\^1\]: .*甘肃", out, re.M)


def test_wrapped_lines_join_with_a_space_only_between_latin_words():
    text = "Product names like\niPhone appear here\n和中文\n换行。  \n硬换行之后\\\n反斜杠之后。\n"
    assert items_of(text) == [("paragraph", "Product names like iPhone appear here 和中文换行。硬换行之后反斜杠之后。", "")]


def test_an_image_line_and_its_caption_in_one_paragraph_are_two_blocks():
    text = "正文。\n\n![故宫](images/a.jpg)\n*图为故宫文物修复师在工作。*\n"
    assert items_of(text)[1:] == [("code", "![故宫](images/a.jpg)", ""), ("caption", "*图为故宫文物修复师在工作。*", "")]


def test_inline_html_at_the_start_of_a_paragraph_is_translated():
    assert items_of("<b>重要</b>：本周起调整时间。\n")[0][:2] == ("paragraph", "<b>重要</b>：本周起调整时间。")


@pytest.mark.parametrize("text", [
    ">" * 100_000 + " 深层引用。\n\n正文。\n",
    "".join("  " * i + "- 第%d层\n" % i for i in range(300)),
    "[" * 200_000 + "中文" + "]" * 200_000 + "\n",
    "中文句子，" * 200_000 + "\n",
    "*a " * 100_000 + "中文\n",
    "`" * 100_000 + "中文\n",
], ids=["deep-quotes", "deep-lists", "brackets", "one-mb-line", "emphasis-runs", "backtick-run"])
def test_pathological_markdown_loses_no_text(text):
    items = markdown_items(text)
    kept = "".join(body + markup for _, body, markup, *_ in items)
    assert sorted(HAN.findall(kept)) == sorted(HAN.findall(text))


def test_a_byline_or_caption_with_its_own_emphasis_is_not_wrapped_in_more(tmp_path, rule_engine):
    out, document = target_md(tmp_path, rule_engine, "# 标题\n\n**编辑：** 小李\n\n*图为现场。*\n\n作者 | 苏文\n")
    assert [b.kind.value for b in document.blocks] == ["title", "byline", "caption", "byline"]
    assert re.search(r"^\*\*编辑.*\*\* 小李$", out, re.M) and re.search(r"^\*图为现场.*[^*]\*$", out, re.M)
    assert "***" not in out
    assert "\n*作者 | 苏文*\n" in out


def test_a_list_item_opening_with_code_gives_its_later_paragraphs_the_indent_not_a_second_bullet():
    assert items_of("- ```\n  代码\n  ```\n\n  项内段落。\n- 第二项\n") == [
        ("code", "- ```\n  代码\n  ```", ""), ("paragraph", "项内段落。", "  "), ("paragraph", "第二项", "- ")]


def test_a_markdown_articles_tables_and_lists_stay_tables_and_lists_in_the_published_docx(tmp_path, rule_engine):
    import docx
    from docx.oxml.ns import qn

    from translate.pipeline.options import RunOptions
    from translate.pipeline.run import run_file

    path = tmp_path / "t.md"
    path.write_text("# 标题\n\n| 模型 | 参数 |\n|---|---|\n| 通义 | 七百亿 |\n| 豆包 |  |\n\n- 第一点\n  - 子点\n\n"
                    "1. 步骤一\n2. 步骤二\n\n正文。\n", encoding="utf-8")
    result = run_file(str(path), RunOptions(out_dir=str(tmp_path / "out"), quiet=True, formats=("docx",)),
                      load_engine=lambda: rule_engine())
    published = docx.Document(str(tmp_path / "out" / "t.en.docx"))
    body = [child.tag.split("}")[1] for child in published.element.body if child.tag != qn("w:sectPr")]
    assert body == ["p", "tbl", "p", "p", "p", "p", "p"]
    table = published.tables[0]
    assert len(table.rows) == 3 and len(table.columns) == 2
    cells = [b.translation for b in result.document.blocks[1:6]] + [""]  # an empty cell keeps its column
    assert [c.text for row in table.rows for c in row.cells] == cells and table.rows[0].cells[0].paragraphs[0].runs[0].bold
    items = [(p.style.name, p.text.split(" ")[0]) for p in published.paragraphs[1:5]]
    assert items[:2] == [("List Bullet", items[0][1]), ("List Bullet 2", items[1][1])]
    assert items[2:] == [("List Continue", "1."), ("List Continue", "2.")]  # the article's own numbers


def test_a_markdown_articles_links_and_emphasis_are_word_formatting_in_the_published_docx(tmp_path):
    import zipfile

    import docx

    from translate.pipeline.options import RunOptions
    from translate.pipeline.run import run_file

    class Echo:  # the article's own markup comes back as the source wrote it
        def translate(self, texts, **_):
            return list(texts)

    path = tmp_path / "l.md"
    path.write_text("# 标题\n\n据[协会](https://www.caam.org.cn)统计，**销量**增长。\n\n见[脚本](javascript:alert(1))。\n\n"
                    "图![图表](https://x.com/a.png)与[词条](https://en.wikipedia.org/wiki/Foo_(bar))，*斜体*。\n",
                    encoding="utf-8")
    run_file(str(path), RunOptions(out_dir=str(tmp_path / "out"), quiet=True, formats=("docx",)),
             load_engine=lambda: Echo())
    published = docx.Document(str(tmp_path / "out" / "l.en.docx"))
    assert published.paragraphs[1].text == "据协会统计，销量增长。"
    assert [r.text for r in published.paragraphs[1].runs if r.bold] == ["销量"]
    with zipfile.ZipFile(tmp_path / "out" / "l.en.docx") as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
        body = package.read("word/document.xml").decode()
    assert 'Target="https://www.caam.org.cn" TargetMode="External"' in rels and body.count("<w:hyperlink") == 2
    assert "javascript" not in rels and "[脚本](javascript:alert(1))" in published.paragraphs[2].text
    last = published.paragraphs[3]  # an image as written, a URL with brackets whole, emphasis italic
    assert last.text == "图![图表](https://x.com/a.png)与词条，斜体。" and "wiki/Foo_(bar)" in rels
    assert [r.text for r in last.runs if r.italic] == ["斜体"]


def test_links_past_the_documents_cap_are_shown_as_written(monkeypatch):
    import docx

    from translate.formats.docx import build

    monkeypatch.setattr(build, "MAX_HYPERLINKS", 1)
    paragraph = docx.Document().add_paragraph()
    build.append_markdown_runs(paragraph, "[a](https://x.org/1)，[a](https://x.org/1)，[b](https://x.org/2)")
    assert paragraph.text == "a，a，[b](https://x.org/2)"
    assert len(paragraph._p.findall(f"{build.W}hyperlink")) == 2


def test_asterisks_between_digits_stay_and_a_broken_image_opening_swallows_no_link():
    import docx

    from translate.formats.docx.build import W, append_markdown_runs

    for text, shown, links in (("Math 2*3*4 = 24", "Math 2*3*4 = 24", 0), ("![broken alt [x](https://e.com)", "![broken alt x", 1)):
        paragraph = docx.Document().add_paragraph()
        append_markdown_runs(paragraph, text)
        assert (paragraph.text, len(paragraph._p.findall(f"{W}hyperlink"))) == (shown, links)
