"""Where a model is and what it is: hub id or local folder, offline rules, pull/convert/info."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..errors import ModelError
from .model_folders import TOKENIZER_FILES, build_into, check_weights, model_files_digest, read_config, target_folder



def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false", "False") or \
        os.environ.get("TRANSFORMERS_OFFLINE", "") not in ("", "0", "false", "False")


def quiet_transformers() -> None:
    """Our progress bar is the one the user sees; silence the library's bars and advice."""
    import warnings

    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")


def model_kind(path: Path) -> str:
    """'ctranslate2' for a converted folder, 'transformers' for a Hugging Face folder."""
    if (path / "model.bin").exists() and (path / "config.json").exists():
        return "ctranslate2"
    if (path / "config.json").exists():
        return "transformers"
    raise ModelError("is a folder but holds no model (no config.json); give a model folder or a hub id", str(path))


def resolve(model: str) -> Path:
    """A local folder for `model`: the folder itself, or the hub id's copy in the local cache."""
    path = Path(model).expanduser()
    if path.exists():
        if not path.is_dir():
            raise ModelError("is a file; --model takes a model folder or a hub id", model)
        model_kind(path)
        return path
    if model.startswith((".", "/", "~")) or model.count("/") > 1:
        raise ModelError("no such model folder; check the --model path", model)
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(model, local_files_only=offline()))
    except Exception as exc:  # hub errors are many types; each means "not here"
        raise ModelError(
            f"model is not available {'offline' if offline() else 'from the hub'}; on a connected machine run "
            f"'translate model pull {model} --to DIR', copy DIR here, then use --model DIR", model) from exc


def pull(model: str, to: str | None = None, force: bool = False) -> Path:
    """Download a hub model and save it (weights + tokenizer) into a folder for offline use."""
    from huggingface_hub import snapshot_download

    target = target_folder(to, force) if to is not None else None  # before the download: a bad --to costs nothing
    try:
        local = Path(snapshot_download(model))
    except Exception as exc:
        raise ModelError(f"cannot download ({type(exc).__name__}); check the id and the network", model) from exc
    if target is None:
        return local
    import shutil

    return build_into(target, lambda work: shutil.copytree(local, work))


def ct2_cache_dir(source: Path, quantization: str) -> Path:
    base = Path(os.environ.get("TRANSLATE_CACHE", Path.home() / ".cache" / "translate"))
    stamp = model_files_digest(str(source))  # the same digest the run signature holds
    digest = hashlib.sha1(f"{source.resolve()}|{stamp}|{quantization}".encode()).hexdigest()[:16]
    return base / "ct2" / f"{source.name}-{quantization}-{digest}"


def convert(model: str, to: str | None = None, quantization: str = "int8", force: bool = False) -> Path:
    """Convert a transformers model (hub id or folder) to CTranslate2, offline, keeping its tokenizer files.
    With `to`: that folder (a new one, or a model's with `force`); else the cache the run uses."""
    source = resolve(model)
    if model_kind(source) == "ctranslate2":
        if to:
            raise ModelError("is already a CTranslate2 model: nothing to convert (copy the folder to move it)", model)
        return source
    check_weights(source)
    target = target_folder(to, force, source) if to else ct2_cache_dir(source, quantization)
    if not to and (target / "model.bin").exists():
        return target
    import ctranslate2

    from .families import CONVERT_META, detect_family

    family = detect_family(source).name
    quiet_transformers()
    copy = [f for f in TOKENIZER_FILES if (source / f).exists()]

    def build(work: Path) -> None:
        try:
            converter = _converter_class(ctranslate2)(str(source), copy_files=copy)
            converter.convert(str(work), quantization=None if quantization == "float32" else quantization, force=True)
        except Exception as exc:  # the converter's own errors are many types: each means this model cannot be
            raise ModelError(f"cannot convert to CTranslate2 ({exc})", model) from exc
        (work / CONVERT_META).write_text(json.dumps({"source": model, "quantization": quantization, "family": family}))

    return build_into(target, build)  # written beside the target and moved into place: a failure names the target


def _converter_class(ctranslate2):
    """CTranslate2's converter, with the language tokens it looks for where transformers 5 moved them."""

    class Converter(ctranslate2.converters.TransformersConverter):
        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            return _with_additional_special_tokens(super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs))

    return Converter


def _with_additional_special_tokens(tokenizer):
    """transformers 5 lists language tokens (M2M-100's __en__...) in extra_special_tokens, no longer in
    special_tokens_map['additional_special_tokens'], where CTranslate2's M2M-100 loader reads them."""
    base = type(tokenizer)
    named = base.special_tokens_map.fget(tokenizer) if isinstance(base.special_tokens_map, property) else {}
    extra = list(getattr(tokenizer, "lang_token_to_id", None) or [])
    if not extra or "additional_special_tokens" in named:
        return tokenizer
    extra.sort(key=tokenizer.convert_tokens_to_ids)
    tokenizer.__class__ = type(base.__name__, (base,), {"special_tokens_map": property(
        lambda self: {**base.special_tokens_map.fget(self), "additional_special_tokens": extra})})
    return tokenizer


def info(model: str) -> dict:
    """What a model is: architecture, family, languages, licence, size, engine."""
    path = resolve(model)
    kind = model_kind(path)
    config = read_config(path)
    check_weights(path)
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    details = {"model": model, "path": str(path), "engine": kind, "size_mb": round(size / 2**20, 1)}
    if kind == "transformers":
        details.update({
            "architecture": (config.get("architectures") or [config.get("model_type", "?")])[0],
            "d_model": config.get("d_model"), "encoder_layers": config.get("encoder_layers", config.get("num_layers")),
            "decoder_layers": config.get("decoder_layers", config.get("num_decoder_layers")),
            "vocab_size": config.get("vocab_size"),
        })
    else:
        details.update({"architecture": "CTranslate2 " + str(config.get("model_type", "transformer")),
                        "quantization": _ct2_quantization(path)})
    from .families import detect_family
    from .licence import model_licence

    details["family"] = detect_family(path).name
    details["languages"] = _languages(model, path)
    details.update(model_licence(path))
    return details


def _ct2_quantization(path: Path) -> str:
    meta = path / "translate-convert.json"
    return json.loads(meta.read_text())["quantization"] if meta.exists() else "unknown"


def _languages(model: str, path: Path) -> str:
    from .families import detect_family

    family = detect_family(path)
    if family.name != "marian":  # many-to-many models: the tokens this tool uses say the direction
        return f"multilingual; used as {family.description.split(': ', 1)[-1]}"
    name = Path(model).name if Path(model).exists() else model.split("/")[-1]
    parts = name.split("-")
    if "opus" in parts and "mt" in parts and len(parts) >= 4:
        return f"{parts[-2]} -> {parts[-1]}"
    config = path / "tokenizer_config.json"
    if config.exists():
        data = json.loads(config.read_text(encoding="utf-8"))
        if data.get("source_lang") and data.get("target_lang"):
            return f"{data['source_lang']} -> {data['target_lang']}"
    return "unknown"
