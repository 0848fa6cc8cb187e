"""A model's licence, where its files say it: the model card's front matter (`license:` in
README.md, as on the Hugging Face hub) or a `license` field in config.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S)
_NON_COMMERCIAL = re.compile(r"(^|[-_ ])nc([-_ ]|$)|non-?commercial", re.I)


def model_licence(path: Path) -> dict:
    """{'licence': id, 'licence_source': file} plus a 'licence_warning' for non-commercial licences."""
    licence, source = _from_model_card(path / "README.md"), "README.md"
    if not licence:
        licence, source = _from_config(path / "config.json"), "config.json"
    if not licence:
        return {"licence": "unknown (no README.md front matter or config.json says it; check the model's page)"}
    details = {"licence": licence, "licence_source": source}
    if is_non_commercial(licence):
        details["licence_warning"] = (f"{licence} is a non-commercial licence: do not use this model's "
                                      "translations commercially without the rights holder's permission")
    return details


def is_non_commercial(licence: str) -> bool:
    return bool(_NON_COMMERCIAL.search(licence))


def _from_model_card(readme: Path) -> str:
    if not readme.exists():
        return ""
    match = _FRONT_MATTER.match(readme.read_text(encoding="utf-8", errors="replace")[:20000])
    if not match:
        return ""
    lines = match.group(1).splitlines()
    for index, line in enumerate(lines):
        key, _, value = line.partition(":")
        if key.strip() != "license":
            continue
        value = value.strip().strip("'\"")
        if value:
            return value
        # A YAML list on the following lines: "- cc-by-nc-4.0"
        items = []
        for item in lines[index + 1:]:
            if not item.strip().startswith("-"):
                break
            items.append(item.strip()[1:].strip().strip("'\""))
        return ", ".join(items)
    return ""


def _from_config(config: Path) -> str:
    try:
        value = json.loads(config.read_text(encoding="utf-8")).get("license", "") if config.exists() else ""
    except (OSError, ValueError):
        return ""
    return value if isinstance(value, str) else ""
