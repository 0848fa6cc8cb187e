"""`translate model ...`: get, convert, inspect and build models."""

from __future__ import annotations

import click

from .options import api_options, common, force_option, settings_from


@click.group()
def model():
    """Get, convert and inspect translation models.

    \b
    Example:
      translate model pull Helsinki-NLP/opus-mt-zh-en --to models/opus-mt-zh-en
    """


@model.command("pull")
@click.argument("model_id")
@click.option("--to", "to", help="Folder to save the model in (for offline use with --model DIR).")
@force_option
@common
def model_pull(model_id, to, force, quiet, debug):
    """Download a model from the Hugging Face hub for offline use.

    \b
    Example (on a connected machine):
      translate model pull Helsinki-NLP/opus-mt-zh-en --to models/opus-mt-zh-en
    """
    from ..engines.models import pull

    click.echo(str(pull(model_id, to, force)))


@model.command("info")
@click.argument("model_name", metavar="MODEL", required=False)
@click.option("--engine", type=click.Choice(["auto", "ctranslate2", "transformers", "openai"]), default="auto",
              help="openai: ask the --api-base server whether it answers and which models it serves.")
@api_options
@common
def model_info(model_name, quiet, debug, **engine):
    """Print what a model is (architecture, family, languages, licence, size, engine), or what a server serves.

    Warns when the model's files give a non-commercial licence (NLLB-200: CC-BY-NC-4.0). With
    --engine openai, exits 1 when a base does not answer or does not serve --api-model.

    \b
    Example:
      translate model info models/opus-mt-zh-en
      translate model info --engine openai --api-base http://localhost:11434/v1
    """
    settings = settings_from(engine)
    if settings.engine == "openai":
        from ..engines.openai_compat import server_info

        details = server_info(settings)
    elif model_name:
        from ..engines.models import info

        details = info(model_name)
    else:
        raise click.UsageError("give a MODEL, or --engine openai --api-base URL")
    warning = details.pop("licence_warning", None)
    healthy = details.pop("ok", True)
    for key, value in details.items():
        click.echo(f"{key}: {value}")
    if warning:
        click.echo(f"warning: {warning}", err=True)
    if not healthy:  # a dead base or a model it does not serve: scripts checking a fleet see it
        raise SystemExit(1)


@model.command("convert")
@click.argument("model_name", metavar="MODEL")
@click.option("--to", "to", help="Output folder (default: the cache the run command uses).")
@click.option("--quantization", type=click.Choice(["int8", "int8_float32", "int16", "float32"]), default="int8",
              show_default=True)
@force_option
@common
def model_convert(model_name, to, quantization, force, quiet, debug):
    """Convert a transformers model to CTranslate2 (offline), keeping its tokenizer files.

    \b
    Example:
      translate model convert models/opus-mt-zh-en --to models/opus-mt-zh-en-ct2
    """
    from ..engines.models import convert

    click.echo(str(convert(model_name, to, quantization, force=force)))


@model.command("random")
@click.argument("folder")
@click.option("--size", type=click.Choice(["tiny", "opus-mt"]), default="tiny", show_default=True,
              help="tiny: seconds to build; opus-mt: the exact opus-mt-zh-en architecture (~300 MB).")
@click.option("--family", type=click.Choice(["marian", "m2m100", "nllb", "madlad"]), default="marian",
              show_default=True, help="Model family (m2m100, nllb and madlad come in the tiny size only).")
@force_option
@common
def model_random(folder, size, family, force, quiet, debug):
    """Build a random-weight model with real tokenizers, to try the pipeline offline.

    Its translations are gibberish: it exercises every stage (and measures speed), nothing more.

    \b
    Example:
      translate model random models/random && translate run article.txt --model models/random
      translate model random models/nllb-random --family nllb
    """
    from ..engines.model_folders import build_into, target_folder

    if family != "marian" and size != "tiny":
        raise click.BadParameter(f"{family} comes in the tiny size only", param_hint="--size")
    target = target_folder(folder, force)
    if family != "marian":
        from ..engines.random_families import build_example_family

        click.echo(str(build_into(target, lambda work: build_example_family(work, family))))
        return
    from ..engines.random_model import build_example_marian

    click.echo(str(build_into(target, lambda work: build_example_marian(work, size))))


COMMANDS = [model]
