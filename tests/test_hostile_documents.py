"""Hostile shapes of real documents: invisible characters, Word constructs around text (fields, content
controls, custom XML, OLE objects), huge numbers of runs or empty paragraphs, nested tables."""

import json

import pytest
from test_hostile_inputs import docx_bytes

from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file
from translate.readers import read_document

BIDI_AND_ZERO_WIDTH = "文字\u202e反向\u202c和\u200b零宽\ufeff\u2066隔离\u2069。"


@pytest.mark.parametrize("suffix", [".txt", ".md", ".docx"])
def test_bidi_overrides_and_zero_width_spaces_are_removed_and_the_exact_source_kept(tmp_path, suffix, rule_engine):
    path = tmp_path / f"a{suffix}"
    if suffix == ".docx":
        path.write_bytes(docx_bytes(body_xml=f"<w:p><w:r><w:t>{BIDI_AND_ZERO_WIDTH}</w:t></w:r></w:p>"))
    else:
        path.write_text(f"标题\n\n{BIDI_AND_ZERO_WIDTH}\n\n表情👨\u200d👩\u200d👧一家。\n", encoding="utf-8")
    document = read_document(str(path))
    block = next(b for b in document.blocks if "文字" in b.source)
    assert block.source == "文字反向和零宽隔离。" and block.raw_source == BIDI_AND_ZERO_WIDTH
    assert any("invisible" in w for w in document.warnings)
    if suffix != ".docx":  # a zero-width joiner inside an emoji sequence is part of the emoji
        assert "👨\u200d👩\u200d👧" in document.blocks[-1].source
    run_file(str(path), RunOptions(out_dir=str(tmp_path / "out"), quiet=True, use_cache=False, formats=("json",)),
             load_engine=lambda: rule_engine())
    data = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    assert any(b.get("raw_source") == BIDI_AND_ZERO_WIDTH for b in data["blocks"])


def nested_tables(depth: int) -> str:
    xml = "<w:p><w:r><w:t>最深处。</w:t></w:r></w:p>"
    for level in range(depth):
        xml = (f"<w:tbl><w:tr><w:tc>{xml}</w:tc><w:tc><w:p><w:r><w:t>第{level}层。</w:t></w:r></w:p></w:tc></w:tr>"
               "</w:tbl><w:p/>")
    return xml


WORD_SHAPES = {
    "runs-of-one-character": ("<w:p>" + "".join(f"<w:r><w:t>{'中文'[i % 2]}</w:t></w:r>" for i in range(50_000))
                              + "</w:p>", ["中文" * 25_000]),
    "empty-paragraphs": ("<w:p/>" * 100_000 + "<w:p><w:r><w:t>唯一一段。</w:t></w:r></w:p>", ["唯一一段。"]),
    "nested-tables": (nested_tables(40), ["最深处。", *[f"第{i}层。" for i in range(40)]]),
    "ole-object": ('<w:p><w:r><w:t>前文。</w:t></w:r><w:r><w:object xmlns:o="urn:schemas-microsoft-com:office:office" '
                   'xmlns:v="urn:schemas-microsoft-com:vml"><v:shape id="s1"/><o:OLEObject Type="Embed" '
                   'ProgID="Excel.Sheet.12" ShapeID="s1" ObjectID="_1"/></w:object></w:r><w:r><w:t>后文。</w:t></w:r>'
                   "</w:p>", ["前文。后文。"]),
    "formula-field": ('<w:p><w:r><w:t xml:space="preserve">合计</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                      '<w:r><w:instrText xml:space="preserve"> =SUM(ABOVE) </w:instrText></w:r><w:r><w:fldChar '
                      'w:fldCharType="separate"/></w:r><w:r><w:t>1,800</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/>'
                      '</w:r><w:fldSimple w:instr=" =2*3 "><w:r><w:t>6</w:t></w:r></w:fldSimple><w:r><w:t>元。</w:t>'
                      "</w:r></w:p>", ["合计1,8006元。"]),
    "content-control-and-custom-xml": ('<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:customXml w:element="place"><w:r>'
                                       "<w:t>北京</w:t></w:r></w:customXml><w:r><w:t>是首都。</w:t></w:r></w:p>"
                                       "</w:sdtContent></w:sdt>", ["北京是首都。"]),
    "one-megabyte-word": ("<w:p><w:r><w:t>" + "a" * 1_000_000 + "</w:t></w:r></w:p>", ["a" * 1_000_000]),
}


@pytest.mark.parametrize("shape", WORD_SHAPES)
def test_word_constructs_around_text_are_read_once_and_written_in_order(tmp_path, shape, rule_engine):
    body, expected = WORD_SHAPES[shape]
    path = tmp_path / "a.docx"
    path.write_bytes(docx_bytes(body_xml=body))
    options = RunOptions(out_dir=str(tmp_path / "out"), quiet=True, use_cache=False, formats=("docx", "json"))
    try:
        document = run_file(str(path), options, load_engine=lambda: rule_engine()).document
    except Exception as exc:  # flagged blocks: the outputs are still written
        assert getattr(exc, "exit_code", None) == 1, exc
        document = exc.result.document
    assert [b.source for b in document.blocks] == [*expected, "第一段正文。"]
    data = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    assert [b["id"] for b in data["blocks"]] == [b.id for b in document.blocks]
