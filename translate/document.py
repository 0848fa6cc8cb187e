"""The one data model every stage reads and extends: Document -> Block -> Segment."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from enum import Enum


class BlockKind(str, Enum):
    TITLE = "title"
    BYLINE = "byline"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    QUOTE = "quote"
    CAPTION = "caption"
    CODE = "code"  # Markdown code / HTML: carried through untranslated

    @property
    def translatable(self) -> bool:
        return self is not BlockKind.CODE


@dataclass
class Repair:
    """One restored spun form. `offset` indexes the block's source text."""

    offset: int
    spun: str
    restored: str
    confidence: float
    rule: str  # "always" | "context"
    block_id: str = ""


@dataclass
class Flag:
    code: str
    severity: str  # "error" | "warning" | "info"
    message: str
    span: str = ""


@dataclass
class TermHit:
    source: str  # the matched text in the repaired source
    target: str
    kind: str
    start: int
    enforced: bool = False
    strategy: str = ""
    key: str = ""  # the glossary entry (its first source variant)
    ambiguous: bool = False  # the sense is uncertain: left to the engine, flagged term-ambiguous


@dataclass
class Segment:
    """A span of the block's repaired text that the engine sees on its own."""

    start: int
    end: int
    text: str
    translation: str = ""
    origin: str = ""  # "mt" | "cache"


@dataclass
class Block:
    id: str
    kind: BlockKind
    source: str
    repaired: str | None = None
    translation: str = ""
    origin: str = ""  # "mt" | "cache" | "tm" | "copy" | "align"
    segments: list[Segment] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    terms: list[TermHit] = field(default_factory=list)
    markup: str = ""  # Markdown prefix kept out of translation ("## ", "> ", "- ", "<p>")
    markup_end: str = ""  # what closes the markup after the text ("</p>")
    raw_source: str | None = None  # the exact text read, when control characters were stripped from `source`
    engine: str = ""  # "engine:model" that made the translation, where an engine did

    @property
    def text(self) -> str:
        """The text later stages work on: the repaired source when there is one."""
        return self.repaired if self.repaired is not None else self.source

    def flag(self, code: str, severity: str, message: str, span: str = "") -> None:
        # A set of (code, span) keeps this constant-time on blocks with thousands of flags.
        keys = self.__dict__.get("_flag_keys")
        if keys is None or len(keys) != len(self.flags):
            keys = self.__dict__["_flag_keys"] = {(f.code, f.span) for f in self.flags}
        if (code, span) not in keys:
            self.flags.append(Flag(code, severity, message, span))
            keys.add((code, span))


@dataclass
class Document:
    name: str  # file stem used for outputs
    blocks: list[Block]
    path: str = ""
    encoding: str = "utf-8"
    input_sha256: str = ""  # of the bytes read ("" for stdin); the journal knows a re-run by it
    warnings: list[str] = field(default_factory=list)  # what reading found worth saying (dropped content, ...)
    spin: dict = field(default_factory=dict)  # source repair's verdict on the document (score, evidence, spun)
    summary: dict = field(default_factory=dict)  # the run's figures, as the CLI prints them and STEM.json keeps
    terms: list[dict] = field(default_factory=list)  # the glossary terms report
    links: list[dict] | None = None  # `translate align`: the alignment links

    def block(self, block_id: str) -> Block:
        for b in self.blocks:
            if b.id == block_id:
                return b
        raise KeyError(block_id)


# Full-width Latin letters and digits (Ａ１００, Ｑｗｅｎ３): the half-width ones, one for one, so offsets stay.
_HALF_WIDTH = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}


def fold_width(text: str) -> str:
    """`text` with full-width Latin letters and digits as half-width ones; same length, same offsets. What
    glossary matching and number QA compare (a Chinese source may write Ａ１００ for A100)."""
    return text.translate(_HALF_WIDTH)


def normalise(text: str) -> str:
    """Key form of a text: NFKC, whitespace collapsed. Used for ids, TM and cache keys."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def block_ids(texts: list[str]) -> list[str]:
    """Stable ids: a hash of the block's own text, plus an occurrence number for repeats.

    Depending only on the block itself, an id survives re-runs and edits to other blocks.
    """
    seen: dict[str, int] = {}
    ids = []
    for text in texts:
        digest = hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()[:10]
        seen[digest] = seen.get(digest, 0) + 1
        ids.append(f"b{digest}" if seen[digest] == 1 else f"b{digest}-{seen[digest]}")
    return ids


def make_blocks(items: list[tuple]) -> list[Block]:
    """Blocks from (kind, text, markup) or (kind, text, markup, markup_end) tuples, with stable ids."""
    ids = block_ids([item[1] for item in items])
    return [Block(id=i, kind=item[0], source=item[1], markup=item[2], markup_end=item[3] if len(item) > 3 else "")
            for i, item in zip(ids, items)]
