"""`translate review import`: the editor's corrections back into the memory and the publication files."""

from __future__ import annotations

import json

import click

from .options import common, force_option


@click.group("review")
def review():
    """Bring an editor's corrected bilingual DOCX, or a CAT tool's XLIFF, back.

    \b
    Example:
      translate review import out/article.bilingual.docx -o out/
      translate review import done/article.xlf --tm out/tm.sqlite
    """


@review.command("import")
@click.argument("edited")
@click.option("--out", "-o", default="out", show_default=True, help="Folder for the publication files.")
@click.option("--tm", "tm_path", help="Translation memory to store approved pairs (default OUT/tm.sqlite).")
@click.option("--run", "run_path", help="The run's STEM.json, for a DOCX re-saved without its embedded data "
              "(default: STEM.json beside the DOCX or in OUT).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@force_option
@common
def import_(edited, out, tm_path, run_path, as_json, force, quiet, debug):
    """Read the editor's translations, report the edits, learn them, write STEM.en.docx/.md.

    Rows are matched by their hidden block id, or else by their source text (with a warning). A row
    whose id shows another block's source is reported and not stored; so is a translation flagged as an
    error that the editor left untouched (edit it, or delete its QA comment, to approve it). The DOCX
    carries fingerprints of the machine translations, so a renamed file re-saved by LibreOffice or WPS
    imports without the run's data; an older file without them needs --run STEM.json. Deleted, moved
    and added rows, and translations whose source was deleted, are each reported; the TM is keyed on
    the source as the editor left it. Existing publication files are replaced only with --force.

    EDITED is the STEM.bilingual.docx (or the .odt an editor saved it as: LibreOffice, when installed,
    converts it back), or the STEM.xlf (XLIFF 1.2 or 2.x) as a CAT tool exported it; an XLIFF that lost
    its skeleton needs the run's STEM.json beside it.

    \b
    Example:
      translate review import out/article.bilingual.docx
      translate review import ~/Downloads/article.bilingual.docx --run out/article.json -o out/
      translate review import done/article.xlf --tm out/tm.sqlite
    """
    from ..review.apply import import_review

    report = import_review(edited, out, tm_path, run_path, force=force)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return
    for row in report["blocks"]:
        if row["changed"]:
            measured = ("edited (no run data to measure against)" if row["edit_distance"] is None
                        else f"{row['edit_distance']} characters edited")
            where = f" ({row['where']})" if row["where"] and row["id"] not in row["where"] else ""
            click.echo(f"{row['id']}{where}: changed, {measured}"
                       f"{', tracked changes' if row['tracked_changes'] else ''}")
    for comment in report["comments"]:
        # a DOCX comment names its row, an XLIFF note its unit; a comment anchored nowhere names neither
        place, block = comment.get("where") or "", comment.get("block") or ""
        where = (f"{place}: " if block in place else f"{place} ({block}): ") if block else ""
        by = f" by {comment['author']}" if comment.get("author") else ""
        click.echo(f"{where}comment{by}: {comment['text']}")
    for change in report["rejected_repairs"] + report["source_edits"]:
        click.echo(f"{change['where']} ({change['id']}): {change['kind']}; source kept as: {change['kept'][:80]}")
    for warning in report["warnings"]:
        click.echo(f"warning: {warning}", err=True)
    for finding in report["qa_errors"]:  # the editor's own text, checked as the machine's is
        click.echo(f"qa: {finding['id']}: " + "; ".join(finding["errors"][:3]), err=True)
    not_stored = [f"{len(report['unreviewed_failures'])} unreviewed failure(s)",
                  f"{len(report['conflicts'])} id conflict(s)", f"{len(report['orphans'])} orphan translation(s)",
                  f"{len(report['emptied'])} translation(s) deleted",
                  f"{len(report['broken_codes'])} with broken codes", f"{len(report['chinese'])} still in Chinese",
                  f"{len(report['unconfirmed'])} unconfirmed"]
    effort = "not measured" if report["effort"] is None else f"{report['effort']:.1%}"
    if not quiet:  # the summary; the rows that changed and the paths written are the command's output
        click.echo(f"{report['changed']} of {report['run_blocks']} blocks changed; post-edit effort "
                   f"{effort}; {report['stored']} pairs stored in {report['tm']} "
                   f"({report['stored_edited']} edited + {report['stored_unedited']} approved unedited); "
                   "not stored: " + ", ".join(not_stored) + f"; {len(report['deleted'])} block(s) deleted by the editor")
    for path in report["outputs"]:
        click.echo(path)


COMMANDS = [review]
