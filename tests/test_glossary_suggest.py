"""`translate glossary suggest`: candidates, English proposals (translation, TM, review, dictionary, pinyin),
CSV for `glossary import`, and the desk-glossary measure on articles in three domains (tests/data/suggest)."""

import csv
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.glossary.model import load_glossaries
from translate.glossary.suggest import suggest
from translate.lexicon.english import stem
from translate.lexicon.names import pinyin_name
from translate.memory.tm import TranslationMemory

DATA = Path(__file__).parent / "data" / "suggest"
EXAMPLE = Path(__file__).parent.parent / "translate" / "data" / "why-bat-did-not-build-deepseek"
# (article, its translation, a desk's glossary of 15 terms for it) in three domains
ARTICLES = [(DATA / "ev-batteries.zh.txt", DATA / "ev-batteries.en.txt", DATA / "ev-batteries.desk.csv"),
            (DATA / "monetary-policy.zh.txt", DATA / "monetary-policy.en.txt", DATA / "monetary-policy.desk.csv"),
            (EXAMPLE.with_suffix(".zh.txt"), EXAMPLE.with_suffix(".en.txt"), DATA / "ai-industry.desk.csv")]
NO_GLOSSARY = load_glossaries([], use_default=False)


def same_english(a: str, b: str) -> bool:
    """Equal but for case, hyphens and plural endings (power batteries = power battery)."""
    return [stem(w) for w in a.replace("-", " ").split()] == [stem(w) for w in b.replace("-", " ").split()]


def desk(path) -> dict[str, str]:
    with open(path, encoding="utf-8") as handle:
        return {row["source"]: row["target"] for row in csv.DictReader(handle)}


def tm_of(article, translation, path) -> str:
    """A translation memory holding the article's paragraphs paired with the translation's, as
    `translate align --tm` stores them."""
    from translate.align.aligner import Aligner, chinese_side, english_side
    from translate.readers import read_document
    from translate.repair import repair_document

    document = read_document(str(article))
    repair_document(document)
    blocks = [b.text for b in document.blocks if b.kind.translatable]
    paragraphs = [b.source for b in read_document(str(translation)).blocks]
    tm = TranslationMemory(path)
    for link in Aligner([chinese_side(b) for b in blocks], [english_side(p) for p in paragraphs]).align():
        if link.source and link.target:
            tm.add("".join(blocks[i] for i in link.source), " ".join(paragraphs[j] for j in link.target), "align")
    tm.close()
    return str(path)


def by_source(report):
    return {s.source: s for s in report.suggestions}


@pytest.mark.parametrize("article, translation, desk_csv", ARTICLES, ids=["ev", "monetary", "ai"])
def test_a_desk_glossary_is_found_with_the_translators_english(article, translation, desk_csv, tmp_path):
    """Done when: 12 of a desk's 15 terms among the top 40, with the translator's English for 10, from
    --translation and from a TM of the same pairs."""
    wanted = desk(desk_csv)
    from_translation = by_source(suggest([str(article)], NO_GLOSSARY, [str(translation)], limit=40))
    tm = tm_of(article, translation, tmp_path / "tm.sqlite")
    from_tm = by_source(suggest([str(article)], NO_GLOSSARY, tm_path=tm, limit=40))
    for found, origin in ((from_translation, "translation"), (from_tm, "tm")):
        listed = [s for s in wanted if s in found]
        right = [s for s in listed if same_english(found[s].target, wanted[s]) and found[s].proposed_by == origin]
        assert len(listed) >= 12, sorted(set(wanted) - set(listed))
        assert len(right) >= 10, {s: found[s].target for s in listed if s not in right}


def test_people_companies_and_terms_are_found_without_a_translation():
    ev = by_source(suggest([str(ARTICLES[0][0])], NO_GLOSSARY, limit=40))
    money = by_source(suggest([str(ARTICLES[1][0])], NO_GLOSSARY, limit=40))
    for found, names, organisations, terms in (
            (ev, ["王传福", "曾毓群", "李斌", "欧阳明高"], ["中国汽车动力电池产业创新联盟", "比亚迪"], ["动力电池", "固态电池", "磷酸铁锂"]),
            (money, ["潘功胜", "司马晓东", "欧阳倩", "李云泽"], ["国家金融监督管理总局", "中国人民银行", "招商银行"],
             ["存款准备金率", "降准", "逆回购"])):
        assert all(found[n].note == "person" and found[n].kind == "name" for n in names)
        assert all(found[o].note == "organisation" for o in organisations)
        assert all(found[t].kind == "term" for t in terms)


