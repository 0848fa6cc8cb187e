"""XLIFF 1.2 out to CAT tools and back in through `translate review import`."""

import json
import shutil

import pytest
from click.testing import CliRunner
from lxml import etree

from translate.cli import cli
from translate.errors import ReviewError
from translate.formats.xliff.inline import plain_text
from translate.formats.xliff.review import read_xliff_edits
from translate.memory.tm import TranslationMemory
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file

NS = "urn:oasis:names:tc:xliff:document:1.2"
X = f"{{{NS}}}"
STEM = "why-bat-did-not-build-deepseek.zh"
MARKDOWN = ("# 标题 **加粗**\n\n这是**重要**的`code_x`和[链接](https://example.com/a \"t\")以及<b>粗体</b>和"
            "https://x.org/p?q=1，还有*斜体*与<br/>换行。\n\n```\nprint('不翻译')\n```\n\n日活突破了。\n")


def run(path, out, engine, **options):
    options = RunOptions(out_dir=str(out), formats=("json", "xliff"), quiet=True, use_cache=False, force=True,
                         **options)
    return run_file(str(path), options, load_engine=lambda: engine)


def units(path):
    return etree.parse(str(path)).getroot().findall(f"{X}file/{X}body/{X}trans-unit")


def test_one_unit_per_block_in_order_with_states_notes_and_signature(tmp_path, article_path, rule_engine):
    result = run(article_path, tmp_path, rule_engine())
    root = etree.parse(str(tmp_path / f"{STEM}.xlf")).getroot()
    assert root.tag == f"{X}xliff" and root.get("version") == "1.2"
    file = root.find(f"{X}file")
    assert (file.get("source-language"), file.get("target-language")) == ("zh-CN", "en")
    signature = json.loads(file.find(f"{X}header/{X}note[@from='translate-signature']").text)
    assert signature == json.loads((tmp_path / f"{STEM}.json").read_text(encoding="utf-8"))["signature"]
    found = units(tmp_path / f"{STEM}.xlf")
    blocks = result.document.blocks
    assert [u.get("id") for u in found] == [b.id for b in blocks]
    for unit, block in zip(found, blocks):
        assert plain_text(unit.find(f"{X}source")) == block.text
        assert plain_text(unit.find(f"{X}target")) == block.translation
        assert unit.find(f"{X}target").get("state") == "needs-review-translation"
    notes = [n.text for u in found for n in u.findall(f"{X}note")]
    assert any(n.startswith("glossary: 日活 = DAU") for n in notes)
    assert any(n.startswith("repair: ") for n in notes) and any("source repaired; original:" in n for n in notes)
    flagged = next(b for b in blocks if b.flags)
    unit = found[blocks.index(flagged)]
    assert any(f"{flagged.flags[0].code}: " in n.text for n in unit.findall(f"{X}note[@from='translate-qa']"))


def test_markup_becomes_inline_codes_and_code_blocks_are_not_for_translation(tmp_path, rule_engine):
    article = tmp_path / "m.md"
    article.write_text(MARKDOWN, encoding="utf-8")
    TranslationMemory(tmp_path / "tm.sqlite").add("日活突破了。", "Daily actives broke through.")
    result = run(article, tmp_path / "out", rule_engine(), tm_path=str(tmp_path / "tm.sqlite"), default_glossary=False)
    found = units(tmp_path / "out" / "m.xlf")
    body = found[1].find(f"{X}source")
    codes = [(etree.QName(c).localname, c.get("ctype"), c.text) for c in body]
    assert ("bpt", "bold", "**") in codes and ("ph", "x-code", "`code_x`") in codes
    assert ("bpt", "link", "[") in codes and ("ept", None, '](https://example.com/a "t")') in codes
    assert ("bpt", "bold", "<b>") in codes and ("ph", "x-url", "https://x.org/p?q=1") in codes
    assert ("bpt", "italic", "*") in codes and ("ph", "lb", "<br/>") in codes
    for element in (body, found[1].find(f"{X}target")):
        opened = [c.get("id") for c in element if etree.QName(c).localname == "bpt"]
        assert opened == [c.get("id") for c in element if etree.QName(c).localname == "ept"]
    assert "重要" in "".join(body.itertext()) and "**重要**" not in (body.text or "")
    code = next(u for u, b in zip(found, result.document.blocks) if b.kind.value == "code")
    assert code.get("translate") == "no"
    tm_unit = next(u for u, b in zip(found, result.document.blocks) if b.origin == "tm")
    assert tm_unit.find(f"{X}target").get("state") == "translated"
    edited = read_xliff_edits(str(tmp_path / "out" / "m.xlf"))
    assert [e.source for e in edited.edits] == [b.text for b in result.document.blocks]


