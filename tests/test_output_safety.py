"""Outputs stay inside -o, keep sane permissions, never collide, and survive interrupted writes."""

import json
import os
import stat
import subprocess
import sys
import textwrap
import time

import docx
import pytest
from click.testing import CliRunner

import translate.pipeline.run as pipeline
from translate.cli import cli
from translate.pipeline import atomic
from translate.pipeline.journal import JOURNAL_NAME, LOCK_NAME
from translate.pipeline.options import RunOptions
from translate.pipeline.outputs import safe_stem
from translate.pipeline.run import run_file


def article(folder, name="news.txt", text="标题\n公司用户达到一百万。\n"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def options(tmp_path, **kw):
    return RunOptions(out_dir=str(tmp_path / "out"), quiet=True, use_cache=False, **kw)


def outputs(folder):
    """The article outputs in `folder` (not the TM, cache, journal or lock)."""
    return sorted(p.name for p in folder.iterdir()
                  if not p.name.startswith(".") and p.suffix in (".docx", ".md", ".json", ".xlf"))


@pytest.mark.parametrize("name", ["../x/pwned", "/etc/passwd", "..", "a/../../b", "\x1b[31m", "C:\\evil", "x" * 500])
def test_safe_stems_never_leave_the_folder(tmp_path, name):
    stem = safe_stem(name)
    target = (tmp_path / f"{stem}.en.md").resolve()
    assert target.parent == tmp_path.resolve() and 0 < len(stem) <= 120 and ".." not in stem


def test_review_import_names_outputs_safely_whatever_the_title_says(tmp_path, rule_engine):
    path = article(tmp_path / "in")
    run_file(str(path), options(tmp_path, formats=("docx",)), load_engine=lambda: rule_engine())
    bilingual = tmp_path / "out" / "news.bilingual.docx"
    edited = docx.Document(str(bilingual))
    edited.core_properties.title = "../escaped/pwned"
    edited.save(str(tmp_path / "edited.docx"))
    review = tmp_path / "review"
    before = set(tmp_path.rglob("*"))
    result = CliRunner().invoke(cli, ["review", "import", str(tmp_path / "edited.docx"), "-o", str(review)])
    assert result.exit_code == 0, result.output
    written = [p for p in set(tmp_path.rglob("*")) - before if p.is_file()]
    assert len(written) >= 3 and all(p.parent == review for p in written), written
    assert not (tmp_path / "escaped").exists()


def test_outputs_are_0644_under_umask_022_and_edited_files_keep_their_mode(tmp_path, rule_engine):
    previous = os.umask(0o022)
    try:
        run_file(str(article(tmp_path / "in")), options(tmp_path), load_engine=lambda: rule_engine())
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "out").iterdir()
                 if p.suffix in (".docx", ".md", ".json") and not p.name.startswith(".")}
        assert modes and set(modes.values()) == {0o644}, modes
        kept = tmp_path / "glossary.csv"
        kept.write_text("source,target\n", encoding="utf-8")
        os.chmod(kept, 0o640)
        atomic.write_text(kept, "source,target\n公司,company\n")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    finally:
        os.umask(previous)


