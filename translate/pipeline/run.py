"""Runs the stages: read -> repair -> TM -> segment -> terms + engine -> QA -> invariants -> write.

The translate stage goes by what the engine declares it translates (engines.EngineKind.unit): sentences
(segments.py) or whole blocks (blocks.py). The summary reports each stage's seconds.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from ..document import Document
from ..engines import check_engine, engine_kind, fallback_settings
from ..engines.base import EngineSettings
from ..errors import RunFailed, TranslateError
from ..formats import check_written, write_outputs
from ..glossary.matcher import TermMatcher
from ..glossary.model import Glossary, load_glossaries
from ..memory.cache import SegmentCache
from ..memory.tm import TranslationMemory
from ..qa.checks import ForbiddenTerms, check_block, check_translation
from ..readers import read_document
from ..repair import repair_document
from ..repair.language_model import load_scorer
from ..segment import has_words, reassemble, segment_block
from .journal import Journal, folder_lock, signature_digest
from .options import RunOptions, RunResult, signature
from .outputs import check_outputs_free, check_writable, kept_files, output_paths, safe_stem
from .segments import (
    FAULT_CODES,
    EngineRunner,
    copy_blocks_without_chinese,
    plan_jobs,
    terms_report,
    translate_jobs,
)

STAGES = ("read", "repair", "translate", "qa", "write")
CACHE_NAME = ".segment-cache.sqlite"


class StageClock:
    """Seconds spent in each stage, for the run summary (and `translate bench --scaling`)."""

    def __init__(self):
        self.seconds = dict.fromkeys(STAGES, 0.0)

    @contextmanager
    def stage(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started

    def report(self) -> dict:
        return {name: round(value, 3) for name, value in self.seconds.items()}


def run_file(path: str, options: RunOptions, load_engine: Callable | None = None) -> RunResult:
    """Translate one article and write its outputs. `load_engine` overrides the engine (tests); with a
    block engine it overrides the fallback segment engine.

    Runs into one folder take turns (a lock); a run that stopped while writing is finished by
    the same command, without --force, because the journal knows the outputs are its own.
    """
    clock = StageClock()
    with clock.stage("read"):
        document = read_document(path, to_simplified=options.to_simplified)
    paths = output_paths(document.name, options.out_dir, options.formats)
    glossary = load_glossaries(options.glossaries, use_default=options.default_glossary)
    for notice in [] if options.quiet else glossary.notices:  # e.g. a GBK glossary read with a re-save hint
        print(f"notice: {notice}", file=sys.stderr)
    sig = signature(options, glossary)  # reads the repair table too: a bad glossary or spin-forms file stops here
    check_writable(options.out_dir)  # creates the folder: only once every input has been read
    stem, digest = safe_stem(document.name), signature_digest(sig)
    with folder_lock(options.out_dir, options.quiet):
        journal = Journal(options.out_dir)
        own = journal.replaceable(stem, path, document.input_sha256, digest)
        check_outputs_free([p for p in paths.values() if p.name not in own], options.force, kept_files(options, path))
        translate_document(document, options, glossary, sig, load_engine, clock)
        journal.start(stem, path, document.input_sha256, digest, list(paths.values()))
        with clock.stage("write"):
            write_outputs(document, sig, paths, options.write_settings)
            check_written(document, paths)
        journal.finish(stem)
    document.summary["stage_seconds"] = clock.report()
    result = RunResult(document, list(paths.values()), document.summary)
    failed = document.summary["failed_blocks"]
    if failed:
        failure = RunFailed(f"{len(failed)} block(s) failed ({', '.join(failed[:5])}); outputs were written and "
                            "the failures are flagged in them", path)
        failure.result = result
        raise failure
    return result


def translate_document(document: Document, options: RunOptions, glossary: Glossary, sig: dict,
                       load_engine: Callable | None = None, clock: StageClock | None = None) -> None:
    """Repair, reuse the TM, translate and check `document` in place; its summary and terms report are set."""
    clock = clock or StageClock()
    first_run = not options.use_cache or not Path(options.cache_path or Path(options.out_dir) / CACHE_NAME).exists()
    tm, cache = open_memory(options, sig)
    try:
        if first_run and load_engine is None and load_scorer(options.repair_model) is not None:
            # Nothing can come from the cache yet: a missing model fails now, not after repair's language model
            # has read the document (half a minute). A re-run served from the cache still needs no model.
            check_engine(options.engine)
        todo = prepare_document(document, options, tm, cache, clock)
        with clock.stage("translate"):
            matcher = TermMatcher(glossary, memo=cache)
            stats = _translate(document, todo, options, matcher, cache, load_engine)
        with clock.stage("qa"):  # while the cache is open: the matcher keeps its memo there
            check_document(document, matcher, ForbiddenTerms(glossary.entries))
    finally:
        tm.close()
        if cache:
            document.warnings.extend(cache.warnings)
            cache.close()
    summarize(document, stats, clock)


def open_memory(options: RunOptions, sig: dict) -> tuple[TranslationMemory, SegmentCache | None]:
    """The translation memory and (unless --no-cache) the segment cache of a run into `options.out_dir`."""
    out = Path(options.out_dir)
    tm = TranslationMemory(options.tm_path or out / "tm.sqlite")
    if not options.use_cache:
        return tm, None
    return tm, SegmentCache(options.cache_path or out / CACHE_NAME, _cache_key(sig))


def prepare_document(document: Document, options: RunOptions, tm: TranslationMemory, cache: SegmentCache | None,
                     clock: StageClock) -> list:
    """Repair the source and take what the TM knows; the blocks left to translate, segmented."""
    with clock.stage("repair"):
        repair_document(document, mode=options.repair, threshold=options.repair_threshold, memo=cache,
                        scorer=load_scorer(options.repair_model), progress=not options.quiet)
    with clock.stage("translate"):
        return _reuse_memory(document, tm, options.max_chars)


def check_document(document: Document, matcher: TermMatcher, forbidden: ForbiddenTerms) -> None:
    """Flag each block (a remembered translation is checked against the glossary, not re-translated)."""
    for block in document.blocks:
        if block.origin == "tm":
            check_translation(block, matcher)
        elif block.origin != "copy":  # a copied block (code, a line of emoji) is its own translation
            check_block(block)
        forbidden.check(block)
    check_invariants(document)


def summarize(document: Document, stats: dict, clock: StageClock) -> None:
    """Set the document's summary (counts, failed blocks, stage seconds) and its terms report."""
    stats["model_load_seconds"] = round(stats["model_load_seconds"], 3)
    stats["engine_seconds"] = round(stats["engine_seconds"], 3)
    document.summary = {
        "blocks": len(document.blocks),
        **stats,
        "from_tm": sum(1 for b in document.blocks if b.origin == "tm"),
        "flags": sum(len(b.flags) for b in document.blocks),
        "repairs": sum(len(b.repairs) for b in document.blocks),
        "failed_blocks": [b.id for b in document.blocks if any(f.code in FAULT_CODES for f in b.flags)],
        "warnings": document.warnings,
        "stage_seconds": clock.report(),
    }
    document.terms = terms_report(document.blocks)


