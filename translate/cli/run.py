"""`translate run`: articles in, bilingual review files out."""

from __future__ import annotations

import os
import sys

import click

from ..errors import printable
from .options import (
    common,
    engine_options,
    formats_from,
    glossary_option,
    output_options,
    repair_model_option,
    settings_from,
    xliff_option,
    xliff_version,
)


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@output_options
@xliff_option
@glossary_option
@click.option("--no-default-glossary", is_flag=True, help="Do not use the shipped tech glossary.")
@click.option("--repair/--no-repair", "repair", default=None, help="Repair spun source text (default: when detected).")
@click.option("--threshold", default=0.5, show_default=True, type=click.FloatRange(0, 1),
              help="Confidence needed to restore an ambiguous spun form.")
@repair_model_option
@click.option("--tm", "tm_path", help="Translation memory file (default OUT/tm.sqlite).")
@click.option("--no-cache", is_flag=True, help="Do not reuse or store segment translations.")
@click.option("--to-simplified", is_flag=True,
              help="Convert Traditional Chinese input (Big5, UTF-8 or .docx) to Simplified for the model.")
@click.option("--ray", "ray_address", metavar="ADDRESS", default=None,
              help="Spread the articles over a Ray cluster: 'local' starts one here, 'auto' or ray://HOST:PORT joins "
                   "one (pip install 'translate[ray]'). Outputs go to -o, which every worker must see.")
@click.option("--workers", type=click.IntRange(0), default=0,
              help="With --ray: engine workers (actors), each loading the model once (default: one per GPU, "
                   "else one per 4 CPUs).")
@engine_options
@common
def run(inputs, out, formats, layout, force, xliff_version_, glossaries, no_default_glossary, repair, threshold,
        repair_model, tm_path, no_cache, to_simplified, ray_address, workers, quiet, debug, **engine):
    """Translate articles (.txt, .md, .docx, or - for stdin) or folders of them into bilingual review files.

    Writes STEM.bilingual.docx, STEM.bilingual.md, STEM.en.docx, STEM.en.md and STEM.json;
    --format xliff adds STEM.xlf (XLIFF 1.2, or 2.1 with --xliff-version 2, for CAT tools;
    bring it back with 'translate review import').

    A folder is searched recursively and its outputs mirror its sub-folders under -o; articles are
    translated in shared batches, those already done are skipped, a bad one is reported in
    OUT/corpus-summary.json and the others go on (exit status 1 when any failed).

    \b
    Example:
      translate run ../shared/article/why-bat-did-not-build-deepseek.zh.txt -o out/
      translate run article.docx --model ./opus-mt-zh-en --beams 1 --format docx
      translate run article.txt --engine openai --api-base http://localhost:11434/v1 --api-model qwen2.5:7b
      translate run article.md --format xliff,json -o out/
      translate run archive/ -o out/ --model ./opus-mt-zh-en-ct2 --beams 2
      translate run archive/ -o /shared/out --ray auto --device cuda
    """
    from ..errors import InputError, RunFailed
    from ..pipeline.options import RunOptions
    from ..pipeline.outputs import check_distinct_outputs
    from ..pipeline.run import run_file

    options = RunOptions(out_dir=out, formats=formats_from(formats), layout=layout, glossaries=list(glossaries),
                         xliff_version=xliff_version(xliff_version_),
                         default_glossary=not no_default_glossary,
                         repair={None: "auto", True: "on", False: "off"}[repair], repair_threshold=threshold,
                         repair_model=repair_model, tm_path=tm_path, use_cache=not no_cache, force=force, quiet=quiet,
                         to_simplified=to_simplified, engine=settings_from(engine))
    if workers and not ray_address:
        raise click.UsageError("--workers sets the Ray workers; give --ray ADDRESS too")
    if ray_address or any(os.path.isdir(path) for path in inputs):
        _run_corpus(inputs, options, ray_address, workers, quiet)
        return
    inputs = _each_file_once(inputs, quiet)
    check_distinct_outputs(list(inputs))
    exit_code = 0
    for path in inputs:
        try:
            result = run_file(path, options)
        except RunFailed as failure:  # outputs were written; go on with the other articles
            _report(path, failure.result, quiet)
            click.echo(f"error: {failure}", err=True)
            exit_code = max(exit_code, failure.exit_code)
            continue
        except InputError as bad:  # one bad article does not stop the batch
            if len(inputs) == 1:
                raise
            click.echo(f"error: {bad}", err=True)
            exit_code = max(exit_code, bad.exit_code)
            continue
        _report(path, result, quiet)
    if exit_code:
        sys.exit(exit_code)


def _run_corpus(inputs, options, ray_address, workers, quiet) -> None:
    """Folders (or --ray): one line per failed article on stderr, the summary's path on stdout."""
    from ..pipeline.corpus import run_corpus

    result = run_corpus(list(inputs), options, ray=ray_address, workers=workers)
    for record in result.failed:
        click.echo(f"error: {printable(record['input'])}: {record['error']}", err=True)
    summary = result.summary
    if not quiet:
        click.echo(f"{summary['articles']} articles: {summary['translated']} translated, {summary['skipped']} already "
                   f"done, {summary['failed-blocks']} with failed blocks, {summary['error']} failed; "
                   f"{summary['blocks']} blocks, {summary['articles_per_second']} articles/s", err=True)
    click.echo(str(result.summary_path))
    if result.failed:
        sys.exit(1)


def _report(path, result, quiet) -> None:
    """The summary line (stderr) and the output paths (stdout) of one article."""
    if result is None:
        return
    summary = result.summary
    if not quiet:
        for warning in summary.get("warnings", []):
            click.echo(f"warning: {printable(path)}: {warning}", err=True)
        click.echo(f"{printable(path)}: {summary['blocks']} blocks, {summary['translated_segments']} segments "
                   f"translated, {summary['cached_segments']} from cache, {summary['from_tm']} blocks from TM, "
                   f"{summary['repairs']} repairs, {summary['flags']} flags"
                   + (f", {summary['reasked_blocks']} blocks re-asked, {summary['fallback_blocks']} by the "
                      "fallback engine" if "reasked_blocks" in summary else "")
                   + (f", context with English in {summary['context_with_translation']:.0%} of requests"
                      if summary.get("context_with_translation") is not None else ""), err=True)
    for output in result.outputs:
        click.echo(str(output))


COMMANDS = [run]


def _each_file_once(inputs, quiet: bool) -> list[str]:
    """An article named twice (spun.txt ./spun.txt) runs once, as a folder's files do; said, not refused."""
    from pathlib import Path

    kept, seen = [], set()
    for path in inputs:
        key = path if path == "-" else str(Path(path).resolve())
        if key in seen:
            if not quiet:
                click.echo(f"notice: {printable(path)} is named twice; it runs once", err=True)
            continue
        seen.add(key)
        kept.append(path)
    return kept

