"""Command-line interface. Parses options and calls library functions; nothing else lives here."""

from __future__ import annotations

import sys

import click

from . import __version__
from .engines.base import EngineSettings
from .errors import InputError, RunFailed, TranslateError

EXAMPLE = "../shared/article/why-bat-did-not-build-deepseek.zh.txt"
_common = [
    click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
    click.option("--debug", is_flag=True, help="Show tracebacks on errors."),
]


def common(function):
    for option in reversed(_common):
        function = option(function)
    return function


def engine_options(function):
    options = [
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
    ]
    for option in reversed(options):
        function = option(function)
    return function


def settings_from(kwargs: dict) -> EngineSettings:
    return EngineSettings(model=kwargs.pop("model"), engine=kwargs.pop("engine"), beams=kwargs.pop("beams"),
                          device=kwargs.pop("device"), batch_tokens=kwargs.pop("batch_tokens"),
                          threads=kwargs.pop("threads"), quantization=kwargs.pop("quantization"),
                          dtype=kwargs.pop("dtype"))


class TranslateGroup(click.Group):
    """Turns our exceptions into one-line messages and exit codes, for every subcommand."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except TranslateError as exc:
            if _debug():
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; finished segments are cached, run again to resume", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            if _debug():
                raise
            click.echo(f"error: {type(exc).__name__}: {exc} (run again with --debug for details)", err=True)
            ctx.exit(1)


def _debug() -> bool:
    import os

    return "--debug" in sys.argv or os.environ.get("TRANSLATE_DEBUG") == "1"


@click.group(cls=TranslateGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="translate")
def cli():
    """Translate Chinese news articles into English for editorial review.

    \b
    Example:
      translate run article.zh.txt -o out/
    """


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "-o", default="out", show_default=True, help="Output folder.")
@click.option("--glossary", "-g", "glossaries", multiple=True, help="Glossary CSV (repeatable; later ones win).")
@click.option("--no-default-glossary", is_flag=True, help="Do not use the shipped tech glossary.")
@click.option("--format", "formats", default="docx,md,json", show_default=True, help="Subset of docx,md,json.")
@click.option("--layout", type=click.Choice(["table", "interleaved"]), default="table", show_default=True)
@click.option("--repair/--no-repair", "repair", default=None, help="Repair spun source text (default: when detected).")
@click.option("--threshold", default=0.5, show_default=True, type=click.FloatRange(0, 1),
              help="Confidence needed to restore an ambiguous spun form.")
@click.option("--tm", "tm_path", help="Translation memory file (default OUT/tm.sqlite).")
@click.option("--no-cache", is_flag=True, help="Do not reuse or store segment translations.")
@click.option("--to-simplified", is_flag=True, help="Convert Traditional (Big5) input to Simplified for the model.")
@click.option("--force", "-f", is_flag=True, help="Overwrite existing output files.")
@engine_options
@common
def run(inputs, out, glossaries, no_default_glossary, formats, layout, repair, threshold, tm_path, no_cache,
        to_simplified, force, quiet, debug, **engine):
    """Translate articles (.txt, .md, .docx, or - for stdin) into bilingual review files.

    Writes STEM.bilingual.docx, STEM.bilingual.md, STEM.en.docx, STEM.en.md and STEM.json.

    \b
    Example:
      translate run ../shared/article/why-bat-did-not-build-deepseek.zh.txt -o out/
      translate run article.docx --model ./opus-mt-zh-en --beams 1 --format docx
    """
    from .pipeline import RunOptions, parse_formats, run_file

    try:
        chosen = parse_formats(formats)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--format") from exc
    options = RunOptions(out_dir=out, formats=chosen, layout=layout, glossaries=list(glossaries),
                         default_glossary=not no_default_glossary,
                         repair={None: "auto", True: "on", False: "off"}[repair], repair_threshold=threshold,
                         tm_path=tm_path, use_cache=not no_cache, force=force, quiet=quiet,
                         to_simplified=to_simplified, engine=settings_from(engine))
    failures = []
    for path in inputs:
        try:
            result = run_file(path, options)
        except RunFailed as failure:  # outputs were written; go on with the other articles
            click.echo(f"error: {failure}", err=True)
            failures.append(path)
            continue
        summary = result.summary
        if not quiet:
            click.echo(f"{path}: {summary['blocks']} blocks, {summary['translated_segments']} segments translated, "
                       f"{summary['cached_segments']} from cache, {summary['from_tm']} blocks from TM, "
                       f"{summary['repairs']} repairs, {summary['flags']} flags", err=True)
        for output in result.outputs:
            click.echo(str(output))
    if failures:
        sys.exit(1)


@cli.command()
@click.argument("input_path", metavar="INPUT")
@click.option("--output", "-o", help="Write the repaired text here (default: stdout).")
@click.option("--diff", is_flag=True, help="List the repairs instead of printing the text.")
@click.option("--threshold", default=0.5, show_default=True, type=click.FloatRange(0, 1),
              help="Confidence needed to restore an ambiguous spun form.")
@click.option("--force-repair", is_flag=True, help="Repair even if the text does not look spun.")
@common
def clean(input_path, output, diff, threshold, force_repair, quiet, debug):
    """Repair synonym-spun Chinese (东谈主 -> 人, 作念 -> 做), keeping the exact line structure.

    \b
    Example:
      translate clean article.zh.txt -o article.clean.txt
      translate clean article.zh.txt --diff
    """
    from .readers import read_bytes, decode
    from .repair import clean_lines

    if input_path.lower().endswith(".docx"):
        raise InputError("clean repairs text files (.txt, .md); for a .docx use 'translate run', whose bilingual "
                         "DOCX shows each repair as a tracked change", input_path)
    data, _, _ = read_bytes(input_path)
    text, _ = decode(data, input_path)
    repaired, repairs = clean_lines(text, threshold=threshold, force=force_repair)
    if diff:
        for line, repair in repairs:
            click.echo(f"{input_path}:{line}:{repair.offset + 1}: {repair.spun} -> {repair.restored} "
                       f"[{repair.rule} {repair.confidence:.2f}]")
        if not quiet:
            click.echo(f"{len(repairs)} repairs", err=True)
    elif output:
        from .atomic import write_text

        write_text(output, repaired)
    else:
        click.echo(repaired, nl=False)


@cli.group()
def model():
    """Get, convert and inspect translation models.

    \b
    Example:
      translate model pull Helsinki-NLP/opus-mt-zh-en --to models/opus-mt-zh-en
    """


@model.command("pull")
@click.argument("model_id")
@click.option("--to", "to", help="Folder to save the model in (for offline use with --model DIR).")
@common
def model_pull(model_id, to, quiet, debug):
    """Download a model from the Hugging Face hub for offline use.

    \b
    Example (on a connected machine):
      translate model pull Helsinki-NLP/opus-mt-zh-en --to models/opus-mt-zh-en
    """
    from .engines.models import pull

    click.echo(str(pull(model_id, to)))


@model.command("info")
@click.argument("model_name", metavar="MODEL")
@common
def model_info(model_name, quiet, debug):
    """Print what a model is: architecture, languages, size, engine.

    \b
    Example:
      translate model info models/opus-mt-zh-en
    """
    from .engines.models import info

    for key, value in info(model_name).items():
        click.echo(f"{key}: {value}")


@model.command("convert")
@click.argument("model_name", metavar="MODEL")
@click.option("--to", "to", help="Output folder (default: the cache the run command uses).")
@click.option("--quantization", type=click.Choice(["int8", "int8_float32", "int16", "float32"]), default="int8",
              show_default=True)
@common
def model_convert(model_name, to, quantization, quiet, debug):
    """Convert a transformers model to CTranslate2 (offline), keeping its tokenizer files.

    \b
    Example:
      translate model convert models/opus-mt-zh-en --to models/opus-mt-zh-en-ct2
    """
    from .engines.models import convert

    click.echo(str(convert(model_name, to, quantization, force=bool(to))))


@model.command("random")
@click.argument("folder")
@click.option("--size", type=click.Choice(["tiny", "opus-mt"]), default="tiny", show_default=True,
              help="tiny: seconds to build; opus-mt: the exact opus-mt-zh-en architecture (~300 MB).")
@common
def model_random(folder, size, quiet, debug):
    """Build a random-weight Marian model with real tokenizers, to try the pipeline offline.

    Its translations are gibberish: it exercises every stage (and measures speed), nothing more.

    \b
    Example:
      translate model random models/random && translate run article.txt --model models/random
    """
    from pathlib import Path

    from .bench import example_article
    from .engines.random_model import OPUS_MT_ZH_EN, TINY, build_marian

    source = example_article().read_text(encoding="utf-8").splitlines()
    target = (Path(__file__).parent / "data" / "bench_en.txt").read_text(encoding="utf-8").splitlines()
    click.echo(str(build_marian(Path(folder), source, target, TINY if size == "tiny" else OPUS_MT_ZH_EN)))


from .cli_more import register  # noqa: E402  (glossary, review, tm, bench commands)

register(cli, common, engine_options, settings_from)


def main() -> None:
    cli(prog_name="translate")

