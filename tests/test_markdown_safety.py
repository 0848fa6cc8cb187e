"""STEM.en.md is published: rendered as a web page it must run nothing, and each block must stay a block
whatever its text (a line '<!--', '~~~' or '1. ' in a plain-text article, a model's reply full of markup)."""

import re

from engines import RuleEngine
from markdown_it import MarkdownIt

from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file

HOSTILE_REPLY = ("<script>alert(1)</script> Shares rose [here](javascript:alert(2)) <img src=x onerror=alert(3)> "
                 "<https://example.com> <javascript:alert(4)>\n~~~\n<!-- and the rest")


class MarkupEngine(RuleEngine):
    """Answers every paragraph with markup an article could steer a model into writing."""

    def translate_one(self, text):
        return HOSTILE_REPLY if "股价" in text else super().translate_one(text)


class AddsANumber(RuleEngine):
    """Adds a figure the source does not have: a QA flag (number-added) on every paragraph."""

    def translate_one(self, text):
        return super().translate_one(text) + " It cost 42 yuan."


def _run(tmp_path, name, text, engine=RuleEngine):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_file(str(source), RunOptions(out_dir=str(out), quiet=True, use_cache=False,
                                                formats=("md", "json")), load_engine=lambda: engine())
    return result.document, out / f"{source.stem}.en.md", out / f"{source.stem}.bilingual.md"


def _html(markdown_path):
    return MarkdownIt("commonmark").render(markdown_path.read_text(encoding="utf-8"))


def _runs_nothing(html):
    """No element that runs: no script or frame, no event handler, no link or source with a script scheme."""
    import lxml.html

    root = lxml.html.fromstring(f"<div>{html}</div>")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        assert element.tag not in ("script", "iframe", "object", "embed"), html
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), html
            assert not re.match(r"\s*(?:javascript|vbscript|data):", value, re.I), html


def test_an_articles_html_and_a_models_markup_run_nothing_in_the_published_file(tmp_path):
    article = ("# 股价标题\n\n公司股价上涨。\n\n<script>alert(5)</script>\n\n<img src=x onerror=alert(6)>\n\n"
               "<div class=\"note\">\n<p onclick=\"alert(7)\">编者按。</p>\n</div>\n\n见[链接](javascript:alert(8))。\n")
    document, target, bilingual = _run(tmp_path, "a.md", article, MarkupEngine)
    html = _html(target)
    _runs_nothing(html)
    _runs_nothing(_html(bilingual))
    assert '<div class="note">' in html and "</div>" in html  # the CMS's own harmless markup is kept
    # a web link the model added (the source has none) is shown as text, never a live link
    assert '<a href="https://example.com">' not in html and "https://example.com" in html
    assert "&lt;script&gt;alert(1)" in html  # the model's script is shown as text, not dropped
    assert html.count("&lt;!-- and the rest") == 2  # an open comment in a reply hides nothing after it
    # every block is still in the file, each once
    assert html.count("Shares rose") == sum(1 for b in document.blocks if "股价" in b.source)


def test_lines_of_a_plain_text_article_never_become_markdown_structure(tmp_path):
    lines = ["标题", "第一段。", "<!--", "第二段。", "~~~", "第三段。", "```", "1. 第四段。", "- 第五段。", "---",
             "| 第六段 |", "    第七段。", "# 第八段"]
    document, target, bilingual = _run(tmp_path, "a.txt", "\n".join(lines) + "\n")
    tokens = MarkdownIt("commonmark").parse(target.read_text(encoding="utf-8"))
    kinds = [t.type for t in tokens if t.type.endswith("_open") or t.type in ("fence", "code_block", "html_block",
                                                                              "hr")]
    assert kinds == ["heading_open" if b.kind.value in ("title", "heading") else "paragraph_open"
                     for b in document.blocks]
    bilingual_tokens = MarkdownIt("commonmark").parse(bilingual.read_text(encoding="utf-8"))
    assert not [t for t in bilingual_tokens if t.type in ("fence", "code_block", "bullet_list_open",
                                                          "ordered_list_open", "hr")]


def test_an_open_fence_in_the_article_is_closed_in_the_published_file(tmp_path):
    _, target, _ = _run(tmp_path, "a.md", "# 标题\n\n第一段。\n\n```python\nprint(1)\n")
    text = target.read_text(encoding="utf-8")
    assert text.rstrip().endswith("```")


