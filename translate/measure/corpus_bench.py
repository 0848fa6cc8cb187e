"""`translate bench --corpus`: N short articles as a folder (two levels) against one file holding the same
text, with the random-weight opus-mt-zh-en-shaped model (CTranslate2, greedy, outputs capped so that random
weights finish). Each run is its own process with its own output folder: seconds, articles per second and
peak RSS; and the same folder through `--ray local` beside it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PARAGRAPHS_PER_ARTICLE = 3  # a headline and two paragraphs: the short pieces a desk publishes all day
TARGET_RATIO = 1.5  # the folder may take at most this many times the single file
ONE_BY_ONE_UP_TO = 20  # the article-by-article run (the old way), timed for the small sizes only


def write_corpus(folder: Path, articles: int) -> tuple[Path, Path]:
    """`articles` short articles under folder/corpus/deskD/monthM/, and folder/single.txt with the same
    paragraphs in the same order. Paragraphs are numbered so that none repeats (a repeat would come
    from the cache)."""
    from .bench import example_article

    lines = [line for line in example_article().read_text(encoding="utf-8").splitlines() if line.strip()]
    corpus, everything = folder / "corpus", []
    for number in range(articles):
        paragraphs = [f"{lines[(number * PARAGRAPHS_PER_ARTICLE + k) % len(lines)]}({number}.{k})"
                      for k in range(PARAGRAPHS_PER_ARTICLE)]
        path = corpus / f"desk{number % 4}" / f"month{number % 3}" / f"article{number:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
        everything += paragraphs
    single = folder / "single.txt"
    single.write_text("\n".join(everything) + "\n", encoding="utf-8")
    return corpus, single


def timed(inputs: str, out: str, model: str, max_output_tokens: str, how: str = "") -> None:
    """One run in this process: a file; a folder as a corpus (how "" or "local" for Ray); or a folder's
    articles one by one (how "one-by-one"). Prints seconds and peak RSS as JSON."""
    import resource

    from ..engines.base import EngineSettings
    from ..errors import RunFailed
    from ..pipeline.corpus import run_corpus
    from ..pipeline.options import RunOptions
    from ..pipeline.run import run_file

    start = time.perf_counter()
    options = RunOptions(out_dir=out, quiet=True, force=True,
                         engine=EngineSettings(model=model, beams=1, max_output_tokens=int(max_output_tokens)))
    if how == "one-by-one":  # each article its own run, as `translate run` did before corpus runs
        summary = {"blocks": 0}
        for path in sorted(Path(inputs).rglob("*.txt")):
            try:
                summary["blocks"] += run_file(str(path), options).summary["blocks"]
            except RunFailed as failure:
                summary["blocks"] += failure.result.summary["blocks"]
    elif Path(inputs).is_dir():
        summary = run_corpus([inputs], options, ray=how or None, workers=2 if how else 0).summary
        summary.pop("results")
    else:
        try:
            summary = run_file(inputs, options).summary
        except RunFailed as failure:  # random weights loop on some sentences: flagged, written all the same
            summary = failure.result.summary
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": time.perf_counter() - start, "peak_rss_mb": round(peak, 1),
                      "blocks": summary["blocks"]}))


def _run(inputs: Path, out: Path, model: str, max_output_tokens: int, how: str = "") -> dict:
    code = "import sys; from translate.measure.corpus_bench import timed; timed(*sys.argv[1:])"
    done = subprocess.run([sys.executable, "-c", code, str(inputs), str(out), model, str(max_output_tokens), how],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"corpus bench run failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_corpus_bench(sizes=(20, 200, 2000), max_output_tokens: int = 16, ray: bool = True,
                     quiet: bool = False, model: str | None = None) -> dict:
    """For each size: the single file, the folder, and (where Ray is installed) the folder on `--ray local`
    with two workers. `within_target` is folder seconds <= 1.5 x single-file seconds."""
    import importlib.util

    model = model or subprocess.run([sys.executable, "-c", "from translate.measure.bench import random_model_dir; "
                            "print(random_model_dir())"], check=True, capture_output=True, text=True).stdout.strip()
    # Convert once, up front and in its own process: a conversion must not count in a run's time, and a
    # child's peak RSS starts from its parent's (Linux keeps ru_maxrss across fork and exec).
    subprocess.run([sys.executable, "-c", "import sys; from translate.engines.models import convert; "
                    "convert(sys.argv[1])", model], check=True)
    with_ray = ray and importlib.util.find_spec("ray") is not None
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            corpus, single = write_corpus(Path(folder), size)
            if not quiet:
                print(f"bench corpus: {size} articles ...", file=sys.stderr, flush=True)
            one = _run(single, Path(folder, "out-single"), model, max_output_tokens)
            many = _run(corpus, Path(folder, "out-folder"), model, max_output_tokens)
            row = {"articles": size, "paragraphs": size * PARAGRAPHS_PER_ARTICLE,
                   "single_file_seconds": round(one["seconds"], 2), "folder_seconds": round(many["seconds"], 2),
                   "ratio": round(many["seconds"] / one["seconds"], 2),
                   "articles_per_second": round(size / many["seconds"], 2),
                   "single_file_peak_rss_mb": one["peak_rss_mb"], "folder_peak_rss_mb": many["peak_rss_mb"]}
            row["within_target"] = row["ratio"] <= TARGET_RATIO
            if size <= ONE_BY_ONE_UP_TO:
                alone = _run(corpus, Path(folder, "out-alone"), model, max_output_tokens, "one-by-one")
                row["one_by_one_seconds"] = round(alone["seconds"], 2)
            if with_ray:
                on_ray = _run(corpus, Path(folder, "out-ray"), model, max_output_tokens, "local")
                row.update(ray_local_seconds=round(on_ray["seconds"], 2),
                           ray_local_articles_per_second=round(size / on_ray["seconds"], 2),
                           ray_driver_peak_rss_mb=on_ray["peak_rss_mb"])
            rows.append(row)
    return {"corpus": rows, "paragraphs_per_article": PARAGRAPHS_PER_ARTICLE, "max_output_tokens": max_output_tokens,
            "target_ratio": TARGET_RATIO, "ray_workers": 2 if with_ray else 0,
            "ray": "local cluster, 2 workers" if with_ray else "not installed (pip install -e '.[ray]')"}
