"""CLI commands by noun: glossary, review, tm, bench. Thin wrappers over library functions."""

from __future__ import annotations

import json
import sys

import click


def register(cli, common, engine_options, settings_from) -> None:
    cli.add_command(glossary_group(common))
    cli.add_command(review_group(common))
    cli.add_command(tm_group(common))
    cli.add_command(bench_command(common))
    cli.add_command(align_command(common, engine_options, settings_from))


def _default_glossary() -> str:
    from .glossary import default_glossary_path

    return str(default_glossary_path())


def glossary_group(common):
    @click.group("glossary")
    def group():
        """Maintain glossaries (CSV: source,target,kind,note).

        \b
        Example:
          translate glossary lint && translate glossary suggest article.zh.txt -n 10
        """

    @group.command("list")
    @click.option("--grep", "pattern", default="", help="Only entries containing TEXT.")
    @click.option("-g", "--glossary", "paths", multiple=True, help="Glossary CSV (default: the shipped one).")
    @common
    def list_(pattern, paths, quiet, debug):
        """List glossary entries.

        \b
        Example:
          translate glossary list --grep 幻方
        """
        from .glossary import grep, load_glossaries

        for entry in grep(load_glossaries(list(paths), use_default=not paths), pattern):
            click.echo(f"{'|'.join(entry.sources)}\t{entry.target}\t{entry.kind}\t{entry.note}")

    @group.command("add")
    @click.argument("source")
    @click.argument("target", default="")
    @click.option("--kind", type=click.Choice(["term", "name", "keep"]), default="term", show_default=True)
    @click.option("--note", default="")
    @click.option("-g", "--glossary", "path", default=None, help="Glossary CSV to edit (default: the shipped one).")
    @common
    def add(source, target, kind, note, path, quiet, debug):
        """Add or update an entry (atomic; safe when two run at once).

        \b
        Example:
          translate glossary add 月之暗面 "Moonshot AI" --kind name -g my.csv
        """
        from .glossary import add_entry

        path = path or _default_glossary()
        click.echo(f"{add_entry(path, source, target, kind, note)}: {source} -> {target or source} in {path}")

    @group.command("remove")
    @click.argument("source")
    @click.option("-g", "--glossary", "path", default=None, help="Glossary CSV to edit (default: the shipped one).")
    @common
    def remove(source, path, quiet, debug):
        """Remove the entry whose source (or a variant) is SOURCE.

        \b
        Example:
          translate glossary remove 月之暗面 -g my.csv
        """
        from .glossary import remove_entry

        path = path or _default_glossary()
        if not remove_entry(path, source):
            click.echo(f"error: {path}: no entry for '{source}'", err=True)
            sys.exit(1)
        click.echo(f"removed: {source} from {path}")

    @group.command("lint")
    @click.option("-g", "--glossary", "paths", multiple=True, help="Glossary CSV (default: the shipped one).")
    @common
    def lint_(paths, quiet, debug):
        """Check glossaries: duplicates, conflicts, nested contradictions, empty fields, whitespace.

        Prints file:line: problem; exits 1 when there are problems, 0 when clean.

        \b
        Example:
          translate glossary lint -g glossary/tech-zh-en.csv
        """
        from .glossary import lint

        problems = [p for path in (paths or [_default_glossary()]) for p in lint(path)]
        for problem in problems:
            click.echo(problem)
        if not quiet:
            click.echo(f"{len(problems)} problem(s)", err=True)
        sys.exit(1 if problems else 0)

    @group.command("import")
    @click.argument("file")
    @click.option("-g", "--glossary", "path", default=None, help="Glossary CSV to add to (default: the shipped one).")
    @common
    def import_(file, path, quiet, debug):
        """Import entries from a TBX (TBX-Basic) or CSV file.

        \b
        Example:
          translate glossary import terms.tbx -g my.csv
        """
        from .glossary import import_file

        path = path or _default_glossary()
        click.echo(f"imported {import_file(file, path)} entries into {path}")

    @group.command("export")
    @click.option("--format", "fmt", type=click.Choice(["tbx", "csv"]), default="tbx", show_default=True)
    @click.option("-g", "--glossary", "paths", multiple=True, help="Glossary CSV (default: the shipped one).")
    @click.option("--output", "-o", help="File to write (default: stdout).")
    @common
    def export(fmt, paths, output, quiet, debug):
        """Export glossary entries as TBX-Basic or CSV.

        \b
        Example:
          translate glossary export --format tbx -o glossary.tbx
        """
        from .glossary import load_glossaries, to_csv, to_tbx

        entries = load_glossaries(list(paths), use_default=not paths).entries
        text = to_tbx(entries) if fmt == "tbx" else to_csv(entries)
        _emit(text, output)

    @group.command("suggest")
    @click.argument("article")
    @click.option("-n", "count", default=20, show_default=True, help="How many candidates.")
    @click.option("-g", "--glossary", "paths", multiple=True, help="Glossary CSV whose terms are left out.")
    @click.option("--no-default-glossary", is_flag=True, help="Do not leave out the shipped glossary's terms.")
    @common
    def suggest(article, count, paths, no_default_glossary, quiet, debug):
        """Candidate terms in ARTICLE that no glossary has: names, Latin tokens, frequent words.

        \b
        Example:
          translate glossary suggest article.zh.txt -n 10 --no-default-glossary
        """
        from .glossary import load_glossaries
        from .suggest import suggest_terms

        glossary = load_glossaries(list(paths), use_default=not no_default_glossary)
        for candidate in suggest_terms(article, glossary, count):
            click.echo(f"{candidate.text}\t{candidate.count}\t{candidate.category}\t{candidate.context}")

    return group


