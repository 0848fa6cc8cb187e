"""`translate bench`: speed of each engine setting, and the aligner, repair and scaling measures."""

from __future__ import annotations

import json

import click

from .options import common


@click.command("bench")
@click.option("--random-weights", is_flag=True,
              help="Use a cached random-weight model with opus-mt-zh-en's exact architecture.")
@click.option("--model", "-m", default=None, help="Model to measure (default: the random-weight model).")
@click.option("--article", default=None, help="Article to translate (default: the shipped example).")
@click.option("--paragraphs", type=click.IntRange(1), default=None, help="Only the first N paragraphs.")
@click.option("--only", default="", help="Comma list of setting names to run (see --list).")
@click.option("--list", "list_only", is_flag=True, help="List the settings and exit.")
@click.option("--pipeline", is_flag=True, help="Also measure the stages around the model, a warm re-run and --help.")
@click.option("--align", "align_", is_flag=True, help="Measure the aligner instead (accuracy, 5,000 x 5,000 time, "
              "drops found and warnings on wrong / right links in an edit sweep).")
@click.option("--repair", "repair_", is_flag=True, help="Measure source repair instead: gain, recall and precision "
              "per form class on held-out sets, false changes, speed.")
@click.option("--llm", is_flag=True, help="Measure --engine openai concurrency against a loopback server that "
              "takes --delay seconds per request, instead.")
@click.option("--concurrency", type=click.IntRange(1), default=8, show_default=True, help="With --llm: requests in flight.")
@click.option("--delay", type=click.FloatRange(0), default=0.5, show_default=True, help="With --llm: seconds per request.")
@click.option("--scaling", is_flag=True, help="Measure RSS and time of a 5 MB paragraph, a 20,000-block DOCX (model "
              "replaced by a stand-in) and 500 / 1,000 / 2,000-paragraph runs instead.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common
def bench(random_weights, model, article, paragraphs, only, list_only, pipeline, align_, repair_, llm, concurrency,
          delay, scaling, as_json, quiet, debug):
    """Measure output tokens/s, seconds per article and peak RSS for each engine setting.

    \b
    Example:
      translate bench --random-weights --json
      translate bench --random-weights --paragraphs 8 --only naive,ct2-beam4
      translate bench --repair
      translate bench --llm --concurrency 8 --delay 0.5
    """
    from ..measure import bench as measures

    if list_only:
        for setting in measures.SETTINGS:
            click.echo(f"{setting.name}\t{setting.describe()}")
        return
    if align_:
        click.echo(json.dumps(measures.run_align_bench(), indent=1))
        return
    if llm:
        from ..measure.bench_llm import run_llm_bench

        click.echo(json.dumps(run_llm_bench(concurrency, delay, article), indent=1))
        return
    if scaling:
        from ..measure.scaling import run_scaling_huge

        report = run_scaling_huge()  # the stages around the model on a 5 MB paragraph and a 20,000-block DOCX
        report.update(measures.run_scaling_bench())
        click.echo(json.dumps(report, indent=1))
        return
    if repair_:
        from ..measure.repair import format_report, report as repair_report

        result = repair_report()
        click.echo(json.dumps(result, indent=1, ensure_ascii=False) if as_json else format_report(result))
        return
    report = measures.run_bench(model=model, random_weights=random_weights or model is None, article=article,
                                paragraphs=paragraphs, only=[o for o in only.split(",") if o], quiet=quiet)
    if pipeline:
        try:
            report["pipeline"] = measures.run_pipeline_bench(model=model, article=article)
        except RuntimeError as exc:  # the engine figures above still stand
            report["pipeline"] = {"error": str(exc)}
    if as_json:
        click.echo(json.dumps(report, indent=1))
        return
    for row in report["results"]:
        click.echo(f"{row['name']:<22} {row['engine']:<13} {row['batching']:<9} beams={row['beams']} "
                   f"{row['out_tokens_per_s']:8.1f} tok/s {row['seconds']:7.1f} s "
                   f"{row['peak_rss_mb']:7.0f} MB" + (f"  x{row['speedup']:.1f}" if row["speedup"] else ""))
    if pipeline:
        click.echo(json.dumps(report["pipeline"]))


COMMANDS = [bench]
