"""Engines behind one small protocol (see base.Engine)."""

from __future__ import annotations

from ..errors import ModelError
from .base import Engine, EngineSettings


def load_engine(settings: EngineSettings) -> Engine:
    """Load the engine for `settings.model` (or the server of `settings.api_bases`), picking CTranslate2 when it can (int8, several times faster).

    A transformers model used with engine 'auto' or 'ctranslate2' is converted once, offline,
    into a cached CTranslate2 folder.
    """
    if settings.engine == "openai":
        from .openai_compat import OpenAIEngine

        return OpenAIEngine(settings)
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
    if engine == "ctranslate2":
        if kind == "transformers":
            path = convert(str(path), quantization=settings.quantization)
        from .ct2 import CTranslate2Engine

        return CTranslate2Engine(path, settings)
    raise ModelError(f"unknown engine '{engine}'; use auto, ctranslate2, transformers or openai")


def _has_ctranslate2() -> bool:
    import importlib.util

    return importlib.util.find_spec("ctranslate2") is not None


__all__ = ["Engine", "EngineSettings", "load_engine"]
