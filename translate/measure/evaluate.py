"""`translate eval`: translate a source through the normal pipeline and score it against a reference.

chrF and BLEU come from sacrebleu (with its signature, so a score says how it was computed); the
glossary term accuracy, number accuracy and QA flag counts come from the pipeline's own checks.
Several engine settings are run one after the other on the same pair so they can be compared.
When the reference has a different number of paragraphs, the aligner pairs them first.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Callable

from ..engines.base import EngineSettings
from ..errors import InputError

DATA = Path(__file__).resolve().parent.parent / "data"
REFERENCE_SETS = DATA / "reference-sets.toml"


@dataclass
class Setting:
    """A named set of engine settings to score."""

    name: str
    engine: EngineSettings


def parse_setting(text: str, base: EngineSettings) -> Setting:
    """'NAME:key=value,key=value' (keys are engine settings: beams, model, engine, ...) over `base`.

    Raises ValueError with a one-line reason.
    """
    name, colon, body = text.partition(":")
    if not name.strip() or not colon:
        raise ValueError(f"'{text}': write NAME:key=value,key=value (e.g. greedy:beams=1)")
    values = {}
    for item in filter(None, (part.strip() for part in body.split(","))):
        key, equals, value = item.partition("=")
        if not equals:
            raise ValueError(f"'{item}' in setting {name}: write key=value")
        values[key.strip().replace("-", "_")] = value.strip()
    return Setting(name.strip(), _apply(base, values, f"setting {name.strip()}"))


def read_settings_file(path: str, base: EngineSettings) -> list[Setting]:
    """Settings from a TOML file: one table per setting, e.g. [greedy] beams = 1."""
    import tomllib

    from ..readers.limits import read_capped

    data = read_capped(path, "settings file", 1 << 20, "a settings file holds a few tables")  # /dev/zero: refused
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError("is not UTF-8 text; write the settings as a UTF-8 TOML file", path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"is not valid TOML ({exc}); write one [name] table per setting", path) from exc
    settings = []
    for name, values in table.items():
        if not isinstance(values, dict):
            raise InputError(f"'{name}' is not a table; write one [name] table per setting, e.g. [greedy] beams = 1",
                             path)
        try:
            settings.append(Setting(name, _apply(base, values, f"setting {name}")))
        except ValueError as exc:
            raise InputError(str(exc), path) from exc
    if not settings:
        raise InputError("has no settings; write one [name] table per setting, e.g. [greedy] beams = 1", path)
    return settings


# Command-line option names that differ from the EngineSettings field they set (as in translate.toml).
_OPTION_FIELDS = {"api_base": "api_bases", "api_timeout": "timeout"}


def _apply(base: EngineSettings, values: dict, where: str) -> EngineSettings:
    known = {f.name: type(getattr(base, f.name)) for f in fields(EngineSettings)}
    updates = {}
    for key, value in values.items():
        key = key.replace("-", "_")
        key = _OPTION_FIELDS.get(key, key)
        if known.get(key) is tuple:  # one value or a list (several servers); "a|b" on the command line
            updates[key] = tuple(value.split("|") if isinstance(value, str) else value)
            continue
        if key not in known:
            raise ValueError(f"unknown key '{key}' in {where}; use one of {', '.join(sorted(known))}")
        kind = known[key]
        try:
            if kind is bool and isinstance(value, str):
                updates[key] = value.lower() in ("1", "true", "yes", "on")
            else:
                updates[key] = kind(value)
        except (TypeError, ValueError):
            raise ValueError(f"'{key}={value}' in {where}: {key} takes a {kind.__name__}") from None
        low, high = _RANGES.get(key, (None, None))
        if (low is not None and updates[key] < low) or (high is not None and updates[key] > high):
            allowed = f"{low} to {high}" if high is not None else f"{low} or more"
            raise ValueError(f"'{key}={value}' in {where}: {key} takes {allowed} (as the run command's option does)")
    return replace(base, **updates)


# The bounds the run command's options have (cli/options.py): a setting is never something `run` refuses.
_RANGES = {"beams": (1, 16), "batch_tokens": (0, None), "threads": (0, None), "max_output_tokens": (0, None),
           "concurrency": (1, None), "rps": (0, None), "context": (0, None), "timeout": (0.001, None),
           "max_tokens": (0, None)}


def reference_set(name: str) -> tuple[Path, Path]:
    """(source, reference) of a reference set shipped with the package."""
    import tomllib

    sets = tomllib.loads(REFERENCE_SETS.read_text(encoding="utf-8"))
    if name not in sets:
        raise InputError(f"no reference set '{name}'; shipped sets: {', '.join(sets)}")
    return DATA / sets[name]["source"], DATA / sets[name]["reference"]


def evaluate(source: str, reference: str, settings: list[Setting], glossaries: list[str] = (),
             load_engine: Callable[[EngineSettings], object] | None = None, quiet: bool = True) -> dict:
    """Translate SOURCE once per setting and score each translation against REFERENCE.

    `load_engine(settings)` overrides how an engine is made (tests). Returns a JSON-ready dict:
    `chrf` and `bleu` of the first setting, every setting under `settings`, sacrebleu's signatures.
    """
    from ..errors import TranslateError
    from ..readers import read_document

    paragraphs = [b.source for b in read_document(reference).blocks]
    results = []
    for setting in settings:
        # One setting whose engine cannot run (a dead server, a missing model) is marked failed;
        # the settings that finished keep their scores.
        try:
            results.append(_score_setting(source, paragraphs, setting, list(glossaries), load_engine, quiet))
        except TranslateError as exc:
            if len(settings) == 1:
                raise
            results.append({"name": setting.name, "settings": _changed(setting.engine), "error": str(exc)})
    finished = [r for r in results if "error" not in r]
    if not finished:
        raise TranslateError(f"every setting failed; {results[0]['name']}: {results[0]['error']}", source)
    signatures = finished[0].pop("signatures")
    for result in finished[1:]:
        result.pop("signatures")
    return {"source": str(source), "reference": str(reference), "chrf": finished[0]["chrf"],
            "bleu": finished[0]["bleu"], "signatures": signatures, "settings": results,
            "failed_settings": [r["name"] for r in results if "error" in r]}


def _score_setting(source: str, paragraphs: list[str], setting: Setting, glossaries: list[str],
                   load_engine, quiet: bool) -> dict:
    from ..errors import TranslateError
    from ..glossary.model import load_glossaries
    from ..pipeline.options import RunOptions, signature
    from ..pipeline.run import translate_document
    from ..readers import read_document

    document = read_document(source)
    with tempfile.TemporaryDirectory(prefix="translate-eval-") as folder:
        # A fresh folder: no translation memory or segment cache from earlier runs colours the score.
        options = RunOptions(out_dir=folder, glossaries=glossaries, use_cache=False, quiet=quiet,
                             engine=setting.engine)
        glossary = load_glossaries(options.glossaries, use_default=options.default_glossary)
        loader = (lambda: load_engine(setting.engine)) if load_engine else None
        started = time.perf_counter()
        translate_document(document, options, glossary, signature(options, glossary), loader)
        seconds = time.perf_counter() - started
    summary = document.summary
    translatable = [b for b in document.blocks if b.kind.translatable]
    if translatable and len(summary["failed_blocks"]) >= len(translatable):
        raise TranslateError(f"setting '{setting.name}': every block failed to translate "
                             f"({len(summary['failed_blocks'])} of {len(translatable)}); nothing to score", source)
    pairs, unpaired = pair_with_reference(document.blocks, paragraphs)
    scores = corpus_scores([h for h, _ in pairs], [r for _, r in pairs])
    tokens = output_tokens([b.translation for b in document.blocks if b.kind.translatable])
    return {
        "name": setting.name, "settings": _changed(setting.engine), **scores,
        "terms": term_accuracy(document.terms),
        "numbers": number_accuracy([b for b in document.blocks if b.id not in set(summary["failed_blocks"])]),
        "flags": dict(sorted(Counter(f.code for b in document.blocks for f in b.flags).items())),
        "failed_blocks": len(summary["failed_blocks"]),
        "blocks": len(document.blocks), "reference_paragraphs": len(paragraphs),
        "aligned": len(paragraphs) != len(document.blocks), "pairs": len(pairs), "unpaired": unpaired,
        # seconds: the whole pipeline (the first setting also pays one-off start-up costs);
        # tokens_per_second: output 13a tokens over the engine's own time, comparable across settings
        "seconds": round(seconds, 3), "model_load_seconds": summary["model_load_seconds"],
        "engine_seconds": summary["engine_seconds"], "output_tokens": tokens,
        "tokens_per_second": round(tokens / max(summary["engine_seconds"], 1e-9), 1),
    }


def _changed(settings: EngineSettings) -> dict:
    """The engine settings that differ from the defaults (what tells two settings apart)."""
    default = EngineSettings()
    return {f.name: getattr(settings, f.name) for f in fields(EngineSettings)
            if getattr(settings, f.name) != getattr(default, f.name)}


def pair_with_reference(blocks, paragraphs: list[str]) -> tuple[list[tuple[str, str]], dict]:
    """(translation, reference) pairs: block by block when the counts agree, else through the aligner.

    Also returns how many blocks and reference paragraphs the aligner left without a partner.
    """
    if len(blocks) == len(paragraphs):
        return [(b.translation, p) for b, p in zip(blocks, paragraphs)], {"blocks": 0, "reference": 0}
    from ..align.aligner import Aligner, chinese_side, english_side

    links = Aligner([chinese_side(b.text) for b in blocks], [english_side(p) for p in paragraphs]).align()
    pairs = [(" ".join(blocks[i].translation for i in link.source), " ".join(paragraphs[j] for j in link.target))
             for link in links if link.source and link.target]
    unpaired = {"blocks": sum(len(link.source) for link in links if not link.target),
                "reference": sum(len(link.target) for link in links if not link.source)}
    return pairs, unpaired


def corpus_scores(hypotheses: list[str], references: list[str]) -> dict:
    """sacrebleu's corpus chrF and BLEU, and their signatures."""
    from sacrebleu.metrics import BLEU, CHRF

    bleu, chrf = BLEU(), CHRF()
    return {"chrf": round(chrf.corpus_score(hypotheses, [references]).score, 2),
            "bleu": round(bleu.corpus_score(hypotheses, [references]).score, 2),
            "signatures": {"chrf": str(chrf.get_signature()), "bleu": str(bleu.get_signature())}}


