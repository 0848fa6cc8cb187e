"""`translate check`: QA of a human or vendor translation, as a linter.

The translation is aligned with its source (as `translate align` does), then every QA check
of the machine-translation path runs on each aligned pair, the glossary included (see
qa.check_translation). Severities: a wrong or missing number, a missing glossary name, an
empty, looping or cut-off translation are errors; a missing glossary term or Latin token,
Chinese left in the text, an odd length, a dropped or added paragraph and a doubtful link are
warnings (each may be a fair choice that a reviewer confirms).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .align import align_files


@dataclass
class CheckResult:
    outputs: list
    summary: dict
    problems: list[tuple[int, str, str, str, str]]  # (paragraph number, block id, severity, code, message), errors first

    @property
    def failed(self) -> bool:
        return self.summary["errors"] > 0


def check_files(source_path: str, translation_path: str, options) -> CheckResult:
    """Align TRANSLATION to SOURCE, QA every pair, write align's outputs with the flags in them."""
    result = align_files(source_path, translation_path, options)
    blocks = result.document.blocks
    flags = [(number, b.id, f) for number, b in enumerate(blocks, 1) for f in b.flags
             if f.severity in ("error", "warning")]
    problems = [(number, block_id, f.severity, f.code, f.message)
                for number, block_id, f in sorted(flags, key=lambda row: row[2].severity != "error")]
    summary = dict(result.summary, codes=dict(Counter(f.code for *_, f in flags).most_common()))
    return CheckResult(result.outputs, summary, problems)
