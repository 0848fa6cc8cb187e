"""Corpus runs write what article-by-article runs write, part for part, and the fast DOCX package path
writes what python-docx itself writes."""

import io
import json
import re
import zipfile
from pathlib import Path

import docx

from translate import RunFailed, translate_corpus, translate_file
from translate.document import Document
from translate.formats.docx import build as docx_build
from translate.formats.docx import oxml as docx_xml
from translate.formats.docx import template as docx_template
from translate.formats.docx.writer import STYLE_BY_KIND, bilingual_docx, target_docx
from translate.readers import read_document

ARTICLE = Path(__file__).resolve().parent.parent / "translate" / "data" / "why-bat-did-not-build-deepseek.zh.txt"
DATE = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?")  # comment, revision and property dates


def _write_articles(root: Path) -> list[str]:
    """Four short articles (text, Markdown and a Word file) over two levels of folders; no paragraph repeats,
    so none comes from another article's cache. Their paths relative to `root`."""
    lines = [line for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    (root / "desk" / "2024").mkdir(parents=True)
    (root / "one.txt").write_text("\n".join(lines[0:5]), encoding="utf-8")
    (root / "desk" / "two.md").write_text("# " + lines[12] + "\n\n> " + lines[13] + "\n\n" + "\n\n".join(lines[14:17]),
                                          encoding="utf-8")
    (root / "desk" / "2024" / "three.txt").write_text("\n".join(lines[17:22]), encoding="utf-8")
    word = docx.Document()
    word.add_heading(lines[23][:40], 1)
    for line in lines[24:27]:
        word.add_paragraph(line)
    word.save(root / "desk" / "2024" / "four.docx")
    return ["one.txt", "desk/two.md", "desk/2024/three.txt", "desk/2024/four.docx"]


def _without_timings(data):
    """JSON with the measured seconds left out (they differ from run to run, not from path to path)."""
    if isinstance(data, dict):
        return {k: _without_timings(v) for k, v in data.items() if not k.endswith("seconds")}
    if isinstance(data, list):
        return [_without_timings(v) for v in data]
    return data


def _comparable(name: str, data: bytes):
    data = DATE.sub(b"DATE", data)
    if name.endswith(".json"):
        return _without_timings(json.loads(data))
    return data


def _contents(path: Path) -> dict:
    """A written output as comparable pieces: each part of a DOCX package, or the whole file."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as package:
            return {name: _comparable(name, package.read(name)) for name in package.namelist()}
    return {path.name: _comparable(path.name, path.read_bytes())}


def test_a_corpus_run_writes_every_output_part_for_part_as_article_by_article_runs_do(tmp_path, rule_engine):
    source = tmp_path / "in"
    articles = _write_articles(source)
    engine = rule_engine()
    corpus = translate_corpus([source], tmp_path / "corpus", load_engine=lambda: engine)
    assert corpus.summary["translated"] + corpus.summary["failed-blocks"] == len(articles)
    compared = 0
    for relative in articles:
        folder = Path(relative).parent
        alone = rule_engine()
        try:
            result = translate_file(source / relative, out_dir=tmp_path / "alone" / folder,
                                    load_engine=lambda engine=alone: engine)
        except RunFailed as failed:  # failed blocks: the outputs are written all the same
            result = failed.result
        assert len(result.outputs) == 6
        for path in result.outputs:
            mirrored = tmp_path / "corpus" / folder / Path(path).name
            assert _contents(mirrored) == _contents(Path(path)), mirrored
            compared += 1
    assert compared == 6 * len(articles)


def _parts(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: DATE.sub(b"DATE", archive.read(name)) for name in archive.namelist()}


def _python_docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_new_document_saves_the_same_parts_as_python_docx_does_for_the_same_edits():
    def edit(out, style):
        out.core_properties.title = "标题 & <title>"
        docx_xml.embed_run(out, {"blocks": ["中文"]})
        paragraph = out.add_paragraph("第一段 first")
        paragraph._p.style = style("Heading 2")
        docx_build.CommentWriter(out).add(paragraph.runs, "a note\nsecond line", author="translate QA")

    plain = docx.Document()
    edit(plain, lambda name: plain.styles[name].style_id)
    fast = docx_template.new_document()
    edit(fast, docx_template.style_id)
    ours, theirs = _parts(docx_template.save(fast)), _parts(_python_docx_bytes(plain))
    assert sorted(ours) == sorted(theirs) and "word/comments.xml" in ours
    assert [name for name in ours if ours[name] != theirs[name]] == []
    fresh = docx.Document()  # the shared template parts are untouched by other documents' edits
    assert _parts(docx_template.save(docx_template.new_document())) == _parts(_python_docx_bytes(fresh))


def test_the_style_ids_are_those_of_python_docx_template():
    styles = docx.Document().styles
    for name in [*STYLE_BY_KIND.values(), "No Spacing", "Table Grid"]:
        assert docx_template.style_id(name) == styles[name].style_id


def test_review_files_reopen_in_python_docx_with_every_block_once(tmp_path):
    document: Document = read_document(str(ARTICLE))
    for block in document.blocks:
        block.translation = f"translation of {block.id}"
    for layout in ("table", "interleaved"):
        path = tmp_path / f"{layout}.docx"
        path.write_bytes(bilingual_docx(document, {"tool": "test"}, layout=layout))
        assert docx_xml.block_ids_in(path) == [b.id for b in document.blocks]
        reopened = docx.Document(str(path))  # a package python-docx reads back, styles included
        assert reopened.styles["Table Grid"].style_id == "TableGrid"
        assert _parts(_python_docx_bytes(reopened))["word/styles.xml"] == _parts(path.read_bytes())["word/styles.xml"]
    target = docx.Document(io.BytesIO(target_docx(document, {"tool": "test"})))
    assert [p.text for p in target.paragraphs] == [b.translation for b in document.blocks]


def test_a_corpus_run_removes_temp_files_a_killed_writer_left_and_no_others(tmp_path, rule_engine):
    source = tmp_path / "in"
    _write_articles(source)
    out = tmp_path / "out" / "desk" / "2024"
    out.mkdir(parents=True)
    stale = out / ".three.en.md.k3j9x2_q.part"  # what atomic_path's mkstemp names a temp file
    stale.write_text("left by a SIGKILL", encoding="utf-8")
    foreign = out / ".notes.txt.k3j9x2_q.part"  # not an output of this run
    foreign.write_text("someone else's", encoding="utf-8")
    engine = rule_engine()
    translate_corpus([source], tmp_path / "out", load_engine=lambda: engine, formats=("md",))
    assert not stale.exists() and foreign.exists()
    assert (out / "three.en.md").exists()
