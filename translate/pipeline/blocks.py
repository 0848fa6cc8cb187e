"""The translate stage for block engines (unit "block": LLMs behind an OpenAI-compatible API).

One request per block, carrying the article title, the previous blocks and the glossary entries
and numbers found in the block. Every reply is verified (glossary terms, numbers, leftover
Chinese); a block that misses something is asked once more, naming exactly what was missed.
Blocks the server failed on go to the NMT fallback engine when one is set.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from typing import Callable

from ..document import Block, BlockKind, Document, Segment
from ..engines.base import ContextBlock, GlossaryNote, TranslationRequest
from ..engines.prompt import Prompt, load_prompt
from ..engines.reply import leftover_chinese
from ..glossary.matcher import (
    Span,
    TermMatcher,
    markup_spans,
    merge_spans,
    missing,
    number_spans,
    record_block_terms,
    record_enforcement,
)
from ..memory.cache import SegmentCache
from ..qa.checks import missing_numbers
from ..qa.numbers import english_number

_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class BlockJob:
    block: Block
    request: TranslationRequest
    spans: list[Span]  # glossary terms and markup that must come through
    context: ContextBlock  # this block as later blocks see it
    replies: list[str] = field(default_factory=list)  # first answer, then the re-ask's
    error: str = ""
    fresh: bool = False  # a reply came from the engine, not the cache
    key: str = ""  # cache key of the request in flight


class BlockRunner:
    """Runs block requests through the cache and, for misses, the engine (loaded on first need).

    A reply that misses something is re-asked at once, by the same worker, so re-asks do not
    wait for the slowest first answer.
    """

    def __init__(self, load_engine: Callable, cache: SegmentCache | None, prompt: Prompt, progress=None):
        self._load = load_engine
        self.engine = None
        self.cache, self.prompt, self.progress = cache, prompt, progress
        self.translated = self.from_cache = self.reasked = 0
        self.load_seconds = self.engine_seconds = 0.0

    def run(self, jobs: list[BlockJob]) -> None:
        keys = [self.prompt.identity(j.request) for j in jobs]
        cached = self.cache.get_many(keys) if self.cache else {}
        todo: list[tuple[BlockJob, TranslationRequest]] = []
        for job, key in zip(jobs, keys):
            job.key = key
            if key not in cached:
                job.fresh = True
                todo.append((job, job.request))
                continue
            self.from_cache += 1
            reask = self._accept(job, cached[key])
            if reask is not None:
                job.fresh = True
                todo.append((job, reask))
        if self.progress is not None:
            self.progress.update(len(jobs) - len(todo))
        if not todo:
            return
        if self.engine is None:
            started = time.perf_counter()
            self.engine = self._load()
            self.load_seconds += time.perf_counter() - started

        def finished(position: int, result: str | Exception) -> TranslationRequest | None:
            job = todo[position][0]
            self.translated += 1
            if isinstance(result, Exception):
                job.error = f"{type(result).__name__}: {result}"
                return None
            if self.cache:  # at once, so that Ctrl-C keeps every finished block
                self.cache.put_many([(job.key, result)])
            return self._accept(job, result)

        started = time.perf_counter()
        self.engine.translate([r for _, r in todo], progress=self._advance, on_result=finished)
        self.engine_seconds += time.perf_counter() - started

    def _accept(self, job: BlockJob, reply: str) -> TranslationRequest | None:
        """Record a reply; after a first answer that misses something, the re-ask to send (None
        when nothing was missed, or the re-ask's answer is in the cache)."""
        job.replies.append(reply)
        job.context.translation = reply
        lines = problems(job, reply, self.prompt) if len(job.replies) == 1 else []
        if not lines:
            return None
        self.reasked += 1
        reask = replace(job.request, previous_reply=reply, feedback=lines)
        job.key = self.prompt.identity(reask)
        hit = self.cache.get_many([job.key]).get(job.key) if self.cache else None
        if hit is None:
            return reask
        self.from_cache += 1
        job.replies.append(hit)
        job.context.translation = hit
        return None

    def _advance(self, count: int) -> None:
        if self.progress is not None:
            self.progress.update(count)


def plan_block_jobs(document: Document, blocks: list[Block], matcher: TermMatcher | None, context: int) -> list[BlockJob]:
    """One job per block: its request (title, previous `context` blocks, glossary, numbers) and the
    spans its reply must contain. Term hits are recorded on the block."""
    title_block = next((b for b in document.blocks if b.kind is BlockKind.TITLE), None)
    title = title_block.text if title_block else ""
    todo = {id(b) for b in blocks}
    seen: list[ContextBlock] = []
    title_seen = None
    jobs = []
    for block in document.blocks:
        if not block.kind.translatable:
            continue
        known = "" if id(block) in todo else block.translation
        here = ContextBlock(block.text, known)
        if id(block) in todo:
            jobs.append(_job(block, title, seen[-context:] if context else [], here, matcher, title_seen))
        if block is title_block:
            title_seen = here  # its English, once finished, goes with the title in later requests
        elif block.kind is not BlockKind.TITLE or not title:
            seen.append(here)
    return jobs


def _job(block: Block, title: str, context: list[ContextBlock], here: ContextBlock, matcher,
         title_seen: ContextBlock | None) -> BlockJob:
    text = block.text
    markup = markup_spans(text)
    terms = record_block_terms(block, matcher, markup)
    notes, listed = [], set()
    for span in terms:  # each entry once, however often and in whichever variant it occurs
        entry = (matcher.entries.get(span.source) or matcher.entries.get(span.source.lower())) if matcher else None
        identity = id(entry) if entry is not None else (span.source, span.targets[0])
        if identity not in listed:
            listed.add(identity)
            notes.append(GlossaryNote(span.source, span.targets[0], span.kind,
                                      getattr(entry, "prompt_note", "") if entry else ""))
    notes += [GlossaryNote(n.source, n.targets[0], "number") for n in number_spans(text)]
    block.segments = [Segment(0, len(text), text)]  # the whole block is one request
    request = TranslationRequest(text.strip(), block.kind.value, title, list(context), notes, title_block=title_seen)
    return BlockJob(block, request, merge_spans(markup, terms), here)


def problems(job: BlockJob, reply: str, prompt: Prompt) -> list[str]:
    """What a reply got wrong, one re-ask line each: missing terms, numbers, leftover Chinese."""
    lines = [prompt.problem("term", source=s.source, target=s.targets[0]) for s in missing(reply, job.spans)]
    lines += [number_problem(prompt, text, value) for text, value in missing_numbers(job.block.text, reply)]
    lines += [prompt.problem("chinese", text=run) for run in leftover_chinese(reply)]
    return lines


def number_problem(prompt: Prompt, text: str, value) -> str:
    """A missing number, asked for as the source writes it where English writes it the same way
    (years, plain integers below 10,000: "2023", never "2,023"); otherwise in English words."""
    if _PLAIN_NUMBER.fullmatch(text) and value < 10000:
        return prompt.problem("number_as_written", source=text, target=text)
    return prompt.problem("number", source=text, target=english_number(value))


def translate_blocks(jobs: list[BlockJob], runner: BlockRunner, label: str) -> list[Block]:
    """Ask (re-asking once where something was missed) and settle each block. The blocks that failed."""
    runner.run(jobs)
    failed = []
    for job in jobs:
        if job.replies:
            _settle(job, runner.prompt, label)
        else:
            failed.append(job.block)
    return failed


def _settle(job: BlockJob, prompt: Prompt, label: str) -> None:
    """Keep the reply with fewest problems (the first on a tie); flag what is still missing."""
    block = job.block
    best = min(range(len(job.replies)), key=lambda i: (len(problems(job, job.replies[i], prompt)), i))
    block.translation = block.segments[0].translation = job.replies[best]
    block.origin = block.segments[0].origin = "mt" if job.fresh else "cache"
    block.engine = label
    hits = {h.start: h for h in block.terms if not h.ambiguous}
    record_enforcement(block, job.spans, block.translation, lambda span: hits.get(span.start),
                       "prompt" if best == 0 else "re-ask", " (asked twice)")


def request_cache_key(settings, prompt: Prompt) -> str:
    """What every LLM cache key shares: the engine, the model and the prompt version."""
    return f"openai\x00{settings.api_model}\x00{prompt.version}"


def flag_failed(blocks: list[Block], jobs: list[BlockJob], label: str) -> None:
    errors = {id(j.block): j.error for j in jobs}
    for block in blocks:
        block.translation = ""
        block.engine = label  # the engine that failed, so the record says which
        block.flag("engine-error", "error", f"the server failed on this block ({errors.get(id(block), '')[:160]})")


def run_block_stage(document: Document, blocks: list[Block], matcher: TermMatcher | None, settings, cache,
                    progress, load_engine: Callable, load_fallback: Callable | None, max_chars: int, label: str,
                    fallback_label: str = "") -> dict:
    """Translate `blocks` with the block engine (`label` names it on each block); failed blocks go to
    `load_fallback` (the segment path, sentences of at most `max_chars`) when there is one, and are
    flagged otherwise."""
    from .segments import EngineRunner, plan_jobs, translate_jobs

    prompt = load_prompt()
    jobs = plan_block_jobs(document, blocks, matcher, settings.context)
    # Keyed by what a request carries (its identity) under the model and prompt only: a glossary row
    # no block meets, --fallback or --context for blocks whose context is unchanged re-request nothing.
    request_cache = cache.keyed(request_cache_key(settings, prompt)) if cache is not None else None
    runner = BlockRunner(load_engine, request_cache, prompt, progress)
    failed = translate_blocks(jobs, runner, label)
    engine = runner.engine
    sent = getattr(engine, "context_sent", 0)
    stats = {"translated_segments": runner.translated, "cached_segments": runner.from_cache,
             "model_load_seconds": runner.load_seconds, "engine_seconds": runner.engine_seconds,
             "reasked_blocks": runner.reasked, "fallback_blocks": 0,
             "retried_requests": getattr(engine, "retried", 0), "throttled_requests": getattr(engine, "throttled", 0),
             "context_with_translation": round(getattr(engine, "context_with_english", 0) / sent, 3) if sent else None,
             "replies_cleaned": dict(getattr(engine, "cleaned", {}))}
    document.warnings.extend(getattr(engine, "warnings", []))
    if failed and load_fallback is not None:
        from ..segment import segment_block

        for block in failed:
            segment_block(block, max_chars)
        fallback = EngineRunner(load_fallback, cache)
        translate_jobs(plan_jobs(failed, matcher), fallback)
        errors = {id(j.block): j.error for j in jobs}
        for block in failed:
            block.engine = fallback_label
            # A flag, so the DOCX comment, the Markdown and the JSON all say which engine made it.
            block.flag("fallback-engine", "info", f"translated by {block.engine}, not {label}: the server failed "
                       f"({errors[id(block)][:120]})")
        stats["fallback_blocks"] = len(failed)
        stats["model_load_seconds"] += fallback.load_seconds
        stats["engine_seconds"] += fallback.engine_seconds
    elif failed:
        flag_failed(failed, jobs, label)
    return stats
