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
    from ..memory import export_tmx, with_tm

    with with_tm(tm_path) as memory:
        emit(export_tmx(memory), output, force)


@tm.command("import")
@click.argument("file")
@click.option("--tm", "tm_path", default="out/tm.sqlite", show_default=True)
@common
def import_(file, tm_path, quiet, debug):
    """Import a TMX file into the translation memory.

    \b
    Example:
      translate tm import memory.tmx --tm out/tm.sqlite
    """
    from ..memory import import_tmx_file

    click.echo(f"imported {import_tmx_file(file, tm_path)} pairs into {tm_path}")


COMMANDS = [tm]
