"""CTranslate2 engine: int8 on CPU by default, tokenised with the model's own sentencepiece files
(language tokens, tags and the forced target prefix per model family: see families.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from ..errors import ModelError
from .base import EngineSettings, batch_budget, cpu_threads, output_length_cap, token_batches


class CTranslate2Engine:
    name = "ctranslate2"

    def __init__(self, path: Path, settings: EngineSettings):
        import ctranslate2

        from .families import SentencePieceCodec, detect_family

        self.settings = settings
        self.model_id = settings.model
        self.device = _device(settings.device, ctranslate2)
        self.compute_type = settings.quantization if self.device == "cpu" else "int8_float16"
        self.precision = self.compute_type
        self.family = detect_family(path)
        self.codec = SentencePieceCodec(path, self.family)
        try:
            self.translator = ctranslate2.Translator(str(path), device=self.device, compute_type=self.compute_type,
                                                     inter_threads=1, intra_threads=cpu_threads(settings.threads))
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"cannot load CTranslate2 model ({exc})", str(path)) from exc
        self.source_sp, self.target_sp = self.codec.source_sp, self.codec.target_sp
        self.max_input_tokens = self.codec.max_input_tokens

    def describe(self) -> dict:
        return {"engine": self.name, "model": self.model_id, "family": self.family.name,
                "beams": self.settings.beams, "compute_type": self.compute_type, "device": self.device}

    def tokenize(self, text: str) -> list[str]:
        return self.codec.encode(text)

    def translate(self, texts: Sequence[str], progress: Callable[[int], None] | None = None,
                  forced_lengths: Sequence[int] | None = None, avoid_repetition: bool = False) -> list[str]:
        """Translate in length-sorted batches.

        `avoid_repetition` blocks repeated 3-grams (a retry for outputs that looped);
        `forced_lengths` (benchmarks only) fixes output lengths.
        """
        tokens = [self.tokenize(t) for t in texts]
        results: list[str] = [""] * len(texts)
        for batch in token_batches([len(t) for t in tokens], batch_budget(self.settings, "ctranslate2")):
            longest = max(len(tokens[i]) for i in batch)
            cap = output_length_cap(longest, fixed=self.settings.max_output_tokens)
            options = {"beam_size": self.settings.beams, "max_decoding_length": cap}
            prefix = self.codec.target_prefix()
            if prefix:  # the hypotheses start with it; decode drops it
                options["target_prefix"] = [prefix] * len(batch)
                options["max_decoding_length"] = cap + len(prefix)
            if avoid_repetition:
                options.update(no_repeat_ngram_size=3, repetition_penalty=1.3)
            if forced_lengths is not None:
                forced = max(forced_lengths[i] for i in batch)
                extra = len(prefix or ())
                options.update(max_decoding_length=forced + extra, min_decoding_length=forced + extra)
            outputs = self.translator.translate_batch([tokens[i] for i in batch], **options)
            for index, output in zip(batch, outputs):
                results[index] = self.codec.decode(output.hypotheses[0])
            if progress:
                progress(len(batch))
        return results


def _device(requested: str, ctranslate2) -> str:
    gpus = ctranslate2.get_cuda_device_count()
    if requested == "cuda" and not gpus:
        raise ModelError("--device cuda was asked for but no CUDA GPU is visible; use --device cpu")
    if requested == "auto":
        return "cuda" if gpus else "cpu"
    return requested
