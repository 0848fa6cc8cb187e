"""TMX import/export: inline codes out of the text and back on export, Chinese variants, entities."""

from lxml import etree

from translate.memory.tm import TranslationMemory
from translate.memory.tmx import export_tmx, import_tmx_report

# As OmegaT writes it: inline tags as bpt/ept with native code, several Chinese variants per unit.
OMEGAT = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
 <header creationtool="OmegaT" creationtoolversion="6.0.0" segtype="sentence" o-tmf="OmegaT TMX" adminlang="EN-US"
         srclang="zh-CN" datatype="plaintext"/>
 <body>
  <tu>
   <tuv xml:lang="zh-TW"><seg><bpt i="1" x="1">&lt;b0&gt;</bpt>幻方的日活<ept i="1">&lt;/b0&gt;</ept>突破了</seg></tuv>
   <tuv xml:lang="zh-CN"><seg><bpt i="1" x="1">&lt;b0&gt;</bpt>幻方的日活<ept i="1">&lt;/b0&gt;</ept>突破了</seg></tuv>
   <tuv xml:lang="en-US"><seg><bpt i="1" x="1">&lt;b0&gt;</bpt>High-Flyer's DAU<ept i="1">&lt;/b0&gt;</ept> broke through</seg></tuv>
  </tu>
  <tu>
   <tuv lang="zh_CN"><seg>点击<ph x="2">&lt;br/&gt;</ph>这里<it pos="begin">&lt;i&gt;</it>看<hi type="bold">更多</hi><ut>{\\b}</ut></seg></tuv>
   <tuv lang="EN"><seg>Click<ph x="2">&lt;br/&gt;</ph> here <it pos="begin">&lt;i&gt;</it>to see <hi type="bold">more</hi><ut>{\\b}</ut></seg></tuv>
  </tu>
  <tu>
   <tuv xml:lang="zh-Hant"><seg>開源模型</seg></tuv>
   <tuv xml:lang="en"><seg>open-source model</seg></tuv>
  </tu>
  <tu>
   <tuv xml:lang="zh-TW"><seg>公司</seg></tuv>
   <tuv xml:lang="en"><seg>firm (Taiwan usage)</seg></tuv>
  </tu>
  <tu>
   <tuv xml:lang="zh-CN"><seg>公司</seg></tuv>
   <tuv xml:lang="en"><seg>company</seg></tuv>
  </tu>
  <tu>
   <tuv xml:lang="zh-CN"><seg>价格&nbsp;上涨</seg></tuv>
   <tuv xml:lang="en"><seg>prices&nbsp;rose</seg></tuv>
  </tu>
 </body>
