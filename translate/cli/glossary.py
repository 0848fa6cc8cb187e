"""`translate glossary ...`: list, edit, lint, exchange and suggest glossary entries."""

from __future__ import annotations

import sys

import click

from .options import common, emit, force_option


def _default_glossary() -> str:
    from ..glossary.model import default_glossary_path

    return str(default_glossary_path())


def _editable(path: str | None) -> str:
    from ..glossary.model import editable_glossary

    return editable_glossary(path)


def _notices(notices: list[str], quiet: bool) -> None:
    for notice in notices if not quiet else []:
        click.echo(f"notice: {notice}", err=True)


@click.group("glossary")
def glossary():
    """Maintain glossaries (CSV: source,target,kind,note[,context][,avoid]; any column order, extra columns kept).

    context syntax: see the shipped CSV's header. avoid: forbidden renderings, |-separated.
    add, remove and import edit the file given with -g (or $TRANSLATE_GLOSSARY); the shipped
    glossary is read-only here. Edits rewrite only the changed row: BOM, line endings, quoting and
    file mode stay as the file had them.

    \b
    Example:
      translate glossary lint && translate glossary suggest article.zh.txt -n 10
    """


@glossary.command("list")
@click.option("--grep", "pattern", default="", help="Only entries containing TEXT.")
@click.option("-g", "--glossary", "paths", multiple=True, help="Glossary CSV (default: the shipped one).")
@common
def list_(pattern, paths, quiet, debug):
    """List glossary entries.

    \b
    Example:
      translate glossary list --grep 幻方
    """
    from ..glossary.model import grep, load_glossaries

    loaded = load_glossaries(list(paths), use_default=not paths)
    _notices(loaded.notices, quiet)
    for entry in grep(loaded, pattern):
        avoid = f"\tavoid: {'|'.join(entry.avoid)}" if entry.avoid else ""
        click.echo(f"{'|'.join(entry.sources)}\t{entry.target}\t{entry.kind}\t{entry.note}{avoid}")


@glossary.command("add")
@click.argument("source")
@click.argument("target", default="")
@click.option("--kind", type=click.Choice(["term", "name", "keep"]), default=None,
              help="term, name or keep (a new entry: term; an updated one keeps its kind when not given).")
@click.option("--note", default=None, help="Note (an updated row keeps its note when not given).")
@click.option("--avoid", default=None, help="Forbidden renderings, |-separated (QA flags them as term-forbidden).")
@click.option("-g", "--glossary", "path", default=None, help="Glossary CSV to edit (default: $TRANSLATE_GLOSSARY).")
@common
def add(source, target, kind, note, avoid, path, quiet, debug):
    """Add or update an entry (atomic; safe when two run at once).

    \b
    Example:
      translate glossary add 月之暗面 "Moonshot AI" --kind name -g my.csv
    """
    from ..glossary.model import add_entry, split_variants

    path = _editable(path)
    avoided = split_variants(avoid) if avoid is not None else None
    from ..controls import visible_text

    status = add_entry(path, source, target, kind, note, avoided)
    source, target = visible_text(source), visible_text(target)  # as stored: no bidi override reaches the terminal
    if not quiet:
        click.echo(f"{status}: {source} -> {target or source} in {path}")


@glossary.command("remove")
@click.argument("source")
@click.option("-g", "--glossary", "path", default=None, help="Glossary CSV to edit (default: $TRANSLATE_GLOSSARY).")
@common
def remove(source, path, quiet, debug):
    """Remove SOURCE: every row whose only source it is; from a row with other variants (人工智能|AI技术),
    only that variant.

    \b
    Example:
      translate glossary remove 月之暗面 -g my.csv
    """
    from ..glossary.model import remove_entry

    path = _editable(path)
    removed = remove_entry(path, source)
    if not removed:
        click.echo(f"error: {path}: no entry for '{source}'", err=True)
        sys.exit(1)
    if not quiet:
        click.echo(f"removed: {source} from {path}" + (f" ({removed} rows held it)" if removed > 1 else ""))


@glossary.command("lint")
@click.option("-g", "--glossary", "paths", multiple=True, help="Glossary CSV (default: the shipped one).")
@common
def lint_(paths, quiet, debug):
    """Check glossaries: duplicates, conflicts, nested contradictions, empty fields, whitespace,
    bad context conditions, and short entries without context that occur inside common words.

    Prints file:line: problem (or file:line: warning: ...); exits 1 when there are any, 0 when clean.

    \b
    Example:
      translate glossary lint -g glossary/tech-zh-en.csv
    """
    from ..glossary.lint import lint

    problems = [p for path in (paths or [_default_glossary()]) for p in lint(path)]
    for problem in problems:
        click.echo(problem)
    if not quiet:
        click.echo(f"{len(problems)} problem(s)", err=True)
    sys.exit(1 if problems else 0)


