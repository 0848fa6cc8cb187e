"""The engine protocol, token-budget batching, and the settings that go into the signature."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Callable, Protocol, Sequence

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-zh-en"


@dataclass
class EngineSettings:
    model: str = DEFAULT_MODEL
    engine: str = "auto"  # auto | ctranslate2 | transformers | openai
    beams: int = 4
    device: str = "auto"  # auto | cpu | cuda
    batch_tokens: int = 0  # padded source tokens per batch; 0 = auto (see batch_budget)
    threads: int = 0  # 0 = all cores
    quantization: str = "int8"  # CTranslate2 compute type on CPU
    dtype: str = "auto"  # transformers: auto (bfloat16 where the CPU has it) | float32 | bfloat16 | int8
    max_output_tokens: int = 0  # 0 = twice the input plus 16, at most 512 (a hard stop for loops)
    # OpenAI-compatible servers (engine "openai"). The key itself is never stored: only the
    # name of the variable that holds it.
    api_bases: tuple[str, ...] = ()
    api_model: str = ""
    api_key_env: str = "OPENAI_API_KEY"
    concurrency: int = 4  # requests in flight
    rps: float = 0.0  # requests per second at most; 0 = no limit
    context: int = 2  # previous blocks sent with each request
    timeout: float = 120.0  # seconds per request
    fallback: str = ""  # "" | "ctranslate2": the NMT engine for blocks the server failed on
    max_tokens: int = 0  # most tokens one reply may have; 0 = 4 per source character plus 256

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class GlossaryNote:
    """A glossary entry found in a block, as an LLM prompt shows it."""

    source: str
    target: str
    kind: str  # term | name | keep | number
    note: str = ""  # for translators (the glossary's prompt_note column); maintainers' notes stay out


@dataclass
class ContextBlock:
    """A block before the one translated. `translation` is filled in once known, so a request
    rendered later (when its turn to be sent comes) sees the translations finished by then."""

    source: str
    translation: str = ""


@dataclass
class TranslationRequest:
    """What a block engine (unit 'block') gets: the text plus its context and glossary entries.

    `previous_reply` and `feedback` make it a re-ask: the engine shows its earlier answer and
    exactly what was missed.
    """

    text: str
    kind: str = "paragraph"
    title: str = ""
    context: list[ContextBlock] = field(default_factory=list)
    glossary: list[GlossaryNote] = field(default_factory=list)
    previous_reply: str = ""
    feedback: list[str] = field(default_factory=list)
    title_block: ContextBlock | None = None  # the title as later blocks see it: its English once known


class Engine(Protocol):
    """Translates plain sentences. Knows nothing of documents, glossaries or files.

    `unit` says what one input is: "segment" (seq2seq engines: plain strings, terms protected
    inline) or "block" (LLM engines: TranslationRequest objects, terms in the prompt). An engine
    without the attribute is a segment engine.
    """

    name: str
    max_input_tokens: int
    unit: str

    def translate(self, texts: Sequence[str], progress: Callable[[int], None] | None = None,
                  avoid_repetition: bool = False) -> list[str]:
        """Return one translation per input, in input order.

        `avoid_repetition` asks the engine to block repeated phrases: the pipeline's retry
        for outputs that looped.
        """
        ...

    def describe(self) -> dict:
        """What goes into the run signature: engine, model, and settings that change output."""
        ...


def token_batches(lengths: Sequence[int], budget: int, max_items: int = 64) -> list[list[int]]:
    """Indices grouped longest first so that (items x longest) stays within `budget` tokens.

    Sorting by length keeps padding low; callers put outputs back in input order.
    """
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in order:
        size = max(1, lengths[index])
        if current and (max(longest, size) * (len(current) + 1) > budget or len(current) >= max_items):
            batches.append(current)
            current, longest = [], 0
        current.append(index)
        longest = max(longest, size)
    if current:
        batches.append(current)
    return batches


def batch_budget(settings: EngineSettings, engine: str) -> int:
    """Source tokens per batch. Each beam copies the batch, so the budget shrinks with beams.

    Measured on 2 CPU cores with the opus-mt-zh-en architecture (translate bench): CTranslate2 is
    fastest near 2,048 tokens greedy and 1,024 at beam 4; transformers near 512 at beam 4.
    """
    if settings.batch_tokens > 0:
        return settings.batch_tokens
    if engine == "ctranslate2":
        return 2048 if settings.beams == 1 else max(256, 4096 // settings.beams)
    return max(128, 2048 // settings.beams)


def cpu_threads(requested: int = 0) -> int:
    """`requested` threads, at most as many as the cores we may use (0 = all of them)."""
    cores = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    return min(int(requested), cores) if requested and requested > 0 else cores


def cpu_has_fast_bf16() -> bool:
    """AVX512-BF16 or AMX: transformers runs faster in bfloat16 than float32 on these CPUs."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="ignore") as handle:
            flags = next((line for line in handle if line.startswith("flags")), "")
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


def output_length_cap(source_tokens: int, limit: int = 512, fixed: int = 0) -> int:
    """Room for the English (longer than the Chinese in tokens), bounded so a loop ends."""
    return fixed if fixed > 0 else min(limit, 2 * source_tokens + 16)
