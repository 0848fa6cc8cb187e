"""`translate align` and `translate check`: an existing translation aligned with its source, and its QA.

`check` is a linter for a human or vendor translation.

The translation is aligned with its source (as `translate align` does), then every QA check
of the machine-translation path runs on each aligned pair, the glossary included (see
qa.check_translation). Severities: a wrong or missing number, a missing glossary name, an
empty, looping or cut-off translation are errors; a missing glossary term or Latin token,
Chinese left in the text, an odd length, a dropped or added paragraph and a doubtful link are
warnings (each may be a fair choice that a reviewer confirms).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass

from .aligner import LOW_CONFIDENCE, Aligner, Link, align_sentences, chinese_side, english_sentences, english_side


@dataclass
class CheckResult:
    outputs: list
    summary: dict
    problems: list[tuple[int, str, str, str, str]]  # (paragraph number, block id, severity, code, message), errors first

    @property
    def failed(self) -> bool:
        return self.summary["errors"] > 0

    def fails_on(self, severity: str = "error") -> bool:
        """Does the check fail a desk whose gate is `severity` ("error": errors fail; "warning": any flag)?"""
        return self.failed or (severity == "warning" and self.summary["warnings"] > 0)


def check_files(source_path: str, translation_path: str, options, *, omissions: bool = True,
                tm: str | None = None) -> CheckResult:
    """Align TRANSLATION to SOURCE, QA every pair, write align's outputs with the flags in them. With `tm`
    (a translation memory, only read), also check consistency against it."""
    result = align_files(source_path, translation_path, options, omissions=omissions, compare_tm=tm)
    blocks = result.document.blocks
    flags = [(number, b.id, f) for number, b in enumerate(blocks, 1) for f in b.flags
             if f.severity in ("error", "warning")]
    problems = [(number, block_id, f.severity, f.code, f.message)
                for number, block_id, f in sorted(flags, key=lambda row: row[2].severity != "error")]
    summary = dict(result.summary, codes=dict(Counter(f.code for *_, f in flags).most_common()))
    return CheckResult(result.outputs, summary, problems)


def align_files(source_path: str, target_path: str, options, *, mt: bool = False, load_engine=None,
                omissions: bool = True, compare_tm: str | None = None):
    """Align TARGET's paragraphs to SOURCE's blocks and write the bilingual outputs of `translate run`.
    `omissions`: also flag sentences the translation seems to leave out (CC-CEDICT coverage). Consistency
    is checked across the article and against `compare_tm`, or else options.tm_path before pairs are added."""
    from ..errors import InputError
    from ..formats import check_written, write_outputs
    from ..glossary.matcher import TermMatcher
    from ..glossary.model import load_glossaries
    from ..memory.tm import TranslationMemory
    from ..pipeline.options import RunResult, signature
    from ..pipeline.outputs import check_outputs_free, check_writable, kept_files, output_paths
    from ..pipeline.segments import terms_report
    from ..qa.checks import ForbiddenTerms, check_links, flag_counts
    from ..readers import read_document
    from ..repair import repair_document

    document = read_document(source_path)
    paragraphs = translation_paragraphs(target_path)
    if not any(paragraphs):
        raise InputError("has no paragraphs to align", target_path)
    if compare_tm and not os.path.lexists(compare_tm):  # a typo would silently skip the memory check
        raise InputError("no such translation memory; check the path", compare_tm)
    # everything that can be refused is read before the output folder is made or anything is written
    glossary = load_glossaries(options.glossaries, use_default=options.default_glossary)
    if options.tm_path:
        TranslationMemory(options.tm_path).close()  # a memory that cannot be opened or made stops here
    paths = output_paths(document.name, options.out_dir, options.formats)
    check_writable(options.out_dir)
    check_outputs_free(list(paths.values()), options.force,
                       {**kept_files(options, source_path), "translation": [target_path], "memory": [compare_tm]})
    repair_document(document, mode=options.repair, threshold=options.repair_threshold)
    matcher = TermMatcher(glossary)
    blocks = [b for b in document.blocks if b.kind.translatable]
    sources = [chinese_side(b.text, [s.targets[0] for s in matcher.find(b.text)]) for b in blocks]
    machine = None
    if mt:
        from ..pipeline.run import engine_loader
        from ..pipeline.segments import EngineRunner

        runner = EngineRunner(load_engine or (lambda: engine_loader(options.engine)), None)
        outputs = runner.run([b.text for b in blocks])
        machine = [english_side(o if isinstance(o, str) else "") for o in (outputs[b.text] for b in blocks)]
    links = Aligner(sources, [english_side(p) for p in paragraphs], machine).align()
    _fill_blocks(blocks, paragraphs, links)
    check_links(blocks, links, matcher, omissions)  # the MT path's QA on each aligned pair
    forbidden = ForbiddenTerms(glossary.entries)
    for block in blocks:
        forbidden.check(block)
    _check_consistency(document, blocks, links, compare_tm or options.tm_path)
    for block in document.blocks:
        if not block.kind.translatable:
            block.translation, block.origin = block.source, "copy"
    position = {id(b): k for k, b in enumerate(document.blocks)}
    document.links = [dict(link.to_json(), source=[position[id(blocks[i])] for i in link.source])
                      for link in links]
    document.summary = {"blocks": len(document.blocks), "links": len(links),
                        "low_confidence": sum(1 for link in links if link.confidence < LOW_CONFIDENCE),
                        "dropped": sum(1 for link in links if not link.target),
                        "added": sum(1 for link in links if not link.source and paragraphs[link.target[0]]),
                        "merged": sum(1 for link in links if len(link.source) > 1),
                        "split": sum(1 for link in links if len(link.target) > 1),
                        "blank": sum(1 for link in links if link.source and _blank(link, paragraphs)),
                        **flag_counts(document.blocks)}
    document.terms = terms_report(document.blocks)
    sig = signature(options, glossary) | {"engine": "align", "mt": mt}
    write_outputs(document, sig, paths, options.write_settings)
    check_written(document, paths)
    if options.tm_path:
        tm = TranslationMemory(options.tm_path)
        try:
            for link in links:
                if len(link.source) == 1 and len(link.target) == 1 and link.confidence >= LOW_CONFIDENCE \
                        and paragraphs[link.target[0]]:
                    tm.add(blocks[link.source[0]].text, paragraphs[link.target[0]], origin="align")
        finally:
            tm.close()
    return RunResult(document, list(paths.values()), document.summary)


def translation_paragraphs(path: str) -> list[str]:
    """The translation's paragraphs; in a text file, "" for each blank paragraph that stands for a missing
    translation: a blank line where paragraphs follow each other line by line, or a blank paragraph (an
    extra gap) where they are separated by blank lines."""
    from ..controls import is_blank, text_lines
    from ..readers import decode, read_bytes, read_document_data

    data, name, suffix = read_bytes(path)  # read once: stdin ("-") cannot be read twice
    paragraphs = [b.source for b in read_document_data(data, name, suffix, path).blocks]
    if suffix != ".txt":
        return paragraphs
    lines = text_lines(decode(data, path)[0])
    filled = [k for k, line in enumerate(lines) if not is_blank(line.strip())]
    if len(filled) != len(paragraphs):
        return paragraphs
    gaps = [b - a - 1 for a, b in zip(filled, filled[1:])]
    if len(gaps) < 2:
        return paragraphs
    usual = Counter(gaps).most_common(1)[0][0]  # 0: one paragraph a line; 1: separated by blank lines
    out = paragraphs[:1]
    for gap, paragraph in zip(gaps, paragraphs[1:]):
        out += [""] * max(0, (gap - usual) // (usual + 1))
        out.append(paragraph)
    return out


def _check_consistency(document, blocks, links: list[Link], tm_path: str | None) -> None:
    """Xbench-style consistency: sentences (from the sentence links) and paragraphs, names, the memory."""
    from ..qa.consistency import Unit, check_consistency
    from ..segment import segment_text

    number = {id(b): k for k, b in enumerate(document.blocks, 1)}
    units = []
    for link in links:
        if len(link.source) != 1 or not link.target or not blocks[link.source[0]].translation.strip():
            continue
        block = blocks[link.source[0]]
        pairs = {(block.text, block.translation)}
        if link.sentences:
            zh, en = [s.text for s in segment_text(block.text)], english_sentences(block.translation)
            pairs |= {(zh[s["source"][0]], en[s["target"][0]]) for s in link.sentences
                      if len(s["source"]) == 1 and len(s["target"]) == 1}
        units += [Unit(block, number[id(block)], source, target) for source, target in sorted(pairs)]
    memory = []
    if tm_path and os.path.lexists(tm_path):  # a link or a folder is refused, not skipped
        from ..memory.tm import TranslationMemory

        tm = TranslationMemory(tm_path, read_only=True)  # read, never written
        try:
            memory = [(source, target) for source, target, _ in tm.entries()]
        finally:
            tm.close()
    names = {hit.source for b in blocks for hit in b.terms if hit.kind == "name"}
    check_consistency(units, memory, names)


def _blank(link: Link, paragraphs: list[str]) -> bool:
    return bool(link.target) and not any(paragraphs[j] for j in link.target)


def _fill_blocks(blocks, paragraphs: list[str], links: list[Link]) -> None:
    """Every block gets its aligned text; merged, split, dropped, added and blank paragraphs are flagged,
    never lost."""
    last = None
    for link in links:
        text = "\n".join(paragraphs[j] for j in link.target if paragraphs[j])
        if not link.source:  # a paragraph the translator added: kept with the block before it
            if last is not None and text:
                last.translation = (last.translation + "\n" + text).strip()
                last.flag("align-added", "warning", f"the translation has an extra paragraph here: {text[:60]}",
                          span=text[:60])  # one flag per added paragraph (flags are kept once per code and span)
            continue
        first = blocks[link.source[0]]
        first.translation, first.origin = text, "align"
        if _blank(link, paragraphs):
            first.flag("empty", "error", "the translation has a blank paragraph here: this paragraph is not translated")
            last = blocks[link.source[-1]]
            continue
        if not link.target:
            first.flag("align-dropped", "warning", "no translation for this paragraph: the translator dropped it, "
                       "or it is merged into a neighbour")
        for extra in link.source[1:]:
            blocks[extra].translation, blocks[extra].origin = "", "align"
            blocks[extra].flag("align-merged", "warning", f"translated together with block {first.id} in one paragraph")
        if len(link.target) > 1:
            first.flag("align-split", "warning", f"translated as {len(link.target)} paragraphs")
        if link.confidence < LOW_CONFIDENCE and link.target:
            first.flag("align-low-confidence", "warning", f"alignment confidence {link.confidence:.2f}")
        if link.target and len(link.source) == 1:
            link.sentences = align_sentences(first.text, text)
        last = blocks[link.source[-1]]
    if last is None and paragraphs and blocks:  # only additions: keep them on the first block
        blocks[0].translation = "\n".join(p for p in paragraphs if p)