def test_what_the_old_suggester_got_wrong_is_gone(article_path):
    found = by_source(suggest([str(article_path)], NO_GLOSSARY, limit=80))
    assert not {"idea", "push", "gap"} & set(found)  # English words in the Chinese text
    assert found["梁文锋"].note == "person" and found["山姆·奥尔特曼"].note == "person"
    for fragment in ("和云", "依附于", "拉人", "大关"):
        assert fragment not in found or found[fragment].note not in ("person", "place")
    assert "山姆·奥尔特曼进行反思" not in found


@pytest.mark.parametrize("name, english", [
    ("王传福", "Wang Chuanfu"), ("欧阳明高", "Ouyang Minggao"), ("司马晓东", "Sima Xiaodong"), ("欧阳倩", "Ouyang Qian"),
    ("曾毓群", "Zeng Yuqun"), ("单雄信", "Shan Xiongxin"), ("解缙", "Xie Jin"), ("吕布", "Lü Bu"),
    ("长孙无忌", "Zhangsun Wuji"), ("诸葛亮", "Zhuge Liang"), ("仇英", "Qiu Ying"), ("李西安", "Li Xi'an")])
def test_people_get_pinyin_names_in_the_standard_form(name, english):
    assert pinyin_name(name) == english


def test_without_a_translation_people_get_pinyin_and_common_terms_dictionary_english():
    found = by_source(suggest([str(ARTICLES[1][0])], NO_GLOSSARY, limit=40))
    assert (found["潘功胜"].target, found["潘功胜"].proposed_by) == ("Pan Gongsheng", "pinyin")
    assert (found["司马晓东"].target, found["司马晓东"].proposed_by) == ("Sima Xiaodong", "pinyin")
    assert (found["中国人民银行"].target, found["中国人民银行"].proposed_by) == ("People's Bank of China", "dictionary")
    assert found["存款准备金率"].proposed_by == "dictionary" and "reserve" in found["存款准备金率"].target
    ai = by_source(suggest([str(ARTICLES[2][0])], NO_GLOSSARY, limit=60))
    assert (ai["算力"].target, ai["深度学习"].target) == ("computing power", "deep learning")
    assert ai["腾讯"].target == "Tencent" and ai["梁文锋"].target == "Liang Wenfeng"


def test_csv_output_round_trips_through_glossary_import(tmp_path):
    runner = CliRunner()
    out = tmp_path / "terms.csv"
    done = runner.invoke(cli, ["glossary", "suggest", str(ARTICLES[0][0]), "--translation", str(ARTICLES[0][1]),
                               "--no-default-glossary", "-n", "25", "--format", "csv", "-o", str(out)])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[:4] == ["source", "target", "kind", "note"] and len(rows) == 25
    assert {"count", "proposed_by", "evidence", "example"} <= set(rows[0])
    desk_file = tmp_path / "desk.csv"
    imported = runner.invoke(cli, ["glossary", "import", str(out), "-g", str(desk_file)])
    assert imported.exit_code == 0 and "25 added" in imported.output, imported.output
    entries = {e.key: e for e in load_glossaries([str(desk_file)], use_default=False).entries}
    assert {(r["source"], r["target"], r["kind"]) for r in rows} == {(k, e.target, e.kind) for k, e in entries.items()}
    assert entries["宁德时代"].target == "CATL"