def _reuse_memory(document: Document, tm: TranslationMemory, max_chars: int) -> list:
    """Copy code blocks and blocks with no words, take approved translations from the TM; the blocks left to
    translate, segmented (their sentences without Chinese are copied by the translate stage)."""
    todo = []
    for block in document.blocks:
        if not block.kind.translatable or not has_words(block.text):
            block.translation, block.origin = block.source, "copy"
            continue
        remembered = tm.lookup(block.text)
        if remembered is not None:
            block.translation, block.origin = remembered, "tm"
            continue
        segment_block(block, max_chars)
        todo.append(block)
    return todo


def _translate(document: Document, todo: list, options: RunOptions, matcher: TermMatcher, cache,
               load_engine: Callable | None) -> dict:
    """The translate stage, by the engine's unit: whole blocks (LLMs) or sentences (seq2seq models)."""
    settings = options.engine
    kind = engine_kind(settings)
    todo = copy_blocks_without_chinese(todo, matcher)
    if kind.unit == "block":
        from .blocks import run_block_stage

        fallback = fallback_settings(settings)
        load_fallback = None
        if fallback is not None:
            load_fallback = load_engine or (lambda: engine_loader(fallback))
        with _progress(len(todo), options.quiet, unit="block") as progress:
            stats = run_block_stage(document, todo, matcher, settings, cache, progress, lambda: engine_loader(settings),
                                    load_fallback, options.max_chars, kind.label(settings),
                                    engine_kind(fallback).label(fallback) if fallback else "")
        return {"segments": len(todo), **stats}
    jobs = plan_jobs(todo, matcher)
    with _progress(len(jobs), options.quiet) as progress:
        runner = EngineRunner(load_engine or (lambda: engine_loader(settings)), cache, progress)
        translate_jobs(jobs, runner)
    label = kind.label(settings, runner.engine)
    for block in todo:
        block.engine = label
    return {"segments": len(jobs), "translated_segments": runner.translated, "cached_segments": runner.from_cache,
            "model_load_seconds": runner.load_seconds, "engine_seconds": runner.engine_seconds}


