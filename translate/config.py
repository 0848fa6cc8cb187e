"""translate.toml: defaults for command options, so an editor does not type a server's address each time.

Read from the user's config folder ($XDG_CONFIG_HOME/translate/translate.toml, else
~/.config/translate/translate.toml), then from translate.toml in the working folder, which wins.
Options given on the command line win over both. Example:

    [engine]
    engine = "openai"
    api_base = ["http://localhost:8080/v1"]
    api_model = "qwen2.5-7b-instruct"
    concurrency = 4
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from .errors import ConfigError

CONFIG_NAME = "translate.toml"
SECTIONS = ("engine",)


def config_paths() -> list[Path]:
    """Where config files are looked for, the weakest first."""
    home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return [Path(home) / "translate" / CONFIG_NAME, Path.cwd() / CONFIG_NAME]


def load_config(paths: list[Path] | None = None) -> dict[str, dict[str, tuple[object, str]]]:
    """section -> option name (dashes as underscores) -> (value, file it came from)."""
    merged: dict[str, dict[str, tuple[object, str]]] = {}
    for path in paths if paths is not None else config_paths():
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"not valid TOML ({exc}); fix or remove the file", str(path)) from exc
        for section, table in data.items():
            if section not in SECTIONS or not isinstance(table, dict):
                raise ConfigError(f"unknown section [{section}]; the file has an [engine] table", str(path))
            for key, value in table.items():
                merged.setdefault(section, {})[key.replace("-", "_")] = (value, str(path))
    return merged
