"""Command-line interface: one module per noun, each a thin layer over library functions.

Commands import only click at module level, so `translate --help` starts fast.
"""

from __future__ import annotations

import os
import signal

import click

from .. import __version__
from ..errors import TranslateError, printable
from . import align, bench, clean, eval, glossary, model, review, run, tm
from .options import DEBUG_KEY

# Sections of `translate --help`, in order.
SECTIONS = {
    "Translate": ["run", "clean", "align", "check"],
    "Review and memory": ["review", "tm"],
    "Resources": ["glossary", "model"],
    "Measure": ["eval", "bench"],
}


# What an interrupted command leaves, by command: outputs are always written whole or not at all.
_AFTER_STOP = {
    "run": "finished segments are cached (unless --no-cache); run the same command again to resume",
    "tm": "an import keeps the pairs it stored so far, an export wrote nothing; run the same command again",
    "": "no output was half-written; run the same command again",
}


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: temp files removed, finished segments cached, exit 143."""


def _on_sigterm(signum, frame):
    raise Terminated()


class TranslateGroup(click.Group):
    """Turns our exceptions into one-line messages and exit codes, for every subcommand."""

    def invoke(self, ctx):
        try:
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        except ValueError:  # not the main thread (embedded use): leave signals alone
            previous = None
        try:
            return self._invoke(ctx)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def _invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except TranslateError as exc:
            if _debug(ctx):  # the traceback, and still the exit status scripts rely on
                import traceback

                traceback.print_exc()
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt as stop:
            what = "terminated" if isinstance(stop, Terminated) else "interrupted"
            click.echo(f"{what}; {_AFTER_STOP.get(ctx.invoked_subcommand, _AFTER_STOP[''])}", err=True)
            ctx.exit(143 if isinstance(stop, Terminated) else 130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            if _debug(ctx):
                raise
            if isinstance(exc, UnicodeEncodeError) and "surrogate" in str(exc):  # bad UTF-8 in an argument
                click.echo("error: an argument (a file name?) is not valid UTF-8; rename the file or pass it in UTF-8",
                           err=True)
                ctx.exit(2)
            click.echo(f"error: {type(exc).__name__}: {printable(str(exc))} (run again with --debug for details)",
                       err=True)
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


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.meta.get(DEBUG_KEY)) or os.environ.get("TRANSLATE_DEBUG") == "1"


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
