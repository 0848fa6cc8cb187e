"""Names, messages and options, round three: byte-limited unique stems, undecodable and bidi names, one-line
errors whatever a name holds, links under --force, absurd --threads, a malformed API key."""

import os
import stat

import pytest
from click.testing import CliRunner
from test_hostile_inputs import assert_one_line_exit_2

from translate.cli import cli
from translate.errors import InputError
from translate.pipeline.options import RunOptions
from translate.pipeline.outputs import MAX_STEM_BYTES, safe_stem
from translate.pipeline.run import run_file

TEXT = "标题\n公司用户达到一百万。\n"


def translate(path, out, engine, formats=("md", "docx", "json", "xliff")):
    options = RunOptions(out_dir=str(out), quiet=True, formats=formats, use_cache=False)
    return run_file(str(path), options, load_engine=lambda: engine())


@pytest.mark.parametrize("length", [78, 82])
def test_long_chinese_names_are_cut_by_bytes_and_written(tmp_path, rule_engine, length):
    name = "人工智能公司" * (length // 6) + "新" * (length % 6)
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / f"{name}.txt"  # 82 characters: 250 bytes, a legal name whose outputs would not be
    assert len(name) == length
    path.write_text(TEXT, encoding="utf-8")
    result = translate(path, tmp_path / "out", rule_engine)
    assert len(result.outputs) == 6 and all(p.is_file() for p in result.outputs)
    assert all(len(p.name.encode("utf-8")) <= 255 for p in result.outputs)


def test_cut_names_stay_unique():
    first, second = "中" * 100 + "甲", "中" * 100 + "乙"
    assert safe_stem(first) != safe_stem(second)
    assert all(len(safe_stem(n).encode("utf-8")) <= MAX_STEM_BYTES for n in (first, second))
    assert safe_stem("短名") == "短名"  # short names are not touched


def test_bidi_controls_and_line_breaks_stay_out_of_output_names():
    assert safe_stem("report\u202egpj.exe") == "reportgpj.exe"
    assert safe_stem("a\u2066b\u200fc") == "abc"
    assert "\n" not in safe_stem("line\nbreak")


def test_a_non_utf8_name_in_a_batch_is_translated_and_the_batch_goes_on(tmp_path, tiny_model):
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"\xff\xfe-news.txt")
    with open(bad, "wb") as handle:
        handle.write(TEXT.encode("utf-8"))
    good = folder / "zz-after.txt"
    good.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", os.fsdecode(bad), str(good), "-o", str(tmp_path / "out"),
                                      "--model", str(tiny_model), "--format", "md,json", "-q"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir() if p.suffix in (".md", ".json"))
    assert "zz-after.en.md" in names and "\ufffd\ufffd-news.en.md" in names


def test_a_line_break_in_a_file_name_never_splits_the_one_line_error(tmp_path):
    path = tmp_path / "two\nlines\u202e.txt"
    path.write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(path), "--model", "/nonexistent"])
    assert_one_line_exit_2(result, "two\\nlines\\u202e.txt")
    assert str(InputError("bad\nthing", "a\rb")).count("\n") == 0


def test_force_over_a_linked_output_replaces_the_link_with_a_normal_file(tmp_path, rule_engine):
    source = tmp_path / "news.txt"
    source.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "elsewhere.md"
    target.write_text("keep me")
    os.chmod(target, 0o600)
    (out / "news.en.md").symlink_to(target)
    options = RunOptions(out_dir=str(out), quiet=True, formats=("md",), use_cache=False, force=True)
    run_file(str(source), options, load_engine=lambda: rule_engine())
    written = out / "news.en.md"
    assert not written.is_symlink() and target.read_text() == "keep me"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(written.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("value", ["1e22", "10000000000000000000000"])
def test_absurd_thread_counts_are_refused_by_the_option(tmp_path, value):
    source = tmp_path / "a.txt"
    source.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(source), "--threads", value, "--model", "/nonexistent"])
    assert result.exit_code == 2 and "--threads" in result.output and "Traceback" not in result.output


def test_an_api_key_with_a_line_break_is_named_as_malformed(tmp_path, monkeypatch):
    source = tmp_path / "a.txt"
    source.write_text(TEXT, encoding="utf-8")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-abc\n")
    result = CliRunner().invoke(cli, ["run", str(source), "-o", str(tmp_path / "out"), "--engine", "openai",
                                      "--api-base", "http://127.0.0.1:9/v1", "--api-model", "m", "-q"])
    lines = [line for line in result.output.splitlines() if line.startswith("error")]
    assert result.exit_code == 2 and len(lines) == 1 and "API key" in lines[0], result.output
