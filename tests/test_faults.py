"""Model faults, interruptions and resumption."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from translate.errors import RunFailed
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file

STEM = "why-bat-did-not-build-deepseek.zh"


def options(tmp_path, **kw):
    return RunOptions(out_dir=str(tmp_path / "out"), formats=("json", "md", "docx"), quiet=True, force=True, **kw)


@pytest.mark.parametrize("fault, code", [("fail_on", "engine-error"), ("empty_on", "empty"), ("loop_on", "repetition")])
def test_one_bad_segment_is_flagged_and_the_rest_completes(tmp_path, article_path, rule_engine, fault, code):
    engine = rule_engine(**{fault: "横空出世"})
    with pytest.raises(RunFailed) as failed:
        run_file(str(article_path), options(tmp_path), load_engine=lambda: engine)
    assert failed.value.exit_code == 1 and "2 block(s) failed" in str(failed.value)
    data = json.loads((tmp_path / "out" / f"{STEM}.json").read_text(encoding="utf-8"))
    bad = [b for b in data["blocks"] if any(f["code"] == code for f in b["flags"])]
    assert len(bad) == 2 and all("横空出世" in b["repaired"] for b in bad)
    good = [b for b in data["blocks"] if b not in bad]
    assert all(b["translation"] for b in good) and len(good) == 39
    assert data["summary"]["failed_blocks"] == [b["id"] for b in bad]


def test_interrupted_run_leaves_no_output_and_resumes_from_the_cache(tmp_path, article_path, rule_engine):
    first = rule_engine(interrupt_after=40)
    with pytest.raises(KeyboardInterrupt):
        run_file(str(article_path), options(tmp_path), load_engine=lambda: first)
    assert not [p for p in (tmp_path / "out").iterdir() if p.suffix in (".json", ".md", ".docx", ".part")]
    second = rule_engine()
    result = run_file(str(article_path), options(tmp_path), load_engine=lambda: second)
    assert result.summary["cached_segments"] == 32  # the first chunk finished before the interruption
    assert sum(len(call) for call in second.calls) == result.summary["segments"] - 32


def test_kill_9_mid_run_loses_nothing_and_resumes(tmp_path, article_path):
    out = tmp_path / "out"
    script = f"""
import sys, time
sys.path.insert(0, {str(os.path.dirname(__file__))!r})
from engines import RuleEngine
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file
class Slow(RuleEngine):
    def translate(self, texts, **kw):
        time.sleep(1.0 if self.calls else 0.0)
        return super().translate(texts)
run_file({str(article_path)!r}, RunOptions(out_dir={str(out)!r}, quiet=True), load_engine=lambda: Slow())
"""
    process = subprocess.Popen([sys.executable, "-c", script])
    cache = out / ".segment-cache.sqlite"
    deadline = time.time() + 60
    rows = 0
    while time.time() < deadline and not rows:
        time.sleep(0.05)
        if cache.exists():
            try:
                rows = sqlite3.connect(str(cache)).execute("SELECT count(*) FROM segments").fetchone()[0]
            except sqlite3.OperationalError:
                rows = 0
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert rows > 0
    assert not [p for p in out.iterdir() if p.suffix in (".json", ".md", ".docx")]
    from engines import RuleEngine

    engine = RuleEngine()
    result = run_file(str(article_path), RunOptions(out_dir=str(out), quiet=True), load_engine=lambda: engine)
    assert result.summary["cached_segments"] >= rows
    assert len(result.document.blocks) == 41


def test_an_interrupted_command_says_what_it_left(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import translate.repair as repair
    from translate.cli import cli

    article = tmp_path / "a.txt"
    article.write_text("东谈主们作念事。\n", encoding="utf-8")

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(repair, "clean_lines", stopped)
    result = CliRunner().invoke(cli, ["clean", str(article), "--repair-model", "off"])
    assert result.exit_code == 130 and "no output was half-written" in result.output
    assert "cached" not in result.output
