"""Options shared by several commands, declared once, and small helpers the commands share."""

from __future__ import annotations

import click

from ..engines.base import EngineSettings

EXAMPLE = "../shared/article/why-bat-did-not-build-deepseek.zh.txt"


def _apply(options: list, function):
    for option in reversed(options):
        function = option(function)
    return function


def common(function):
    """--quiet and --debug, on every command."""
    return _apply([
        click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary."),
        click.option("--debug", is_flag=True, help="Show tracebacks on errors."),
    ], function)


def output_options(function):
    """Where and what to write: -o, --format, --layout, --force."""
    return _apply([
        click.option("--out", "-o", default="out", show_default=True, help="Output folder."),
        click.option("--format", "formats", default="docx,md,json", show_default=True,
                     help="Comma list of output formats: docx, md, json, xliff (see the README's outputs table)."),
        click.option("--layout", type=click.Choice(["table", "interleaved"]), default="table", show_default=True,
                     help="Bilingual DOCX: a two-column table, or source and translation paragraphs in turn."),
        click.option("--force", "-f", is_flag=True, help="Overwrite existing output files."),
    ], function)


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


def engine_options(function):
    """Model and engine settings (they go into the run signature)."""
    return _apply([
        click.option("--model", "-m", default="Helsinki-NLP/opus-mt-zh-en", show_default=True,
                     help="Hub id, transformers folder, or CTranslate2 folder."),
        click.option("--engine", type=click.Choice(["auto", "ctranslate2", "transformers"]), default="auto",
                     show_default=True, help="auto = CTranslate2 (converted once, cached) when installed."),
        click.option("--beams", default=4, show_default=True, type=click.IntRange(1, 16), help="Beam size."),
        click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True),
        click.option("--batch-tokens", default=0, type=click.IntRange(0),
                     help="Padded source tokens per batch (0 = tuned for the engine and beam size)."),
        click.option("--threads", default=0, type=click.IntRange(0), help="CPU threads (0 = all cores)."),
        click.option("--quantization", type=click.Choice(["int8", "int8_float32", "int16", "float32"]),
                     default="int8", show_default=True, help="CTranslate2 weights on CPU."),
        click.option("--dtype", type=click.Choice(["auto", "float32", "bfloat16", "int8"]), default="auto",
                     show_default=True, help="transformers on CPU: auto = bfloat16 where the CPU has AVX512-BF16/AMX, "
                     "else float32; int8 = dynamic int8 Linear layers."),
    ], function)


def settings_from(kwargs: dict) -> EngineSettings:
    """EngineSettings from the engine_options values, popped out of a command's kwargs."""
    return EngineSettings(model=kwargs.pop("model"), engine=kwargs.pop("engine"), beams=kwargs.pop("beams"),
                          device=kwargs.pop("device"), batch_tokens=kwargs.pop("batch_tokens"),
                          threads=kwargs.pop("threads"), quantization=kwargs.pop("quantization"),
                          dtype=kwargs.pop("dtype"))


def formats_from(text: str) -> tuple[str, ...]:
    from ..pipeline import parse_formats

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

    if not force and Path(output).exists():
        raise OutputError("already exists; use --force to overwrite it or choose another name", output)


def emit(text: str, output: str | None, force: bool = True) -> None:
    """Write `text` to OUTPUT atomically (refusing to replace a file without `force`), or to stdout."""
    if output:
        from ..atomic import write_text

        check_free(output, force)
        write_text(output, text)
    else:
        click.echo(text, nl=False)
