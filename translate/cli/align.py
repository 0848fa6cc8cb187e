"""`translate align`: an existing English translation lined up with its Chinese source."""

from __future__ import annotations

import click

from .options import (common, engine_options, formats_from, glossary_option, output_options, settings_from,
                      xliff_option, xliff_version)


@click.command("align")
@click.argument("source")
@click.argument("target")
@output_options
@xliff_option
@glossary_option
@click.option("--tm", "tm_path", help="Add confident 1-1 paragraph pairs to this translation memory.")
@click.option("--mt", is_flag=True, help="Also compare with a machine translation of the source (needs a model).")
@engine_options
@common
def align(source, target, out, formats, layout, force, xliff_version_, glossaries, tm_path, mt, quiet, debug, **engine):
    """Align an existing English translation (TARGET) with its Chinese SOURCE, paragraph by paragraph.

    Writes the same bilingual files as `translate run`, the translation column filled from
    TARGET, with "links" (and low-confidence flags) in STEM.json.

    \b
    Example:
      translate align article.zh.txt article.en.txt -o out/ --tm out/tm.sqlite
    """
    from ..align import align_files
    from ..pipeline import RunOptions

    options = RunOptions(out_dir=out, formats=formats_from(formats), layout=layout, glossaries=list(glossaries),
                         xliff_version=xliff_version(xliff_version_), tm_path=tm_path, force=force, quiet=quiet,
                         engine=settings_from(engine))
    result = align_files(source, target, options, mt=mt)
    if not quiet:
        summary = result.summary
        click.echo(f"{source}: {summary['blocks']} blocks, {summary['links']} links, "
                   f"{summary['low_confidence']} low-confidence", err=True)
    for path in result.outputs:
        click.echo(str(path))


COMMANDS = [align]
