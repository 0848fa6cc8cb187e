"""Hugging Face transformers engine: AutoModelForSeq2SeqLM, length-sorted token-budget batches.

Multilingual families get their languages the transformers way: the tokenizer's src_lang and a
forced first target token (forced_bos_token_id), or MADLAD's <2en> tag before the text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from ..errors import ModelError
from .base import EngineSettings, batch_budget, cpu_has_fast_bf16, cpu_threads, output_length_cap, token_batches
from .models import offline, quiet_transformers


class TransformersEngine:
    name = "transformers"

    def __init__(self, path: Path, settings: EngineSettings):
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        from .families import detect_family

        quiet_transformers()
        self.settings = settings
        self.model_id = settings.model
        self.device = _device(settings.device, torch)
        torch.set_num_threads(cpu_threads(settings.threads))
        self.dtype = _dtype(settings.dtype, self.device, torch)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=offline())
            self.model = AutoModelForSeq2SeqLM.from_pretrained(str(path), local_files_only=offline(), dtype=self.dtype)
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load model ({exc})", str(path)) from exc
        self.model.to(self.device).eval()
        self.family = detect_family(path)
        if self.family.hf_source_lang:
            self.tokenizer.src_lang = self.family.hf_source_lang
        self.forced_bos = (self.tokenizer.convert_tokens_to_ids(self.family.target_prefix[0])
                           if self.family.target_prefix else None)
        self.precision = str(self.dtype).replace("torch.", "")
        if settings.dtype == "int8":
            self.model = _quantize_linear_layers(self.model)
            self.precision = "int8"
        self.max_input_tokens = min(512, getattr(self.tokenizer, "model_max_length", 512) or 512)
        self._torch = torch

    def describe(self) -> dict:
        return {"engine": self.name, "model": self.model_id, "family": self.family.name,
                "beams": self.settings.beams, "dtype": self.precision, "device": self.device}

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        texts = [self.family.source_text(t) for t in texts]
        return [len(ids) for ids in self.tokenizer(texts, truncation=True, max_length=self.max_input_tokens)["input_ids"]]

    def translate(self, texts: Sequence[str], progress: Callable[[int], None] | None = None,
                  forced_lengths: Sequence[int] | None = None, avoid_repetition: bool = False) -> list[str]:
        """Translate in length-sorted batches.

        `avoid_repetition` blocks repeated 3-grams (a retry for outputs that looped);
        `forced_lengths` (benchmarks only) fixes output lengths.
        """
        lengths = self.count_tokens(texts)
        results: list[str] = [""] * len(texts)
        for batch in token_batches(lengths, batch_budget(self.settings, "transformers")):
            outputs = self._generate([texts[i] for i in batch], max(lengths[i] for i in batch),
                                     None if forced_lengths is None else max(forced_lengths[i] for i in batch),
                                     avoid_repetition)
            for index, text in zip(batch, outputs):
                results[index] = text
            if progress:
                progress(len(batch))
        return results

    def _generate(self, texts: list[str], longest: int, forced: int | None, avoid_repetition: bool) -> list[str]:
        torch = self._torch
        inputs = self.tokenizer([self.family.source_text(t) for t in texts], return_tensors="pt", padding=True,
                                truncation=True, max_length=self.max_input_tokens).to(self.device)
        cap = output_length_cap(longest, fixed=self.settings.max_output_tokens)
        options = {"num_beams": self.settings.beams, "max_new_tokens": cap}
        if self.forced_bos is not None:
            options["forced_bos_token_id"] = self.forced_bos
        if avoid_repetition:
            options.update(no_repeat_ngram_size=3, repetition_penalty=1.3)
        if forced is not None:
            options.update(max_new_tokens=forced, min_new_tokens=forced)
        with torch.inference_mode():
            generated = self.model.generate(**inputs, **options)
            if self.forced_bos is not None:  # the target language token is not text
                generated[generated == self.forced_bos] = self.tokenizer.pad_token_id
        return self.tokenizer.batch_decode(generated, skip_special_tokens=True)



def _device(requested: str, torch) -> str:
    if requested == "cuda" and not torch.cuda.is_available():
        raise ModelError("--device cuda was asked for but no CUDA GPU is visible; use --device cpu")
    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return requested


def _quantize_linear_layers(model):
    """Dynamic int8 weights for Linear layers (CPU): faster matrix work, small quality cost."""
    import warnings

    import torch
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch marks its quantized tensors deprecated; they still work
        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def _dtype(requested: str, device: str, torch):
    if requested in ("float32", "int8"):
        return torch.float32
    if requested == "bfloat16":
        return torch.bfloat16
    if device == "cuda":
        return torch.float16
    return torch.bfloat16 if cpu_has_fast_bf16() else torch.float32
