"""Review files as CAT tools save them: the suffixes, encodings, segmentation, states and codes they write.

Each case edits a run's XLIFF the way memoQ, Trados or Phrase leave it, and checks that `review import`
stores what the translator meant, or refuses in one line (exit 2).
"""

import json
import re

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.memory.tm import TranslationMemory
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file

ARTICLE = ("# 宁德时代**发布**新电池\n\n宁德时代周二在北京发布了新一代磷酸铁锂电池，能量密度提高了20%。\n\n"
           "公司董事长曾毓群表示，新电池将于2025年量产。\n\n更多信息见[官网](https://www.catl.com)。\n")
LINK_SOURCE = "更多信息见[官网](https://www.catl.com)。"
ZENG_SOURCE = "公司董事长曾毓群表示，新电池将于2025年量产。"


def make_run(tmp_path, rule_engine, version="1.2"):
    source = tmp_path / "art.zh.md"
    source.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    run_file(str(source), RunOptions(out_dir=str(out), formats=("json", "xliff", "md"), quiet=True, use_cache=False,
                                     force=True, xliff_version=version), load_engine=lambda: rule_engine())
    return out


def units_of(text):
    """unit id -> its whole XML text, in order."""
    return {m.group(1): m.group(0) for m in re.finditer(r'<(?:trans-)?unit id="(\w+)".*?</(?:trans-)?unit>', text,
                                                        re.S)}


def unit_with(text, source):
    return next(unit for unit in units_of(text).values() if source.split("[")[0] in unit)


def set_target(text, source, target_xml):
    """The unit showing `source` with its <target ...>...</target> replaced by `target_xml`."""
    unit = unit_with(text, source)
    return text.replace(unit, re.sub(r"<target[^>]*>.*?</target>", lambda _: target_xml, unit, flags=re.S))


def review_import(path, out):
    result = CliRunner().invoke(cli, ["review", "import", str(path), "-o", str(out), "--tm", str(out / "tm.sqlite"),
                                      "--json"])
    report = json.loads(result.output[result.output.index("{"):]) if result.exit_code == 0 else None
    return result, report


