"""`translate tm ...`: the translation memory as TMX."""

from __future__ import annotations

import click

from .options import common, emit, force_option


@click.group("tm")
def tm():
    """Translation memory: export and import TMX 1.4.

    \b
    Example:
      translate tm export --format tmx -o memory.tmx
    """


@tm.command("export")
@click.option("--tm", "tm_path", default="out/tm.sqlite", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["tmx"]), default="tmx", show_default=True)
@click.option("--output", "-o", help="File to write (default: stdout).")
@force_option
@common
def export(tm_path, fmt, output, force, quiet, debug):
    """Export the translation memory as TMX.

    \b
    Example:
      translate tm export --format tmx -o memory.tmx
    """
    from ..memory.tm import with_tm
    from ..memory.tmx import export_tmx

    with with_tm(tm_path, read_only=True) as memory:  # never written: a missing file is an error
        emit(export_tmx(memory), output, force, {"translation memory": [tm_path]})


@tm.command("import")
@click.argument("file")
@click.option("--tm", "tm_path", default="out/tm.sqlite", show_default=True)
@click.option("--to-simplified", is_flag=True,
              help="Use zh-TW/zh-Hant variants of units that lack a Simplified one, converted (never over a zh-CN entry).")
@click.option("--overwrite", is_flag=True,
              help="Replace pairs an editor reviewed (review import) with the file's; by default they are kept.")
@common
def import_(file, tm_path, to_simplified, overwrite, quiet, debug):
    """Import a TMX file into the translation memory.

    Inline codes (bpt, ept, ph, it, ut, hi) are left out of the stored text and kept for export;
    the zh-CN / zh-Hans / zh variant is used; units with unresolvable entities are reported, not stored.
    A pair an editor reviewed is kept over a different translation in the file (each such conflict
    is listed) unless --overwrite.

    \b
    Example:
      translate tm import memory.tmx --tm out/tm.sqlite
    """
    from ..memory.tm import import_tmx_file

    report = import_tmx_file(file, tm_path, to_simplified=to_simplified, overwrite=overwrite)
    for source, kept, offered in report.conflicts:
        click.echo(f"conflict: {file}: {source[:60]!r}: kept the reviewed {kept[:80]!r}, not {offered[:80]!r}",
                   err=True)
    for problem in report.problems:
        click.echo(f"warning: {file}: {problem}", err=True)
    if report.traditional_skipped:
        click.echo(f"warning: {file}: {report.traditional_skipped} unit(s) have only a Traditional Chinese variant; "
                   "not stored (use --to-simplified to convert them)", err=True)
    if report.incomplete:
        click.echo(f"warning: {file}: {report.incomplete} unit(s) left out: no Chinese (zh) or English (en) "
                   "segment, or an empty one", err=True)
    if report.kept_existing:
        click.echo(f"notice: {report.kept_existing} converted Traditional unit(s) left out: a Simplified entry exists",
                   err=True)
    kept = f"; {len(report.conflicts)} reviewed pair(s) kept (--overwrite to replace them)" if report.conflicts else ""
    if not quiet:
        click.echo(f"imported {report.stored} pairs into {tm_path}"
                   f"{f'; {report.unchanged} already held' if report.unchanged else ''}"
                   f"{f'; {report.duplicates} repeated in the file' if report.duplicates else ''}{kept}")


COMMANDS = [tm]
