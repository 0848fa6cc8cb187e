"""`translate bench --scaling`: time and peak memory of the stages around the model on huge inputs.

Two measures, each in its own process so that its peak RSS is its own:
- one single paragraph of N MB (the model replaced by a stand-in engine that keeps placeholders),
- a DOCX of N short blocks, all outputs written (bilingual DOCX with one comment per block).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

_KEEP = re.compile(r"ZX\d+|[A-Za-z0-9][A-Za-z0-9.%\-]*")


class StandInEngine:
    """Instant 'translation': placeholders, numbers and Latin words kept, one word per two Han characters."""

    name = "stand-in"
    max_input_tokens = 512

    def describe(self) -> dict:
        return {"engine": self.name}

    def translate(self, texts, **_):
        return [" ".join(_KEEP.findall(t) + ["word"] * max(1, len(t) // 2)) for t in texts]


def _article_sentences() -> list[str]:
    from .bench import example_article

    return [line.strip() for line in example_article().read_text(encoding="utf-8").splitlines() if len(line) > 20]


def measure_paragraph(folder: str, megabytes: float) -> dict:
    """One paragraph of `megabytes` MB of article text, no line breaks, through `run_file`."""
    sentences = _article_sentences()
    parts, size, i = [], 0, 0
    target = int(megabytes * 2**20)
    while size < target:
        sentence = f"{sentences[i % len(sentences)]}({i})"  # numbered: no two segments repeat
        parts.append(sentence)
        size += len(sentence.encode("utf-8"))
        i += 1
    path = Path(folder) / "paragraph.txt"
    path.write_text("长段落\n" + "".join(parts) + "\n", encoding="utf-8")
    return _timed_run(str(path), folder)


def measure_docx(folder: str, blocks: int) -> dict:
    """A DOCX of `blocks` short paragraphs through `run_file`, all outputs written."""
    import docx

    sentences = _article_sentences()
    document = docx.Document()
    for i in range(blocks):
        document.add_paragraph(f"{sentences[i % len(sentences)][:60]}({i})")
    path = Path(folder) / "blocks.docx"
    document.save(str(path))
    return _timed_run(str(path), folder)


def _timed_run(path: str, folder: str, formats: tuple[str, ...] | None = None) -> dict:
    """One run_file with every output format (or `formats`): seconds, writing seconds (the run's own
    stage timing), peak RSS."""
    import resource

    from ..formats import FORMATS
    from ..pipeline.options import RunOptions
    from ..pipeline.run import run_file

    started = time.perf_counter()
    options = RunOptions(out_dir=str(Path(folder) / "out"), formats=formats or tuple(FORMATS), quiet=True,
                         force=True, use_cache=False)
    try:
        summary = run_file(path, options, load_engine=StandInEngine).summary
    except Exception as exc:  # noqa: BLE001 - RunFailed still wrote outputs; anything else is reported
        summary = getattr(getattr(exc, "result", None), "summary", None) or {"error": str(exc)}
    seconds = time.perf_counter() - started
    return {"input_mb": round(Path(path).stat().st_size / 2**20, 2), "blocks": summary.get("blocks"),
            **({"error": summary["error"]} if "error" in summary else {}),
            "segments": summary.get("segments"), "seconds": round(seconds, 1),
            "stage_seconds": summary.get("stage_seconds", {}),
            "write_seconds": round(summary.get("stage_seconds", {}).get("write", 0.0), 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def run_scaling_huge(paragraph_mb: float = 5.0, docx_blocks: int = 20000) -> dict:
    """Both measures, each in a fresh process."""
    import tempfile

    rows = {}
    for name, size in (("paragraph", paragraph_mb), ("docx", docx_blocks)):
        with tempfile.TemporaryDirectory() as folder:
            code = (f"import json, sys; from translate.measure.scaling import measure_{name}; "
                    f"print(json.dumps(measure_{name}(sys.argv[1], {size!r})))")
            done = subprocess.run([sys.executable, "-c", code, folder], capture_output=True, text=True)
            if done.returncode != 0:
                rows[name] = {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
            else:
                rows[name] = json.loads(done.stdout.strip().splitlines()[-1])
    return {"huge_paragraph": rows["paragraph"], "many_blocks_docx": rows["docx"],
            "targets": {"paragraph_seconds": 60, "paragraph_rss_mb": 1536, "docx_seconds": 60}}