def published(out):
    return (out / "art.zh.en.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["art.zh.xlf.sdlxliff", "art.zh.mqxliff", "art.zh.mxliff", "art.zh.export.xml"])
def test_a_cat_tools_own_suffix_is_read_as_xliff(tmp_path, rule_engine, name):
    out = make_run(tmp_path, rule_engine)
    text = (out / "art.zh.xlf").read_text(encoding="utf-8")
    edited = tmp_path / "done" / name
    edited.parent.mkdir()
    edited.write_text(set_target(text, ZENG_SOURCE, '<target state="translated">Zeng said: 2025.</target>'),
                      encoding="utf-8")
    result, report = review_import(edited, tmp_path / "pub")
    assert result.exit_code == 0, result.output
    assert report["stored_edited"] == 1
    assert TranslationMemory(tmp_path / "pub" / "tm.sqlite").lookup(ZENG_SOURCE) == "Zeng said: 2025."


@pytest.mark.parametrize("version", ["1.2", "2.1"])
@pytest.mark.parametrize("empty", ["<target/>", "<target>  \n </target>"])
def test_an_empty_target_keeps_the_machine_translation_and_stores_nothing(tmp_path, rule_engine, version, empty):
    out = make_run(tmp_path, rule_engine, version)
    blocks = json.loads((out / "art.zh.json").read_text(encoding="utf-8"))["blocks"]
    machine = next(b["translation"] for b in blocks if b["source"] == ZENG_SOURCE)
    edited = tmp_path / "art.zh.xlf"
    edited.write_text(set_target((out / "art.zh.xlf").read_text(encoding="utf-8"), ZENG_SOURCE, empty),
                      encoding="utf-8")
    result, report = review_import(edited, tmp_path / "pub")
    assert result.exit_code == 0, result.output
    assert TranslationMemory(tmp_path / "pub" / "tm.sqlite").lookup(ZENG_SOURCE) is None
    assert machine.strip() in published(tmp_path / "pub")
    assert any("empty target" in w for w in report["warnings"])
    assert report["stored"] == report["stored_edited"] + report["stored_unedited"]


def test_paired_codes_moved_out_of_order_are_published_as_written_but_not_stored(tmp_path, rule_engine):
    """A tag moved in a CAT tool (the link's closing code before its opening one) breaks the Markdown: the
    TM must not learn it; the other edits of the file are still stored."""
    out = make_run(tmp_path, rule_engine)
    text = (out / "art.zh.xlf").read_text(encoding="utf-8")
    unit = unit_with(text, LINK_SOURCE)
    opening = re.search(r'<bpt id="1"[^>]*>\[</bpt>', unit).group(0)
    closing = re.search(r'<ept id="1"[^>]*>[^<]*</ept>', unit).group(0)
    text = set_target(text, LINK_SOURCE, f'<target state="translated">More {closing}on the site{opening}.</target>')
    text = set_target(text, ZENG_SOURCE, '<target state="translated">Zeng said: 2025.</target>')
    edited = tmp_path / "art.zh.xlf"
    edited.write_text(text, encoding="utf-8")
    result, report = review_import(edited, tmp_path / "pub")
    assert result.exit_code == 0, result.output
    tm = TranslationMemory(tmp_path / "pub" / "tm.sqlite")
    assert tm.lookup(LINK_SOURCE) is None and tm.lookup(ZENG_SOURCE) == "Zeng said: 2025."
    assert len(report["broken_codes"]) == 1 and any("paired codes" in w for w in report["warnings"])
    assert "More ](https://www.catl.com)on the site[." in published(tmp_path / "pub")


@pytest.mark.parametrize("codes", ['<bx id="1"/>More<ex id="1"/>', '<g id="1">More</g>'])
def test_codes_a_tool_rewrote_as_empty_tags_or_g_are_stored_with_the_link(tmp_path, rule_engine, codes):
    out = make_run(tmp_path, rule_engine)
    text = set_target((out / "art.zh.xlf").read_text(encoding="utf-8"), LINK_SOURCE,
                      f'<target state="translated">{codes} on the site.</target>')
    edited = tmp_path / "art.zh.xlf"
    edited.write_text(text, encoding="utf-8")
    result, report = review_import(edited, tmp_path / "pub")
    assert result.exit_code == 0 and not report["broken_codes"]
    assert TranslationMemory(tmp_path / "pub" / "tm.sqlite").lookup(LINK_SOURCE) == \
        "[More](https://www.catl.com) on the site."


def _with_states(text, states):
    """Each unit's target given the state (or, for a dict, the unit/target attributes) in `states` by source."""
    for source, state in states.items():
        unit = unit_with(text, source)
        target = re.search(r"<target[^>]*>", unit).group(0)
        changed = unit.replace(target, re.sub(r' state="[^"]*"', f' state="{state}"', target))
        text = text.replace(unit, changed)
    return text


def test_untouched_units_are_stored_only_once_the_cat_tool_confirmed_them(tmp_path, rule_engine):
    """memoQ and Trados leave unconfirmed segments in needs-review / initial: reviewed by nobody, never the TM's."""
    out = make_run(tmp_path, rule_engine)
    text = _with_states((out / "art.zh.xlf").read_text(encoding="utf-8"),
                        {ZENG_SOURCE: "translated", LINK_SOURCE: "needs-review-translation"})
    edited = tmp_path / "art.zh.xlf"
    edited.write_text(text, encoding="utf-8")
    result, report = review_import(edited, tmp_path / "pub")
    tm = TranslationMemory(tmp_path / "pub" / "tm.sqlite")
    assert tm.lookup(ZENG_SOURCE) is not None and tm.lookup(LINK_SOURCE) is None
    assert report["stored"] == report["stored_unedited"] == 1 and len(report["unconfirmed"]) == 3
    assert any("unconfirmed in the CAT tool" in w for w in report["warnings"])


@pytest.mark.parametrize(("vendor", "stored"), [
    ('<sdl:seg-defs xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0"><sdl:seg id="1" conf="ApprovedSignOff"/>'
     '</sdl:seg-defs>', True),
    ('<sdl:seg-defs xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0"><sdl:seg id="1" conf="Translated"/>'
     '<sdl:seg id="2" conf="Draft"/></sdl:seg-defs>', False),
    (' mq:status="ManuallyConfirmed"', True),
    (' mq:status="PartiallyEdited"', False),
])
def test_trados_and_memoq_confirmation_levels_decide_for_untouched_units(tmp_path, rule_engine, vendor, stored):
    out = make_run(tmp_path, rule_engine)
    text = (out / "art.zh.xlf").read_text(encoding="utf-8").replace("<xliff ", '<xliff xmlns:mq="MQXliff" ')
    unit = unit_with(text, ZENG_SOURCE)
    if vendor.startswith(" "):  # memoQ: an attribute of the trans-unit
        changed = unit.replace("<trans-unit ", f"<trans-unit{vendor} ", 1)
    else:  # Trados: the segments' definitions inside the unit
        changed = unit.replace("</trans-unit>", f"{vendor}</trans-unit>")
    edited = tmp_path / "art.zh.sdlxliff"
    edited.write_text(text.replace(unit, changed), encoding="utf-8")
    result, report = review_import(edited, tmp_path / "pub")
    assert result.exit_code == 0, result.output
    assert (TranslationMemory(tmp_path / "pub" / "tm.sqlite").lookup(ZENG_SOURCE) is not None) == stored


FIRST, SECOND = "宁德时代周二在北京发布了新一代磷酸铁锂电池，", "能量密度提高了20%。"
SPLIT_SOURCE = FIRST + SECOND
ENGLISH = ("CATL launched a battery on Tuesday,", "raising density by 20%.")


def _split_unit(version, translated_second=True, between=""):
    """The paragraph SPLIT_SOURCE as a CAT tool cuts it in two segments (a Chinese source has no space to keep
    between them, so none is written unless `between`), the second translated or left empty."""
    second = ENGLISH[1] if translated_second else ""
    if version == "1.2":
        return (f'<seg-source><mrk mtype="seg" mid="1">{FIRST}</mrk><mrk mtype="seg" mid="2">{SECOND}</mrk>'
                f'</seg-source><target state="translated"><mrk mtype="seg" mid="1">{ENGLISH[0]}</mrk>{between}'
                f'<mrk mtype="seg" mid="2">{second}</mrk></target>')
    ignorable = f"<ignorable><source>{between}</source></ignorable>" if between else ""
    return (f'<segment id="s1" state="translated"><source>{FIRST}</source><target>{ENGLISH[0]}</target></segment>'
            f'{ignorable}<segment id="s2" state="reviewed"><source>{SECOND}</source>'
            f'<target>{second}</target></segment>')


def _replace_segmentation(text, version, new):
    unit = unit_with(text, SPLIT_SOURCE)
    pattern = r"<target[^>]*>.*?</target>" if version == "1.2" else r"<segment[^>]*>.*?</segment>"
    return text.replace(unit, re.sub(pattern, lambda _: new, unit, count=1, flags=re.S))


def _import_resegmented(tmp_path, rule_engine, version, **split):
    """Run, cut the split unit's target into segments as a CAT tool does (`_split_unit(**split)`), import it."""
    out = make_run(tmp_path, rule_engine, version)
    edited = tmp_path / "art.zh.xlf"
    edited.write_text(_replace_segmentation((out / "art.zh.xlf").read_text(encoding="utf-8"), version,
                                            _split_unit(version, **split)), encoding="utf-8")
    return review_import(edited, tmp_path / "pub")


@pytest.mark.parametrize("between", ["", " "])
@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_segments_a_cat_tool_cut_are_joined_with_the_space_english_needs(tmp_path, rule_engine, version, between):
    result, report = _import_resegmented(tmp_path, rule_engine, version, between=between)
    assert result.exit_code == 0, result.output
    # keyed on the run's source (no space from the segmentation), so the next run finds it
    assert TranslationMemory(tmp_path / "pub" / "tm.sqlite").lookup(SPLIT_SOURCE) == " ".join(ENGLISH)
    assert not any("source" in w and "differs" in w for w in report["warnings"])


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_a_unit_translated_in_part_keeps_the_machine_translation_and_stores_nothing(tmp_path, rule_engine, version):
    result, report = _import_resegmented(tmp_path, rule_engine, version, translated_second=False)
    assert result.exit_code == 0, result.output
    assert TranslationMemory(tmp_path / "pub" / "tm.sqlite").lookup(SPLIT_SOURCE) is None
    assert ENGLISH[0] not in published(tmp_path / "pub")
    assert any("partly translated" in w for w in report["warnings"])


def test_xliff_21_codes_copied_without_their_data_ref_keep_the_link(tmp_path, rule_engine):
    out = make_run(tmp_path, rule_engine, "2.1")
    text = (out / "art.zh.xlf").read_text(encoding="utf-8")
    unit = unit_with(text, LINK_SOURCE)
    target = '<target><sc id="1"/>More<ec startRef="1"/> here.</target>'
    changed = re.sub(r"<target[^>]*>.*?</target>", lambda _: target, unit, flags=re.S).replace('"initial"', '"final"')
    edited = tmp_path / "art.zh.xlf"
    edited.write_text(text.replace(unit, changed), encoding="utf-8")
    result, report = review_import(edited, tmp_path / "pub")
    assert result.exit_code == 0, result.output
    assert TranslationMemory(tmp_path / "pub" / "tm.sqlite").lookup(LINK_SOURCE) == \
        "[More](https://www.catl.com) here."


def test_units_a_cat_tool_sorted_are_published_in_the_articles_order(tmp_path, rule_engine):
    out = make_run(tmp_path, rule_engine)
    text = (out / "art.zh.xlf").read_text(encoding="utf-8")
    sorted_text = re.sub(r"(<body>\s*)(.*?)(\s*</body>)", lambda m: m.group(1) + "\n".join(reversed(
        re.findall(r"<trans-unit .*?</trans-unit>", m.group(2), re.S))) + m.group(3), text, flags=re.S)
    edited = tmp_path / "art.zh.xlf"
    edited.write_text(set_target(sorted_text, ZENG_SOURCE, '<target state="translated">Zeng said: 2025.</target>'),
                      encoding="utf-8")
    result, report = review_import(edited, tmp_path / "pub")
    assert result.exit_code == 0, result.output
    blocks = json.loads((out / "art.zh.json").read_text(encoding="utf-8"))["blocks"]
    expected = [b["translation"].strip() if b["source"] != ZENG_SOURCE else "Zeng said: 2025." for b in blocks]
    places = [published(tmp_path / "pub").index(t) for t in expected]
    assert places == sorted(places) and any("units sorted on export" in w for w in report["warnings"])


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_a_translators_note_is_reported_with_its_unit(tmp_path, rule_engine, version):
    out = make_run(tmp_path, rule_engine, version)
    text = (out / "art.zh.xlf").read_text(encoding="utf-8")
    unit = unit_with(text, ZENG_SOURCE)
    note = ("<note>check this date</note></trans-unit>" if version == "1.2"
            else "<notes><note>check this date</note></notes><segment")
    noted = unit.replace("</trans-unit>" if version == "1.2" else "<segment", note, 1)
    (tmp_path / "noted.xlf").write_text(text.replace(unit, noted), encoding="utf-8")
    result = CliRunner().invoke(cli, ["review", "import", str(tmp_path / "noted.xlf"), "-o", str(tmp_path / "pub")])
    assert result.exit_code == 0, result.output
    assert re.search(r"^unit \w+: comment: check this date$", result.output, re.M)


def test_an_entity_in_an_edited_target_is_refused_not_dropped(tmp_path, rule_engine):
    out = make_run(tmp_path, rule_engine)
    text = (out / "art.zh.xlf").read_text(encoding="utf-8")
    text = re.sub(r"(<\?xml[^>]*\?>)", r'\1<!DOCTYPE xliff [<!ENTITY co "Contemporary Amperex">]>', text, count=1)
    text = set_target(text, ZENG_SOURCE, '<target state="translated">&co; chairman Zeng said so.</target>')
    (tmp_path / "ent.xlf").write_text(text, encoding="utf-8")
    result, _ = review_import(tmp_path / "ent.xlf", tmp_path / "pub")
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1
    assert "entity &co;" in result.output and not (tmp_path / "pub" / "tm.sqlite").exists()


def test_thousands_of_unknown_units_give_one_warning(tmp_path, rule_engine):
    out = make_run(tmp_path, rule_engine)
    text = (out / "art.zh.xlf").read_text(encoding="utf-8")
    stray = ('<trans-unit id="zz"><source>别的文章里的一句话。</source><target state="translated">Elsewhere.</target>'
             '</trans-unit>')
    text = text.replace("</body>", stray * 3000 + "</body>", 1)
    (tmp_path / "many.xlf").write_text(text, encoding="utf-8")
    result, report = review_import(tmp_path / "many.xlf", tmp_path / "pub")
    assert result.exit_code == 0
    unmatched = [w for w in report["warnings"] if "matches no block" in w]
    assert len(unmatched) == 1 and unmatched[0].startswith("3000 row(s)")
