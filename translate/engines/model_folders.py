"""Folders a model command writes (`model pull --to`, `convert --to`, `random`): never the source model or a
folder of the user's, built beside the target and moved into place when finished."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from ..errors import ModelError

WEIGHTS = ("model.safetensors", "pytorch_model.bin", "model.bin", "tf_model.h5", "flax_model.msgpack",
           "model.safetensors.index.json", "pytorch_model.bin.index.json")


def target_folder(to: str, force: bool, source: Path | None = None) -> Path:
    """`to` checked as a folder to write a model into: not a file, not the source model nor a folder
    holding it or inside it; an existing folder with files only with `force`, and then only a model's."""
    target = Path(to).expanduser()
    if target.exists() and not target.is_dir():
        raise ModelError("is a file; give a folder to write the model in", to)
    if source is not None:
        mine, theirs = target.resolve(), source.resolve()
        if mine == theirs or mine in theirs.parents or theirs in mine.parents:
            raise ModelError("is the model's own folder, or holds it, or lies in it; give a new folder", to)
    if target.is_dir() and any(target.iterdir()):
        if not force:
            raise ModelError("already exists and holds files; give a new folder, or --force to replace the model "
                             "in it", to)
        if not (target / "config.json").is_file():
            raise ModelError("holds files that are not a model (no config.json); give a new folder", to)
    return target


def build_into(target: Path, build: Callable[[Path], object]) -> Path:
    """Run `build(folder)` on a fresh folder beside `target`, then put it in `target`'s place: an interrupted
    build leaves no half model, and the model that was there goes only once the new one is complete."""
    work = target.with_name(target.name + ".part")
    try:
        if work.exists():
            shutil.rmtree(work)
        target.parent.mkdir(parents=True, exist_ok=True)
        build(work)
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise ModelError(f"cannot be written ({exc.strerror or exc}); choose another folder", str(target)) from exc
    return target


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
