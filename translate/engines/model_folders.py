"""Folders a model command writes (`model pull --to`, `convert --to`, `random`): never the source model or a
folder of the user's, built beside the target and moved into place when finished."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from ..errors import ModelError

# Copied next to a converted model: the tokenizers of every family, and what says the licence.
TOKENIZER_FILES = ("source.spm", "target.spm", "sentencepiece.bpe.model", "spiece.model", "vocab.json",
                   "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
                   "generation_config.json", "README.md", "LICENSE")
WEIGHTS = ("model.safetensors", "pytorch_model.bin", "model.bin", "tf_model.h5", "flax_model.msgpack",
           "model.safetensors.index.json", "pytorch_model.bin.index.json")


def target_folder(to: str, force: bool, source: Path | None = None) -> Path:
    """`to` checked as a folder to write a model into: not a file, not the working folder or one above it,
    not the source model nor a folder holding it or inside it; an existing folder with files only with
    `force`, and then only one that is a model and nothing else."""
    try:
        target = Path(to).expanduser().resolve()
    except (OSError, RuntimeError) as exc:
        raise ModelError(f"cannot be used ({exc}); give a new folder", to) from exc
    try:
        str(target).encode("utf-8")
    except UnicodeEncodeError:  # tokenizer libraries take only str paths they can encode
        raise ModelError("has a name that is not UTF-8; give a folder name in UTF-8", to) from None
    if target.exists() and not target.is_dir():
        raise ModelError("is a file; give a folder to write the model in", to)
    if target == Path.cwd().resolve() or target in Path.cwd().resolve().parents:
        raise ModelError("is the working folder or holds it; give a new folder for the model", to)
    if source is not None:
        theirs = source.resolve()
        if target == theirs or target in theirs.parents or theirs in target.parents:
            raise ModelError("is the model's own folder, or holds it, or lies in it; give a new folder", to)
    if target.is_dir() and any(target.iterdir()):
        if not force:
            raise ModelError("already exists and holds files; give a new folder, or --force to replace the model "
                             "in it", to)
        if not _only_a_model(target):
            raise ModelError("holds files that are not a model's (or no model); --force replaces only a model "
                             "folder: give a new folder", to)
    return target


_MODEL_FILES = frozenset(WEIGHTS) | {"config.json", "generation_config.json", "shared_vocabulary.json",
                                    "shared_vocabulary.txt", "source_vocabulary.json", "target_vocabulary.json",
                                    "source_vocabulary.txt", "target_vocabulary.txt", "translate-convert.json",
                                    "vocab.txt", "merges.txt", "LICENSE.txt", "README.txt"}
# other names models carry: configs, vocabularies and token maps in JSON, sentencepiece models
_MODEL_NAME = re.compile(r"[\w.-]*(config|vocab|vocabulary|tokenizer|tokens|map|index)\.json|[\w.-]+\.(spm|model)")


def _only_a_model(folder: Path) -> bool:
    """A model folder and nothing else: a model's config, weights, and only files models carry (weights,
    configs, tokenizer and licence files); never subfolders."""
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        entries = list(folder.iterdir())
    except (OSError, ValueError):
        return False
    allowed = _MODEL_FILES | set(TOKENIZER_FILES)
    # a transformers config names its model type; a CTranslate2 one does not, but sits beside model.bin
    typed = isinstance(config, dict) and bool(config.get("model_type") or config.get("architectures")
                                              or (folder / "model.bin").is_file())
    return typed and any((folder / name).is_file() for name in WEIGHTS) \
        and all(entry.is_file() and (entry.name in allowed or _MODEL_NAME.fullmatch(entry.name)) for entry in entries)


def build_into(target: Path, build: Callable[[Path], object]) -> Path:
    """Run `build(folder)` on a fresh folder beside `target`, then put it in `target`'s place: an interrupted
    build leaves no half model, and the model that was there goes only once the new one is complete."""
    import tempfile

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.part-", dir=target.parent))  # ours alone
    except OSError as exc:
        raise ModelError(f"cannot be written ({exc.strerror or exc}); choose another folder", str(target)) from exc
    try:
        build(work / "model")
        _normal_modes(work / "model")
        if target.exists():
            shutil.rmtree(target)
        (work / "model").rename(target)
    except OSError as exc:
        raise ModelError(f"cannot be written ({exc.strerror or exc}); choose another folder", str(target)) from exc
    finally:  # whatever stopped the build (a failed conversion, Ctrl-C): no half model is left behind
        shutil.rmtree(work, ignore_errors=True)
    return target


def _normal_modes(folder: Path) -> None:
    """The modes a file the user made would have (0644 under umask 022): safetensors writes its weights 0600,
    and a model folder is shared (a team's cache, a Ray cluster's workers)."""
    from ..pipeline.atomic import current_umask

    umask = current_umask()
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def read_config(path: Path) -> dict:
    """config.json of a model folder, as a dict; one line saying what is wrong otherwise."""
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"has a config.json that cannot be read ({type(exc).__name__}); copy the model folder "
                         "again", str(path)) from exc
    if not isinstance(config, dict):
        raise ModelError("has a config.json that is not a model configuration; copy the model folder again",
                         str(path))
    return config


def check_weights(path: Path) -> None:
    if not any((path / name).is_file() for name in WEIGHTS):
        raise ModelError(f"has no weights ({', '.join(WEIGHTS[:3])}); copy the whole model folder", str(path))


def model_files_digest(model: str) -> str:
    """For a model folder: a digest of its files' names, sizes and modification times (weights replaced in
    place make another signature, so nothing cached from the old ones is reused); "" for a hub id."""
    import hashlib

    folder = Path(model)
    try:
        if not folder.is_dir():
            return ""
        stats = sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                       for p in folder.rglob("*") if p.is_file())
    except OSError:
        return ""
    return hashlib.sha256(repr(stats).encode("utf-8")).hexdigest()[:12]
