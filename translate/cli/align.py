"""`translate align` and `translate check`: an existing English translation lined up with its Chinese source,
and checked."""

from __future__ import annotations

import click

from ..errors import printable
from .options import (
    common,
    engine_options,
    formats_from,
    glossary_option,
    output_options,
    settings_from,
    xliff_option,
    xliff_version,
)

omissions_option = click.option(
    "--omissions/--no-omissions", default=True, show_default=True,
    help="Flag sentences the translation seems to leave out (few of their CC-CEDICT words in it).")


@click.command("align")
@click.argument("source")
@click.argument("target")
@output_options
@xliff_option
@glossary_option
@click.option("--tm", "tm_path", help="Add confident 1-1 paragraph pairs to this translation memory.")
@click.option("--mt", is_flag=True, help="Also compare with a machine translation of the source (needs a model).")
@omissions_option
@engine_options
@common
def align(source, target, out, formats, layout, force, xliff_version_, glossaries, tm_path, mt, omissions, quiet, debug,
          **engine):
    """Align an existing English translation (TARGET) with its Chinese SOURCE, paragraph by paragraph.

    Writes the same bilingual files as `translate run`, the translation column filled from
    TARGET, with "links" (and low-confidence flags) in STEM.json.

    \b
    Example:
      translate align article.zh.txt article.en.txt -o out/ --tm out/tm.sqlite
    """
    from ..align.files import align_files
    from ..pipeline.options import RunOptions

    options = RunOptions(out_dir=out, formats=formats_from(formats), layout=layout, glossaries=list(glossaries),
                         xliff_version=xliff_version(xliff_version_), tm_path=tm_path, force=force, quiet=quiet,
                         engine=settings_from(engine))
    result = align_files(source, target, options, mt=mt, omissions=omissions)
    if not quiet:
        summary = result.summary
        click.echo(f"{printable(source)}: {summary['blocks']} blocks, {summary['links']} links, "
                   f"{summary['low_confidence']} low-confidence, {summary['dropped']} dropped, "
                   f"{summary['added']} added, {summary['merged']} merged, {summary['split']} split, "
                   f"{summary['blank']} blank; QA: {summary['errors']} error(s), {summary['warnings']} warning(s)",
                   err=True)
    for path in result.outputs:
        click.echo(str(path))


@click.command("check")
@click.argument("source")
@click.argument("translation")
@output_options
@glossary_option
@click.option("--tm", "tm_path", help="Also check consistency with this translation memory (read, never written).")
@omissions_option
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
              help="The lowest severity that fails the check (exit 1): warning for stricter desks.")
@common
def check(source, translation, out, formats, layout, force, glossaries, tm_path, omissions, fail_on, quiet, debug):
    """Check a human or vendor TRANSLATION of SOURCE: align them, then run every QA check.

    Numbers (with their scale, dates with month names, ordinals, numbers in words) and numbers the
    translation adds; Latin tokens; glossary terms and names (a short form after the full one is
    fine); Chinese left in; repetition; empty, cut-off, dropped, merged, split or blank paragraphs;
    sentences left out; consistency (a source sentence or a name rendered two ways, one English for
    two sources, and with --tm, paragraphs the memory holds with another translation).
    The flags go into the same files as `translate align` writes (DOCX comments, Markdown notes,
    JSON "flags"). Exit status: 0 no error flag, 1 error flags (with --fail-on warning: any
    warning too), 2 bad input.

    \b
    Example:
      translate check article.zh.txt article.vendor.en.docx -o qa/ -g house.csv
    """
    from ..align.files import check_files
    from ..pipeline.options import RunOptions

    options = RunOptions(out_dir=out, formats=formats_from(formats), layout=layout, glossaries=list(glossaries),
                         force=force, quiet=quiet)
    result = check_files(source, translation, options, omissions=omissions, tm=tm_path)
    summary = result.summary
    if not quiet:
        for number, block_id, severity, code, message in result.problems:
            message = " ⏎ ".join(part.strip() for part in message.splitlines() if part.strip())  # one problem a line
            click.echo(f"{printable(translation)}: paragraph {number} ({block_id}): {severity} [{code}] {message}",
                       err=True)
        codes = ", ".join(f"{code} {count}" for code, count in summary["codes"].items())
        click.echo(f"{printable(translation)}: {summary['blocks']} blocks, {summary['errors']} error(s), "
                   f"{summary['warnings']} warning(s), {summary['dropped']} dropped, {summary['added']} added, "
                   f"{summary['merged']} merged, {summary['split']} split, {summary['blank']} blank"
                   + (f" ({codes})" if codes else ""), err=True)
    for path in result.outputs:
        click.echo(str(path))
    if result.fails_on(fail_on):
        click.get_current_context().exit(1)


COMMANDS = [align, check]
