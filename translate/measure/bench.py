"""`translate bench`: output tokens/s, seconds per article and peak RSS for each engine setting.

Each setting runs in its own process so that its peak RSS is its own. With random weights
every engine is forced to the same output length per paragraph, so the comparison is fair.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..engines.base import EngineSettings
from ..errors import InputError

OUTPUT_TOKENS_PER_SOURCE_TOKEN = 1.1  # forced output length, relative to the source


@dataclass(frozen=True)
class BenchSetting:
    name: str
    engine: str
    batching: str  # "none" (one paragraph per call) | "tokens" (token-budget batches)
    beams: int
    dtype: str = "auto"  # transformers weights
    quantization: str = ""  # CTranslate2 weights: the model is converted to them up front ("" = not converted)

    def describe(self) -> str:
        return f"{self.engine}, batching={self.batching}, beams={self.beams}, {self.quantization or self.dtype}"


SETTINGS = [
    BenchSetting("naive", "transformers", "none", 4, dtype="float32"),
    BenchSetting("hf-batched-beam4", "transformers", "tokens", 4),
    BenchSetting("hf-batched-int8", "transformers", "tokens", 4, dtype="int8"),
    BenchSetting("ct2-beam4", "ctranslate2", "tokens", 4, quantization="int8"),
    BenchSetting("ct2-greedy", "ctranslate2", "tokens", 1, quantization="int8"),
]


def example_article() -> Path:
    """The example article, shipped as package data."""
    return Path(__file__).resolve().parent.parent / "data" / "why-bat-did-not-build-deepseek.zh.txt"


def random_model_dir() -> Path:
    """Build (once) a random-weight model with opus-mt-zh-en's exact architecture."""
    from ..engines.random_model import OPUS_MT_ZH_EN, build_marian

    base = Path(os.environ.get("TRANSLATE_CACHE", Path.home() / ".cache" / "translate"))
    folder = base / "bench" / "opus-mt-zh-en-random"
    if not (folder / "model.safetensors").exists():
        source = example_article().read_text(encoding="utf-8").splitlines()
        target = (Path(__file__).resolve().parent.parent / "data" / "bench_en.txt").read_text(encoding="utf-8").splitlines()
        build_marian(folder.with_suffix(".part"), source, target, OPUS_MT_ZH_EN)
        if folder.exists():
            import shutil

            shutil.rmtree(folder)
        folder.with_suffix(".part").rename(folder)
    return folder


def run_bench(model: str | None = None, random_weights: bool = True, article: str | None = None,
              paragraphs: int | None = None, only: list[str] | None = None, quiet: bool = False,
              forced: bool | None = None) -> dict:
    """Measure each setting. Output lengths are forced (equal across engines) for random weights."""
    model_dir = str(random_model_dir()) if random_weights or model is None else model
    forced = random_weights if forced is None else forced
    article_path = str(article or example_article())
    if article:
        from ..readers import read_document

        read_document(article_path)  # a missing or unreadable article: one line, before any setting runs
    unknown = sorted(set(only or ()) - {s.name for s in SETTINGS})
    if unknown:
        raise InputError(f"no such setting {', '.join(unknown)}; see 'translate bench --list'", "--only")
    chosen = [s for s in SETTINGS if not only or s.name in only]
    for quantization in sorted({s.quantization for s in chosen if s.quantization}):
        # Convert up front, in its own process: a conversion must not count in a setting's RSS or time.
        subprocess.run([sys.executable, "-c", "import sys; from translate.engines.models import convert; "
                        "convert(sys.argv[1], quantization=sys.argv[2])", model_dir, quantization], check=True)
    results = []
    for setting in chosen:
        if not quiet:
            print(f"bench: {setting.name} ({setting.describe()}) ...", file=sys.stderr, flush=True)
        results.append(_run_in_subprocess(setting, model_dir, article_path, paragraphs, forced))
    naive = next((r for r in results if r["name"] == "naive"), None)
    for row in results:
        row["speedup"] = round(row["out_tokens_per_s"] / naive["out_tokens_per_s"], 2) if naive else None
    return {"model": model_dir, "article": article_path, "paragraphs": results[0]["paragraphs"] if results else 0,
            "cpu_threads": len(os.sched_getaffinity(0)), "results": results}


