"""Command-line interface: one module per noun, each a thin layer over library functions.

Commands import only click at module level, so `translate --help` starts fast.
"""

from __future__ import annotations

import os
import sys

import click

from .. import __version__
from ..errors import TranslateError
from . import align, bench, clean, eval, glossary, model, review, run, tm

# Sections of `translate --help`, in order.
SECTIONS = {
    "Translate": ["run", "clean", "align", "check"],
    "Review and memory": ["review", "tm"],
    "Resources": ["glossary", "model"],
    "Measure": ["eval", "bench"],
}


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

    def list_commands(self, ctx):
        listed = [name for names in SECTIONS.values() for name in names if name in self.commands]
        return listed + sorted(set(self.commands) - set(listed))

    def format_commands(self, ctx, formatter):
        placed = set()
        for section, names in SECTIONS.items():
            rows = [(n, self.commands[n].get_short_help_str(limit=70)) for n in names if n in self.commands]
            placed.update(n for n, _ in rows)
            if rows:
                with formatter.section(section):
                    formatter.write_dl(rows)
        rest = [(n, self.commands[n].get_short_help_str(limit=70)) for n in sorted(set(self.commands) - placed)]
        if rest:
            with formatter.section("Other"):
                formatter.write_dl(rest)


def _debug() -> bool:
    return "--debug" in sys.argv or os.environ.get("TRANSLATE_DEBUG") == "1"


@click.group(cls=TranslateGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="translate")
def cli():
    """Translate Chinese news articles into English for editorial review.

    \b
    Example:
      translate run article.zh.txt -o out/
    """


for _module in (run, clean, align, review, tm, glossary, model, eval, bench):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    cli(prog_name="translate")
