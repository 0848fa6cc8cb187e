"""Bad and odd input: one clear line, the right exit code, nothing lost."""

import io
import json
import re
import zipfile

import docx
import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.document import BlockKind
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file
from translate.readers import read_document
from translate.repair import repair_document
from translate.segment import reassemble, segment_block

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512


def invoke(*args):
    return CliRunner().invoke(cli, ["run", *map(str, args), "--model", "/nonexistent-model"])


def one_line_error(result, *words):
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.output
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("name, data, words", [
    ("empty.txt", b"", ["is empty"]),
    ("blank.txt", b"  \n\t\n  ", ["is empty"]),
    ("image.txt", PNG, ["PNG"]),
    ("bundle.txt", b"PK\x03\x04" + b"\x00" * 40, ["ZIP"]),
    ("article.odt", b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.text" + b"\x00" * 40,
     ["OpenDocument", "save it as Word (.docx)"]),
    ("paper.pdf", PDF, ["PDF"]),
    ("binary.txt", b"abc\x00\x01\x02def", ["binary"]),
    ("garbage.txt", b"\xff\xfe\xfa" * 3 + b"\xff\xff", ["UTF-8"]),
    ("old.docx", OLE, [".doc", "password"]),
    ("broken.docx", b"PK\x03\x04broken zip", ["corrupt"]),
    ("letter.rtf", b"{\\rtf1\\ansi {\\fonttbl {\\f0 SimSun;}} \\f0 \xe4\xb8\xad\xe6\x96\x87}", ["RTF", ".docx"]),
    ("page.html", "<!DOCTYPE html><html><body><p>新闻</p></body></html>".encode(), ["HTML page", ".md"]),
    ("page.txt", "\ufeff<html><body>新闻</body></html>".encode(), ["HTML page"]),
    ("article.json", b'{"blocks": []}', ["data file", "JSON"]),
    ("article.xlf", b"<xliff version='1.2'/>", ["data file", "XLIFF"]),
])
def test_bad_files_give_one_line_and_exit_2(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    one_line_error(invoke(path, "-o", tmp_path / "out"), str(path), *words)


def test_missing_path_and_directory(tmp_path):
    one_line_error(invoke(tmp_path / "nope.txt"), "no such file")
    one_line_error(invoke(tmp_path), "is a folder")


def test_truncated_docx_is_reported(tmp_path):
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("第一段。")
    document.save(buffer)
    path = tmp_path / "cut.docx"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    one_line_error(invoke(path), "corrupt")


def test_unknown_flag_and_bad_glossary_are_one_line(tmp_path, article_path):
    result = CliRunner().invoke(cli, ["run", str(article_path), "--beems", "2"])
    assert result.exit_code == 2 and "No such option" in result.output
    glossary = tmp_path / "bad.csv"
    glossary.write_text("source,kind\n日活,term\n", encoding="utf-8")
    one_line_error(CliRunner().invoke(cli, ["run", str(article_path), "-g", str(glossary), "-o", str(tmp_path)]),
                   f"{glossary}: line 1", "target")


def test_unwritable_output_folder(tmp_path, article_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["run", str(article_path), "-o", str(blocker / "out"), "--format", "json",
                                      "--no-cache", "--model", "/nonexistent"])
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk"])
def test_chinese_encodings_are_detected(tmp_path, article_path, encoding):
    text = article_path.read_text(encoding="utf-8")
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    document = read_document(str(path))
    assert [b.source for b in document.blocks] == [line.strip() for line in text.splitlines() if line.strip()]


def test_big5_is_read_and_can_be_simplified(tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes("臺灣的人工智慧發展\n這個模型很強大,開發者們都說好。\n".encode("big5"))
    document = read_document(str(path))
    assert document.encoding == "big5" and document.blocks[1].source == "這個模型很強大,開發者們都說好。"
    simplified = read_document(str(path), to_simplified=True)
    assert simplified.blocks[1].source == "这个模型很强大,开发者们都说好。"


def test_mixed_utf8_and_gbk_lines(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("标题在这里\n第一段是UTF-8。\n第二段也是。\n".encode("utf-8") + "第三段是GBK编码。\n".encode("gbk"))
    document = read_document(str(path))
    assert [b.source for b in document.blocks][-1] == "第三段是GBK编码。" and document.encoding == "mixed"


def test_markdown_keeps_code_front_matter_html_and_urls(tmp_path, rule_engine):
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: x\n---\n\n# 标题\n\n正文用`pip install x`,见[文档](https://example.com/a)。\n\n"
                    "```python\nprint('不要翻译')\n```\n\n<div class=\"ad\"><img src=\"a.png\"/></div>\n\n![图](img.png)\n\n> 引用的话。\n",
                    encoding="utf-8")
    document = read_document(str(path))
    kinds = [b.kind for b in document.blocks]
    assert kinds == [BlockKind.CODE, BlockKind.TITLE, BlockKind.PARAGRAPH, BlockKind.CODE, BlockKind.CODE,
                     BlockKind.CODE, BlockKind.QUOTE]
    options = RunOptions(out_dir=str(tmp_path / "out"), formats=("md", "json"), quiet=True, use_cache=False)
    run_file(str(path), options, load_engine=lambda: rule_engine())
    data = json.loads((tmp_path / "out" / "post.json").read_text(encoding="utf-8"))
    body = data["blocks"][2]["translation"]
    assert "`pip install x`" in body and "](https://example.com/a)" in body
    target = (tmp_path / "out" / "post.en.md").read_text(encoding="utf-8")
    assert "print('不要翻译')" in target and "<div class=\"ad\"><img src=\"a.png\"></div>" in target and "![图](img.png)" in target
    assert target.startswith("---\ntitle: x\n---")


def test_docx_tables_headers_and_footnotes_are_read(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "页眉文字"
    document.add_heading("小标题", level=2)
    document.add_paragraph("正文段落。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "表格左"
    table.cell(0, 1).text = "表格右"
    document.sections[0].footer.paragraphs[0].text = "页脚文字"
    path = tmp_path / "in.docx"
    document.save(str(path))
    read = read_document(str(path))
    sources = [b.source for b in read.blocks]
    assert sources == ["页眉文字", "小标题", "正文段落。", "表格左", "表格右", "页脚文字"]
    assert read.blocks[1].kind is BlockKind.HEADING


def test_five_megabyte_paragraph_is_segmented_losslessly(tmp_path):
    path = tmp_path / "huge.txt"
    sentence = "这是一个很长的句子,里面有数字3.5亿和41.6%,还有DeepSeek。"
    path.write_text(sentence * (5 * 2**20 // len(sentence.encode("utf-8"))), encoding="utf-8")
    document = read_document(str(path))
    assert len(document.blocks) == 1
    repair_document(document)
    segment_block(document.blocks[0])
    assert reassemble(document.blocks[0].segments) == document.blocks[0].text
    assert max(len(s.text) for s in document.blocks[0].segments) <= 250


def test_twenty_thousand_blocks_all_come_out_in_order(tmp_path, rule_engine):
    path = tmp_path / "many.txt"
    path.write_text("\n".join(f"第{i}段有{i}个用户。" for i in range(20000)), encoding="utf-8")
    options = RunOptions(out_dir=str(tmp_path / "out"), formats=("md", "json"), quiet=True, use_cache=False,
                         default_glossary=False)
    result = run_file(str(path), options, load_engine=lambda: rule_engine())
    assert len(result.document.blocks) == 20000
    data = json.loads((tmp_path / "out" / "many.json").read_text(encoding="utf-8"))
    assert [b["source"] for b in data["blocks"]] == [f"第{i}段有{i}个用户。" for i in range(20000)]


def test_stdin_is_read(tmp_path, monkeypatch):
    result = CliRunner().invoke(cli, ["clean", "-"], input="东谈主工智能\n".encode("utf-8"))
    assert result.exit_code == 0 and result.output == "人工智能\n"


def test_clean_explains_that_docx_goes_through_run(tmp_path):
    path = tmp_path / "a.docx"
    docx.Document().save(str(path))
    one_line_error(CliRunner().invoke(cli, ["clean", str(path)]), "translate run")


PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f1b1a60000000049454e44ae426082")


def test_docx_target_keeps_tables_headers_lists_pictures_and_links(tmp_path, rule_engine):
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "页眉的人"
    document.add_heading("人工智能", level=2)
    document.add_paragraph("第一个要点,我们的用户。", style="List Bullet")
    paragraph = document.add_paragraph("请看")
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), document.part.relate_to("https://example.com/", RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "这个链接"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    (tmp_path / "pixel.png").write_bytes(PIXEL)
    document.add_picture(str(tmp_path / "pixel.png"))
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "表格里的公司"
    path = tmp_path / "in.docx"
    document.save(str(path))

    options = RunOptions(out_dir=str(tmp_path / "out"), formats=("docx",), quiet=True, use_cache=False)
    run_file(str(path), options, load_engine=lambda: rule_engine())
    out = docx.Document(str(tmp_path / "out" / "in.en.docx"))
    header = out.sections[0].header.paragraphs[0].text
    assert "people" in header and not re.search(r"[\u4e00-\u9fff]", header)
    assert out.paragraphs[1].style.name == "List Bullet" and "users" in out.paragraphs[1].text
    assert out.element.body.xpath(".//w:hyperlink") and out.element.body.xpath(".//w:drawing")
    assert "https://example.com/" in [r.target_ref for r in out.part.rels.values() if r.is_external]
    assert "company" in out.tables[0].cell(0, 0).text
    assert not re.search(r"[\u4e00-\u9fff]", "".join(p.text for p in out.paragraphs))


def test_a_text_line_is_one_block_whatever_separators_it_holds(tmp_path):
    # U+2028, a form feed, U+0085 and a record separator inside lines: str.splitlines would cut each in two
    path = tmp_path / "separators.txt"
    path.write_text("标题\n这一句话\u2028在中间有行分隔符。\n这一句话\x0c在中间有换页符。\r\n第三\x85句\x1e话。\rLast\u2028line.\n",
                    encoding="utf-8")
    blocks = read_document(str(path)).blocks
    assert [b.source for b in blocks] == ["标题", "这一句话在中间有行分隔符。", "这一句话在中间有换页符。", "第三句话。",
                                          "Last line."]
    assert blocks[2].raw_source == "这一句话\x0c在中间有换页符。"


def test_first_and_even_page_headers_and_footers_are_read_and_translated(tmp_path, rule_engine):
    document = docx.Document()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    document.settings.odd_and_even_pages_header_footer = True
    section.header.paragraphs[0].text = "普通页眉公司"
    section.first_page_header.paragraphs[0].text = "首页页眉公司"
    section.even_page_header.paragraphs[0].text = "偶数页页眉公司"
    section.first_page_footer.paragraphs[0].text = "首页页脚公司"
    document.add_paragraph("公司新闻", style="Title")
    document.add_paragraph("公司用户达到一百万。")
    document.add_paragraph("用户增长", style="List Bullet")  # short: a heading by its shape, a list item by its style
    document.add_paragraph("公司上市", style="List Number")
    path = tmp_path / "pages.docx"
    document.save(str(path))
    read = read_document(str(path))
    assert [b.source for b in read.blocks][:3] == ["首页页眉公司", "普通页眉公司", "偶数页页眉公司"]  # page 1's first
    assert "首页页脚公司" in {b.source for b in read.blocks}
    assert [b.kind for b in read.blocks if b.source in ("用户增长", "公司上市")] == [BlockKind.PARAGRAPH] * 2
    run_file(str(path), RunOptions(out_dir=str(tmp_path / "out"), formats=("docx",), quiet=True, use_cache=False),
             load_engine=lambda: rule_engine())
    with zipfile.ZipFile(tmp_path / "out" / "pages.en.docx") as package:
        parts = [n for n in package.namelist() if re.match(r"word/(header|footer)\d*\.xml", n)]
        assert parts and not any("公司" in package.read(n).decode("utf-8") for n in parts)


def test_an_empty_file_name_is_named_in_its_error(tmp_path):
    one_line_error(invoke("", "-o", tmp_path / "out"), "''", "empty file name")


def test_a_word_file_piped_to_stdin_is_read_as_one(monkeypatch):
    import sys

    document = docx.Document()
    document.add_paragraph("公司新闻", style="Title")
    document.add_paragraph("公司用户达到一百万。")
    data = io.BytesIO()
    document.save(data)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.getvalue())))
    assert [b.source for b in read_document("-").blocks] == ["公司新闻", "公司用户达到一百万。"]


@pytest.mark.parametrize("encoding, bom", [("gbk", b""), ("utf-16-le", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_clean_gives_the_inputs_encoding_back_on_stdout_and_in_a_file(tmp_path, encoding, bom):
    text = "我个东谈主觉得很好。\r\n第二行没有问题。\r\n"
    path = tmp_path / "spun.txt"
    path.write_bytes(bom + text.encode(encoding))
    piped = CliRunner().invoke(cli, ["clean", str(path), "--repair-model", "off", "-q"])
    assert piped.exit_code == 0, piped.output
    expected = bom + text.replace("东谈主", "人").encode(encoding)
    assert piped.stdout_bytes == expected
    written = CliRunner().invoke(cli, ["clean", str(path), "--repair-model", "off", "-q", "-o", str(tmp_path / "o.txt")])
    assert written.exit_code == 0 and (tmp_path / "o.txt").read_bytes() == expected


def test_short_gbk_and_big5_lines_read_as_chinese_and_windows_1252_english_is_refused():
    import pytest

    from translate.errors import InputError
    from translate.readers.encodings import decode, encode_like

    for text, encoding in (("他说：“我们会努力。”", "gbk"), ("李强：“稳增长”仍是首要任务", "gbk"),
                           ("他說：「我們會努力。」", "big5"), ("臺灣的經濟發展很快。", "big5")):
        assert decode(text.encode(encoding))[0] == text
    for english in ("The résumés were sent to Zoë's office.\n", "Café owners met in Zürich; naïve plans failed.\n"):
        with pytest.raises(InputError, match="re-save it as UTF-8"):
            decode(english.encode("cp1252"), "e.txt")
    text = "公司发布了新模型。\n东谈主们说好。\n"
    for order in ("utf-16-be", "utf-16-le"):
        data = text.encode(order)
        decoded, encoding = decode(data)
        assert decoded == text and encode_like(decoded, data, encoding) == data


def test_gbk_with_symbols_and_rare_name_characters_still_reads():
    from translate.readers.encodings import decode

    for text in ("天气预报\n①北京：晴，-3℃～5℃，风力≤3级；②上海：多云●\n", "李喆、王垚、张犇、赵淼、刘翀、陈堃出席。\n"):
        assert decode(text.encode("gbk"))[0] == text