def _run_in_subprocess(setting: BenchSetting, model: str, article: str, paragraphs: int | None, forced: bool) -> dict:
    payload = json.dumps({"setting": asdict(setting), "model": model, "article": article, "paragraphs": paragraphs,
                          "forced": forced})
    done = subprocess.run([sys.executable, "-m", "translate.measure.bench", payload], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"bench setting {setting.name} failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(setting: BenchSetting, model: str, article: str, paragraphs: int | None, forced: bool) -> dict:
    """One setting, in this process: load, warm up, translate the article's paragraphs, time it."""
    import resource

    from ..engines import load_engine
    from ..readers import read_document
    from ..repair import repair_document

    document = read_document(article)
    repair_document(document)
    texts = [b.text for b in document.blocks if b.kind.translatable][:paragraphs]
    settings = EngineSettings(model=model, engine=setting.engine, beams=setting.beams, dtype=setting.dtype,
                              quantization=setting.quantization or "int8")
    engine = load_engine(settings)
    source_tokens = _source_token_counts(engine, texts)
    lengths = [max(4, round(n * OUTPUT_TOKENS_PER_SOURCE_TOKEN)) for n in source_tokens] if forced else None
    engine.translate(texts[:1], forced_lengths=lengths[:1] if lengths else None)  # warm-up
    start = time.perf_counter()
    if setting.batching == "none":
        outputs = [engine.translate([t], forced_lengths=[lengths[i]] if lengths else None)[0] for i, t in enumerate(texts)]
    else:
        outputs = engine.translate(texts, forced_lengths=lengths)
    seconds = time.perf_counter() - start
    out_tokens = sum(lengths) if lengths else sum(_source_token_counts(engine, outputs))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"name": setting.name, "engine": setting.engine, "batching": setting.batching, "beams": setting.beams,
            "precision": engine.precision,
            "paragraphs": len(texts), "out_tokens": out_tokens, "seconds": round(seconds, 2),
            "out_tokens_per_s": round(out_tokens / seconds, 1), "peak_rss_mb": round(peak, 1)}


def _source_token_counts(engine, texts: list[str]) -> list[int]:
    if hasattr(engine, "count_tokens"):
        return engine.count_tokens(texts)
    return [len(engine.tokenize(t)) for t in texts]


if __name__ == "__main__":
    request = json.loads(sys.argv[1])
    print(json.dumps(measure(BenchSetting(**request["setting"]), request["model"], request["article"],
                             request["paragraphs"], request["forced"])))


def run_pipeline_bench(model: str | None = None, article: str | None = None, beams: int = 1) -> dict:
    """The stages around the model: their share of a run, a warm re-run, and `translate --help`."""
    import tempfile

    model_dir = model or str(random_model_dir())
    article_path = str(article or example_article())
    with tempfile.TemporaryDirectory() as out:
        code = "import sys; from translate.measure.bench import timed_run; timed_run(*sys.argv[1:])"
        first = subprocess.run([sys.executable, "-c", code, article_path, out, model_dir, str(beams)],
                               capture_output=True, text=True)
        if first.returncode != 0:
            raise RuntimeError(f"pipeline bench failed: {first.stderr.strip().splitlines()[-1:]}")
        summary = json.loads(first.stdout.strip().splitlines()[-1])
        rerun = _wall([sys.executable, "-m", "translate", "run", article_path, "-o", out, "--model", model_dir,
                       "--beams", str(beams), "--force", "--quiet"])
    help_seconds = min(_wall([sys.executable, "-m", "translate", "--help"]) for _ in range(3))
    model_seconds = summary["engine_seconds"] + summary["model_load_seconds"]
    total = summary["total_seconds"]
    return {"beams": beams, "run_seconds": round(total, 2), "model_seconds": round(model_seconds, 2),
            "non_model_share": round((total - model_seconds) / total, 4), "warm_rerun_seconds": round(rerun, 2),
            "help_seconds": round(help_seconds, 3)}