def review_group(common):
    @click.group("review")
    def group():
        """Bring an editor's corrected bilingual DOCX back.

        \b
        Example:
          translate review import out/article.bilingual.docx -o out/
        """

    @group.command("import")
    @click.argument("edited")
    @click.option("--out", "-o", default="out", show_default=True, help="Folder for the publication files.")
    @click.option("--tm", "tm_path", help="Translation memory to store approved pairs (default OUT/tm.sqlite).")
    @click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
    @common
    def import_(edited, out, tm_path, as_json, quiet, debug):
        """Read the editor's translations, report the edits, learn them, write STEM.en.docx/.md.

        \b
        Example:
          translate review import out/article.bilingual.docx
        """
        from .review import import_review

        report = import_review(edited, out, tm_path)
        if as_json:
            click.echo(json.dumps(report, ensure_ascii=False, indent=1))
            return
        for row in report["blocks"]:
            if row["changed"]:
                click.echo(f"{row['id']}: changed, {row['edit_distance']} characters edited"
                           f"{', tracked changes' if row['tracked_changes'] else ''}")
        for comment in report["comments"]:
            click.echo(f"comment by {comment['author']}: {comment['text']}")
        for warning in report["warnings"]:
            click.echo(f"warning: {warning}", err=True)
        click.echo(f"{report['changed']} of {len(report['blocks'])} blocks changed; post-edit effort "
                   f"{report['effort']:.1%}; {report['stored']} pairs stored in {report['tm']}")
        for path in report["outputs"]:
            click.echo(path)

    return group


def tm_group(common):
    @click.group("tm")
    def group():
        """Translation memory: export and import TMX 1.4.

        \b
        Example:
          translate tm export --format tmx -o memory.tmx
        """

    @group.command("export")
    @click.option("--tm", "tm_path", default="out/tm.sqlite", show_default=True)
    @click.option("--format", "fmt", type=click.Choice(["tmx"]), default="tmx", show_default=True)
    @click.option("--output", "-o", help="File to write (default: stdout).")
    @common
    def export(tm_path, fmt, output, quiet, debug):
        """Export the translation memory as TMX.

        \b
        Example:
          translate tm export --format tmx -o memory.tmx
        """
        from .memory import export_tmx, with_tm

        with with_tm(tm_path) as tm:
            _emit(export_tmx(tm), output)

    @group.command("import")
    @click.argument("file")
    @click.option("--tm", "tm_path", default="out/tm.sqlite", show_default=True)
    @common
    def import_(file, tm_path, quiet, debug):
        """Import a TMX file into the translation memory.

        \b
        Example:
          translate tm import memory.tmx --tm out/tm.sqlite
        """
        from pathlib import Path

        from .errors import InputError
        from .memory import import_tmx, with_tm

        if not Path(file).is_file():
            raise InputError("no such file; check the path", file)
        with with_tm(tm_path) as tm:
            click.echo(f"imported {import_tmx(tm, Path(file).read_bytes(), file)} pairs into {tm_path}")

    return group


