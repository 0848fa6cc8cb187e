"""TBX exchange: usage status, forbidden renderings, any part of speech, merge without duplicates."""

import json
import shutil

from lxml import etree

from translate.document import Block, BlockKind
from translate.glossary.model import default_glossary_path, load_glossaries, parse_csv
from translate.glossary.tbx import TBX_BASIC_PART_OF_SPEECH, TBX_BASIC_STATUS, from_tbx, import_file, to_tbx
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file
from translate.qa.checks import check_forbidden_terms

MARTIF = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en_US">
 <martifHeader><fileDesc><sourceDesc><p>vendor</p></sourceDesc></fileDesc></martifHeader>
 <text><body>
  <termEntry id="t1">
   <langSet xml:lang="zh_CN"><descrip type="definition">daily active users</descrip>
    <tig><term>日活</term><termNote type="partOfSpeech">other</termNote></tig></langSet>
   <langSet xml:lang="en_US">
    <tig><term>daily actives</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
    <tig><term>DAU</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
         <termNote type="partOfSpeech">other</termNote></tig>
   </langSet>
  </termEntry>
  <termEntry id="t2">
   <langSet xml:lang="zh-CN"><tig><term>幻方</term></tig></langSet>
   <langSet xml:lang="en"><ntig><termGrp><term>HF Quant</term>
      <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></termGrp></ntig>
    <tig><term>High Flyer</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
    <tig><term>High-Flyer</term><termNote type="partOfSpeech">properNoun</termNote>
         <termNote type="normativeAuthorization">preferredTerm</termNote></tig></langSet>
  </termEntry>
 </body></text>
</martif>
"""

V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
 <tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader>
 <text><body><conceptEntry id="c1">
  <langSec xml:lang="zh-Hans"><termSec><term>开源</term><termNote type="partOfSpeech">adjective</termNote></termSec></langSec>
  <langSec xml:lang="en-GB">
   <termSec><term>open-source</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
   <termSec><term>free software</term><termNote type="administrativeStatus">forbidden</termNote></termSec>
   <termSec><term>open source</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
  </langSec></conceptEntry></body></text>
</tbx>
"""


def test_martif_status_orders_preferred_first_and_deprecated_becomes_avoid():
    first, second = from_tbx(MARTIF.encode("utf-8"), "v2.tbx")
    assert (first.sources, first.targets, first.avoid, first.kind) == (["日活"], ["DAU"], ["daily actives"], "term")
    assert first.note == "daily active users"
    assert (second.targets, second.avoid, second.kind) == (["High-Flyer", "High Flyer"], ["HF Quant"], "name")


def test_tbx_v3_status_and_forbidden():
    (entry,) = from_tbx(V3.encode("utf-8"), "v3.tbx")
    assert entry.targets == ["open source", "open-source"] and entry.avoid == ["free software"]


def test_any_part_of_speech_gives_an_english_target():
    for pos in ("other", "properNoun", "noun", "verb", "somethingElse"):
        tbx = MARTIF.replace(">other<", f">{pos}<")
        assert from_tbx(tbx.encode("utf-8"), "x.tbx")[0].targets == ["DAU"], pos


def test_export_uses_only_tbx_basic_picklist_values():
    entries = load_glossaries([]).entries + from_tbx(MARTIF.encode("utf-8"), "v2.tbx")
    root = etree.fromstring(to_tbx(entries).encode("utf-8"))
    notes = {(n.get("type"), n.text) for n in root.iter("{*}termNote")}
    assert {v for t, v in notes if t == "partOfSpeech"} <= set(TBX_BASIC_PART_OF_SPEECH)
    assert {v for t, v in notes if t == "administrativeStatus"} <= set(TBX_BASIC_STATUS)
    assert ("administrativeStatus", "deprecatedTerm-admn-sts") in notes
    assert {a.get("type") for a in root.iter("{*}admin")} <= {"projectSubset"}


def test_import_of_our_export_merges_and_round_trips(tmp_path):
    mine = tmp_path / "mine.csv"
    shutil.copy(default_glossary_path(), mine)
    before = mine.read_bytes()
    exported = tmp_path / "all.tbx"
    exported.write_text(to_tbx(load_glossaries([str(mine)], use_default=False).entries), encoding="utf-8")
    counts = import_file(str(exported), str(mine))
    assert counts["added"] == counts["updated"] == 0 and mine.read_bytes() == before  # nothing changes or doubles
    fresh = tmp_path / "fresh.csv"
    import_file(str(exported), str(fresh))
    again = to_tbx(parse_csv(fresh.read_bytes(), str(fresh)))
    assert again == exported.read_text(encoding="utf-8")


def test_import_into_existing_rows_updates_them(tmp_path):
    mine = tmp_path / "mine.csv"
    mine.write_text("source,target,kind,note\n日活|日活跃用户,daily active users,term,keep this\n幻方,HF,name,ours\n",
                    encoding="utf-8")
    tbx = tmp_path / "t.tbx"
    tbx.write_text(MARTIF, encoding="utf-8")
    assert import_file(str(tbx), str(mine)) == {"added": 0, "updated": 2, "unchanged": 0}
    entries = parse_csv(mine.read_bytes(), str(mine))
    assert len(entries) == 2
    assert (entries[0].sources, entries[0].target, entries[0].note, entries[0].avoid) == (
        ["日活", "日活跃用户"], "DAU", "daily active users", ["daily actives"])
    assert (entries[1].target, entries[1].note) == ("High-Flyer|High Flyer", "ours")  # no note in the TBX: ours kept


def test_preferred_term_is_enforced_and_deprecated_is_flagged(tmp_path, rule_engine):
    tbx = tmp_path / "t.tbx"
    tbx.write_text(MARTIF, encoding="utf-8")
    glossary = tmp_path / "g.csv"
    import_file(str(tbx), str(glossary))
    article = tmp_path / "a.txt"
    article.write_text("标题\n幻方的日活达到了。\n", encoding="utf-8")
    options = RunOptions(out_dir=str(tmp_path / "out"), formats=("json",), glossaries=[str(glossary)],
                         default_glossary=False, quiet=True, use_cache=False)
    run_file(str(article), options, load_engine=lambda: rule_engine())
    block = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))["blocks"][1]
    assert "DAU" in block["translation"] and "High-Flyer" in block["translation"]
    assert not [f for f in block["flags"] if f["code"] == "term-forbidden"]
    # The rule engine says "daily actives" for 日活 on its own: a human (or MT) using it is flagged.
    human = Block(id="b1", kind=BlockKind.PARAGRAPH, source="幻方的日活达到了。", translation="HF Quant's Daily Actives grew.")
    check_forbidden_terms(human, load_glossaries([str(glossary)], use_default=False).entries)
    assert sorted(f.span for f in human.flags if f.code == "term-forbidden") == ["HF Quant", "daily actives"]
