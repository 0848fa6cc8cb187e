"""One corpus worker: windows of articles read and prepared, translated together, then written one by one.

The glossary, the TM, the segment cache and the engine are opened once per CorpusRun (per Ray actor),
not per article. Each article still gets everything a single-file run gives it: repair, TM reuse,
glossary enforcement, QA, invariants, the journal and atomic outputs.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..document import Document
from ..engines import engine_kind, fallback_settings
from ..errors import TranslateError
from ..formats import check_written, write_outputs
from ..glossary.matcher import TermMatcher
from ..glossary.model import load_glossaries
from ..qa.checks import ForbiddenTerms
from ..readers import read_document
from .atomic import remove_stale_temps
from .journal import Journal, folder_lock, is_completed, replaceable, signature_digest
from .options import RunOptions, signature
from .outputs import check_outputs_free, check_writable, kept_files, output_paths, safe_stem
from .run import StageClock, check_document, engine_loader, open_memory, prepare_document, summarize
from .segments import EngineRunner, copy_blocks_without_chinese, plan_jobs, translate_jobs


@dataclass
class Article:
    path: str
    folder: str = ""  # output folder relative to OUT ("" = OUT itself), mirroring the input folder


WINDOW_BYTES = 2 * 2**20  # a window closes early when its articles' files reach this size (bounded memory)


def windows(articles: list[Article], size: int):
    """Consecutive windows of at most `size` articles and (past its first article) WINDOW_BYTES of input."""
    window, total = [], 0
    for article in articles:
        try:
            length = os.stat(article.path).st_size
        except (OSError, ValueError):  # unreadable: the window's read reports it
            length = 0
        if window and (len(window) >= size or total + length > WINDOW_BYTES):
            yield window
            window, total = [], 0
        window.append(article)
        total += length
    if window:
        yield window


@dataclass
class Prepared:
    """An article read and prepared, waiting for the window's shared translate step."""

    article: Article
    document: Document
    paths: dict
    stem: str
    todo: list
    clock: StageClock
    stats: dict


