"""Write the reviewed publication files: STEM.en.docx and STEM.en.md, in the order the editor left the blocks.

A DOCX input is published in its own layout (header, tables, formatting) when the article the run read is
at hand, as `translate run` does; otherwise the DOCX is rebuilt, and the report says so.
"""

from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..formats.record import RunRecord


def publication_paths(stem: str, out: Path) -> list[Path]:
    return [out / f"{stem}.en.docx", out / f"{stem}.en.md", out / f"{stem}.review.json"]


def publish(stem: str, run: RunRecord, order: list[str], texts: dict[str, str], added: dict[str, list[str]],
            out: Path) -> tuple[list[str], list[str]]:
    """Write the files; (their paths, notes for the report). `texts`: the editor's translations by block id
    (others keep the machine's); `added`: paragraphs the editor added after a block; paragraphs of a
    translation are separated by a blank line and published as paragraphs."""
    from ..formats.docx.writer import target_docx
    from ..formats.markdown import target_markdown
    from ..pipeline import atomic

    by_id = {b.id: b for b in run.blocks}

    def text_of(block_id: str) -> str:
        text = texts.get(block_id, by_id[block_id].translation)
        return "\n\n".join([text, *added[block_id]]) if added.get(block_id) else text

    signature = dict(run.signature)
    signature["reviewed"] = True
    document = Document(name=stem, blocks=[by_id[i].to_block(text_of(i)) for i in order])
    notes: list[str] = []
    docx_bytes = None
    if run.encoding == "docx" and run.source_file:
        if Path(run.source_file).is_file():
            # every paragraph of the article in its place; a deleted block's paragraph is emptied
            in_place = Document(name=stem, path=run.source_file, encoding="docx",
                                blocks=[b.to_block(text_of(b.id) if b.id in order else "") for b in run.blocks])
            docx_bytes = target_docx(in_place, signature, keep_layout_only=True)
            if docx_bytes is not None and order != [b.id for b in run.blocks if b.id in order]:
                notes.append(f"{stem}.en.docx keeps the article's layout, so its paragraphs stay in the source's "
                             f"order; {stem}.en.md follows the editor's")
        if docx_bytes is None:
            notes.append(f"the article {run.source_file} is not at hand (or changed since the run): {stem}.en.docx "
                         "is rebuilt without its layout; import where the article is to keep it")
    if docx_bytes is None:
        docx_bytes = target_docx(document, signature)
    paths = [out / f"{stem}.en.docx", out / f"{stem}.en.md"]
    atomic.write_bytes(paths[0], docx_bytes)
    atomic.write_text(paths[1], target_markdown(document))
    return [str(p) for p in paths], notes
