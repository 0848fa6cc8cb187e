"""Engines behind one small protocol (see base.Engine), plugged through one registry.

Each engine kind declares its `unit` ("segment": seq2seq models fed sentences with terms protected
inline; "block": LLMs fed whole blocks with context and glossary in the prompt), how it loads, and
what of its settings goes into the run signature. The pipeline dispatches on the unit, never on a
name, so a new engine is one entry in ENGINES.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..errors import ModelError
from .base import Engine, EngineSettings


@dataclass(frozen=True)
class EngineKind:
    name: str
    unit: str  # "segment" | "block"
    load: Callable[[EngineSettings], Engine]
    signature: Callable[[EngineSettings], dict]  # how it translates: never an address or a key

    def label(self, settings: EngineSettings, engine: Engine | None = None) -> str:
        """"engine:model" as outputs name the engine that made a block (auto resolved once loaded)."""
        model = settings.api_model if self.unit == "block" else settings.model
        return f"{getattr(engine, 'name', None) or self.name}:{model}"


def _load_seq2seq(settings: EngineSettings) -> Engine:
    """The model at `settings.model`, on CTranslate2 when it can (int8, several times faster).

    A transformers model used with engine 'auto' or 'ctranslate2' is converted once, offline,
    into a cached CTranslate2 folder.
    """
    from .models import convert, model_kind, resolve

    path = resolve(settings.model)
    kind = model_kind(path)
    engine = settings.engine
    if engine == "auto":
        engine = "ctranslate2" if kind == "ctranslate2" or _has_ctranslate2() else "transformers"
    if engine == "transformers":
        if kind == "ctranslate2":
            raise ModelError("is a CTranslate2 model; use --engine ctranslate2 or give the transformers model",
                             settings.model)
        from .hf import TransformersEngine

        return TransformersEngine(path, settings)
    if kind == "transformers":
        path = convert(str(path), quantization=settings.quantization)
    from .ct2 import CTranslate2Engine

    return CTranslate2Engine(path, settings)


def _seq2seq_signature(settings: EngineSettings) -> dict:
    from .model_folders import model_files_digest

    found = {"model": settings.model, "engine": settings.engine, "beams": settings.beams,
             "quantization": settings.quantization, "dtype": settings.dtype, "device": settings.device}
    files = model_files_digest(settings.model)
    if files:
        found["model_files"] = files
    return found


def _load_openai(settings: EngineSettings) -> Engine:
    from .openai_compat import OpenAIEngine

    return OpenAIEngine(settings)


def _openai_signature(settings: EngineSettings) -> dict:
    from .prompt import load_prompt

    found = {"model": settings.api_model, "engine": "openai", "prompt": load_prompt().version,
             "context": settings.context}
    if settings.fallback:
        found["fallback"] = f"{settings.fallback}:{settings.model}"
    return found


ENGINES: dict[str, EngineKind] = {
    "auto": EngineKind("auto", "segment", _load_seq2seq, _seq2seq_signature),
    "ctranslate2": EngineKind("ctranslate2", "segment", _load_seq2seq, _seq2seq_signature),
    "transformers": EngineKind("transformers", "segment", _load_seq2seq, _seq2seq_signature),
    "openai": EngineKind("openai", "block", _load_openai, _openai_signature),
}
ENGINE_NAMES = tuple(ENGINES)


def engine_kind(settings: EngineSettings) -> EngineKind:
    try:
        return ENGINES[settings.engine]
    except KeyError:
        raise ModelError(f"unknown engine '{settings.engine}'; use {', '.join(ENGINES)}") from None


def load_engine(settings: EngineSettings) -> Engine:
    """Load the engine `settings` name (the model of `settings.model`, or the server of `settings.api_bases`)."""
    return engine_kind(settings).load(settings)


def check_engine(settings: EngineSettings) -> None:
    """Fail now, in one line, if a segment engine's model is nowhere to be found (cheap: no loading)."""
    if engine_kind(settings).unit == "segment":
        from .models import resolve

        resolve(settings.model)


def fallback_settings(settings: EngineSettings) -> EngineSettings | None:
    """The segment engine for blocks a block engine failed on (`--fallback`), or None."""
    from dataclasses import replace

    return replace(settings, engine=settings.fallback) if settings.fallback else None


def _has_ctranslate2() -> bool:
    import importlib.util

    return importlib.util.find_spec("ctranslate2") is not None


__all__ = ["ENGINES", "ENGINE_NAMES", "Engine", "EngineKind", "EngineSettings", "check_engine", "engine_kind",
           "load_engine"]
