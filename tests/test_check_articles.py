"""`translate check` on faithful professional translations in two domains (battery industry, monetary
policy): dates written out, names shortened after first mention, glossary terms inflected. No error
flag and exit 0 on them; planted errors caught with their codes; merges, splits and blank paragraphs
reported; --fail-on sets the gate."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.align.files import check_files
from translate.cli import cli
from translate.pipeline.run import RunOptions

DATA = Path(__file__).resolve().parent.parent / "translate" / "data"
ARTICLES = ("check-batteries", "check-rates")

# (article, paragraph index, text in the faithful translation, what is planted instead, code, severity)
PLANTED = [
    ("check-batteries", 2, "January 13", "January 31", "number", "error"),
    ("check-batteries", 4, "about a decade away", "about two years away", "number", "error"),
    ("check-batteries", 7, "could exceed 500.", "could exceed 500, 500, 500, 500 and 500.", "repetition", "error"),
    ("check-batteries", 9, "At the national legislative sessions in March, Zeng", "At the national legislative "
     "sessions in March, Zhang", "name-missing", "error"),
    ("check-batteries", 10, "105.431 billion", "10.5431 billion", "number", "error"),
    ("check-batteries", 12, "in 2025-26", "in 2025-27", "number-added", "warning"),
    ("check-rates", 3, "third cut", "fourth cut", "number", "error"),
    ("check-rates", 4, "from January 25", "from January 28", "number", "error"),
    ("check-rates", 6, "loan prime rates", "benchmark lending rates", "term-missing", "warning"),
    ("check-rates", 6, "Wang expects", "Wang Ching expects", "name-inconsistent", "warning"),  # Wang Qing before
    ("check-rates", 9, "On Friday the Shanghai", "The Shanghai", "number", "error"),
    ("check-rates", 10, " to exceed 6 trillion yuan.", " to", "truncated", "error"),
]


def paragraphs(article: str) -> list[str]:
    return (DATA / f"{article}.en.txt").read_text(encoding="utf-8").splitlines()


def run_check(tmp_path, article, lines, name="t.en.txt", text=None, **options):
    path = tmp_path / name
    path.write_text(text if text is not None else "\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / ("out-" + name)
    result = check_files(str(DATA / f"{article}.zh.txt"), str(path),
                         RunOptions(out_dir=str(out), formats=("json",), quiet=True,
                                    glossaries=[str(DATA / f"{article}.glossary.csv")], **options))
    return result, json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))


@pytest.mark.parametrize("article", ARTICLES)
def test_a_faithful_professional_translation_gets_no_error_and_exit_0(tmp_path, article):
    result, data = run_check(tmp_path, article, paragraphs(article))
    assert [p for p in result.problems if p[2] == "error"] == [] and not result.failed
    noise = {code for *_, code, _ in result.problems} - {"align-low-confidence"}
    assert noise == set(), result.problems  # no number, name, term or consistency warning either
    assert [b["translation"] for b in data["blocks"]] == paragraphs(article)
    cli_run = CliRunner().invoke(cli, ["check", str(DATA / f"{article}.zh.txt"), str(DATA / f"{article}.en.txt"),
                                       "-g", str(DATA / f"{article}.glossary.csv"), "-o", str(tmp_path / "cli")])
    assert cli_run.exit_code == 0, cli_run.output


@pytest.mark.parametrize("article", ARTICLES)
def test_planted_errors_are_caught_with_their_codes_on_their_blocks(tmp_path, article):
    lines = paragraphs(article)
    planted = [p for p in PLANTED if p[0] == article]
    for _, index, right, wrong, _, _ in planted:
        assert right in lines[index], (index, right)
        lines[index] = lines[index].replace(right, wrong)
    result, data = run_check(tmp_path, article, lines)
    blocks = data["blocks"]
    for _, index, _, _, code, severity in planted:
        assert (code, severity) in {(f["code"], f["severity"]) for f in blocks[index]["flags"]}, \
            (index, blocks[index]["flags"])
    touched = {index for _, index, *_ in planted}
    stray = [(k, f["code"]) for k, b in enumerate(blocks) if k not in touched for f in b["flags"]
             if f["severity"] == "error"]
    assert stray == [] and result.failed


def test_merged_and_split_paragraphs_are_warnings_in_the_list_the_summary_and_the_json(tmp_path):
    lines = paragraphs("check-batteries")
    first, second = lines[6].split(". ", 1)
    edited = lines[:2] + [lines[2] + " " + lines[3]] + lines[4:6] + [first + ".", second] + lines[7:]
    result, data = run_check(tmp_path, "check-batteries", edited)
    assert result.summary["merged"] == 1 and result.summary["split"] == 1
    listed = {(number, code, severity) for number, _, severity, code, _ in result.problems}
    assert (4, "align-merged", "warning") in listed and (7, "align-split", "warning") in listed
    assert {f["code"] for f in data["blocks"][3]["flags"]} >= {"align-merged"}
    assert data["summary"]["merged"] == 1 and data["summary"]["split"] == 1
    assert result.summary["codes"]["align-merged"] == 1


@pytest.mark.parametrize("spacing", ["\n", "\n\n"])
def test_a_blank_paragraph_in_a_text_file_is_reported_as_a_missing_translation(tmp_path, spacing):
    lines = paragraphs("check-rates")
    lines[5] = ""  # the translator left this paragraph for later
    result, data = run_check(tmp_path, "check-rates", lines, text=spacing.join(lines) + "\n")
    flags = {(f["code"], f["severity"]) for f in data["blocks"][5]["flags"]}
    assert ("empty", "error") in flags and result.summary["blank"] == 1
    assert result.summary["dropped"] == 0 and result.summary["added"] == 0
    kept = [k for k in range(len(lines)) if k != 5]
    assert [data["blocks"][k]["translation"] for k in kept] == [lines[k] for k in kept]


def test_fail_on_warning_fails_a_translation_with_warnings_only(tmp_path):
    lines = paragraphs("check-rates")
    lines[6] = lines[6].replace("loan prime rates", "benchmark lending rates")  # term-missing: a warning
    (tmp_path / "t.txt").write_text("\n".join(lines), encoding="utf-8")

    def check(*extra):
        return CliRunner().invoke(cli, ["check", str(DATA / "check-rates.zh.txt"), str(tmp_path / "t.txt"),
                                        "-g", str(DATA / "check-rates.glossary.csv"), "-o", str(tmp_path / "o"),
                                        "--force", *extra])

    assert check().exit_code == 0
    strict = check("--fail-on", "warning")
    assert strict.exit_code == 1 and "warning [term-missing]" in strict.output
    assert check("--fail-on", "nonsense").exit_code == 2
