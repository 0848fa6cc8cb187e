"""`translate clean`: repaired source text, without translating."""

from __future__ import annotations

import sys

import click

from .options import check_free, common, force_option, repair_model_option


@click.command()
@click.argument("input_path", metavar="INPUT")
@click.option("--output", "-o", help="Write the repaired text here (default: stdout).")
@click.option("--diff", is_flag=True, help="List the repairs instead of printing the text.")
@click.option("--threshold", default=0.5, show_default=True, type=click.FloatRange(0, 1),
              help="Confidence needed to restore an ambiguous spun form.")
@click.option("--force-repair", is_flag=True, help="Repair even if the text does not look spun.")
@repair_model_option
@force_option
@common
def clean(input_path, output, diff, threshold, force_repair, repair_model, force, quiet, debug):
    """Repair synonym-spun Chinese (东谈主 -> 人, 作念 -> 做), keeping the exact line structure.

    Forms the packaged table lacks can be listed in a file, one per line as spun<TAB>original, named by
    $TRANSLATE_SPIN_FORMS (used by run too).

    \b
    Example:
      translate clean article.zh.txt -o article.clean.txt
      translate clean article.zh.txt --diff
    """
    from ..errors import InputError
    from ..readers import decode, read_bytes
    from ..repair import clean_lines
    from ..repair.language_model import load_scorer

    if input_path.lower().endswith(".docx"):
        raise InputError("clean repairs text files (.txt, .md); for a .docx use 'translate run', whose bilingual "
                         "DOCX shows each repair as a tracked change", input_path)
    data, _, _ = read_bytes(input_path)
    text, encoding = decode(data, input_path)
    repaired, repairs = clean_lines(text, threshold=threshold, force=force_repair, scorer=load_scorer(repair_model),
                                    progress=not quiet)
    if diff:
        for line, repair in repairs:
            click.echo(f"{input_path}:{line}:{repair.offset + 1}: {repair.spun} -> {repair.restored} "
                       f"[{repair.rule} {repair.confidence:.2f}]")
        if not quiet:
            click.echo(f"{len(repairs)} repairs", err=True)
    elif output:
        from ..pipeline.atomic import write_bytes
        from ..readers.encodings import encode_like

        check_free(output, force)
        write_bytes(output, encode_like(repaired, data, encoding))  # the input's encoding and BOM
    elif sys.stdout.isatty():
        click.echo(repaired, nl=False)  # a terminal shows text: in its own encoding
    else:  # a pipe or a file gets the input's bytes, encoding and BOM, as -o writes them
        from ..readers.encodings import encode_like

        sys.stdout.buffer.write(encode_like(repaired, data, encoding))
        sys.stdout.buffer.flush()


COMMANDS = [clean]
