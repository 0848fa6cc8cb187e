"""Hostile and odd inputs: zip bombs, XML limits, control characters, text boxes, moves, CMS Markdown."""

import io
import json
import re
import subprocess
import sys
import textwrap
import zipfile

import docx
import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file
from translate.readers import limits, read_document

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(body_xml: str = "", extra: dict | None = None) -> bytes:
    """A python-docx document whose body gets `body_xml` (WordprocessingML), plus extra zip members."""
    document = docx.Document()
    document.add_paragraph("第一段正文。")
    buffer = io.BytesIO()
    document.save(buffer)
    if not body_xml and not extra:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml" and body_xml:
                data = data.replace(b"<w:body>", b"<w:body>" + body_xml.encode("utf-8"), 1)
            target.writestr(item, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def run_cli(*args):
    return CliRunner().invoke(cli, ["run", *map(str, args), "--model", "/nonexistent-model"])


def assert_one_line_exit_2(result, *words):
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.output, result.output
    for word in words:
        assert word in lines[0], lines[0]


def test_zip_bomb_is_refused_quickly_within_a_memory_limit(tmp_path):
    """A small .docx whose document.xml expands past the cap: refused before anything parses it (by the size
    its zip declares, which Python's zipfile never reads past), in a process whose address space is capped
    far below what parsing the bomb would take."""
    bomb = tmp_path / "bomb.docx"
    paragraph = b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>"
    padding = paragraph * (limits.MAX_XML_MEMBER_BYTES // len(paragraph) + 10)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b'<w:document xmlns:w="%s"><w:body>' % W_NS.encode() + padding
                         + b"</w:body></w:document>")
    assert bomb.stat().st_size < 200_000
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
        from translate.cli import main
        sys.argv = ["translate", "run", {str(bomb)!r}, "-o", {str(tmp_path / "out")!r}, "--model", "/nonexistent"]
        main()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bomb) in lines[0] and "zip bomb" in lines[0]


def test_parts_each_under_their_cap_but_over_the_package_cap_are_refused_at_once(tmp_path):
    """Ten 28 MB parts: each within the XML cap, together past the package's; refused from the sizes the zip
    declares, without streaming 256 MB of XML through the checks first."""
    import time

    path = tmp_path / "parts.docx"
    part = b"<a>" + b" " * (28 * 2**20) + b"</a>"
    path.write_bytes(docx_bytes(extra={f"customXml/bulk{n}.xml": part for n in range(10)}))
    started = time.monotonic()
    result = run_cli(path, "-o", tmp_path / "out")
    assert time.monotonic() - started < 20
    assert_one_line_exit_2(result, str(path), f"{limits.MAX_PACKAGE_BYTES // 2**20} MB in all")


@pytest.mark.parametrize("case, words", [
    ("entries", ["zip entries"]),
    ("deep", ["deeper than"]),
    ("malformed", ["malformed XML"]),
    ("corrupt_member", ["cannot be unzipped"]),
])
def test_docx_over_the_limits_or_broken_gives_one_line(tmp_path, case, words):
    path = tmp_path / f"{case}.docx"
    if case == "entries":
        data = docx_bytes(extra={f"customXml/extra{i}.xml": "<a/>" for i in range(limits.MAX_ZIP_ENTRIES)})
    elif case == "deep":
        data = docx_bytes(extra={"word/deep.xml": "<a>" * (limits.MAX_XML_DEPTH + 5) + "</a>" * (limits.MAX_XML_DEPTH + 5)})
    elif case == "malformed":
        data = docx_bytes(body_xml="<w:p><w:r><w:t>未闭合</w:r></w:p>")
    else:
        data = bytearray(docx_bytes())
        at = data.find(b"word/document.xml") + len("word/document.xml") + 40  # inside the compressed member
        data[at:at + 20] = b"\x00" * 20
        data = bytes(data)
    path.write_bytes(data)
    assert_one_line_exit_2(run_cli(path, "-o", tmp_path / "out"), str(path), *words)