</tmx>
"""


def test_omegat_tmx_stores_clean_simplified_text(tmp_path):
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    report = import_tmx_report(tm, OMEGAT.encode("utf-8"), "omegat.tmx")
    stored = {source: target for source, target, _ in tm.entries()}
    assert stored == {"幻方的日活突破了": "High-Flyer's DAU broke through", "点击这里看更多": "Click here to see more",
                      "公司": "company"}
    assert not any("<" in text or "&" in text for pair in stored.items() for text in pair)
    assert tm.lookup("幻方的日活突破了") == "High-Flyer's DAU broke through"
    assert report.traditional_skipped == 2 and report.stored == 3
    assert len(report.problems) == 1 and "nbsp" in report.problems[0] and "line" in report.problems[0]


def test_traditional_units_are_converted_only_when_asked_and_never_replace_simplified(tmp_path):
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    report = import_tmx_report(tm, OMEGAT.encode("utf-8"), "omegat.tmx", to_simplified=True)
    assert tm.lookup("开源模型") == "open-source model"
    assert tm.lookup("公司") == "company"  # the zh-TW-only unit for 公司 came first, zh-CN one wins
    assert report.traditional_converted == 2 and report.traditional_skipped == 0
    tm.add("开源模型", "open-weight model", origin="review")
    import_tmx_report(tm, OMEGAT.encode("utf-8"), "omegat.tmx", to_simplified=True)
    assert tm.lookup("开源模型") == "open-weight model" and tm.lookup("公司") == "company"


def test_export_gives_inline_codes_back(tmp_path):
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    import_tmx_report(tm, OMEGAT.encode("utf-8"), "omegat.tmx")
    root = etree.fromstring(export_tmx(tm).encode("utf-8"))
    units = root.findall("body/tu")
    first = units[0].findall("tuv/seg")
    assert [c.tag for c in first[0]] == ["bpt", "ept"] and first[0][0].text == "<b0>"
    assert [c.tag for c in first[1]] == ["bpt", "ept"]
    # A pair changed in review loses the old codes: they no longer fit its text.
    tm.add("幻方的日活突破了", "High-Flyer's daily actives broke through", origin="review")
    changed = [u for u in etree.fromstring(export_tmx(tm).encode("utf-8")).findall("body/tu")
               if u.findall("tuv/seg")[0].text == "幻方的日活突破了"][0]
    assert not len(changed.findall("tuv/seg")[1])


def test_zh_cn_is_preferred_over_plain_zh_and_hans_variants(tmp_path):
    tmx = """<tmx version="1.4"><header srclang="zh"/><body><tu>
      <tuv xml:lang="zh-Hant-TW"><seg>開源</seg></tuv><tuv xml:lang="zh"><seg>开源码</seg></tuv>
      <tuv xml:lang="zh-CN"><seg>开源</seg></tuv><tuv xml:lang="en-GB"><seg>open source</seg></tuv></tu>
      <tu><tuv xml:lang="zh-Hans-SG"><seg>日活</seg></tuv><tuv xml:lang="en"><seg>DAU</seg></tuv></tu></body></tmx>"""
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    import_tmx_report(tm, tmx.encode("utf-8"), "x.tmx")
    assert {s: t for s, t, _ in tm.entries()} == {"开源": "open source", "日活": "DAU"}


def test_a_vendor_tmx_never_replaces_a_reviewed_translation_unless_asked(tmp_path):
    from click.testing import CliRunner

    from translate.cli import cli
    from translate.memory.tm import TranslationMemory

    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.add("人工智能会改变世界。", "AI will change the world.", origin="review")
    tm.add("过去一年", "In the past year", origin="tmx")
    tm.close()
    vendor = tmp_path / "vendor.tmx"
    vendor.write_text('<tmx version="1.4"><header srclang="zh-CN"/><body>'
                      '<tu><tuv xml:lang="zh-CN"><seg>人工智能会改变世界。</seg></tuv>'
                      '<tuv xml:lang="en"><seg>Artificial intelligence changes the world.</seg></tuv></tu>'
                      '<tu><tuv xml:lang="zh-CN"><seg>过去一年</seg></tuv><tuv xml:lang="en"><seg>Over the past year</seg>'
                      '</tuv></tu></body></tmx>', encoding="utf-8")
    result = CliRunner().invoke(cli, ["tm", "import", str(vendor), "--tm", str(tmp_path / "tm.sqlite")])
    assert result.exit_code == 0 and "imported 1 pairs" in result.output and "1 reviewed pair(s) kept" in result.output
    assert "conflict:" in result.output and "AI will change the world." in result.output
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    assert tm.entry("人工智能会改变世界。")[:2] == ("AI will change the world.", "review")
    assert tm.entry("过去一年")[:2] == ("Over the past year", "tmx")  # not reviewed: the newer file wins
    tm.close()
    result = CliRunner().invoke(cli, ["tm", "import", str(vendor), "--tm", str(tmp_path / "tm.sqlite"), "--overwrite"])
    assert result.exit_code == 0
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    assert tm.entry("人工智能会改变世界。")[:2] == ("Artificial intelligence changes the world.", "tmx")


def test_a_source_translated_twice_in_one_file_keeps_the_newer_unit_and_says_so(tmp_path):
    """Merged memories repeat sources: a later unit must not replace an earlier one silently, nor count twice."""
    units = [("20240101T000000Z", "Company F"), ("20250101T000000Z", "Firm F"), ("", "Firm F"),
             ("20230101T000000Z", "The company F")]
    tmx = ('<tmx version="1.4"><header srclang="zh-CN"/><body>'
           + "".join(f'<tu changedate="{date}"><tuv xml:lang="zh-CN"><seg>公司F</seg></tuv>'
                     f'<tuv xml:lang="en"><seg>{target}</seg></tuv></tu>\n' for date, target in units)
           + "</body></tmx>")
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    report = import_tmx_report(tm, tmx.encode("utf-8"), "merged.tmx")
    assert tm.lookup("公司F") == "Firm F"
    assert report.stored == 1 and report.duplicates == 1
    assert len(report.problems) == 2 and all("also translated on line" in p for p in report.problems)
    assert "kept 'Firm F' (newer)" in report.problems[0] and "not 'The company F'" in report.problems[1]


def test_other_tools_language_codes_and_versions_are_read(tmp_path):
    """TMX 1.1 `lang`, upper and underscore variants, a missing srclang, English first, UTF-16 with its BOM."""
    tmx = ('<?xml version="1.0" encoding="UTF-16"?><tmx version="1.1"><header creationtool="x"/><body>'
           '<tu><tuv lang="EN-us"><seg>Company A</seg></tuv><tuv lang="ZH-CN"><seg>公司A</seg></tuv></tu>'
           '<tu><prop type="x-Domain">News</prop><tuv xml:lang="zh_cn"><seg>公司B</seg></tuv>'
           '<tuv xml:lang="en_GB"><seg>Company B</seg></tuv></tu></body></tmx>')
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    report = import_tmx_report(tm, tmx.encode("utf-16"), "old.tmx")
    assert {s: t for s, t, _ in tm.entries()} == {"公司A": "Company A", "公司B": "Company B"}
    assert report.stored == 2 and not report.problems


def test_a_memory_restored_from_its_own_export_keeps_its_reviewed_pairs(tmp_path):
    tm = TranslationMemory(tmp_path / "a.sqlite")
    tm.add("人工智能会改变世界。", "AI will change the world.", origin="review")
    tm.add("过去一年", "In the past year", origin="approved")
    tm.add("公司", "company", origin="tmx")
    backup = export_tmx(tm).encode("utf-8")
    tm.close()
    restored = TranslationMemory(tmp_path / "b.sqlite")
    import_tmx_report(restored, backup, "backup.tmx")
    assert [restored.entry(s)[1] for s in ("人工智能会改变世界。", "过去一年", "公司")] == ["review", "approved", "tmx"]
    vendor = ('<tmx version="1.4"><header srclang="zh-CN"/><body><tu><tuv xml:lang="zh-CN"><seg>人工智能会改变世界。'
              '</seg></tuv><tuv xml:lang="en"><seg>Vendor text.</seg></tuv></tu></body></tmx>').encode()
    report = import_tmx_report(restored, vendor, "vendor.tmx")
    assert report.stored == 0 and len(report.conflicts) == 1
    assert restored.entry("人工智能会改变世界。")[0] == "AI will change the world."


def test_a_source_re_saved_with_other_spaces_or_full_stops_finds_its_pair(tmp_path):
    import sqlite3

    from translate.document import normalise

    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.add("专家表示，这项政策有助于缓解拥堵。", "Experts said the policy would ease congestion.")
    for re_saved in ("专家表示, 这项政策有助于缓解拥堵.", "专家表示， 这项政策 有助于缓解拥堵。"):
        assert tm.lookup(re_saved) == "Experts said the policy would ease congestion."
    tm.close()
    with sqlite3.connect(tmp_path / "tm.sqlite") as db:  # a memory an earlier version wrote: its key form
        db.execute("INSERT INTO tm (key, source, target, origin, updated) VALUES (?,?,?,?,0)",
                   (normalise("北京市 今天"), "北京市 今天", "Beijing today", "review"))
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    assert tm.lookup("北京市 今天") == "Beijing today"
    tm.add("北京市 今天", "Beijing, today")  # stored again under the new key, not twice
    assert [t for s, t, _ in tm.entries() if s.startswith("北京市")] == ["Beijing, today"]


def test_dates_and_namespaced_segs_survive_a_round_trip_and_other_xml_is_refused(tmp_path):
    from click.testing import CliRunner

    from translate.cli import cli

    namespaced = ('<tmx version="1.4" xmlns="http://www.lisa.org/tmx14"><header srclang="zh-CN"/><body>'
                  '<tu changedate="20200102T030405Z"><tuv xml:lang="zh-CN"><seg>点击<ph x="1">&lt;br/&gt;</ph>这里'
                  '</seg></tuv><tuv xml:lang="en"><seg>Click<ph x="1">&lt;br/&gt;</ph> here</seg></tuv></tu>'
                  '</body></tmx>').encode()
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    import_tmx_report(tm, namespaced, "ns.tmx")
    exported = export_tmx(tm)
    assert 'changedate="20200102T030405Z"' in exported and "xmlns" not in exported.split("<body>")[1]
    assert etree.fromstring(exported.encode()).find("body/tu/tuv/seg/ph") is not None
    (tmp_path / "page.tmx").write_text("<html><body/></html>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["tm", "import", str(tmp_path / "page.tmx"), "--tm", str(tmp_path / "new.sqlite")])
    assert result.exit_code == 2 and "not a TMX file" in result.output and not (tmp_path / "new.sqlite").exists()
    folder = CliRunner().invoke(cli, ["tm", "export", "--tm", str(tmp_path / "tm.sqlite"), "-o", str(tmp_path)])
    assert folder.exit_code == 2 and "is a folder" in folder.output


def test_another_tools_file_cannot_mark_its_pairs_reviewed_and_one_source_written_two_ways_is_one_pair(tmp_path):
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    vendor = ('<tmx version="1.4"><header creationtool="VendorTool" srclang="zh-CN"/><body>'
              '<tu changedate="20240101T000000Z"><prop type="x-origin">review</prop><tuv xml:lang="zh-CN"><seg>北京 今天下雨。'
              '</seg></tuv><tuv xml:lang="en"><seg>Newer.</seg></tuv></tu>'
              '<tu changedate="20200101T000000Z"><tuv xml:lang="zh-CN"><seg>北京今天下雨.</seg></tuv>'
              '<tuv xml:lang="en"><seg>Older.</seg></tuv></tu></body></tmx>').encode()
    report = import_tmx_report(tm, vendor, "vendor.tmx")
    assert report.stored == 1 and tm.entry("北京今天下雨。")[:2] == ("Newer.", "tmx")


def test_quiet_imports_and_glossary_edits_print_no_summary(tmp_path):
    from click.testing import CliRunner

    from translate.cli import cli

    tmx = _tmx_file(tmp_path / "pairs.tmx", [("过去一年", "Past year"), ("过去一年", "Last year")])
    runner = CliRunner()
    loud = runner.invoke(cli, ["tm", "import", str(tmx), "--tm", str(tmp_path / "a.sqlite")])
    quiet = runner.invoke(cli, ["tm", "import", str(tmx), "--tm", str(tmp_path / "b.sqlite"), "-q"])
    assert loud.exit_code == quiet.exit_code == 0
    assert "imported 1 pairs" in loud.stdout and quiet.stdout == ""
    glossary = tmp_path / "g.csv"
    glossary.write_text("source,target,kind,note\n", encoding="utf-8")
    edit = ["-g", str(glossary)]
    assert runner.invoke(cli, ["glossary", "add", "豆包", "Doubao", *edit, "-q"]).stdout == ""
    assert "豆包,Doubao" in glossary.read_text(encoding="utf-8")
    assert runner.invoke(cli, ["glossary", "remove", "豆包", *edit, "-q"]).stdout == ""
    assert "豆包" not in glossary.read_text(encoding="utf-8")
    assert "豆包 -> Doubao" in runner.invoke(cli, ["glossary", "add", "豆包", "Doubao", *edit]).stdout
    assert "removed: 豆包" in runner.invoke(cli, ["glossary", "remove", "豆包", *edit]).stdout


def test_units_without_a_pair_are_counted_and_said(tmp_path):
    from click.testing import CliRunner

    from translate.cli import cli

    tmx = _tmx_file(tmp_path / "half.tmx", [(None, "Only English"), ("公司", ""), ("过去一年", "Past year")])
    result = CliRunner().invoke(cli, ["tm", "import", str(tmx), "--tm", str(tmp_path / "tm.sqlite")])
    assert result.exit_code == 0 and "imported 1 pairs" in result.stdout
    assert "2 unit(s) left out" in result.stderr


def _tmx_file(path, units):
    """A TMX 1.4 file of (Chinese, English) units; None leaves that side out."""
    def tuv(lang, text):
        return "" if text is None else f'<tuv xml:lang="{lang}"><seg>{text}</seg></tuv>'

    body = "".join(f"<tu>{tuv('zh-CN', zh)}{tuv('en', en)}</tu>" for zh, en in units)
    path.write_text(f'<tmx version="1.4"><header srclang="zh-CN"/><body>{body}</body></tmx>', encoding="utf-8")
    return path