def test_an_interrupted_write_is_finished_by_the_same_command(tmp_path, rule_engine, monkeypatch):
    path = article(tmp_path / "in")
    real_write = atomic.write_bytes
    written = []

    def write_then_stop(target, data):
        if len(written) == 2:
            raise KeyboardInterrupt  # Ctrl-C (or a full disk) in the middle of writing the outputs
        real_write(target, data)
        written.append(target)

    monkeypatch.setattr(atomic, "write_bytes", write_then_stop)
    with pytest.raises(KeyboardInterrupt):
        run_file(str(path), options(tmp_path), load_engine=lambda: rule_engine())
    assert 1 <= len(outputs(tmp_path / "out")) < 6 and not list((tmp_path / "out").glob(".*.part"))
    monkeypatch.setattr(atomic, "write_bytes", real_write)
    (tmp_path / "out" / ".news.en.md.abc123.part").write_text("left by a SIGKILL")
    result = run_file(str(path), options(tmp_path), load_engine=lambda: rule_engine())  # no --force
    assert sorted(p.name for p in result.outputs) == outputs(tmp_path / "out")
    assert not list((tmp_path / "out").glob(".*.part"))
    journal = json.loads((tmp_path / "out" / JOURNAL_NAME).read_text(encoding="utf-8"))
    assert journal["news"]["state"] == "done"
    # a finished run's files, as it wrote them, are its own: the same command runs again (an output deleted is
    # written again); a file an editor changed since is theirs, not overwritten without --force
    (tmp_path / "out" / "news.en.md").unlink()
    run_file(str(path), options(tmp_path), load_engine=lambda: rule_engine())
    assert (tmp_path / "out" / "news.en.md").is_file()
    (tmp_path / "out" / "news.bilingual.md").write_text("the editor's notes", encoding="utf-8")
    with pytest.raises(Exception, match="already exists"):
        run_file(str(path), options(tmp_path), load_engine=lambda: rule_engine())