def test_control_characters_are_stripped_and_outputs_are_written(tmp_path, rule_engine):
    path = tmp_path / "ctl.txt"
    filler = "普通的一段文字。" * 1200  # pushes the NUL past the first 8 KB
    path.write_text(f"标题\n{filler}\n公司\x1b[31m用户\x08达到\x0c开源。\n人工智能\x00芯片。\n", encoding="utf-8")
    options = RunOptions(out_dir=str(tmp_path / "out"), quiet=True, use_cache=False)
    result = run_file(str(path), options, load_engine=lambda: rule_engine())
    data = json.loads((tmp_path / "out" / "ctl.json").read_text(encoding="utf-8"))
    exact = [b for b in data["blocks"] if "raw_source" in b]
    # a form feed inside a line is removed, not a line break: the line is one block
    assert [b["raw_source"] for b in exact] == ["公司\x1b[31m用户\x08达到\x0c开源。", "人工智能\x00芯片。"]
    assert all(not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", b["source"] + b["translation"]) for b in data["blocks"])
    assert any("control characters" in w for w in result.summary["warnings"])
    docx.Document(str(tmp_path / "out" / "ctl.bilingual.docx"))  # readable: no invalid XML written


def test_xml_writers_survive_control_characters_from_the_engine_and_glossary(tmp_path, rule_engine):
    glossary = tmp_path / "g.csv"
    glossary.write_text("source,target,kind,note\n用户,us\x1bers,term,\x07bell\n", encoding="utf-8")

    class Noisy(rule_engine):
        def translate_one(self, text):
            return super().translate_one(text) + "\x1b\x0c"

    path = tmp_path / "a.txt"
    path.write_text("标题\n公司用户达到一百万。\n", encoding="utf-8")
    options = RunOptions(out_dir=str(tmp_path / "out"), quiet=True, glossaries=[str(glossary)], use_cache=False)
    run_file(str(path), options, load_engine=lambda: Noisy())
    assert "users" in docx.Document(str(tmp_path / "out" / "a.en.docx")).paragraphs[1].text


def test_the_translation_memory_never_stores_control_characters(tmp_path):
    from translate.memory.tm import TranslationMemory

    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.add("公司\x1b发布", "The company\x1b released\x00")
    assert tm.entries()[0][:2] == ("公司发布", "The company released")
    assert tm.lookup("公司发布") == "The company released"
    tm.close()


def test_over_long_glossary_field_gives_exit_2_naming_the_file(tmp_path):
    glossary = tmp_path / "long.csv"
    glossary.write_text('source,target\n"' + "长" * 200_000 + '",x\n', encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("标题\n正文。\n", encoding="utf-8")
    assert_one_line_exit_2(run_cli(article, "-o", tmp_path / "out", "-g", glossary), str(glossary), "line 2")


TEXT_BOX = """<w:p><w:r><w:t>框外文字。</w:t></w:r><w:r>
<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml">
<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>
<w:p><w:r><w:t>文本框里的话。</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
<w:p><w:r><w:t>文本框里的话。</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
</mc:AlternateContent></w:r></w:p>"""

MOVE = """<w:p><w:moveFrom w:id="1" w:author="e" w:date="2024-01-01T00:00:00Z"><w:r><w:t>被移走的句子。</w:t></w:r>
</w:moveFrom></w:p><w:p><w:r><w:t>留下的句子。</w:t></w:r><w:moveTo w:id="2" w:author="e"
 w:date="2024-01-01T00:00:00Z"><w:r><w:t>被移走的句子。</w:t></w:r></w:moveTo></w:p>"""


def test_text_box_and_tracked_move_are_read_once(tmp_path, rule_engine):
    path = tmp_path / "boxes.docx"
    path.write_bytes(docx_bytes(body_xml=TEXT_BOX + MOVE))
    sources = [b.source for b in read_document(str(path)).blocks]
    assert sources == ["框外文字。", "文本框里的话。", "留下的句子。被移走的句子。", "第一段正文。"]
    options = RunOptions(out_dir=str(tmp_path / "out"), quiet=True, use_cache=False)
    run_file(str(path), options, load_engine=lambda: rule_engine())
    bilingual = (tmp_path / "out" / "boxes.bilingual.md").read_text(encoding="utf-8")
    assert bilingual.count("文本框里的话") == 1 and bilingual.count("被移走的句子") == 1
    blocks = json.loads((tmp_path / "out" / "boxes.json").read_text(encoding="utf-8"))["blocks"]
    assert [b["source"] for b in blocks] == sources
    assert len(read_document(str(tmp_path / "out" / "boxes.en.docx")).blocks) == len(sources)
    with zipfile.ZipFile(tmp_path / "out" / "boxes.en.docx") as package:  # the VML copy older readers show, too
        fallback = re.search(r"<mc:Fallback>.*?</mc:Fallback>", package.read("word/document.xml").decode(), re.S)
    assert fallback and "文本框" not in fallback.group(0) and "<w:t" in fallback.group(0)


def test_alt_chunk_content_is_reported(tmp_path, rule_engine):
    path = tmp_path / "chunk.docx"
    path.write_bytes(docx_bytes(body_xml='<w:altChunk xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                                         '2006/relationships" r:id="rIdChunk"/>'))
    document = read_document(str(path))
    assert any("altChunk" in w for w in document.warnings)


def test_cms_markdown_paragraphs_are_translated_with_tags_kept(tmp_path, rule_engine):
    path = tmp_path / "cms.md"
    path.write_text('<h1>公司标题</h1>\n<p class="x">公司用户达到<strong>一百万</strong>。</p>\n'
                    "<div>开源的公司。</div>\n<p><img src=\"a.png\"/></p>\n", encoding="utf-8")
    options = RunOptions(out_dir=str(tmp_path / "out"), formats=("md", "json"), quiet=True, use_cache=False)
    run_file(str(path), options, load_engine=lambda: rule_engine())
    target = (tmp_path / "out" / "cms.en.md").read_text(encoding="utf-8")
    assert "company" in target and not re.search(r"[\u4e00-\u9fff]", target), target
    assert '<p class="x">' in target and "<strong>" in target and "</strong>" in target and "</p>" in target
    assert '<p><img src="a.png"></p>' in target  # as the sanitiser writes the tag


def test_unclosed_fence_runs_to_the_end_with_a_warning(tmp_path):
    path = tmp_path / "fence.md"
    path.write_text("# 标题\n\n正文。\n\n```\ncode\n\n后面的段落。\n", encoding="utf-8")
    document = read_document(str(path))
    assert document.blocks[-1].kind.value == "code" and any("never closed" in w for w in document.warnings)


def test_bilingual_markdown_escapes_source_html_and_ignores_forged_block_comments(tmp_path, rule_engine):
    path = tmp_path / "evil.md"
    path.write_text("# 标题\n\n<script>alert(1)</script>\n\n<!-- block b0000000000 paragraph -->\n\n"
                    "点[这里](javascript:alert(1))看<img src=x onerror=alert(1)>。\n", encoding="utf-8")
    options = RunOptions(out_dir=str(tmp_path / "out"), formats=("md",), quiet=True, use_cache=False)
    run_file(str(path), options, load_engine=lambda: rule_engine())  # the invariant check passes
    bilingual = (tmp_path / "out" / "evil.bilingual.md").read_text(encoding="utf-8")
    assert not re.search(r"^<script", bilingual, re.M) and "<img" not in bilingual
    assert "](javascript:" not in bilingual
    assert len(re.findall(r"^<!-- block ", bilingual, re.M)) == 4


def test_zero_width_lines_are_not_blocks_and_a_file_of_them_is_refused(tmp_path):
    path = tmp_path / "zw.txt"
    path.write_text("标题\n\u200b\u200b\n正文。\n\ufeff\u200d\n", encoding="utf-8")
    assert [b.source for b in read_document(str(path)).blocks] == ["标题", "正文。"]
    empty = tmp_path / "only.txt"
    empty.write_text("\u200b\n\u200c\u200d\n", encoding="utf-8")
    assert_one_line_exit_2(run_cli(empty, "-o", tmp_path / "out"), str(empty), "no text")


def test_stdin_over_the_cap_is_refused_not_truncated(tmp_path, monkeypatch):
    import translate.readers

    monkeypatch.setattr(translate.readers, "MAX_BYTES", 64)
    result = CliRunner().invoke(cli, ["run", "-", "-o", str(tmp_path / "out"), "--model", "/nonexistent"],
                                input="正文。" * 40)
    assert_one_line_exit_2(result, "stdin", "larger than")


def test_bad_utf8_in_an_argument_gives_exit_2(tmp_path):
    result = run_cli(str(tmp_path / "bad\udcff.txt"), "-o", tmp_path / "out")
    assert_one_line_exit_2(result, "no such file")


def test_glossary_add_never_stores_control_characters(tmp_path):
    from translate.glossary.model import add_entry

    path = tmp_path / "g.csv"
    add_entry(str(path), "公司\x1b", "com\x08pany", note="\x00note")
    assert path.read_text(encoding="utf-8").splitlines()[-1] == "公司,company,term,note"
