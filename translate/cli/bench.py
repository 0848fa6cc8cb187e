"""`translate bench`: speed of each engine setting, and the aligner, repair, LLM and scaling measures."""

from __future__ import annotations

import json

import click

from .options import common, repair_model_option

# Each mode measures something else; exactly one runs. `--align` is short for `--mode align`, and so on.
MODES = {
    "engines": "output tokens/s, seconds per article and peak RSS for each engine setting (the default)",
    "align": "the aligner, with and without its CC-CEDICT dictionary score: accuracy, 5,000 x 5,000 time, "
             "and an edit sweep (wrong links, drops found, warnings on wrong / right links)",
    "repair": "source repair: gain, recall and precision per form class on held-out sets, false changes, speed",
    "llm": "--engine openai concurrency against a loopback server that takes --delay seconds per request",
    "scaling": "RSS and time of a 5 MB paragraph, a 20,000-block DOCX (model replaced by a stand-in), a 1 MB "
               "paragraph of Markdown link fragments, a 20,000-row glossary import and lint, and "
               "500 / 1,000 / 2,000-paragraph runs",
    "corpus": "N short articles as a folder against one file of the same text (at most 1.5x), articles/s and "
              "peak RSS for each --articles size, and the folder on a local Ray cluster",
}


def _mode_flag(name: str):
    return click.option(f"--{name}", f"mode_{name}", is_flag=True, help=f"Short for --mode {name}.")


@click.command("bench")
@click.option("--mode", type=click.Choice(list(MODES)), default=None,
              help="What to measure: " + "; ".join(f"{k}: {v}" for k, v in MODES.items()) + ".")
@_mode_flag("align")
@_mode_flag("repair")
@_mode_flag("llm")
@_mode_flag("scaling")
@_mode_flag("corpus")
@click.option("--random-weights", is_flag=True,
              help="Use a cached random-weight model with opus-mt-zh-en's exact architecture.")
@click.option("--model", "-m", default=None, help="Model to measure (default: the random-weight model).")
@click.option("--article", default=None, help="Article to translate (default: the shipped example).")
@click.option("--paragraphs", type=click.IntRange(1), default=None, help="Only the first N paragraphs.")
@click.option("--only", default="", help="Comma list of setting names to run (see --list).")
@click.option("--list", "list_only", is_flag=True, help="List the settings and exit.")
@click.option("--pipeline", is_flag=True, help="Also measure the stages around the model, a warm re-run and --help.")
@click.option("--concurrency", type=click.IntRange(1), default=8, show_default=True, help="llm: requests in flight.")
@click.option("--delay", type=click.FloatRange(0), default=0.5, show_default=True, help="llm: seconds per request.")
@click.option("--articles", default="20,200,2000", show_default=True,
              help="corpus: comma list of corpus sizes (articles of three paragraphs).")
@click.option("--no-ray", is_flag=True, help="corpus: leave out the Ray local-cluster run.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@repair_model_option
@common
def bench(mode, mode_align, mode_repair, mode_llm, mode_scaling, mode_corpus, random_weights, model, article,
          paragraphs, only, list_only, pipeline, concurrency, delay, articles, no_ray, as_json, repair_model, quiet,
          debug):
    """Measure the engines (the default), the aligner, source repair, the LLM engine, scaling or corpus runs.

    \b
    Example:
      translate bench --random-weights --json
      translate bench --random-weights --paragraphs 8 --only naive,ct2-beam4
      translate bench --mode repair          (or: translate bench --repair)
      translate bench --llm --concurrency 8 --delay 0.5
      translate bench --corpus --articles 20,200
    """
    chosen = {m for m, given in (("align", mode_align), ("repair", mode_repair), ("llm", mode_llm),
                                 ("scaling", mode_scaling), ("corpus", mode_corpus)) if given}
    chosen |= {mode} if mode else set()
    if len(chosen) > 1:
        raise click.UsageError(f"{' and '.join(sorted(chosen))} are different measures; give one --mode")
    mode = chosen.pop() if chosen else "engines"
    if mode == "engines":
        _engines(random_weights, model, article, paragraphs, only, list_only, pipeline, as_json, quiet)
    elif mode == "align":
        from ..measure.bench import run_align_bench

        click.echo(json.dumps(run_align_bench(), indent=1))
    elif mode == "llm":
        from ..measure.bench_llm import run_llm_bench

        click.echo(json.dumps(run_llm_bench(concurrency, delay, article), indent=1))
    elif mode == "scaling":
        from ..measure.bench import run_scaling_bench
        from ..measure.scaling import run_scaling_huge

        report = run_scaling_huge()  # 5 MB paragraph, 20,000-block DOCX, 1 MB of link fragments, 20,000-row glossary
        report.update(run_scaling_bench())
        click.echo(json.dumps(report, indent=1))
    elif mode == "corpus":
        from ..measure.corpus_bench import run_corpus_bench

        try:
            sizes = [int(n) for n in articles.split(",") if n.strip()]
        except ValueError:
            raise click.BadParameter("give a comma list of numbers, e.g. 20,200", param_hint="--articles") from None
        click.echo(json.dumps(run_corpus_bench(sizes, ray=not no_ray, quiet=quiet), indent=1))
    elif mode == "repair":
        from ..measure.repair import format_report
        from ..measure.repair import report as repair_report
        from ..repair.language_model import load_scorer

        result = repair_report(scorer=load_scorer(repair_model))
        click.echo(json.dumps(result, indent=1, ensure_ascii=False) if as_json else format_report(result))


def _engines(random_weights, model, article, paragraphs, only, list_only, pipeline, as_json, quiet) -> None:
    from ..measure import bench as measures

    if list_only:
        for setting in measures.SETTINGS:
            click.echo(f"{setting.name}\t{setting.describe()}")
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
