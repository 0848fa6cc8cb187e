"""Held-out articles (sports, courts, finance live-blog, health interview, listicle, product launch) in
every input form: every source block comes out exactly once, in order, in every output, and no text of
the input is lost on the way in."""

import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from heldout_docx import build_news_docx, expected_sources

from translate.formats.docx.build import markdown_shown_text
from translate.formats.docx.oxml import block_ids_in as docx_block_ids
from translate.formats.markdown import block_ids_in as markdown_block_ids
from translate.formats.xliff.review import unit_ids_in
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file
from translate.readers import read_document

DATA = Path(__file__).parent / "data" / "heldout_articles"
ARTICLES = sorted(DATA.glob("*.txt")) + sorted(DATA.glob("*.md"))
HAN = re.compile(r"[\u4e00-\u9fff]")


def run_every_format(path: Path, out: Path, engine_class):
    options = RunOptions(out_dir=str(out), quiet=True, use_cache=False, formats=("docx", "md", "json", "xliff"))
    try:
        return run_file(str(path), options, load_engine=lambda: engine_class(keep_han=True)).document
    except Exception as exc:  # a run with failed blocks still writes every output
        assert getattr(exc, "exit_code", None) == 1, exc
        return exc.result.document


def assert_every_block_once_in_order(document, out: Path):
    stem = document.name
    ids = [b.id for b in document.blocks]
    data = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    assert [b["id"] for b in data["blocks"]] == ids
    assert [b["source"] for b in data["blocks"]] == [b.source for b in document.blocks]
    assert markdown_block_ids((out / f"{stem}.bilingual.md").read_text(encoding="utf-8")) == ids
    assert docx_block_ids(out / f"{stem}.bilingual.docx") == ids
    assert unit_ids_in(out / f"{stem}.xlf") == ids
    target = (out / f"{stem}.en.md").read_text(encoding="utf-8")
    at = 0
    for block in document.blocks:  # each block's text, in order, in the target Markdown
        first_line = (block.source if block.kind.value == "code" else block.translation).split("\n")[0].strip()
        found = target.find(first_line.replace("|", "\\|") if block.markup.endswith("| ") else first_line, at)
        assert found >= 0, f"{block.id} {first_line!r} is missing or out of order in {stem}.en.md"
        at = found
    for written in (f"{stem}.en.docx", f"{stem}.bilingual.docx"):  # one part per name, as Word requires
        names = zipfile.ZipFile(out / written).namelist()
        assert len(names) == len(set(names)), f"{written} holds parts of the same name"
    text = docx_text(out / f"{stem}.en.docx")
    markdown = any(b.markup for b in document.blocks) or Path(document.path).suffix.lower() in (".md", ".markdown")
    for block in document.blocks:  # a Markdown article's inline markup is Word formatting there
        first = block.translation.split("\n")[0]
        shown = markdown_shown_text(first) if markdown else first
        assert shown[:30] in text, f"{block.id} is missing from {stem}.en.docx"


def docx_text(path: Path) -> str:
    """The paragraphs of every part of a .docx (body, nested tables, headers, footers, notes), one a line."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    lines = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                for p in etree.fromstring(package.read(name)).iter(f"{w}p"):
                    lines.append("".join(t.text or "" for t in p.iter(f"{w}t")))
    return "\n".join(lines)


def assert_no_text_lost(source_text: str, document):
    kept = "".join(b.source + b.markup + b.markup_end for b in document.blocks)
    assert Counter(HAN.findall(source_text)) - Counter(HAN.findall(kept)) == Counter()


@pytest.mark.parametrize("path", ARTICLES, ids=[p.name for p in ARTICLES])
def test_every_block_of_a_heldout_article_is_in_every_output_once_in_order(path, tmp_path, rule_engine):
    document = run_every_format(path, tmp_path / "out", rule_engine)
    assert_every_block_once_in_order(document, tmp_path / "out")
    assert_no_text_lost(path.read_text(encoding="utf-8"), document)


ENCODINGS = {
    "utf-8-bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "gbk": lambda t: t.encode("gbk"),
    "utf-16-bom": lambda t: t.encode("utf-16"),
    "utf-16-le-no-bom": lambda t: t.encode("utf-16-le"),
    "utf-16-be-no-bom": lambda t: t.encode("utf-16-be"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_heldout_article_reads_the_same_in_every_encoding(encoding, tmp_path):
    original = DATA / "court-ruling.txt"
    path = tmp_path / "court.txt"
    path.write_bytes(ENCODINGS[encoding](original.read_text(encoding="utf-8")))
    expected = [b.source for b in read_document(str(original)).blocks]
    assert [b.source for b in read_document(str(path)).blocks] == expected


def heldout_lines():
    return [line for line in (DATA / "health-interview.txt").read_text(encoding="utf-8").splitlines() if line]


def test_a_news_docx_is_read_whole_with_sensible_kinds_and_written_in_order(tmp_path, rule_engine):
    lines = heldout_lines()
    path = build_news_docx(lines, tmp_path / "news.docx")
    document = run_every_format(path, tmp_path / "out", rule_engine)
    assert [b.source for b in document.blocks] == expected_sources(lines)
    kinds = {b.source: b.kind.value for b in document.blocks}
    assert kinds["页眉：周刊 第12期"] == "paragraph" and kinds[lines[0]] == "title"  # the page header is not the title
    assert {kinds[cell] for cell in ("项目", "旧标准", "50%", "嵌套甲")} == {"paragraph"}  # cells are not headings
    assert kinds[lines[1]] == "byline" and kinds["图1：现场照片。"] == "caption" and kinds[lines[4]] == "quote"
    assert_every_block_once_in_order(document, tmp_path / "out")


def test_a_news_docx_resaved_by_libreoffice_gives_the_same_blocks(tmp_path, rule_engine):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    lines = heldout_lines()
    built = build_news_docx(lines, tmp_path / "news.docx")
    (tmp_path / "lo").mkdir()
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "docx",
                    "--outdir", str(tmp_path / "lo"), str(built)], check=True, capture_output=True, timeout=180)
    document = run_every_format(tmp_path / "lo" / "news.docx", tmp_path / "out", rule_engine)
    assert [b.source for b in document.blocks] == expected_sources(lines)
    assert_every_block_once_in_order(document, tmp_path / "out")


@pytest.mark.parametrize("form", ["utf-8.txt", "big5.txt", ".md", ".docx"])
def test_traditional_chinese_is_simplified_on_request_whatever_the_encoding(form, tmp_path):
    lines = ["臺灣的人工智慧發展", "這個模型很強大，開發者們都說好。"]
    path = tmp_path / ("a." + form.rsplit(".", 1)[-1])
    if form == ".docx":
        import docx

        build = docx.Document()
        for line in lines:
            build.add_paragraph(line)
        build.save(path)
    else:
        path.write_bytes("\n\n".join(lines).encode("big5" if form == "big5.txt" else "utf-8"))
    assert [b.source for b in read_document(str(path)).blocks] == lines
    assert [b.source for b in read_document(str(path), to_simplified=True).blocks] == [
        "台湾的人工智慧发展", "这个模型很强大，开发者们都说好。"]
