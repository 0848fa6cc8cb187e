"""The editorial loop through LibreOffice: run -> re-saved by LibreOffice -> edited -> review import -> run --tm.

LibreOffice drops the run data embedded in the DOCX but keeps the bookmarks that carry the block ids
and our QA comments; these tests prove the import still maps every row. They need `soffice`
(Debian package libreoffice-writer-nogui) and are skipped only where it is missing.
"""

import json
import shutil
import subprocess

import docx
import pytest
from test_review import STEM, track_replace

from translate.errors import RunFailed
from translate.formats.docx.oxml import hidden_ids
from translate.memory.tm import TranslationMemory
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file
from translate.review.apply import import_review

FAILING = "横空出世"  # the engine loops on the two blocks that contain it: repetition errors


@pytest.fixture(scope="session")
def resaved(tmp_path_factory, article_path):
    """Both layouts written by a run, then re-saved by LibreOffice in one (slow) conversion."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    from engines import RuleEngine

    base = tmp_path_factory.mktemp("libreoffice")
    originals = []
    for layout in ("table", "interleaved"):
        with pytest.raises(RunFailed):
            run_file(str(article_path), RunOptions(out_dir=str(base / layout), quiet=True, layout=layout),
                     load_engine=lambda: RuleEngine(loop_on=FAILING))
        originals.append(shutil.copy(base / layout / f"{STEM}.bilingual.docx", base / f"{layout}.docx"))
    subprocess.run([soffice, f"-env:UserInstallation=file://{base}/profile", "--headless", "--convert-to", "docx",
                    "--outdir", str(base / "resaved"), *map(str, originals)],
                   check=True, capture_output=True, timeout=300)
    return base


def _workspace(resaved, layout, tmp_path):
    """The run's output folder (with STEM.json) and the re-saved DOCX as the editor received it."""
    out = shutil.copytree(resaved / layout, tmp_path / "out")
    document = docx.Document(str(resaved / "resaved" / f"{layout}.docx"))
    blocks = json.loads((out / f"{STEM}.json").read_text(encoding="utf-8"))["blocks"]
    return out, document, blocks


def _save_as_editor(document, tmp_path):
    folder = tmp_path / "downloads"  # not the run's folder: the run data is found through -o
    folder.mkdir()
    path = folder / f"{STEM}.bilingual.docx"
    document.save(str(path))
    return str(path)


def _rerun_with_tm(article_path, out):
    from engines import RuleEngine

    engine = RuleEngine()
    # Without the segment cache, which holds the looping outputs of the first run.
    result = run_file(str(article_path), RunOptions(out_dir=str(out), quiet=True, force=True, use_cache=False,
                                                    tm_path=str(out / "tm.sqlite")), load_engine=lambda: engine)
    return result.document.blocks, engine


def test_libreoffice_table_round_trip_reuses_both_edits(resaved, article_path, tmp_path):
    out, document, blocks = _workspace(resaved, "table", tmp_path)
    rows = document.tables[0].rows
    assert len(rows) == len(blocks)
    rows[2].cells[1].paragraphs[0].text = "Overnight, DeepSeek stole the limelight from China's big models."
    track_replace(rows[5].cells[1], "The market is debating whether DeepSeek has beaten OpenAI.")
    report = import_review(_save_as_editor(document, tmp_path), str(out), force=True)

    assert report["run_data"] == str(out / f"{STEM}.json")  # LibreOffice dropped the embedded copy
    assert report["changed"] == 2 and len(report["blocks"]) == len(blocks) and report["conflicts"] == []
    failed = [b["id"] for b in blocks if any(f["severity"] == "error" for f in b["flags"])]
    assert report["unreviewed_failures"] == failed and len(failed) == 2
    assert report["stored"] == len(blocks) - 2

    again, engine = _rerun_with_tm(article_path, out)
    assert again[2].translation == "Overnight, DeepSeek stole the limelight from China's big models."
    assert again[5].translation == "The market is debating whether DeepSeek has beaten OpenAI."
    retranslated = [b.id for b in again if b.origin != "tm"]
    assert retranslated == failed  # the unreviewed failures were not approved: translated afresh


def test_libreoffice_interleaved_round_trip_keeps_a_split_edit(resaved, article_path, tmp_path):
    out, document, blocks = _workspace(resaved, "interleaved", tmp_path)
    paragraphs = document.paragraphs
    sources = [i for i, p in enumerate(paragraphs) if hidden_ids(p._p)]
    assert len(sources) == len(blocks)
    paragraphs[sources[2] + 1].text = "Overnight, DeepSeek took the limelight."
    paragraphs[sources[3]].insert_paragraph_before("It stole it from almost every Chinese model.")
    paragraphs[sources[4] + 1].insert_paragraph_before("")  # Enter pressed above a translation
    paragraphs[sources[4] + 1].text = "Over the past year, Kimi broke out among consumers."
    report = import_review(_save_as_editor(document, tmp_path), str(out), force=True)

    assert report["changed"] == 2 and len(report["blocks"]) == len(blocks) and report["conflicts"] == []
    again, engine = _rerun_with_tm(article_path, out)
    assert again[2].translation == "Overnight, DeepSeek took the limelight.\n\nIt stole it from almost every Chinese model."
    assert again[4].translation == "Over the past year, Kimi broke out among consumers."
    assert again[3].translation == blocks[3]["translation"] and again[3].origin == "tm"


def test_libreoffice_file_alone_still_imports_and_keeps_failures_out(resaved, tmp_path):
    """No embedded data, no STEM.json anywhere: blocks come from the DOCX, flags from the QA comments."""
    document = docx.Document(str(resaved / "resaved" / "table.docx"))
    blocks = json.loads((resaved / "table" / f"{STEM}.json").read_text(encoding="utf-8"))["blocks"]
    track_replace(document.tables[0].rows[7].cells[1], "An edit with track changes on.")
    report = import_review(_save_as_editor(document, tmp_path), str(tmp_path / "publish"))

    assert report["run_data"] == "the DOCX itself" and any("no run data found" in w for w in report["warnings"])
    assert [r["id"] for r in report["blocks"]] == [b["id"] for b in blocks]
    assert [r["id"] for r in report["blocks"] if r["changed"]] == [blocks[7]["id"]]
    failed = [b["id"] for b in blocks if any(f["severity"] == "error" for f in b["flags"])]
    assert report["unreviewed_failures"] == failed
    tm = TranslationMemory(tmp_path / "publish" / "tm.sqlite")
    assert tm.lookup(blocks[7]["repaired"]) == "An edit with track changes on."
    assert all(tm.lookup(b["repaired"]) is None for b in blocks if b["id"] in failed)