def align_command(common, engine_options, settings_from):
    @click.command("align")
    @click.argument("source")
    @click.argument("target")
    @click.option("--out", "-o", default="out", show_default=True, help="Output folder.")
    @click.option("--format", "formats", default="docx,md,json", show_default=True, help="Subset of docx,md,json.")
    @click.option("--layout", type=click.Choice(["table", "interleaved"]), default="table", show_default=True)
    @click.option("--tm", "tm_path", help="Add confident 1-1 paragraph pairs to this translation memory.")
    @click.option("--mt", is_flag=True, help="Also compare with a machine translation of the source (needs a model).")
    @click.option("--glossary", "-g", "glossaries", multiple=True, help="Glossary CSV whose targets serve as anchors.")
    @click.option("--force", "-f", is_flag=True, help="Overwrite existing output files.")
    @engine_options
    @common
    def align(source, target, out, formats, layout, tm_path, mt, glossaries, force, quiet, debug, **engine):
        """Align an existing English translation (TARGET) with its Chinese SOURCE, paragraph by paragraph.

        Writes the same bilingual files as `translate run`, the translation column filled from
        TARGET, with "links" (and low-confidence flags) in STEM.json.

        \b
        Example:
          translate align article.zh.txt article.en.txt -o out/ --tm out/tm.sqlite
        """
        from .align import align_files
        from .pipeline import RunOptions, parse_formats

        try:
            chosen = parse_formats(formats)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--format") from exc
        options = RunOptions(out_dir=out, formats=chosen, layout=layout, glossaries=list(glossaries), tm_path=tm_path,
                             force=force, quiet=quiet, engine=settings_from(engine))
        result = align_files(source, target, options, mt=mt)
        if not quiet:
            summary = result.summary
            click.echo(f"{source}: {summary['blocks']} blocks, {summary['links']} links, "
                       f"{summary['low_confidence']} low-confidence", err=True)
        for path in result.outputs:
            click.echo(str(path))

    return align


def bench_command(common):
    @click.command("bench")
    @click.option("--random-weights", is_flag=True,
                  help="Use a cached random-weight model with opus-mt-zh-en's exact architecture.")
    @click.option("--model", "-m", default=None, help="Model to measure (default: the random-weight model).")
    @click.option("--article", default=None, help="Article to translate (default: the shipped example).")
    @click.option("--paragraphs", type=click.IntRange(1), default=None, help="Only the first N paragraphs.")
    @click.option("--only", default="", help="Comma list of setting names to run (see --list).")
    @click.option("--list", "list_only", is_flag=True, help="List the settings and exit.")
    @click.option("--pipeline", is_flag=True, help="Also measure the stages around the model, a warm re-run and --help.")
    @click.option("--align", "align_", is_flag=True, help="Measure the aligner instead (accuracy, 5,000 x 5,000 time).")
    @click.option("--repair", "repair_", is_flag=True, help="Measure source repair instead (recall, precision, speed).")
    @click.option("--scaling", is_flag=True, help="Measure RSS and time of 500 / 1,000 / 2,000-paragraph runs instead.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @common
    def bench(random_weights, model, article, paragraphs, only, list_only, pipeline, align_, repair_, scaling, as_json,
              quiet, debug):
        """Measure output tokens/s, seconds per article and peak RSS for each engine setting.

        \b
        Example:
          translate bench --random-weights --json
          translate bench --random-weights --paragraphs 8 --only naive,ct2-beam4
          translate bench --repair
        """
        from .bench import SETTINGS, run_align_bench, run_bench, run_pipeline_bench

        if list_only:
            for setting in SETTINGS:
                click.echo(f"{setting.name}\t{setting.describe()}")
            return
        if align_:
            click.echo(json.dumps(run_align_bench(), indent=1))
            return
        if scaling:
            from .bench import run_scaling_bench

            click.echo(json.dumps(run_scaling_bench(), indent=1))
            return
        if repair_:
            from .repair.evaluate import report as repair_report

            click.echo(json.dumps(repair_report(), indent=1))
            return
        report = run_bench(model=model, random_weights=random_weights or model is None, article=article,
                           paragraphs=paragraphs, only=[o for o in only.split(",") if o], quiet=quiet)
        if pipeline:
            try:
                report["pipeline"] = run_pipeline_bench(model=model, article=article)
            except RuntimeError as exc:  # the engine figures above still stand
                report["pipeline"] = {"error": str(exc)}
        if as_json:
            click.echo(json.dumps(report, indent=1))
        else:
            for row in report["results"]:
                click.echo(f"{row['name']:<22} {row['engine']:<13} {row['batching']:<9} beams={row['beams']} "
                           f"{row['out_tokens_per_s']:8.1f} tok/s {row['seconds']:7.1f} s "
                           f"{row['peak_rss_mb']:7.0f} MB" + (f"  x{row['speedup']:.1f}" if row["speedup"] else ""))
            if pipeline:
                click.echo(json.dumps(report["pipeline"]))

    return bench


def _emit(text: str, output: str | None) -> None:
    if output:
        from .atomic import write_text

        write_text(output, text)
    else:
        click.echo(text, nl=False)