def edit_unit(path, number, text, into):
    tree = etree.parse(str(path))
    target = tree.getroot().findall(f".//{X}trans-unit")[number].find(f"{X}target")
    for child in list(target):
        target.remove(child)
    target.text, target.attrib["state"] = text, "translated"
    into.parent.mkdir(parents=True, exist_ok=True)
    tree.write(str(into), xml_declaration=True, encoding="UTF-8")
    return tree.getroot().findall(f".//{X}trans-unit")[number].get("id")


def test_edited_unit_imported_with_tm_is_reused_verbatim_next_run(tmp_path, article_path, rule_engine):
    run(article_path, tmp_path / "out", rule_engine())
    edit = "Overnight, DeepSeek stole the limelight from almost every Chinese model."
    edited = tmp_path / "cat" / f"{STEM}.xlf"  # a CAT tool's export, in its own folder
    block_id = edit_unit(tmp_path / "out" / f"{STEM}.xlf", 2, edit, edited)
    tm = tmp_path / "memory.sqlite"
    result = CliRunner().invoke(cli, ["review", "import", str(edited), "--tm", str(tm), "-o", str(tmp_path / "pub")])
    assert result.exit_code == 0, result.output
    assert f"{block_id}: changed" in result.output and "1 of" in result.output
    assert edit in (tmp_path / "pub" / f"{STEM}.en.md").read_text(encoding="utf-8")
    again = run(article_path, tmp_path / "again", rule_engine(), tm_path=str(tm))
    block = again.document.block(block_id)
    assert block.translation == edit and block.origin == "tm"
    unit = next(u for u in units(tmp_path / "again" / f"{STEM}.xlf") if u.get("id") == block_id)
    assert unit.find(f"{X}target").text == edit and unit.find(f"{X}target").get("state") == "translated"


def test_codes_a_cat_tool_wrote_as_empty_tags_take_the_source_code(tmp_path, rule_engine):
    article = tmp_path / "m.md"
    article.write_text(MARKDOWN, encoding="utf-8")
    run(article, tmp_path, rule_engine(), default_glossary=False)
    tree = etree.parse(str(tmp_path / "m.xlf"))
    unit = tree.getroot().findall(f".//{X}trans-unit")[1]
    target = unit.find(f"{X}target")
    for child in list(target):
        target.remove(child)
    target.text = "This is "
    for kind, id_, tail in (("bx", "1", "important"), ("ex", "1", " "), ("x", "2", ".")):
        etree.SubElement(target, f"{X}{kind}", id=id_).tail = tail
    tree.write(str(tmp_path / "m.xlf"))
    edit = read_xliff_edits(str(tmp_path / "m.xlf")).edits[1]
    assert edit.translation == "This is **important** `code_x`."


def test_lost_skeleton_falls_back_to_the_json_beside_it(tmp_path, article_path, rule_engine):
    run(article_path, tmp_path, rule_engine())
    path = tmp_path / f"{STEM}.xlf"
    tree = etree.parse(str(path))
    header = tree.getroot().find(f".//{X}header")
    header.remove(header.find(f"{X}skl"))
    tree.write(str(path))
    found = read_xliff_edits(str(path))
    assert found.run.blocks[0].id == found.edits[0].block_id and "skeleton" in found.warnings[0]
    elsewhere = tmp_path / "elsewhere" / path.name
    elsewhere.parent.mkdir()
    shutil.copy(path, elsewhere)
    with pytest.raises(ReviewError, match="json"):
        read_xliff_edits(str(elsewhere))


