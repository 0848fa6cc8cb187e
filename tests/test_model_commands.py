"""`translate model random|convert|info` never write over a folder of the user's or the source model, build
beside the target and move into place, and say in one line what is wrong with a broken model folder."""

import os

import pytest
from click.testing import CliRunner

from translate.cli import cli


def _model(*args):
    return CliRunner().invoke(cli, ["model", *map(str, args)])


def _one_line(result, *words):
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and all(word in lines[0] for word in words), result.output


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models") / "src"
    assert _model("random", folder, "-q").exit_code == 0
    return folder


def test_a_folder_of_the_users_or_the_source_itself_is_never_written_over(source, tmp_path):
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "notes.txt").write_text("important")
    _one_line(_model("convert", source, "--to", keep), "already exists", "--force")
    _one_line(_model("convert", source, "--to", keep, "--force"), "not a model")
    _one_line(_model("convert", source, "--to", source, "--force"), "model's own folder")
    _one_line(_model("convert", source, "--to", source.parent, "--force"), "model's own folder")
    _one_line(_model("random", keep), "already exists")
    assert (keep / "notes.txt").read_text() == "important" and (source / "config.json").is_file()
    (tmp_path / "afile").write_text("x")
    _one_line(_model("random", tmp_path / "afile"), "is a file")


def test_a_model_is_replaced_only_with_force_and_only_when_the_new_one_is_complete(source, tmp_path):
    converted = tmp_path / "ct2"
    assert _model("convert", source, "--to", converted, "-q").exit_code == 0
    assert (converted / "model.bin").is_file() and not list(tmp_path.glob("*.part"))
    _one_line(_model("convert", source, "--to", converted), "already exists")
    assert _model("convert", source, "--to", converted, "--force", "-q").exit_code == 0
    _one_line(_model("convert", converted, "--to", tmp_path / "again"), "already a CTranslate2 model")
    assert not (tmp_path / "again").exists()


@pytest.mark.parametrize("config, words", [("{oops", "cannot be read"), ("[]", "not a model configuration"),
                                           ("{}", "no weights")])
def test_a_broken_model_folder_is_named_in_one_line(tmp_path, config, words):
    (tmp_path / "config.json").write_text(config)
    _one_line(_model("info", tmp_path), str(tmp_path), words)


def test_force_replaces_only_a_folder_that_is_a_model_and_nothing_else(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "config.json").write_text('{"name": "my app"}')
    (project / "src" / "main.py").write_text("print(1)")
    _one_line(_model("random", project, "--force"), "not a model's")
    assert (project / "src" / "main.py").is_file()
    model = tmp_path / "model"
    assert _model("random", model, "-q").exit_code == 0
    (model / "article.zh.txt").write_text("一篇文章。", encoding="utf-8")  # a user's file put into a model folder
    _one_line(_model("random", model, "--force"), "not a model's")
    assert (model / "article.zh.txt").is_file()
    monkeypatch.chdir(project)
    _one_line(_model("random", ".", "--force"), "working folder")
    _one_line(_model("random", "..", "--force"), "working folder")


def test_a_folder_name_that_is_not_utf8_is_refused_before_anything_is_built(tmp_path):
    target = os.fsdecode(os.fsencode(str(tmp_path)) + b"/m\xff")
    _one_line(_model("random", target), "not UTF-8")
    assert not any(tmp_path.iterdir())


def test_a_built_model_has_the_modes_of_the_users_other_files(tmp_path):
    import stat

    model = tmp_path / "model"
    assert _model("random", model, "-q").exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in model.iterdir()}
    assert modes and set(modes.values()) == {0o666 & ~umask}, modes
