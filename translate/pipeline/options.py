"""What a run is told (RunOptions), what it gives back (RunResult), and how a result was made (signature)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..document import Document
from ..engines.base import EngineSettings
from ..formats import FORMATS, WriteSettings
from ..segment import DEFAULT_MAX_CHARS


@dataclass
class RunOptions:
    out_dir: str = "out"
    formats: tuple[str, ...] = tuple(FORMATS)
    layout: str = "table"
    xliff_version: str = "1.2"  # "1.2" or "2.1" for --format xliff
    glossaries: list[str] = field(default_factory=list)
    default_glossary: bool = True
    repair: str = "auto"  # auto | on | off
    repair_threshold: float = 0.5
    repair_model: str = "auto"  # auto | off | a folder or .gguf file (repair/language_model.py)
    tm_path: str | None = None  # default: OUT/tm.sqlite
    use_cache: bool = True
    cache_path: str | None = None  # default: OUT/.segment-cache.sqlite
    force: bool = False
    quiet: bool = False
    to_simplified: bool = False
    max_chars: int = DEFAULT_MAX_CHARS
    engine: EngineSettings = field(default_factory=EngineSettings)

    @property
    def write_settings(self) -> WriteSettings:
        return WriteSettings(layout=self.layout, xliff_version=self.xliff_version)


@dataclass
class RunResult:
    document: Document
    outputs: list[Path]
    summary: dict


def signature(options: RunOptions, glossary) -> dict:
    """How a result was made; also the cache key, so it is built from settings, not a loaded model."""
    from ..engines import engine_kind
    from ..repair import default_table
    from ..repair.language_model import repair_model_key

    return {
        "tool": f"translate {__version__}",
        **engine_kind(options.engine).signature(options.engine),
        "glossary": glossary.digest,
        "repair": options.repair,
        "repair_table": default_table().digest,
        "repair_threshold": options.repair_threshold,
        "repair_model": repair_model_key(options.repair_model) if options.repair != "off" else "off",
    }
