"""Runs the stages: read -> repair -> segment -> TM -> terms + engine -> QA -> invariants -> write."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import __version__
from ..document import Document
from ..engines.base import EngineSettings
from ..errors import OutputError, RunFailed, TranslateError
from ..glossary.model import Glossary, load_glossaries
from ..memory.cache import SegmentCache
from ..memory.tm import TranslationMemory
from .outputs import Journal, folder_lock, safe_stem, signature_digest
from ..qa.checks import ForbiddenTerms, check_block, check_translation
from ..readers import input_stem, read_document
from ..repair import default_table, repair_document
from ..segment import DEFAULT_MAX_CHARS, reassemble, segment_block
from ..glossary.matcher import TermMatcher
from .segments import FAULT_CODES, EngineRunner, plan_jobs, terms_report, translate_jobs
from ..formats import check_written, write_outputs

FORMATS = ("docx", "md", "json", "xliff")
# Format -> (output kind, file suffix) for each file it writes.
FORMAT_OUTPUTS = {
    "docx": (("bilingual.docx", ".bilingual.docx"), ("en.docx", ".en.docx")),
    "md": (("bilingual.md", ".bilingual.md"), ("en.md", ".en.md")),
    "json": (("json", ".json"),),
    "xliff": (("xliff", ".xlf"),),
}


@dataclass
class RunOptions:
    out_dir: str = "out"
    formats: tuple[str, ...] = FORMATS
    layout: str = "table"
    xliff_version: str = "1.2"  # "1.2" or "2.1" for --format xliff
    glossaries: list[str] = field(default_factory=list)
    default_glossary: bool = True
    repair: str = "auto"  # auto | on | off
    repair_threshold: float = 0.5
    tm_path: str | None = None  # default: OUT/tm.sqlite
    use_cache: bool = True
    cache_path: str | None = None  # default: OUT/.segment-cache.sqlite
    force: bool = False
    quiet: bool = False
    to_simplified: bool = False
    max_chars: int = DEFAULT_MAX_CHARS
    engine: EngineSettings = field(default_factory=EngineSettings)


@dataclass
class RunResult:
    document: Document
    outputs: list[Path]
    summary: dict


def parse_formats(text: str) -> tuple[str, ...]:
    """'docx,md' -> ('docx', 'md'); ValueError for anything outside FORMATS."""
    chosen = tuple(f.strip() for f in text.split(",") if f.strip())
    if not chosen or any(f not in FORMATS for f in chosen):
        raise ValueError(f"use a subset of {','.join(FORMATS)}")
    return chosen


def output_paths(stem: str, options: RunOptions) -> dict[str, Path]:
    """Output files of one article; `stem` is sanitised so that every path stays inside the folder."""
    stem = safe_stem(stem)
    out = Path(options.out_dir)
    return {kind: out / f"{stem}{suffix}" for fmt in FORMATS if fmt in options.formats
            for kind, suffix in FORMAT_OUTPUTS[fmt]}


def check_writable(folder: str | Path) -> None:
    """Fail before any work if the output folder cannot be created or written."""
    import tempfile

    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write to this folder ({exc.strerror}); choose another with -o", str(folder)) from exc


def check_distinct_outputs(inputs: list[str]) -> None:
    """Refuse, before any work, a batch in which two inputs would write the same output files."""
    seen: dict[str, str] = {}
    for path in inputs:
        stem = safe_stem(input_stem(path)).casefold()  # case-insensitive file systems too
        if stem in seen:
            raise OutputError(f"would write the same output files as {seen[stem]} (both are named "
                              f"'{stem}'); rename one or run them separately with different -o folders", path)
        seen[stem] = path


def check_outputs_free(paths: list[Path], force: bool) -> None:
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise OutputError(f"already exists ({len(existing)} output file(s)); use --force to overwrite "
                          "or -o to write elsewhere", str(existing[0]))


def signature(options: RunOptions, glossary: Glossary) -> dict:
    """How a result was made; also the cache key, so it is built from settings, not a loaded model."""
    settings = options.engine
    if settings.engine == "openai":  # the server's address and key are not part of how it was made
        from ..engines.prompt import load_prompt

        engine = {"model": settings.api_model, "engine": "openai", "prompt": load_prompt().version,
                  "context": settings.context}
        if settings.fallback:
            engine["fallback"] = f"{settings.fallback}:{settings.model}"
    else:
        engine = {"model": settings.model, "engine": settings.engine, "beams": settings.beams,
                  "quantization": settings.quantization, "dtype": settings.dtype, "device": settings.device}
    return {
        "tool": f"translate {__version__}",
        **engine,
        "glossary": glossary.digest,
        "repair": options.repair,
        "repair_table": default_table().digest,
        "repair_threshold": options.repair_threshold,
    }


def run_file(path: str, options: RunOptions, load_engine: Callable | None = None) -> RunResult:
    """Translate one article and write its outputs. `load_engine` overrides the engine (tests);
    with engine 'openai' it overrides the NMT fallback engine.

    Runs into one folder take turns (a lock); a run that stopped while writing is finished by
    the same command, without --force, because the journal knows the outputs are its own.
    """
    document = read_document(path, to_simplified=options.to_simplified)
    paths = output_paths(document.name, options)
    check_writable(options.out_dir)
    glossary = load_glossaries(options.glossaries, use_default=options.default_glossary)
    for notice in [] if options.quiet else glossary.notices:  # e.g. a GBK glossary read with a re-save hint
        print(f"notice: {notice}", file=sys.stderr)
    sig = signature(options, glossary)
    stem, digest = safe_stem(document.name), signature_digest(sig)
    with folder_lock(options.out_dir, options.quiet):
        journal = Journal(options.out_dir)
        own = set(journal.unfinished(stem, document.meta["input_sha256"], digest))
        check_outputs_free([p for p in paths.values() if str(p) not in own], options.force)
        translate_document(document, options, glossary, sig, load_engine)
        document.meta["layout"] = options.layout
        document.meta["xliff_version"] = options.xliff_version
        journal.start(stem, path, document.meta["input_sha256"], digest, list(paths.values()))
        write_outputs(document, sig, paths)
        check_written(document, paths)
        journal.finish(stem)
    result = RunResult(document, list(paths.values()), document.meta["summary"])
    failed = document.meta["summary"]["failed_blocks"]
    if failed:
        failure = RunFailed(f"{len(failed)} block(s) failed ({', '.join(failed[:5])}); outputs were written and "
                            "the failures are flagged in them", path)
        failure.result = result
        raise failure
    return result


def translate_document(document: Document, options: RunOptions, glossary: Glossary, sig: dict,
                       load_engine: Callable | None = None) -> None:
    out = Path(options.out_dir)
    tm = TranslationMemory(options.tm_path or out / "tm.sqlite")
    cache = SegmentCache(options.cache_path or out / ".segment-cache.sqlite", _cache_key(sig)) if options.use_cache else None
    try:
        repair_document(document, mode=options.repair, threshold=options.repair_threshold, memo=cache)
        todo = []
        for block in document.blocks:
            if not block.kind.translatable:
                block.translation, block.origin = block.source, "copy"
                continue
            remembered = tm.lookup(block.text)
            if remembered is not None:
                block.translation, block.origin = remembered, "tm"
                continue
            segment_block(block, options.max_chars)
            todo.append(block)
        matcher = TermMatcher(glossary, memo=cache)
        for block in document.blocks:
            if block.origin == "tm":  # a remembered translation is not re-translated, but it is checked
                check_translation(block, matcher)
        if options.engine.engine == "openai":
            stats = _translate_with_llm(document, todo, options, matcher, cache, load_engine)
        else:
            jobs = plan_jobs(todo, matcher)
            progress = _progress(len(jobs), options.quiet)
            runner = EngineRunner(load_engine or (lambda: engine_loader(options.engine)), cache, progress)
            try:
                translate_jobs(jobs, runner)
            finally:
                if progress is not None:
                    progress.close()
            label = f"{runner.engine.name if runner.engine else options.engine.engine}:{options.engine.model}"
            for block in todo:
                block.engine = label
            stats = {"segments": len(jobs), "translated_segments": runner.translated,
                     "cached_segments": runner.from_cache, "model_load_seconds": runner.load_seconds,
                     "engine_seconds": runner.engine_seconds}
    finally:
        tm.close()
        if cache:
            cache.close()
    forbidden = ForbiddenTerms(glossary.entries)
    for block in document.blocks:
        if block.origin != "tm":
            check_block(block)
        forbidden.check(block)
    check_invariants(document)
    stats["model_load_seconds"] = round(stats["model_load_seconds"], 3)
    stats["engine_seconds"] = round(stats["engine_seconds"], 3)
    document.meta["summary"] = {
        "blocks": len(document.blocks),
        **stats,
        "from_tm": sum(1 for b in document.blocks if b.origin == "tm"),
        "flags": sum(len(b.flags) for b in document.blocks),
        "repairs": sum(len(b.repairs) for b in document.blocks),
        "failed_blocks": [b.id for b in document.blocks if any(f.code in FAULT_CODES for f in b.flags)],
        "warnings": document.meta.get("warnings", []),
    }
    document.meta["terms"] = terms_report(document.blocks)


def _translate_with_llm(document: Document, todo: list, options: RunOptions, matcher: TermMatcher, cache,
                        load_engine: Callable | None) -> dict:
    """One request per block to an OpenAI-compatible server (see llm_translation)."""
    from dataclasses import replace

    from .blocks import run_llm_stage

    settings = options.engine
    progress = _progress(len(todo), options.quiet, unit="block")
    fallback = None
    if settings.fallback:
        fallback = load_engine or (lambda: engine_loader(replace(settings, engine=settings.fallback)))
    try:
        stats = run_llm_stage(document, todo, matcher, settings, cache, progress,
                              lambda: engine_loader(settings), fallback, options.max_chars)
    finally:
        if progress is not None:
            progress.close()
    return {"segments": len(todo), **stats}


def _cache_key(sig: dict) -> str:
    import json

    return json.dumps({k: v for k, v in sig.items() if k not in ("repair_threshold",)}, sort_keys=True)


def engine_loader(settings: EngineSettings):
    from ..engines import load_engine

    return load_engine(settings)


def _progress(total: int, quiet: bool, unit: str = "seg"):
    if quiet or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc="translating", file=sys.stderr, leave=False, mininterval=0.2)


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
    from dataclasses import fields, replace

    options = replace(options or RunOptions(quiet=True))
    run_fields = {f.name for f in fields(RunOptions)}
    engine_fields = {f.name for f in fields(EngineSettings)}
    engine_updates = {}
    for name, value in settings.items():
        if name == "engine" and isinstance(value, EngineSettings):
            options.engine = value
        elif name in engine_fields:
            engine_updates[name] = value
        elif name in run_fields:
            setattr(options, name, tuple(value) if name == "formats" else value)
        else:
            raise TypeError(f"translate_file() got an unknown option '{name}'")
    if engine_updates:
        options.engine = replace(options.engine, **engine_updates)
    return run_file(str(path), options, load_engine)
