"""Corpus runs: folders of articles in, outputs mirrored under OUT, one summary for the whole corpus.

Articles are found recursively (.txt, .md, .docx) and run a window at a time (corpus_window.py):
read and prepare the window's articles, translate all their segments together (shared token-budget
batches for the NMT engines, shared concurrency for the LLM engine), then write each article. A bad
article is reported in OUT/corpus-summary.json and never stops the others; an article the journal
says is done with the same input and settings is skipped, so a re-run translates nothing.
With `ray` set, windows go to Ray actors that each hold one loaded engine (ray_runner.py).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import InputError
from .corpus_window import Article, CorpusRun, windows
from .options import RunOptions
from .outputs import safe_stem

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".docx")
SUMMARY_NAME = "corpus-summary.json"
WINDOW_ARTICLES = 64  # articles prepared, translated together and written per window (fewer past WINDOW_BYTES)
# per-article status -> counted as a failure (exit status 1)
STATUSES = {"translated": False, "skipped": False, "failed-blocks": True, "error": True}


@dataclass
class CorpusResult:
    summary: dict
    summary_path: Path
    articles: list[dict] = field(default_factory=list)  # one status record per article, in input order

    @property
    def failed(self) -> list[dict]:
        return [a for a in self.articles if STATUSES[a["status"]]]


def _regular_or_missing(path: Path) -> bool:
    return path.is_file() or not path.exists()


def _output_suffixes() -> tuple[str, ...]:
    from ..formats import FORMATS

    return tuple(f.suffix for files in FORMATS.values() for f in files if f.suffix.endswith(ARTICLE_SUFFIXES))


def find_articles(inputs: list[str], out_dir: str) -> list[Article]:
    """The articles named by `inputs` (files, or folders searched recursively), in a stable order.

    Hidden files and folders, and the output folder itself when it lies inside an input folder,
    are left out. A missing input, or a folder without articles, is a bad argument (InputError).
    """
    if not inputs:
        raise InputError("no articles given; name article files or folders", "translate_corpus")
    out = Path(out_dir).resolve()
    articles: list[Article] = []
    for given in inputs:
        path = Path(given)
        if given == "-" or path.is_file():
            articles.append(Article(given))
            continue
        if not path.is_dir():
            raise InputError("no such file or folder; check the path", given)
        found = []
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and Path(root, d).resolve() != out)
            relative = Path(root).relative_to(path)
            folder = "/".join(safe_stem(part, "folder") for part in relative.parts)
            here = Path(root).resolve()
            ours = _output_suffixes() if here == out or out in here.parents else ()  # outputs mirror into -o
            # no FIFO or device (it would block the run or never end); a broken link is still reported
            found += [Article(str(Path(root, name)), folder) for name in sorted(files)
                      if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES
                      and not name.lower().endswith(ours) and _regular_or_missing(Path(root, name))]
        if not found:
            raise InputError(f"is a folder with no articles ({', '.join(ARTICLE_SUFFIXES)}); give a folder of articles "
                             "or an article file", given)
        articles += found
    return _once(articles)


def _once(articles: list[Article]) -> list[Article]:
    """Each file once (an input named twice, or a folder and a file in it): the first mention runs."""
    seen: set[str] = set()
    kept = []
    for article in articles:
        try:
            key = "-" if article.path == "-" else str(Path(article.path).resolve())
        except (OSError, RuntimeError):
            key = article.path
        if key not in seen:
            seen.add(key)
            kept.append(article)
    return kept


def run_corpus(inputs: list[str], options: RunOptions, *, load_engine: Callable | None = None,
               ray: str | None = None, workers: int = 0, window: int = WINDOW_ARTICLES) -> CorpusResult:
    """Translate every article under `inputs` into `options.out_dir`, mirroring folders; write
    OUT/corpus-summary.json. Bad arguments raise InputError; a bad article is only reported."""
    from .outputs import check_writable

    found = find_articles(list(inputs), options.out_dir)
    check_writable(options.out_dir)
    started = time.perf_counter()
    clashes = _clashes(found)
    articles = [a for a in found if a.path not in clashes]
    with _progress(len(found), options.quiet) as progress:
        _advance(progress, list(clashes.values()))
        if ray:
            from .ray_runner import run_on_ray

            statuses, stats = run_on_ray(articles, options, ray, workers, window, progress)
        else:
            run = CorpusRun(options, load_engine)
            try:
                statuses = []
                for chunk in windows(articles, window):
                    done = run.run_window(chunk)
                    statuses += done
                    _advance(progress, done)
                stats = run.stats()
            finally:
                run.close()
    order = {a.path: i for i, a in enumerate(found)}
    statuses = sorted(statuses + list(clashes.values()), key=lambda s: order[s["input"]])
    return _finish(statuses, stats, options, time.perf_counter() - started, ray)


def _clashes(articles: list[Article]) -> dict[str, dict]:
    """Articles that would write the same outputs as an earlier one (a.txt and a.md in one folder): their
    error records, by path. The earlier article runs."""
    from ..readers import input_stem

    # the run's own summary, OUT/corpus-summary.json, is taken: an article of that name at the top would lose its JSON
    seen: dict[tuple[str, str], str] = {("", Path(SUMMARY_NAME).stem): "the corpus summary (corpus-summary.json)"}
    clashes = {}
    for article in articles:
        key = (article.folder.casefold(), safe_stem(input_stem(article.path)).casefold())
        if key in seen:
            clashes[article.path] = {"input": article.path, "folder": article.folder, "status": "error", "outputs": [],
                                     "error": f"would write the same output files as {seen[key]}; rename one"}
        else:
            seen[key] = article.path
    return clashes


def _finish(statuses: list[dict], stats: dict, options: RunOptions, seconds: float, ray: str | None) -> CorpusResult:
    import json

    from .atomic import write_text

    counts = {status: sum(1 for s in statuses if s["status"] == status) for status in STATUSES}
    summary = {
        "articles": len(statuses), **counts,
        "blocks": sum(s.get("blocks", 0) for s in statuses),
        **stats,
        "seconds": round(seconds, 3),
        "articles_per_second": round(len(statuses) / seconds, 2) if seconds else None,
        "ray": ray or None,
        "results": statuses,
    }
    path = Path(options.out_dir) / SUMMARY_NAME
    write_text(path, json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    return CorpusResult(summary, path, statuses)


class _progress:
    """One bar on stderr counting articles, with the blocks done beside it (None when quiet)."""

    def __init__(self, total: int, quiet: bool):
        self.total, self.quiet, self.bar = total, quiet, None

    def __enter__(self):
        if not self.quiet:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, unit="article", desc="corpus", file=sys.stderr, leave=False,
                            mininterval=0.2)
            self.bar.blocks = 0
        return self.bar

    def __exit__(self, *_):
        if self.bar is not None:
            self.bar.close()


def _advance(bar, statuses: list[dict]) -> None:
    if bar is None:
        return
    bar.blocks += sum(s.get("blocks", 0) for s in statuses)
    bar.set_postfix(blocks=bar.blocks, refresh=False)
    bar.update(len(statuses))


def translate_corpus(paths, out_dir: str = "out", options: RunOptions | None = None, *,
                     load_engine: Callable | None = None, ray: str | None = None, workers: int = 0,
                     **settings) -> CorpusResult:
    """Translate a corpus (article files and folders, searched recursively) into `out_dir`; the public
    entry point beside translate_file.

    Outputs mirror the input folders under `out_dir`; articles already done (same input, same
    settings) are skipped. `settings` are RunOptions or engine settings, as for translate_file.
    `ray` = "local", "auto" or "ray://host:port" spreads the articles over a Ray cluster (`workers`
    actors, each with one loaded engine). Returns a CorpusResult (summary, one record per article);
    raises InputError for a missing input or a folder without articles.
    """
    from .run import options_with

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    options = options_with(options, dict(settings, out_dir=str(out_dir)), "translate_corpus")
    return run_corpus([str(p) for p in paths], options, load_engine=load_engine, ray=ray, workers=workers)