class CorpusRun:
    """Runs windows of articles with one glossary, TM, cache and (lazily loaded) engine."""

    def __init__(self, options: RunOptions, load_engine: Callable | None = None):
        self.options = options
        self.glossary = load_glossaries(options.glossaries, use_default=options.default_glossary)
        for notice in [] if options.quiet else self.glossary.notices:
            print(f"notice: {notice}", file=sys.stderr)
        self.sig = signature(options, self.glossary)
        self.digest = signature_digest(self.sig)
        self.tm, self.cache = open_memory(options, self.sig)
        self.matcher = TermMatcher(self.glossary, memo=self.cache)
        self.forbidden = ForbiddenTerms(self.glossary.entries)
        settings = options.engine
        self.kind = engine_kind(settings)
        self.fallback = fallback_settings(settings) if self.kind.unit == "block" else None
        if self.kind.unit == "block":
            from ..engines.prompt import load_prompt
            from .blocks import BlockRunner

            self.block_runner = BlockRunner(lambda: engine_loader(settings), self.cache, load_prompt())
            load_fallback = load_engine or (lambda: engine_loader(self.fallback))
            self.runner = EngineRunner(load_fallback, self.cache) if self.fallback else None
        else:
            self.block_runner = None
            self.runner = EngineRunner(load_engine or (lambda: engine_loader(settings)), self.cache)
        self.clock = StageClock()
        self.writable: set[str] = set()

    def close(self) -> None:
        self.tm.close()
        if self.cache:
            self.cache.close()

    def load_engine(self) -> None:
        """Load the segment engine now (converting a transformers model to CTranslate2 once, before
        other workers look for the converted copy)."""
        if self.block_runner is None:
            self.runner.load()

    def stats(self) -> dict:
        """Engine figures of the whole run: model loads, segments translated and from the cache, seconds."""
        runners = [r for r in (self.runner, self.block_runner) if r is not None]
        return {"model_loads": sum(1 for r in runners if r.engine is not None),
                "translated_segments": sum(r.translated for r in runners),
                "cached_segments": sum(r.from_cache for r in runners),
                "model_load_seconds": round(sum(r.load_seconds for r in runners), 3),
                "engine_seconds": round(sum(r.engine_seconds for r in runners), 3),
                "stage_seconds": self.clock.report()}

    def run_window(self, articles: list[Article]) -> list[dict]:
        """Prepare, translate together and write `articles`; one status record each, in order."""
        statuses: dict[int, dict] = {}
        prepared: list[tuple[int, Prepared]] = []
        journals: dict[str, dict] = {}  # output folder -> its journal entries, read once per window
        for position, article in enumerate(articles):
            try:
                ready = self._prepare(article, journals)
            except TranslateError as bad:  # an unreadable, undecodable or oversized article
                statuses[position] = _status(article, "error", error=_message(bad))
                continue
            if isinstance(ready, dict):
                statuses[position] = ready
            else:
                prepared.append((position, ready))
        with self.clock.stage("translate"):
            self._translate([p for _, p in prepared])
        for folder, group in _by_folder(prepared).items():
            statuses.update(self._write(folder, group))
        for position, _ in prepared:
            if position not in statuses:  # not reached: _write answers for each article
                statuses[position] = _status(articles[position], "error", error="internal error: no result")
        return [statuses[i] for i in range(len(articles))]

    def _prepare(self, article: Article, journals: dict) -> Prepared | dict:
        options, clock = self.options, StageClock()
        with clock.stage("read"):
            document = read_document(article.path, to_simplified=options.to_simplified)
        folder = str(Path(options.out_dir, article.folder))
        if folder not in self.writable:
            check_writable(folder)
            self.writable.add(folder)
        paths = output_paths(document.name, folder, options.formats)
        stem = safe_stem(document.name)
        if folder not in journals:
            journals[folder] = Journal(folder).entries()
        entry = journals[folder].get(stem)
        if not options.force and is_completed(entry, document.input_sha256, self.digest, folder):
            return _status(article, "skipped", outputs=list(paths.values()), blocks=len(document.blocks))
        own = replaceable(entry, article.path, document.input_sha256, self.digest, folder)
        check_outputs_free([p for p in paths.values() if p.name not in own], options.force,
                           kept_files(options, article.path))
        todo = prepare_document(document, options, self.tm, self.cache, clock)
        return Prepared(article, document, paths, stem, todo, clock, {})

    def _translate(self, prepared: list[Prepared]) -> None:
        """All the window's segments (or blocks) through one engine runner: shared batches across articles."""
        for ready in prepared:
            ready.todo[:] = copy_blocks_without_chinese(ready.todo, self.matcher)
        if self.block_runner is not None:
            self._translate_blocks(prepared)
            return
        jobs_by_article = [plan_jobs(p.todo, self.matcher) for p in prepared]
        translate_jobs([job for jobs in jobs_by_article for job in jobs], self.runner)
        label = self.kind.label(self.options.engine, self.runner.engine)
        for ready, jobs in zip(prepared, jobs_by_article):
            for block in ready.todo:
                block.engine = label
            origins = [job.block.segments[job.index].origin for job in jobs]
            ready.stats = {"segments": len(jobs), "translated_segments": sum(1 for o in origins if o != "cache"),
                           "cached_segments": origins.count("cache")}

    def _translate_blocks(self, prepared: list[Prepared]) -> None:
        """The LLM engine: one request per block, all articles' requests in flight together."""
        from .blocks import flag_failed, plan_block_jobs, translate_blocks

        settings = self.options.engine
        label = self.kind.label(settings)
        jobs_by_article = [plan_block_jobs(p.document, p.todo, self.matcher, settings.context) for p in prepared]
        jobs = [job for article_jobs in jobs_by_article for job in article_jobs]
        failed = translate_blocks(jobs, self.block_runner, label)
        if failed and self.runner is not None:
            from ..segment import segment_block

            for block in failed:
                segment_block(block, self.options.max_chars)
            translate_jobs(plan_jobs(failed, self.matcher), self.runner)
            fallback_label = engine_kind(self.fallback).label(self.fallback)
            errors = {id(j.block): j.error for j in jobs}
            for block in failed:
                block.engine = fallback_label
                block.flag("fallback-engine", "info", f"translated by {fallback_label}, not {label}: the server "
                           f"failed ({errors[id(block)][:120]})")
        elif failed:
            flag_failed(failed, jobs)
        for ready, article_jobs in zip(prepared, jobs_by_article):
            fresh = sum(1 for j in article_jobs if j.fresh)
            ready.stats = {"segments": len(article_jobs), "translated_segments": fresh,
                           "cached_segments": len(article_jobs) - fresh}

    def _still_free(self, folder: str, checked: list, statuses: dict[int, dict]) -> list:
        """`_prepare`'s check, made again under the folder's lock: another run into the same folder may have
        written some of these articles meanwhile (done with these settings: skipped; other files now in the
        way: an error, as without --force)."""
        entries, free = Journal(folder).entries(), []
        for position, ready in checked:
            entry, document = entries.get(ready.stem), ready.document
            if not self.options.force and is_completed(entry, document.input_sha256, self.digest, folder):
                statuses[position] = _status(ready.article, "skipped", outputs=list(ready.paths.values()),
                                             blocks=len(document.blocks))
                continue
            own = replaceable(entry, ready.article.path, document.input_sha256, self.digest, folder)
            try:
                check_outputs_free([p for p in ready.paths.values() if p.name not in own], self.options.force)
            except TranslateError as bad:
                statuses[position] = _status(ready.article, "error", error=_message(bad))
                continue
            free.append((position, ready))
        return free

    def _write(self, folder: str, group: list[tuple[int, Prepared]]) -> dict[int, dict]:
        """Check and write each article of one output folder, the journal written once for the group."""
        statuses: dict[int, dict] = {}
        checked = []
        for position, ready in group:
            try:
                with ready.clock.stage("qa"):
                    check_document(ready.document, self.matcher, self.forbidden)
                summarize(ready.document, {**ready.stats, "model_load_seconds": 0.0, "engine_seconds": 0.0},
                          ready.clock)
                checked.append((position, ready))
            except TranslateError as bad:
                statuses[position] = _status(ready.article, "error", error=_message(bad))
        with folder_lock(folder, self.options.quiet):
            checked = self._still_free(folder, checked, statuses)  # another run may have written meanwhile
            remove_stale_temps([path for _, ready in checked for path in ready.paths.values()])
            journal = Journal(folder)
            journal.start_many([(r.stem, r.article.path, r.document.input_sha256, self.digest, list(r.paths.values()))
                                for _, r in checked])
            written = []
            for position, ready in checked:
                try:
                    with ready.clock.stage("write"):
                        write_outputs(ready.document, self.sig, ready.paths, self.options.write_settings,
                                      remove_stale=False)
                        check_written(ready.document, ready.paths)
                except (TranslateError, OSError) as bad:  # e.g. a full disk: the others may still fit
                    statuses[position] = _status(ready.article, "error", error=_message(bad))
                    continue
                written.append(ready.stem)
                summary = ready.document.summary
                failed = summary["failed_blocks"]
                statuses[position] = _status(
                    ready.article, "failed-blocks" if failed else "translated", outputs=list(ready.paths.values()),
                    blocks=summary["blocks"], segments=summary["segments"],
                    translated_segments=summary["translated_segments"], cached_segments=summary["cached_segments"],
                    from_tm=summary["from_tm"], flags=summary["flags"], repairs=summary["repairs"],
                    failed_blocks=failed, warnings=summary["warnings"],
                    error=f"{len(failed)} block(s) failed; outputs were written and the failures are flagged in them"
                    if failed else "")
                for name, seconds in ready.clock.seconds.items():
                    self.clock.seconds[name] += seconds
            journal.finish_many(written)
        return statuses


def _by_folder(prepared: list[tuple[int, Prepared]]) -> dict[str, list[tuple[int, Prepared]]]:
    groups: dict[str, list] = {}
    for position, ready in prepared:
        groups.setdefault(str(Path(ready.paths[next(iter(ready.paths))]).parent), []).append((position, ready))
    return groups


def _status(article: Article, status: str, *, outputs: list | None = None, error: str = "", **counts) -> dict:
    record = {"input": article.path, "folder": article.folder, "status": status,
              "outputs": [str(p) for p in outputs or []], **counts}
    if error:
        record["error"] = error
    return record


def _message(error: Exception) -> str:
    """The one-line reason, without the path (the status record names the article)."""
    if isinstance(error, TranslateError) and error.args:
        return str(error.args[0])
    return str(error) or type(error).__name__