def timed_run(article: str, out: str, model: str, beams: str, max_output_tokens: str = "0") -> None:
    """One `translate run` in this process; prints its summary, total seconds and peak RSS as JSON."""
    import resource

    from ..errors import RunFailed
    from ..pipeline.options import RunOptions
    from ..pipeline.run import run_file

    start = time.perf_counter()
    settings = EngineSettings(model=model, beams=int(beams), max_output_tokens=int(max_output_tokens))
    try:
        summary = run_file(article, RunOptions(out_dir=out, quiet=True, force=True, engine=settings)).summary
    except RunFailed:  # random weights loop: blocks are flagged, outputs written all the same
        summary = json.loads(next(Path(out).glob("*.json")).read_text(encoding="utf-8"))["summary"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(dict(summary, total_seconds=time.perf_counter() - start, peak_rss_mb=round(peak, 1))))


def run_scaling_bench(sizes=(500, 1000, 2000), max_output_tokens: int = 16) -> dict:
    """`translate run` (CTranslate2, greedy) on the example article repeated to N paragraphs:
    peak RSS and seconds per paragraph, which should stay flat as N grows."""
    import tempfile

    model_dir = str(random_model_dir())
    paragraphs = [line for line in example_article().read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            article = Path(folder) / "long.txt"
            # numbered so that no paragraph repeats (repeats would come from the cache)
            article.write_text("\n".join(f"{paragraphs[i % len(paragraphs)]}({i})" for i in range(size)), encoding="utf-8")
            code = "import sys; from translate.measure.bench import timed_run; timed_run(*sys.argv[1:])"
            done = subprocess.run([sys.executable, "-c", code, str(article), f"{folder}/out", model_dir, "1",
                                   str(max_output_tokens)], capture_output=True, text=True, check=True)
            summary = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append({"paragraphs": size, "seconds": round(summary["total_seconds"], 1),
                         "seconds_per_paragraph": round(summary["total_seconds"] / size, 4),
                         "peak_rss_mb": summary["peak_rss_mb"]})
    return {"scaling": rows, "max_output_tokens": max_output_tokens}


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


def run_align_bench(paragraphs: int = 5000) -> dict:
    """Link accuracy on a 100-paragraph test pair; time and peak memory on paragraphs x paragraphs;
    the edit sweep (each edit at every position of the example article, and of the two articles of
    other domains): how often the aligner is fully right, the share of its links that are wrong, and
    the share of wrong links that carry a warning and of right links that do. Each with and without the
    CC-CEDICT dictionary score."""
    from ..align.evaluation import ARTICLES, calibration

    code = ("import json, resource, sys, time; from translate.align.aligner import Aligner, chinese_side, english_side; "
            "from translate.align.evaluation import make_test_pair, link_accuracy; n = int(sys.argv[1]); "
            "d = sys.argv[2] == 'dictionary'; "
            "s, t, g = make_test_pair(n, merges=max(3, n // 150), splits=max(2, n // 250), drops=max(1, n // 500), "
            "adds=max(1, n // 500)); start = time.perf_counter(); "
            "links = Aligner([chinese_side(x, dictionary=d) for x in s], [english_side(x) for x in t]).align(); "
            "print(json.dumps({'paragraphs': n, 'dictionary': d, 'accuracy': round(link_accuracy(links, g), 4), "
            "'seconds': round(time.perf_counter() - start, 2), "
            "'peak_rss_mb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))")
    rows = []
    for n in (100, paragraphs):
        for mode in ("no-dictionary", "dictionary"):
            done = subprocess.run([sys.executable, "-c", code, str(n), mode], capture_output=True, text=True, check=True)
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    sweeps = {}
    for mode in ("no-dictionary", "dictionary"):
        sweeps[mode] = {"example": calibration(articles=ARTICLES[:1], dictionary=mode == "dictionary"),
                        "other_domains": calibration(articles=ARTICLES[1:], dictionary=mode == "dictionary")}
    return {"align": rows, "edit_sweep": sweeps["dictionary"]["example"], "edit_sweeps": sweeps}
