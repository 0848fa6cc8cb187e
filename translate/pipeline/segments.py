"""The translate stage for segment engines (unit "segment": seq2seq models): segments -> protected engine
inputs -> cache / engine -> restored, verified text."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from ..document import Block, TermHit
from ..glossary.matcher import (
    Span,
    TermMatcher,
    markup_spans,
    merge_spans,
    missing,
    number_spans,
    protect,
    record_block_terms,
    record_enforcement,
    restore,
)
from ..memory.cache import SegmentCache
from ..qa.checks import repeated_phrase
from ..segment import english_punctuation, has_source_text, join_translations

CHUNK = 32  # segments per engine call: the cache is written after each, so an interrupted run resumes
FAULT_CODES = ("engine-error", "empty", "repetition")


@dataclass
class Job:
    block: Block
    index: int  # segment index in the block
    spans: list[Span]
    inputs: dict[str, str] = field(default_factory=dict)  # strategy -> engine input
    outputs: dict[str, str] = field(default_factory=dict)  # strategy -> restored output
    error: str = ""
    hits: dict = field(default_factory=dict)  # the block's term hits by start offset (shared by its jobs)


class EngineRunner:
    """Runs engine inputs through the cache and, for misses, the engine (loaded on first need)."""

    def __init__(self, load_engine: Callable, cache: SegmentCache | None, progress=None):
        self._load = load_engine
        self.engine = None
        self.cache = cache
        self.progress = progress
        self.translated = 0
        self.from_cache = 0
        self.load_seconds = 0.0
        self.engine_seconds = 0.0

    def load(self) -> None:
        """Load the engine unless it is loaded (a corpus worker loads it once, before its first window)."""
        if self.engine is None:
            started = time.perf_counter()
            self.engine = self._load()
            self.load_seconds += time.perf_counter() - started

    def run(self, texts: list[str], avoid_repetition: bool = False) -> dict[str, str | Exception]:
        """Translations of `texts` (an Exception where the engine failed on one)."""
        unique = list(dict.fromkeys(texts))
        namespace = "no-repeat\x00" if avoid_repetition else ""
        cached = self.cache.get_many([namespace + t for t in unique]) if self.cache else {}
        results: dict[str, str | Exception] = {t[len(namespace):]: v for t, v in cached.items()}
        self.from_cache += sum(1 for t in texts if t in results)
        # Longest first, so that each chunk holds similar lengths and batches carry little padding.
        todo = sorted((t for t in unique if t not in results), key=len, reverse=True)
        if self.progress is not None:
            if self.progress.n:  # a retry pass: grow the bar rather than overflow it
                self.progress.total += len(unique)
            self.progress.update(len(unique) - len(todo))
        if todo:
            self.load()
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start : start + CHUNK]
            started = time.perf_counter()
            outputs = self._translate_isolating_faults(chunk, avoid_repetition)
            self.engine_seconds += time.perf_counter() - started
            for text, output in zip(chunk, outputs):
                results[text] = output
            # Failed and empty outputs are not cached: the next run tries them again. Looping ones
            # are (the engine is deterministic); their no-repeat retry is cached beside them.
            done = [(namespace + t, results[t]) for t in chunk if isinstance(results[t], str) and results[t].strip()]
            if self.cache and done:
                self.cache.put_many(done)
            self.translated += len(chunk)
            if self.progress is not None:
                self.progress.update(len(chunk))
        return results

    def _translate_isolating_faults(self, chunk: list[str], avoid_repetition: bool) -> list[str | Exception]:
        options = {"avoid_repetition": True} if avoid_repetition else {}
        try:
            return list(self.engine.translate(chunk, **options))
        except Exception:  # one bad segment must not sink the run: retry one at a time
            outputs: list[str | Exception] = []
            for text in chunk:
                try:
                    outputs.append(self.engine.translate([text], **options)[0])
                except Exception as exc:  # noqa: BLE001 - reported on the block
                    outputs.append(exc)
            return outputs


def plan_jobs(blocks: list[Block], matcher: TermMatcher | None) -> list[Job]:
    """Find terms (recorded on the block) and build one job per segment."""
    jobs = []
    for block in blocks:
        text = block.text
        markup = markup_spans(text)
        term_spans = record_block_terms(block, matcher, markup)
        spans = merge_spans(markup, term_spans, number_spans(text))  # sorted by start
        hits: dict[int, TermHit] = {}
        for hit in block.terms:
            hits.setdefault(hit.start, hit)
        first = 0
        for index, segment in enumerate(block.segments):  # segments are in order: one pass over the spans
            while first < len(spans) and spans[first].start < segment.start:
                first += 1
            inside = []
            for s in _from(spans, first):
                if s.start >= segment.end:
                    break
                if s.end <= segment.end:
                    inside.append(Span(s.start - segment.start, s.end - segment.start, s.source, s.targets, s.kind,
                                       s.key))
            jobs.append(Job(block, index, inside, hits=hits))
    return jobs


def _from(items: list, start: int):
    for i in range(start, len(items)):
        yield items[i]


def copy_blocks_without_chinese(blocks: list[Block], matcher: TermMatcher | None) -> list[Block]:
    """Copy each block with no Chinese whose glossary terms already read as their targets (an English quotation,
    a URL, 'iPhone 15 Pro', 'the CEO of OpenAI'): a model would garble or chat about it. The blocks left."""
    left = []
    for block in blocks:
        if has_source_text(block.text):
            left.append(block)
            continue
        spans = record_block_terms(block, matcher, markup_spans(block.text))
        if missing(block.text, spans):  # 'DAU' -> 'daily active users': the engine writes it
            left.append(block)
            continue
        block.translation, block.origin, block.segments = english_punctuation(block.text), "copy", []
        for hit in block.terms:
            hit.enforced, hit.strategy = not hit.ambiguous, "copy"
    return left


def translate_jobs(jobs: list[Job], runner: EngineRunner) -> None:
    """Inline protection first; segments with a missing term are retried with placeholders. A sentence with
    no Chinese (an English quotation, a URL) is copied: a zh-en model would garble it."""
    for job in jobs:
        segment = job.block.segments[job.index]
        if not has_source_text(segment.text) and not missing(segment.text, _glossary_spans(job)):
            # a sentence with a Latin term to change (DAU -> daily active users) still goes to the engine
            job.outputs["inline"], segment.origin = english_punctuation(segment.text.strip()), "copy"
    jobs_to_run = [j for j in jobs if not j.outputs]
    if runner.progress is not None and len(jobs_to_run) < len(jobs):
        runner.progress.update(len(jobs) - len(jobs_to_run))
    _run_strategy(jobs_to_run, runner, "inline")
    retry = [j for j in jobs_to_run if not j.error and missing(j.outputs["inline"], _glossary_spans(j))]
    if retry:
        _run_strategy(retry, runner, "placeholder")
    for job in jobs:
        _settle(job)
    for block in {id(j.block): j.block for j in jobs}.values():
        block.translation = join_translations([s.translation for s in block.segments])
        origins = {s.origin for s in block.segments}
        block.origin = "copy" if origins == {"copy"} else "cache" if origins and origins <= {"cache", "copy"} else "mt"


def _run_strategy(jobs: list[Job], runner: EngineRunner, strategy: str) -> None:
    for job in jobs:
        segment = job.block.segments[job.index]
        leading = len(segment.text) - len(segment.text.lstrip())
        spans = [Span(s.start - leading, s.end - leading, s.source, s.targets, s.kind, s.key) for s in job.spans]
        job.inputs[strategy] = protect(segment.text.strip(), spans, strategy)
    before = runner.translated
    results = runner.run([j.inputs[strategy] for j in jobs])
    looping = [j.inputs[strategy] for j in jobs if isinstance(results[j.inputs[strategy]], str)
               and repeated_phrase(results[j.inputs[strategy]])]
    if looping:  # a model stuck in a loop gets one more go with repeated phrases blocked
        retried = runner.run(looping, avoid_repetition=True)
        results.update({t: o for t, o in retried.items() if isinstance(o, str) and o.strip()})
    for job in jobs:
        output = results[job.inputs[strategy]]
        if isinstance(output, Exception):
            job.error = f"{type(output).__name__}: {output}"
            job.outputs[strategy] = ""
        else:
            job.outputs[strategy] = restore(output, job.spans, strategy)
    if runner.translated == before:
        for job in jobs:
            job.block.segments[job.index].origin = "cache"


def _glossary_spans(job: Job) -> list[Span]:
    return [s for s in job.spans if s.kind != "number"]


def _settle(job: Job) -> None:
    """Keep the strategy that misses fewest terms (inline on a tie) and record what was enforced."""
    segment = job.block.segments[job.index]
    segment.origin = segment.origin or "mt"
    if job.error:
        job.block.flag("engine-error", "error", f"the engine failed on a sentence ({job.error[:120]})")
        segment.translation = ""
        return
    glossary_spans = _glossary_spans(job)
    candidates = [(len(missing(job.outputs[s], glossary_spans)), order, s) for order, s in enumerate(job.outputs)]
    _, _, strategy = min(candidates)
    segment.translation = job.outputs[strategy]
    record_enforcement(job.block, glossary_spans, segment.translation,
                       lambda span: job.hits.get(segment.start + span.start), strategy)


def terms_report(blocks: list[Block]) -> list[dict]:
    """One entry per glossary term seen: occurrences = enforced + missing + ambiguous (sense uncertain,
    left to the engine)."""
    report: dict[str, dict] = {}
    for block in blocks:
        for hit in block.terms:
            key = hit.key or hit.source
            entry = report.setdefault(key, {
                "source": key, "target": hit.target, "kind": hit.kind,
                "occurrences": 0, "enforced": 0, "missing": 0, "ambiguous": 0})
            entry["occurrences"] += 1
            entry["ambiguous" if hit.ambiguous else "enforced" if hit.enforced else "missing"] += 1
    return sorted(report.values(), key=lambda e: (-e["occurrences"], e["source"]))

