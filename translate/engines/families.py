"""Seq2seq model families (Marian, M2M-100, NLLB-200, MADLAD-400): how each is recognised, and how
its input and output carry the languages (a source language token, a forced target token, a tag).

The table lives in translate/data/model-families.toml; this module reads it and tokenises with the
family's own sentencepiece files for CTranslate2 (light: no transformers import).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ModelError

TABLE = Path(__file__).resolve().parent.parent / "data" / "model-families.toml"
CONVERT_META = "translate-convert.json"  # written by models.convert: records the family of a converted folder


@dataclass(frozen=True)
class Family:
    name: str
    description: str
    model_types: tuple[str, ...]
    tokenizer_classes: tuple[str, ...]
    source_spm: str
    target_spm: str
    source_prefix: tuple[str, ...] = ()
    source_tag: str = ""
    target_prefix: tuple[str, ...] = ()
    hf_source_lang: str = ""

    def source_text(self, text: str) -> str:
        """The text as the transformers tokenizer expects it (MADLAD: '<2en> ' before it)."""
        return f"{self.source_tag} {text}" if self.source_tag else text

    def source_tokens(self) -> list[str]:
        """Tokens before the source pieces: a language token, or the tag as its own piece (as
        MADLAD's tokenizer splits '<2en> text')."""
        return [*self.source_prefix, *([self.source_tag] if self.source_tag else [])]


@lru_cache(maxsize=1)
def families() -> dict[str, Family]:
    import tomllib

    table = tomllib.loads(TABLE.read_text(encoding="utf-8"))
    return {name: Family(name=name, **{k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()})
            for name, entry in table.items()}


def detect_family(path: Path) -> Family:
    """The family of a transformers or CTranslate2 folder, from config.json, the tokenizer files and
    (for a folder we converted) the family recorded at conversion."""
    table = families()
    meta = _json(path / CONVERT_META)
    if meta.get("family") in table:
        return table[meta["family"]]
    tokenizer_class = _json(path / "tokenizer_config.json").get("tokenizer_class", "")
    by_class = [f for f in table.values() if tokenizer_class in f.tokenizer_classes]
    if by_class:
        return by_class[0]
    config = _json(path / "config.json")
    model_type = config.get("model_type", "")
    if model_type == "m2m_100":  # NLLB shares M2M-100's architecture; its tokenizer tells them apart
        return table["m2m100"] if (path / "vocab.json").exists() else table["nllb"]
    by_type = [f for f in table.values() if model_type and model_type in f.model_types]
    if by_type:
        return by_type[0]
    # A CTranslate2 folder converted elsewhere: its config.json has no model_type; the files tell.
    for name in ("marian", "madlad"):
        if (path / table[name].source_spm).exists():
            return table[name]
    if (path / "sentencepiece.bpe.model").exists():
        return table["m2m100"] if (path / "vocab.json").exists() else table["nllb"]
    known = ", ".join(sorted({t for f in table.values() for t in f.model_types}))
    raise ModelError(f"unsupported model (model_type '{model_type or '?'}'); supported: {known}", str(path))


def _json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        return {}


class SentencePieceCodec:
    """Text <-> CTranslate2 tokens for one family: language prefix and tag in, target prefix out."""

    def __init__(self, path: Path, family: Family, max_input_tokens: int = 512):
        import sentencepiece

        self.family = family
        self.max_input_tokens = max_input_tokens
        for name in {family.source_spm, family.target_spm}:
            if not (path / name).exists():
                raise ModelError(f"{family.name} model has no {name}; convert it with 'translate model convert' "
                                 "from a folder that has its tokenizer files", str(path))
        self.source_sp = sentencepiece.SentencePieceProcessor(model_file=str(path / family.source_spm))
        self.target_sp = self.source_sp if family.target_spm == family.source_spm else \
            sentencepiece.SentencePieceProcessor(model_file=str(path / family.target_spm))
        if family.source_tag and self.source_sp.piece_to_id(family.source_tag) == self.source_sp.unk_id():
            raise ModelError(f"the tokenizer has no {family.source_tag} tag; only MADLAD-400-style T5 "
                             "models (with <2xx> language tags) are supported", str(path))

    def encode(self, text: str) -> list[str]:
        prefix = self.family.source_tokens()
        pieces = self.source_sp.encode(text, out_type=str)[: self.max_input_tokens - 1 - len(prefix)]
        return [*prefix, *pieces, "</s>"]

    def target_prefix(self) -> list[str] | None:
        return list(self.family.target_prefix) or None

    def decode(self, tokens: list[str]) -> str:
        """Text of a hypothesis: the forced target prefix and other non-text tokens dropped."""
        prefix = list(self.family.target_prefix)
        if prefix and tokens[: len(prefix)] == prefix:
            tokens = tokens[len(prefix):]
        if self.family.source_prefix:  # other language tokens are not pieces either: they would print ' ⁇ '
            unk = self.target_sp.unk_id()
            tokens = [t for t in tokens if t == "<unk>" or self.target_sp.piece_to_id(t) != unk]
        return self.target_sp.decode(tokens)