@glossary.command("import")
@click.argument("file")
@click.option("-g", "--glossary", "path", default=None, help="Glossary CSV to merge into (default: $TRANSLATE_GLOSSARY).")
@common
def import_(file, path, quiet, debug):
    """Merge entries from a TBX (v3 or v2 martif) or CSV file; rows with shared variants are updated, not duplicated.

    TBX usage status: preferred English terms come first, admitted ones after; deprecated,
    superseded and forbidden ones go to the avoid column.

    \b
    Example:
      translate glossary import terms.tbx -g my.csv
    """
    from ..glossary.tbx import import_file

    path = _editable(path)
    warnings: list[str] = []
    counts = import_file(file, path, warnings)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if not quiet:
        click.echo(f"imported {sum(counts.values())} entries into {path} "
                   f"({counts['added']} added, {counts['updated']} updated, {counts['unchanged']} unchanged)")


@glossary.command("export")
@click.option("--format", "fmt", type=click.Choice(["tbx", "csv"]), default=None,
              help="tbx or csv (default: csv for an -o ending in .csv, else tbx).")
@click.option("-g", "--glossary", "paths", multiple=True, help="Glossary CSV (default: the shipped one).")
@click.option("--output", "-o", help="File to write (default: stdout).")
@force_option
@common
def export(fmt, paths, output, force, quiet, debug):
    """Export glossary entries as TBX-Basic or CSV.

    CSV cells that start with = + - @ (or a tab or CR) get a leading ' so spreadsheets do not run them.

    \b
    Example:
      translate glossary export --format tbx -o glossary.tbx
    """
    from ..glossary.model import load_glossaries, to_csv
    from ..glossary.tbx import to_tbx

    fmt = fmt or ("csv" if (output or "").lower().endswith(".csv") else "tbx")
    loaded = load_glossaries(list(paths), use_default=not paths)
    _notices(loaded.notices, quiet)
    entries = loaded.entries
    dropped = [e for e in entries if e.context or e.prompt_note] if fmt == "tbx" else []
    if dropped and not quiet:  # TBX has no data category for them: said, never silently lost
        click.echo(f"warning: {len(dropped)} entries have a context or prompt_note, which TBX does not carry "
                   "(export --format csv to keep them)", err=True)
    emit(to_tbx(entries) if fmt == "tbx" else to_csv(entries), output, force, {"glossary": list(paths)})


@glossary.command("suggest")
@click.argument("articles", nargs=-1, required=True, metavar="ARTICLE...")
@click.option("--translation", "translations", multiple=True, metavar="EN_FILE",
              help="English translation of an ARTICLE (repeatable: one per article, in order): proposals are "
              "the translator's renderings.")
@click.option("--tm", "tm_path", default=None, metavar="FILE",
              help="Translation memory (.sqlite): proposals from its approved pairs and editors' replacements; "
              "lists glossary entries it contradicts.")
@click.option("-n", "count", default=40, show_default=True, type=click.IntRange(1), help="How many candidates.")
@click.option("-g", "--glossary", "paths", multiple=True, help="Glossary CSV whose terms are left out (repeatable).")
@click.option("--no-default-glossary", is_flag=True, help="Do not leave out the shipped glossary's terms.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True,
              help="csv: source,target,kind,note,count,proposed_by,evidence,example, ready for 'glossary import'.")
@click.option("--output", "-o", help="File to write (default: stdout).")
@force_option
@common
def suggest(articles, translations, tm_path, count, paths, no_default_glossary, fmt, output, force, quiet, debug):
    """Term candidates in ARTICLE(s) that no glossary has (people, organisations, products, places,
    Latin tokens, multi-word terms), each with a proposed English rendering and where it came from:
    translation (--translation), review and tm (--tm), dictionary (CC-CEDICT) or pinyin.

    Edit the CSV (delete the rows you reject, correct targets), then import it.

    \b
    Example:
      translate glossary suggest article.zh.txt --translation article.en.txt --format csv -o terms.csv
      translate glossary import terms.csv -g desk.csv && translate glossary lint -g desk.csv
    """
    from ..glossary.model import load_glossaries
    from ..glossary.suggest import suggest as suggest_terms
    from ..glossary.suggest import to_csv, to_table

    glossary_ = load_glossaries(list(paths), use_default=not no_default_glossary)
    _notices(glossary_.notices, quiet)
    report = suggest_terms(list(articles), glossary_, list(translations), tm_path, count)
    emit(to_csv(report) if fmt == "csv" else to_table(report), output, force,
         {"glossary": list(paths), "article": list(articles) + list(translations), "translation memory": [tm_path]})
    if not quiet:
        click.echo(f"{len(report.suggestions)} candidate(s)"
                   + (f", {len(report.contradicted)} glossary entr(ies) contradicted by the TM"
                      if report.contradicted else ""), err=True)


COMMANDS = [glossary]
