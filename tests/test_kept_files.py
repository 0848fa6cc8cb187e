"""--force never means losing the file the work is kept in: no output may replace the translation memory,
a glossary, the input or the edited file a command reads."""

from click.testing import CliRunner

from translate.cli import cli
from translate.memory.tm import TranslationMemory
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file


def _refused(result, path):
    assert result.exit_code == 2, result.output
    assert "this command reads" in result.output and len(result.output.strip().splitlines()) == 1, result.output
    return path.read_bytes()


def test_exports_never_replace_the_memory_or_glossary_they_read(tmp_path):
    memory = tmp_path / "tm.sqlite"
    tm = TranslationMemory(memory)
    tm.add("公司发布新模型。", "The company released a new model.", origin="review")
    tm.close()
    before = memory.read_bytes()
    for output in (str(memory), str(tmp_path / "." / "tm.sqlite")):
        result = CliRunner().invoke(cli, ["tm", "export", "--tm", str(memory), "-o", output, "-f"])
        assert _refused(result, memory) == before
    glossary = tmp_path / "desk.csv"
    glossary.write_text("source,target,kind,note,extra\n月之暗面,Moonshot AI,name,,kept\n", encoding="utf-8")
    for fmt in ("csv", "tbx"):
        result = CliRunner().invoke(cli, ["glossary", "export", "-g", str(glossary), "-o", str(glossary), "-f",
                                          "--format", fmt])
        assert _refused(result, glossary).decode() == "source,target,kind,note,extra\n月之暗面,Moonshot AI,name,,kept\n"


def test_a_run_or_review_import_never_writes_over_its_memory(tmp_path, rule_engine):
    article = tmp_path / "s.txt"
    article.write_text("标题\n公司发布新模型。\n", encoding="utf-8")
    out = tmp_path / "out"
    memory = out / "s.json"
    out.mkdir()
    TranslationMemory(memory).close()
    before = memory.read_bytes()
    result = CliRunner().invoke(cli, ["run", str(article), "-o", str(out), "--tm", str(memory), "-f", "-q"])
    assert _refused(result, memory) == before
    run_file(str(article), RunOptions(out_dir=str(tmp_path / "run"), quiet=True, formats=("docx", "json")),
             load_engine=lambda: rule_engine())
    review = tmp_path / "review"
    report = review / "s.review.json"
    review.mkdir()
    TranslationMemory(report).close()
    before = report.read_bytes()
    result = CliRunner().invoke(cli, ["review", "import", str(tmp_path / "run" / "s.bilingual.docx"), "-o",
                                      str(review), "--tm", str(report), "-f"])
    assert _refused(result, report) == before