def output_tokens(texts: list[str]) -> int:
    """Tokens of the output as BLEU counts them (sacrebleu's 13a tokenizer), engine-independent."""
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

    tokenize = Tokenizer13a()
    return sum(len(tokenize(text).split()) for text in texts)


def term_accuracy(terms: list[dict]) -> dict:
    """Glossary terms found in the source and rendered as the glossary says, over all occurrences."""
    occurrences = sum(t["occurrences"] for t in terms)
    enforced = sum(t["enforced"] for t in terms)
    return {"occurrences": occurrences, "correct": enforced,
            "accuracy": round(enforced / occurrences, 4) if occurrences else None}


def number_accuracy(blocks) -> dict:
    """Numbers of the source found with the same value in the translation (QA's number check); the caller
    leaves out blocks that failed (no translation is no correct number)."""
    from ..qa.numbers import source_values

    total = sum(len(source_values(b.text)) for b in blocks if b.kind.translatable)
    wrong = sum(1 for b in blocks for f in b.flags if f.code == "number")
    return {"numbers": total, "correct": total - wrong, "accuracy": round((total - wrong) / total, 4) if total else None}


def format_table(report: dict) -> str:
    """The settings side by side, one row each, then sacrebleu's signatures."""
    header = ["setting", "chrF", "BLEU", "terms", "numbers", "flags", "seconds", "load s", "MT s", "tok/s"]
    rows = [header]
    finished = [r for r in report["settings"] if "error" not in r]
    for result in finished:
        rows.append([result["name"], f"{result['chrf']:.1f}", f"{result['bleu']:.1f}",
                     _share(result["terms"]), _share(result["numbers"]), str(sum(result["flags"].values())),
                     f"{result['seconds']:.1f}", f"{result['model_load_seconds']:.1f}",
                     f"{result['engine_seconds']:.1f}", f"{result['tokens_per_second']:.1f}"])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    first = finished[0]
    notes = [f"{r['name']}: FAILED ({r['error']})" for r in report["settings"] if "error" in r]
    notes += [f"{first['pairs']} paragraph pairs" + (" (reference aligned: paragraph counts differ)"
                                                     if first["aligned"] else ""),
              "terms, numbers: right / found in the source; tok/s: output tokens (13a) per second of MT"]
    for result in finished:
        if result["flags"]:
            notes.append(f"{result['name']} flags: " + ", ".join(f"{k} {v}" for k, v in result["flags"].items()))
    notes += [f"{metric}: {signature}" for metric, signature in report["signatures"].items()]
    return "\n".join(lines + [""] + notes) + "\n"


def _share(accuracy: dict) -> str:
    total = accuracy.get("occurrences", accuracy.get("numbers", 0))
    return f"{accuracy['correct']}/{total}" if total else "-"