def test_qa_footnotes_never_take_the_articles_own_labels(tmp_path):
    article = "# 标题\n\n正文引用了脚注[^1]，公司的日活达到100万。\n\n[^1]: 脚注的内容。\n"
    document, _, bilingual = _run(tmp_path, "a.md", article, AddsANumber)
    text = bilingual.read_text(encoding="utf-8")
    flags = sum(len(b.flags) for b in document.blocks)
    assert flags and len(re.findall(r"^\[\^qa-\d+\]:", text, re.M)) == flags
    assert len(re.findall(r"^\[\^1\]:", text, re.M)) == 2  # the article's note: its source and its translation


def test_table_cells_in_the_bilingual_file_are_paragraphs_and_the_table_stays_in_the_published_one(tmp_path):
    document, target, bilingual = _run(tmp_path, "t.md", "| 公司 | 估值 |\n| --- | --- |\n| 阿里巴巴 | 一万亿 |\n")
    text = bilingual.read_text(encoding="utf-8")
    assert "---" not in text and not re.search(r"^\s*\|", text, re.M)
    assert [t.type for t in MarkdownIt("commonmark").enable("table").parse(target.read_text(encoding="utf-8"))
            if t.type.startswith("t") and t.type.endswith("_open")][:1] == ["table_open"]


def test_tricks_that_hide_a_handler_a_script_or_a_comment_end_run_nothing(tmp_path):
    article = ("# 标题\n\n<img src=x alt=\"&#32;onerror&#32;\" onerror=alert(1)>\n\n"
               "<p class=\"lead\" title=\"&#32;onmouseover&#32;\" onmouseover=\"alert(3)\">第二段。</p>\n\n"
               "<!--><img src=y onerror=alert(2)>-->\n\n<scr<script>x</script>ipt>alert(4)</script>\n\n"
               "见[链接](java&#115;cript:alert(5))和[另一个](javascript\\:alert(6))。\n\n    <b>缩进的代码</b>\n")
    document, target, _ = _run(tmp_path, "t.md", article)
    html = _html(target)
    _runs_nothing(html)
    assert "&lt;b&gt;" in html  # indented code stays code
    # no link to a script scheme forms, even for a renderer that decodes entities and escapes in targets
    assert "](java" not in target.read_text(encoding="utf-8")


def test_a_link_or_image_the_source_lacks_and_a_forged_footnote_stay_text(tmp_path):
    class Adding:
        def translate(self, texts, **_):
            return [f"See ![x](http://evil.example/t.png) and [doc](https://ok.example/a).\n[^qa-1]: All fine {n}"
                    for n, _ in enumerate(texts)]

    article = "# 标题\n\n见[文档](https://ok.example/a)。\n"
    _, target, bilingual = _run(tmp_path, "b.md", article, Adding)
    html = _html(target)
    assert '<a href="https://ok.example/a">' in html and "<img" not in html and "evil.example" in html
    text = bilingual.read_text(encoding="utf-8")
    assert "\n[^qa-1]: All fine" not in text and "\\[^qa-1]: All fine" in text


def test_the_articles_link_survives_when_the_model_writes_its_target_another_way():
    from translate.formats.markdown import _publishable

    source = "[新华社](http://www.news.cn) 和 [维基](https://zh.wikipedia.org/wiki/北京)"
    reply = "[Xinhua](HTTP://WWW.news.cn/) and [Wiki](https://zh.wikipedia.org/wiki/%E5%8C%97%E4%BA%AC)"
    assert _publishable(reply, source) == reply
    assert _publishable("[x](http://news.cn.evil.example/)", source) == "[x]\\(http://news.cn.evil.example/)"


def test_a_multi_line_flag_message_is_one_footnote_line():
    from translate.document import Block, BlockKind, Document, Flag
    from translate.formats.markdown import bilingual_markdown

    block = Block(id="b1", kind=BlockKind.PARAGRAPH, source="公司发布新模型。")
    block.translation = "The company released a new model."
    block.flags = [Flag("length", "warning", "the reply was short:\nThe company\n# not a heading")]
    text = bilingual_markdown(Document(name="d", blocks=[block]), {})
    notes = [line for line in text.splitlines() if line.startswith("[^qa-")]
    assert notes == ["[^qa-1]: **length** (b1): the reply was short: ⏎ The company ⏎ # not a heading"]