def test_unknown_xliff_versions_and_other_xml_are_refused_in_one_line(tmp_path):
    for name, text, hint in (("a.xlf", '<xliff xmlns="urn:x" version="3.0"/>', "XLIFF 1.2 or 2.x"),
                             ("b.xlf", "<tmx version='1.4'/>", "not an XLIFF file")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        result = CliRunner().invoke(cli, ["review", "import", str(tmp_path / name)])
        assert result.exit_code == 2 and hint in result.output and len(result.output.strip().splitlines()) == 1
    entity = tmp_path / "b.xlf"
    entity.write_text('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff version="1.2">&e;</xliff>',
                      encoding="utf-8")
    with pytest.raises(ReviewError):
        read_xliff_edits(str(entity))


def test_align_writes_xliff_with_the_human_translation_as_translated(tmp_path):
    (tmp_path / "a.zh.txt").write_text("标题\n\n幻方的日活突破了。\n\n公司用户达到了。\n", encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("Title\n\nHigh-Flyer's DAU broke through.\n\nUsers reached it.\n",
                                       encoding="utf-8")
    result = CliRunner().invoke(cli, ["align", str(tmp_path / "a.zh.txt"), str(tmp_path / "a.en.txt"), "-o",
                                      str(tmp_path / "out"), "--format", "xliff,json", "--quiet"])
    assert result.exit_code == 0, result.output
    blocks = json.loads((tmp_path / "out" / "a.zh.json").read_text(encoding="utf-8"))["blocks"]
    found = units(tmp_path / "out" / "a.zh.xlf")
    assert [u.get("id") for u in found] == [b["id"] for b in blocks]
    assert [plain_text(u.find(f"{X}target")) for u in found] == [b["translation"] for b in blocks]
    assert {u.find(f"{X}target").get("state") for u in found} == {"translated"}


NS2 = "{urn:oasis:names:tc:xliff:document:2.0}"


def test_xliff_21_units_codes_states_and_round_trip(tmp_path, rule_engine):
    article = tmp_path / "m.md"
    article.write_text(MARKDOWN, encoding="utf-8")
    TranslationMemory(tmp_path / "tm.sqlite").add("日活突破了。", "Daily actives broke through.")
    result = run(article, tmp_path / "out", rule_engine(), tm_path=str(tmp_path / "tm.sqlite"), default_glossary=False,
                 xliff_version="2.1")
    root = etree.parse(str(tmp_path / "out" / "m.xlf")).getroot()
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "zh-CN", "en")
    found = root.findall(f"{NS2}file/{NS2}unit")
    blocks = result.document.blocks
    assert [u.get("id") for u in found] == [b.id for b in blocks]
    marked = found[1]
    data = {d.get("id"): d.text for d in marked.findall(f"{NS2}originalData/{NS2}data")}
    source = marked.find(f"{NS2}segment/{NS2}source")
    starts = {c.get("id") for c in source if etree.QName(c).localname == "sc"}
    assert starts and starts == {c.get("startRef") for c in source if etree.QName(c).localname == "ec"}
    assert {data[c.get("dataRef")] for c in source} >= {"**", "`code_x`", "[", "<br/>", "https://x.org/p?q=1"}
    states = {b.origin: u.find(f"{NS2}segment").get("state") for u, b in zip(found, blocks)}
    assert states == {"mt": "initial", "tm": "translated", "copy": "final"}
    assert next(u for u, b in zip(found, blocks) if b.origin == "copy").get("translate") == "no"
    edits = read_xliff_edits(str(tmp_path / "out" / "m.xlf"))
    assert [(e.source, e.translation) for e in edits.edits] == [(b.text, b.translation) for b in blocks]
    assert edits.run.blocks[1].id == blocks[1].id


def test_xliff_21_split_segments_are_joined_on_import(tmp_path, article_path, rule_engine):
    run(article_path, tmp_path, rule_engine(), xliff_version="2.1")
    path = tmp_path / f"{STEM}.xlf"
    tree = etree.parse(str(path))
    unit = tree.getroot().findall(f".//{NS2}unit")[2]
    segment = unit.find(f"{NS2}segment")
    text = segment.find(f"{NS2}source").text
    second = etree.SubElement(unit, f"{NS2}segment", state="reviewed")
    etree.SubElement(second, f"{NS2}source").text = text[10:]
    etree.SubElement(second, f"{NS2}target").text = "and the rest."
    segment.find(f"{NS2}source").text = text[:10]
    segment.find(f"{NS2}target").text = "First part "
    tree.write(str(path))
    edit = read_xliff_edits(str(path)).edits[2]
    assert (edit.source, edit.translation, edit.state) == (text, "First part and the rest.", "initial")


def test_a_flagged_unit_is_stored_only_when_edited_or_approved_in_the_cat_tool(tmp_path, rule_engine):
    article = tmp_path / "a.txt"
    article.write_text("标题\n\n幻方的日活突破了。\n\n公司用户达到了。\n", encoding="utf-8")
    try:
        run(article, tmp_path / "out", rule_engine(loop_on="幻方"), default_glossary=False)
    except Exception as exc:  # RunFailed: outputs are written, the failure is flagged
        assert getattr(exc, "exit_code", None) == 1
    path = tmp_path / "out" / "a.xlf"
    flagged = units(path)[1]
    assert flagged.find(f"{X}note[@from='translate-qa']") is not None
    untouched = CliRunner().invoke(cli, ["review", "import", str(path), "--tm", str(tmp_path / "tm1.sqlite"),
                                         "-o", str(tmp_path / "pub1"), "--json"])
    report = json.loads(untouched.output)
    assert [r["id"] for r in report["blocks"] if r.get("unreviewed_failure")] == [flagged.get("id")]
    tree = etree.parse(str(path))
    tree.getroot().findall(f".//{X}trans-unit")[1].set("approved", "yes")
    tree.write(str(path))
    approved = CliRunner().invoke(cli, ["review", "import", str(path), "--tm", str(tmp_path / "tm2.sqlite"),
                                        "-o", str(tmp_path / "pub2"), "--json"])
    assert not [r for r in json.loads(approved.output)["blocks"] if r.get("unreviewed_failure")]
    assert TranslationMemory(tmp_path / "tm2.sqlite").lookup("幻方的日活突破了。") is not None


def test_tm_units_with_an_error_stay_unconfirmed_and_21_text_keeps_its_spaces():
    from translate.document import Block, BlockKind, Document, Flag
    from translate.formats.xliff.v12 import document_xliff
    from translate.formats.xliff.v21 import document_xliff2

    flagged = Block(id="b1", kind=BlockKind.PARAGRAPH, source="日活突破了。", translation="Daily  actives\nbroke.",
                    origin="tm", flags=[Flag("numbers", "error", "a number is missing")])
    clean = Block(id="b2", kind=BlockKind.PARAGRAPH, source="过去一年", translation="Over the past year", origin="tm")
    document = Document(name="d", blocks=[flagged, clean])
    v12 = etree.fromstring(document_xliff(document, {}).encode("utf-8"))
    assert [t.get("state") for t in v12.iter(f"{X}target")] == ["needs-review-translation", "translated"]
    v21 = etree.fromstring(document_xliff2(document, {}).encode("utf-8"))
    segments = list(v21.iter(f"{NS2}segment"))
    assert [s.get("state") for s in segments] == ["initial", "translated"]
    space = "{http://www.w3.org/XML/1998/namespace}space"
    target = segments[0].find(f"{NS2}target")
    assert target.get(space) == "preserve" and target.text == "Daily  actives\nbroke."
    assert segments[0].find(f"{NS2}source").get(space) == "preserve"
