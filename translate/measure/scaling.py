"""`translate bench --scaling`: time and peak memory of the stages around the model on huge inputs.

Two measures, each in its own process so that its peak RSS is its own:
- one single paragraph of N MB (the model replaced by a stand-in engine that keeps placeholders),
- a DOCX of N short blocks, all outputs written (bilingual DOCX with one comment per block),
- a Markdown paragraph of link fragments (the markup patterns must not backtrack),
- a glossary import and lint of 20,000 rows.
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


def measure_link_fragments(folder: str, megabytes: float) -> dict:
    """One Markdown paragraph of `megabytes` MB of link fragments (`中文](x`), the shape that made the
    markup patterns backtrack: seconds per MB should match plain text of the same size."""
    path = Path(folder) / "fragments.md"
    piece = "中文](x"
    repeat = int(megabytes * 2**20) // len(piece.encode("utf-8"))
    path.write_text("# 标题\n\n" + piece * repeat + "\n", encoding="utf-8")
    row = _timed_run(str(path), folder, formats=("md", "json"))
    row["seconds_per_mb"] = round(row["seconds"] / max(row["input_mb"], 1e-9), 2)
    return row


def measure_glossary(folder: str, rows: int) -> dict:
    """`glossary import` of `rows` new rows into an empty glossary, then `glossary lint` of the result:
    seconds per 10,000 rows (both were quadratic: 20,000 rows took 299 s and 39 s)."""
    import random

    from ..glossary.lint import lint
    from ..glossary.tbx import import_file

    rng = random.Random(23)
    characters = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    sources: set[str] = set()
    while len(sources) < rows:
        sources.add("".join(rng.choice(characters) for _ in range(rng.randint(2, 6))))
    source, into = Path(folder) / "terms.csv", Path(folder) / "glossary.csv"
    source.write_text("source,target\n" + "".join(f"{s},term {i}\n" for i, s in enumerate(sorted(sources))),
                      encoding="utf-8")
    started = time.perf_counter()
    added = import_file(str(source), str(into))["added"]
    imported = time.perf_counter() - started
    started = time.perf_counter()
    problems = len(lint(str(into)))
    linted = time.perf_counter() - started
    per = 10_000 / rows
    return {"rows": rows, "added": added, "import_seconds": round(imported, 2), "lint_seconds": round(linted, 2),
            "lint_problems": problems, "import_seconds_per_10k": round(imported * per, 2),
            "lint_seconds_per_10k": round(linted * per, 2)}


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
            # 3 decimals: a small input warmed by earlier runs takes under 0.05 s, which 1 decimal makes 0
            "segments": summary.get("segments"), "seconds": round(seconds, 3),
            "stage_seconds": summary.get("stage_seconds", {}),
            "write_seconds": round(summary.get("stage_seconds", {}).get("write", 0.0), 3),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def run_scaling_huge(paragraph_mb: float = 5.0, docx_blocks: int = 20000, fragments_mb: float = 1.0,
                     glossary_rows: int = 20000) -> dict:
    """Each measure in a fresh process."""
    import tempfile

    rows = {}
    for name, size in (("paragraph", paragraph_mb), ("docx", docx_blocks), ("link_fragments", fragments_mb),
                       ("glossary", glossary_rows)):
        with tempfile.TemporaryDirectory() as folder:
            code = (f"import json, sys; from translate.measure.scaling import measure_{name}; "
                    f"print(json.dumps(measure_{name}(sys.argv[1], {size!r})))")
            done = subprocess.run([sys.executable, "-c", code, folder], capture_output=True, text=True)
            if done.returncode != 0:
                rows[name] = {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
            else:
                rows[name] = json.loads(done.stdout.strip().splitlines()[-1])
    return {"huge_paragraph": rows["paragraph"], "many_blocks_docx": rows["docx"],
            "markdown_link_fragments": rows["link_fragments"], "glossary_import_and_lint": rows["glossary"],
            "targets": {"paragraph_seconds": 60, "paragraph_rss_mb": 1536, "docx_seconds": 60,
                        "glossary_seconds_per_10k": 10}}
