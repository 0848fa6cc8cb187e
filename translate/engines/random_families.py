"""Tiny random-weight M2M-100, NLLB-200 and MADLAD-400 (T5) models with real tokenizer files.

Like random_model.py does for Marian: the output is noise, but the tokenizer, the language tokens
and tags, generation and CTranslate2 conversion are the real code paths. Seconds to build on CPU.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

# config.json sizes of a tiny model: two layers of width 32
_TINY = {"d_model": 32, "layers": 2, "heads": 2, "ffn": 64}
_MADLAD_TAGS = ["<2en>", "<2zh>", "<2de>", "<2fr>"]


def _train_spm(lines: list[str], path: Path, model_type: str, **ids) -> None:
    import sentencepiece as spm

    lines = [line for line in lines if line.strip()]
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines), model_writer=model, model_type=model_type,
                                   vocab_size=len(set("".join(lines))) + 120, character_coverage=1.0,
                                   hard_vocab_limit=False, minloglevel=2, num_threads=1, **ids)
    path.write_bytes(model.getvalue())


def _readme(folder: Path, licence: str, name: str) -> None:
    """A model card whose front matter gives the licence, as on the hub."""
    (folder / "README.md").write_text(f"---\nlicense: {licence}\ntags:\n- translation\n---\n\n# {name} (random "
                                      "weights, for tests)\n", encoding="utf-8")


def _m2m100_model(folder: Path, vocab_size: int, pad: int, eos: int, bos: int, seed: int, init_std: float):
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration

    config = M2M100Config(
        vocab_size=vocab_size, d_model=_TINY["d_model"], encoder_layers=_TINY["layers"],
        decoder_layers=_TINY["layers"], encoder_attention_heads=_TINY["heads"], decoder_attention_heads=_TINY["heads"],
        encoder_ffn_dim=_TINY["ffn"], decoder_ffn_dim=_TINY["ffn"], max_position_embeddings=1024,
        pad_token_id=pad, eos_token_id=eos, bos_token_id=bos, decoder_start_token_id=eos, init_std=init_std,
        scale_embedding=True)
    torch.manual_seed(seed)
    model = M2M100ForConditionalGeneration(config)
    model.generation_config.max_length = 256
    model.save_pretrained(str(folder))


def build_m2m100(folder: Path, source_lines: list[str], target_lines: list[str], seed: int = 0,
                 init_std: float = 0.5) -> Path:
    """A random-init M2M100ForConditionalGeneration with an M2M100Tokenizer (vocab.json + sentencepiece)."""
    import sentencepiece as spm
    from transformers import M2M100Tokenizer

    from .models import quiet_transformers

    quiet_transformers()
    folder.mkdir(parents=True, exist_ok=True)
    _train_spm(source_lines + target_lines, folder / "sentencepiece.bpe.model", "bpe")
    processor = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.bpe.model"))
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for index in range(processor.get_piece_size()):
        vocab.setdefault(processor.id_to_piece(index), len(vocab))
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = M2M100Tokenizer(str(folder / "vocab.json"), str(folder / "sentencepiece.bpe.model"),
                                src_lang="zh", tgt_lang="en")
    # language tokens and fairseq's "madeup words" follow the dictionary, as in facebook/m2m100_418M
    vocab_size = tokenizer.vocab_size + len(tokenizer.lang_token_to_id) + tokenizer.num_madeup_words
    _m2m100_model(folder, vocab_size, tokenizer.pad_token_id, tokenizer.eos_token_id, tokenizer.bos_token_id,
                  seed, init_std)
    tokenizer.save_pretrained(str(folder))
    _readme(folder, "mit", "M2M-100")
    return folder


def build_nllb(folder: Path, source_lines: list[str], target_lines: list[str], seed: int = 0,
               init_std: float = 0.5) -> Path:
    """A random-init M2M100ForConditionalGeneration with an NllbTokenizer (NLLB-200's layout)."""
    from transformers import NllbTokenizer
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    from .models import quiet_transformers

    quiet_transformers()
    folder.mkdir(parents=True, exist_ok=True)
    # fairseq's dictionary order: <s> <pad> </s> <unk>, then the pieces
    _train_spm(source_lines + target_lines, folder / "sentencepiece.bpe.model", "bpe",
               bos_id=0, pad_id=1, eos_id=2, unk_id=3)
    tokenizer = NllbTokenizer.from_pretrained(str(folder), src_lang="zho_Hans", tgt_lang="eng_Latn",
                                              extra_special_tokens=list(FAIRSEQ_LANGUAGE_CODES))
    _m2m100_model(folder, len(tokenizer), tokenizer.pad_token_id, tokenizer.eos_token_id, tokenizer.bos_token_id,
                  seed, init_std)
    tokenizer.save_pretrained(str(folder))
    _readme(folder, "cc-by-nc-4.0", "NLLB-200")
    return folder


def build_madlad(folder: Path, source_lines: list[str], target_lines: list[str], seed: int = 0,
                 init_std: float = 0.5) -> Path:
    """A random-init T5ForConditionalGeneration whose sentencepiece has MADLAD-400's <2xx> tags."""
    import torch
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    from .models import quiet_transformers

    quiet_transformers()
    folder.mkdir(parents=True, exist_ok=True)
    # T5's order: <pad>=0 </s>=1 <unk>=2; the language tags are whole pieces
    _train_spm(source_lines + target_lines, folder / "spiece.model", "unigram", pad_id=0, eos_id=1, unk_id=2,
               bos_id=-1, user_defined_symbols=_MADLAD_TAGS)
    tokenizer = T5Tokenizer.from_pretrained(str(folder), extra_ids=0)
    config = T5Config(vocab_size=len(tokenizer), d_model=_TINY["d_model"], d_kv=_TINY["d_model"] // _TINY["heads"],
                      d_ff=_TINY["ffn"], num_layers=_TINY["layers"], num_decoder_layers=_TINY["layers"],
                      num_heads=_TINY["heads"], pad_token_id=0, eos_token_id=1, decoder_start_token_id=0,
                      initializer_factor=init_std * 20, feed_forward_proj="gated-gelu",
                      tie_word_embeddings=False)
    torch.manual_seed(seed)
    model = T5ForConditionalGeneration(config)
    model.generation_config.max_length = 256
    model.save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))
    _readme(folder, "apache-2.0", "MADLAD-400")
    return folder


BUILDERS = {"m2m100": build_m2m100, "nllb": build_nllb, "madlad": build_madlad}


def build_example_family(folder: str | Path, family: str) -> Path:
    """A tiny random-weight model of `family` whose tokenizer is trained on the shipped example texts."""
    data = Path(__file__).resolve().parent.parent / "data"
    source = (data / "why-bat-did-not-build-deepseek.zh.txt").read_text(encoding="utf-8").splitlines()
    target = (data / "bench_en.txt").read_text(encoding="utf-8").splitlines()
    return BUILDERS[family](Path(folder), source, target)