def test_editors_replacements_are_learned_from_review_import(tmp_path):
    """`review import` keeps the machine's text beside the editor's; suggest --tm proposes what editors
    put in place of the machine's rendering."""
    from translate.formats.record import load_record
    from translate.review.apply import apply_edits
    from translate.review.edits import EditedBlock, EditedFile

    sources = ["宁德时代发布了新电池。", "宁德时代的利润增长了。", "分析师看好宁德时代。", "比亚迪也在扩产。"]
    machine = ["Ningde Era released a new battery.", "Ningde Era's profit grew.", "Analysts favour Ningde Era.",
               "BYD is also expanding."]
    edited = ["CATL released a new battery.", "CATL's profit grew.", "Analysts favour CATL.", "BYD is also expanding."]
    blocks = [{"id": f"b{i}", "kind": "paragraph", "source": s, "repaired": s, "translation": m}
              for i, (s, m) in enumerate(zip(sources, machine))]
    run = load_record({"blocks": blocks, "signature": {}}, "x.bilingual.docx")
    found = EditedFile("x.bilingual.docx", run,
                       [EditedBlock(f"b{i}", s, e) for i, (s, e) in enumerate(zip(sources, edited))], "x")
    tm = str(tmp_path / "tm.sqlite")
    apply_edits(found, str(tmp_path / "out"), tm)
    stored = sqlite3.connect(tm).execute("SELECT target, machine FROM tm ORDER BY target").fetchall()
    assert ("CATL released a new battery.", "Ningde Era released a new battery.") in stored
    assert ("BYD is also expanding.", None) in stored  # unchanged: nothing replaced
    article = tmp_path / "a.zh.txt"
    article.write_text("\n".join(sources) + "\n宁德时代的新工厂投产。\n", encoding="utf-8")
    catl = by_source(suggest([str(article)], NO_GLOSSARY, tm_path=tm, limit=20))["宁德时代"]
    assert (catl.target, catl.proposed_by) == ("CATL", "review")
    assert "replaced 'Ningde Era' with 'CATL' in 3 of 3" in catl.evidence


def test_glossary_entries_the_tm_contradicts_are_listed(tmp_path):
    glossary = tmp_path / "desk.csv"
    glossary.write_text("source,target,kind,note\n幻方,Magic Square,name,\n比亚迪,BYD,name,\n", encoding="utf-8")
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    for zh, en in [("幻方发布了报告。", "High-Flyer published a report."), ("幻方的创始人是梁文锋。", "High-Flyer's founder is Liang Wenfeng."),
                   ("比亚迪和幻方合作。", "BYD and High-Flyer work together.")]:
        tm.add(zh, en)
    tm.close()
    article = tmp_path / "a.zh.txt"
    article.write_text("幻方是一家公司。比亚迪也是。\n", encoding="utf-8")
    report = suggest([str(article)], load_glossaries([str(glossary)], use_default=False),
                     tm_path=str(tmp_path / "tm.sqlite"))
    assert [(s.source, s.target) for s in report.contradicted] == [("幻方", "High-Flyer")]
    assert "Magic Square" in report.contradicted[0].evidence and "3 of 3" in report.contradicted[0].evidence


@pytest.mark.parametrize("arguments, message", [
    (["missing.zh.txt"], "missing.zh.txt"),
    (["{article}", "--translation", "missing.en.txt"], "missing.en.txt"),
    (["{article}", "{article}", "--translation", "{translation}"], "one English translation per article"),
    (["{article}", "--tm", "{translation}"], "is not a translation memory"),
    (["{article}", "--tm", "{cache}"], "is not a translation memory"),
    (["{article}", "--tm", "nowhere.sqlite"], "no such translation memory"),
    (["{article}", "--translation", "{empty}"], "is empty"),
    (["{article}", "--translation", "{other}"], "does not read as a translation of its article"),
])
def test_bad_input_is_one_line_and_exit_2(arguments, message, tmp_path):
    empty = tmp_path / "empty.en.txt"
    empty.write_text("", encoding="utf-8")
    cache = tmp_path / "cache.sqlite"  # a SQLite file of another kind: refused, and left as it was
    sqlite3.connect(cache).execute("CREATE TABLE segments (key TEXT)").connection.commit()
    before = cache.read_bytes()
    names = {"article": str(ARTICLES[0][0]), "translation": str(ARTICLES[0][1]), "empty": str(empty),
             "cache": str(cache), "other": str(ARTICLES[1][1])}
    done = CliRunner().invoke(cli, ["glossary", "suggest", *[a.format(**names) for a in arguments]])
    assert done.exit_code == 2, done.output
    assert message in done.output and "Traceback" not in done.output
    assert cache.read_bytes() == before


def test_a_name_after_a_title_keeps_its_own_surname(tmp_path):
    """长 ends 董事长 and starts the compound surname 长孙: 董事长孙飘扬 is Sun Piaoyang; 王医生 is no name."""
    article = tmp_path / "a.zh.txt"
    article.write_text("恒瑞医药董事长孙飘扬表示，公司将加大研发投入。孙飘扬说，研发是根本。\n王医生提醒市民注意保暖。\n",
                       encoding="utf-8")
    found = by_source(suggest([str(article)], NO_GLOSSARY))
    assert (found["孙飘扬"].note, found["孙飘扬"].target) == ("person", "Sun Piaoyang")
    assert "长孙飘扬" not in found and "王医生" not in found