def _cache_key(sig: dict) -> str:
    import json

    return json.dumps({k: v for k, v in sig.items() if k not in ("repair_threshold",)}, sort_keys=True)


def engine_loader(settings: EngineSettings):
    from ..engines import load_engine

    return load_engine(settings)


@contextmanager
def _progress(total: int, quiet: bool, unit: str = "seg"):
    """A progress bar on stderr (None when quiet or when there is nothing to do), closed on exit."""
    if quiet or total == 0:
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=total, unit=unit, desc="translating", file=sys.stderr, leave=False, mininterval=0.2)
    try:
        yield bar
    finally:
        bar.close()


def check_invariants(document: Document) -> None:
    """Every block's segments give back its text exactly; ids are unique. Fails loudly if not."""
    ids = [b.id for b in document.blocks]
    if len(set(ids)) != len(ids):
        raise TranslateError("internal error: duplicate block ids", document.path)
    for block in document.blocks:
        if block.segments and reassemble(block.segments) != block.text:
            raise TranslateError(f"internal error: segmentation of block {block.id} is not lossless", document.path)


def translate_file(path: str, options: RunOptions | None = None, *, load_engine: Callable | None = None,
                   **settings) -> RunResult:
    """Translate one article and write its outputs; the public entry point for programs.

    `settings` are RunOptions fields (out_dir, formats, glossaries, layout, force, ...) or engine
    settings (model, engine, beams, device, ...), applied over `options`. Returns the RunResult
    (document, output paths, summary); raises a TranslateError subclass for bad input, and
    RunFailed (outputs written) when some blocks failed.
    """
    return run_file(str(path), options_with(options, settings, "translate_file"), load_engine)


def options_with(options: RunOptions | None, settings: dict, caller: str) -> RunOptions:
    """A copy of `options` (default: quiet) with `settings` applied: RunOptions fields or engine settings."""
    from dataclasses import fields, replace

    options = replace(options or RunOptions(quiet=True))
    run_fields = {f.name for f in fields(RunOptions)}
    engine_fields = {f.name for f in fields(EngineSettings)}
    run_updates, engine_updates = {}, {}
    for name, value in settings.items():
        if name == "engine" and isinstance(value, EngineSettings):
            options.engine = value
        elif name in engine_fields:
            engine_updates[name] = value
        elif name == "formats":  # 'docx,md' or ['docx', 'md'], checked as --format is
            from ..errors import InputError
            from ..formats import parse_formats

            try:
                run_updates[name] = parse_formats(value if isinstance(value, str) else ",".join(value))
            except ValueError as exc:
                raise InputError(f"formats {value!r}: {exc}", caller) from None
        elif name in run_fields:
            run_updates[name] = value
        else:
            raise TypeError(f"{caller}() got an unknown option '{name}'")
    options = replace(options, **run_updates)
    if engine_updates:
        options.engine = replace(options.engine, **engine_updates)
    return options
