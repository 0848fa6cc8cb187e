"""`translate eval`: chrF / BLEU and the pipeline's own checks, for one or several engine settings."""

from __future__ import annotations

import json

import click

from .options import common, engine_options, glossary_option, settings_from


@click.command("eval")
@click.argument("source", required=False)
@click.argument("reference", required=False)
@click.option("--reference-set", default=None,
              help="A reference set shipped with the package instead of SOURCE REFERENCE (default: example).")
@click.option("--setting", "setting_specs", multiple=True, metavar="NAME:key=value,...",
              help="A named setting over the engine options (repeatable), e.g. greedy:beams=1.")
@click.option("--settings", "settings_file", metavar="FILE",
              help="TOML file of settings: one [name] table each, e.g. [beam4] beams = 4.")
@glossary_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (keys include chrf and bleu).")
@engine_options
@common
def eval_(source, reference, reference_set, setting_specs, settings_file, glossaries, as_json, quiet, debug,
          **engine):
    """Translate SOURCE and score it against the English REFERENCE: chrF, BLEU, term and number accuracy.

    With no SOURCE REFERENCE, scores the shipped example article against its reference translation.
    Each --setting (or table of --settings) is run and scored on the same pair, and the results are
    printed side by side; without any, the engine options are the one setting. A setting that cannot
    run is marked FAILED under the table, the others keep their scores, and the exit status is 1.
    When the reference has a different number of paragraphs, the aligner pairs them first.

    \b
    Example:
      translate eval --model models/opus-mt-zh-en --setting greedy:beams=1 --setting beam4:beams=4
      translate eval article.zh.txt article.en.txt --model models/nllb-ct2 --json
      translate eval --settings settings.toml
    """
    from ..measure.evaluate import Setting, evaluate, format_table, parse_setting, read_settings_file
    from ..measure.evaluate import reference_set as shipped_set

    if bool(source) != bool(reference):
        raise click.UsageError("give both SOURCE and REFERENCE, or neither (for --reference-set)")
    if source and reference_set:
        raise click.UsageError("give SOURCE REFERENCE or --reference-set, not both")
    if not source:
        source, reference = shipped_set(reference_set or "example")
    base = settings_from(engine)
    settings = []
    for spec in setting_specs:
        try:
            settings.append(parse_setting(spec, base))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--setting") from exc
    if settings_file:
        settings += read_settings_file(settings_file, base)
    names = [s.name for s in settings]
    if len(set(names)) != len(names):
        raise click.BadParameter("each setting needs its own name", param_hint="--setting")
    report = evaluate(str(source), str(reference), settings or [Setting("default", base)], list(glossaries),
                      quiet=quiet)
    click.echo(json.dumps(report, indent=1, ensure_ascii=False) if as_json else format_table(report).rstrip("\n"))
    if report["failed_settings"]:  # the finished settings are printed; the exit status says one failed
        click.echo(f"error: setting(s) failed: {', '.join(report['failed_settings'])}", err=True)
        raise SystemExit(1)


COMMANDS = [eval_]
