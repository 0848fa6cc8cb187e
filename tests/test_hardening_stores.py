"""The segment cache and the translation memory: never written through a link, corrupt files handled in one
line (a cache moved aside and rebuilt, a TM never overwritten), read-only use for export and checks."""

import os
import sqlite3

import pytest
from click.testing import CliRunner
from test_hostile_inputs import assert_one_line_exit_2

from translate.cli import cli
from translate.errors import TranslateError
from translate.memory.cache import SegmentCache
from translate.memory.sqlite import connect
from translate.memory.tm import TranslationMemory
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file


def article(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text("标题\n公司用户达到一百万。\n", encoding="utf-8")
    return path


def run(tmp_path, engine, **kw):
    options = RunOptions(out_dir=str(tmp_path / "out"), quiet=True, formats=("md",), force=True, **kw)
    return run_file(str(article(tmp_path)), options, load_engine=lambda: engine())


def make_tm(path, pairs=(("公司用户达到一百万。", "Company users reached one million."),)):
    tm = TranslationMemory(path)
    for source, target in pairs:
        tm.add(source, target)
    tm.close()


@pytest.mark.parametrize("name", [".segment-cache.sqlite", "tm.sqlite", "tm.sqlite-wal"])
def test_a_store_planted_as_a_link_in_the_output_folder_is_refused_and_its_target_untouched(tmp_path, rule_engine,
                                                                                             name):
    victim = tmp_path / "victim.txt"
    victim.write_text("")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / name).symlink_to(victim)
    with pytest.raises(TranslateError, match="symbolic link"):
        run(tmp_path, rule_engine)
    assert victim.read_bytes() == b""


@pytest.mark.parametrize("content", [b"", b"random bytes " * 400, "truncated"])
def test_a_damaged_cache_is_moved_aside_and_rebuilt_with_a_warning(tmp_path, rule_engine, content):
    cache = tmp_path / "out" / ".segment-cache.sqlite"
    if content == "truncated":
        run(tmp_path, rule_engine)
        db = sqlite3.connect(cache)
        db.executemany("INSERT INTO segments VALUES (?,?,?,?)", [(str(i), "源" * 500, "t" * 500, 0) for i in range(400)])
        db.commit()
        db.close()
        for side in ("-wal", "-shm"):
            (tmp_path / "out" / (cache.name + side)).unlink(missing_ok=True)
        content = cache.read_bytes()[: cache.stat().st_size // 3]
    cache.parent.mkdir(exist_ok=True)
    cache.write_bytes(content)
    result = run(tmp_path, rule_engine)
    aside = list(cache.parent.glob(".segment-cache.sqlite.corrupt-*"))
    if content:
        assert len(aside) == 1 and aside[0].read_bytes() == content
        assert any("segment cache was damaged" in w for w in result.document.warnings)
    assert result.document.blocks[1].translation and sqlite3.connect(cache).execute(
        "SELECT count(*) FROM segments").fetchone()[0] > 0


def test_a_full_disk_while_caching_is_one_line(tmp_path):
    cache = SegmentCache(tmp_path / "cache.sqlite", "sig")
    cache.db.execute(f"PRAGMA max_page_count={cache.db.execute('PRAGMA page_count').fetchone()[0]}")
    with pytest.raises(TranslateError, match="free some space") as caught:
        cache.put_many([(f"源{i}", "t" * 4000) for i in range(50)])
    assert "\n" not in str(caught.value) and "cache.sqlite" in str(caught.value)


@pytest.mark.parametrize("kind", ["random", "truncated", "text"])
def test_a_corrupt_tm_is_refused_in_one_line_and_never_overwritten(tmp_path, rule_engine, kind):
    tm = tmp_path / "tm.sqlite"
    if kind == "truncated":
        make_tm(tm, [(f"句子{i}。" * 40, "x" * 800) for i in range(300)])
        tm.write_bytes(tm.read_bytes()[: tm.stat().st_size // 2])
    else:
        tm.write_bytes(os.urandom(5000) if kind == "random" else b"source,target\n")
    before = tm.read_bytes()
    result = CliRunner().invoke(cli, ["run", str(article(tmp_path)), "-o", str(tmp_path / "out"), "--tm", str(tm),
                                      "--model", "/nonexistent"])
    assert_one_line_exit_2(result, str(tm))
    assert tm.read_bytes() == before


@pytest.mark.parametrize("target", ["folder", "text"])
def test_tm_options_pointing_at_a_folder_or_a_text_file_are_one_line(tmp_path, target):
    path = tmp_path / "thing"
    path.mkdir() if target == "folder" else path.write_text("hello\n")
    for args in (["tm", "export", "--tm", str(path)], ["tm", "import", str(path), "--tm", str(path)]):
        assert_one_line_exit_2(CliRunner().invoke(cli, args), str(path))


def test_tm_export_of_a_missing_memory_creates_nothing(tmp_path):
    missing = tmp_path / "typo" / "dir" / "x.sqlte"
    result = CliRunner().invoke(cli, ["tm", "export", "--tm", str(missing)])
    assert_one_line_exit_2(result, "no such translation memory")
    assert not (tmp_path / "typo").exists()


def test_tm_export_only_reads_the_memory(tmp_path):
    """Opened read-only (a mount that refuses writes works): the file is unchanged, and the connection
    itself refuses a write."""
    tm = tmp_path / "tm.sqlite"
    make_tm(tm)
    os.chmod(tm, 0o444)
    before = (tm.read_bytes(), tm.stat().st_mtime_ns)
    result = CliRunner().invoke(cli, ["tm", "export", "--tm", str(tm)])
    assert result.exit_code == 0 and "Company users reached one million." in result.output
    assert (tm.read_bytes(), tm.stat().st_mtime_ns) == before
    connection = connect(tm, read_only=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        connection.execute("DELETE FROM tm")
    connection.close()


def test_a_store_that_cannot_be_created_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = CliRunner().invoke(cli, ["tm", "import", str(blocker), "--tm", str(blocker / "tm.sqlite")])
    assert_one_line_exit_2(result)


def test_review_import_into_a_folder_that_cannot_be_written_is_one_line(tmp_path, rule_engine):
    """As on a read-only mount: the output folder cannot be made (here a file stands in its way)."""
    options = RunOptions(out_dir=str(tmp_path / "out"), quiet=True, formats=("docx",), use_cache=False)
    run_file(str(article(tmp_path)), options, load_engine=lambda: rule_engine())
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    result = CliRunner().invoke(cli, ["review", "import", str(tmp_path / "out" / "news.bilingual.docx"),
                                      "-o", str(blocker / "review")])
    assert_one_line_exit_2(result, str(blocker))