def test_a_different_article_does_not_inherit_an_unfinished_run(tmp_path, rule_engine, monkeypatch):
    path = article(tmp_path / "in")
    monkeypatch.setattr(pipeline, "check_written", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        run_file(str(path), options(tmp_path), load_engine=lambda: rule_engine())
    monkeypatch.undo()
    path.write_text("标题\n另一篇文章。\n", encoding="utf-8")
    with pytest.raises(Exception, match="already exists"):
        run_file(str(path), options(tmp_path), load_engine=lambda: rule_engine())


def test_same_stem_inputs_are_refused_before_any_work(tmp_path):
    first, second = article(tmp_path / "a"), article(tmp_path / "b")
    result = CliRunner().invoke(cli, ["run", str(first), str(second), "-o", str(tmp_path / "out"), "--force",
                                      "--model", "/nonexistent"])
    assert result.exit_code == 2 and str(second) in result.output and "same output files" in result.output
    assert not (tmp_path / "out").exists() or not outputs(tmp_path / "out")


def test_a_batch_reports_each_bad_input_and_goes_on(tmp_path, rule_engine, monkeypatch):
    monkeypatch.setattr(pipeline, "engine_loader", lambda settings: rule_engine())
    good = article(tmp_path / "in", "good.txt")
    empty = article(tmp_path / "in", "empty.txt", "")
    result = CliRunner().invoke(cli, ["run", str(empty), str(tmp_path / "missing.txt"), str(good),
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2 and str(empty) in errors[0] and "missing.txt" in errors[1]
    assert "good.json" in outputs(tmp_path / "out")


def test_the_summary_line_is_printed_when_the_run_exits_1(tmp_path, rule_engine, monkeypatch):
    monkeypatch.setattr(pipeline, "engine_loader", lambda settings: rule_engine(fail_on="用户"))
    path = article(tmp_path / "in")
    result = CliRunner().invoke(cli, ["run", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{path}: 2 blocks" in result.output and "block(s) failed" in result.output


def test_sigterm_is_handled_like_ctrl_c(tmp_path, rule_engine, monkeypatch):
    import signal

    class Terminating(rule_engine):
        def translate(self, texts, progress=None):
            os.kill(os.getpid(), signal.SIGTERM)
            return super().translate(texts)

    monkeypatch.setattr(pipeline, "engine_loader", lambda settings: Terminating())
    before = signal.getsignal(signal.SIGTERM)
    result = CliRunner().invoke(cli, ["run", str(article(tmp_path / "in")), "-o", str(tmp_path / "out")])
    assert result.exit_code == 143 and "terminated" in result.output
    assert not [p for p in (tmp_path / "out").iterdir() if p.suffix in (".md", ".docx", ".part")]
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is the command's only


def test_concurrent_runs_into_one_folder_take_turns(tmp_path, rule_engine):
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from filelock import FileLock
        with FileLock({str(out / LOCK_NAME)!r}):
            print("held", flush=True)
            time.sleep(1.5)
    """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    start = time.monotonic()
    run_file(str(article(tmp_path / "in")), options(tmp_path), load_engine=lambda: rule_engine())
    waited = time.monotonic() - start
    assert holder.wait() == 0 and waited > 0.5  # it waited for the other run to finish with the folder


def test_clean_keeps_the_encoding_and_bom_and_needs_force_to_overwrite(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("这是一篇东谈主写的文章。\n".encode("gbk"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + "这是一篇文章。\n".encode("utf-8"))
    runner = CliRunner()
    for source in (gbk, bom):
        target = tmp_path / f"clean-{source.name}"
        assert runner.invoke(cli, ["clean", str(source), "-o", str(target)]).exit_code == 0
        data = target.read_bytes()
        if source is bom:
            assert data.startswith(b"\xef\xbb\xbf") and data[3:].decode("utf-8") == "这是一篇文章。\n"
        else:
            assert data.decode("gbk").startswith("这是一篇") and not data.startswith(b"\xef\xbb\xbf")
        again = runner.invoke(cli, ["clean", str(source), "-o", str(target)])
        assert again.exit_code == 2 and "already exists" in again.output
        assert runner.invoke(cli, ["clean", str(source), "-o", str(target), "--force"]).exit_code == 0


def test_bilingual_docx_comments_and_tracked_changes_are_well_formed(tmp_path, article_path, rule_engine):
    """Comments written without python-docx's add_comment: unique ids, each anchored once, readable by Word's model."""
    import re
    import zipfile

    from translate.repair import LOW_CONFIDENCE

    result = run_file(str(article_path), options(tmp_path, formats=("docx", "json")),
                      load_engine=lambda: rule_engine(keep_han=True))
    document = result.document
    path = tmp_path / "out" / f"{article_path.stem}.bilingual.docx"
    body = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    comments = list(docx.Document(str(path)).comments)
    ids = [c.comment_id for c in comments]
    uncertain = sum(1 for b in document.blocks for r in b.repairs if r.confidence < LOW_CONFIDENCE)
    noted = sum(1 for b in document.blocks if b.flags or b.origin == "tm")
    assert len(ids) == len(set(ids)) == uncertain + noted and noted > 0
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        assert sorted(int(i) for i in re.findall(rf'<w:{tag} w:id="(\d+)"', body)) == sorted(ids)
    assert body.count("<w:ins ") == body.count("<w:del ") == sum(len(b.repairs) for b in document.blocks) > 0
    assert "translate-xml:" not in body


def test_the_written_check_catches_a_lost_block_in_the_bilingual_docx(tmp_path, rule_engine):
    from translate.errors import TranslateError

    result = run_file(str(article(tmp_path / "in", text="标题\n第一段。\n第二段。\n")), options(tmp_path),
                      load_engine=lambda: rule_engine())
    paths = {"bilingual.docx": tmp_path / "out" / "news.bilingual.docx"}
    result.document.blocks.append(result.document.blocks[-1].__class__(id="bmissing", kind=result.document.blocks[-1].kind,
                                                                        source="不在文件里。"))
    with pytest.raises(TranslateError, match="lost or reordered"):
        pipeline.check_written(result.document, paths)


def test_a_folder_where_an_output_goes_is_refused_before_any_output_is_written(tmp_path):
    from click.testing import CliRunner

    from translate.cli import cli

    article = tmp_path / "s.txt"
    article.write_text("标题\n公司发布新模型。\n", encoding="utf-8")
    out = tmp_path / "out"
    (out / "s.en.md").mkdir(parents=True)
    result = CliRunner().invoke(cli, ["run", str(article), "-o", str(out), "-f", "-q"])
    assert result.exit_code == 2 and "is a folder where an output file goes" in result.output, result.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["s.en.md"]
