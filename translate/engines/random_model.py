"""Random-weight Marian models with real tokenizers: for benchmarks and offline tests.

The weights are random, so the output is noise; what these models are good for is the real
code path (tokenizer, generate, conversion, batching) and timing at a given architecture.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path


@dataclass
class MarianShape:
    d_model: int = 512
    layers: int = 6
    heads: int = 8
    ffn: int = 2048
    vocab_size: int = 65001
    spm_vocab: int = 1000
    init_std: float = 0.02  # Marian's default; larger makes a tiny model's output depend on its input


OPUS_MT_ZH_EN = MarianShape()  # the exact architecture of Helsinki-NLP/opus-mt-zh-en
TINY = MarianShape(d_model=32, layers=2, heads=2, ffn=64, vocab_size=400, spm_vocab=150)


def train_spm(lines: list[str], vocab_size: int, path: Path) -> None:
    import sentencepiece as spm

    model = io.BytesIO()
    # Every character must get a piece; a vocabulary smaller than that is refused by the trainer.
    vocab_size = max(vocab_size, len(set("".join(lines))) + 16)
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines), model_writer=model, vocab_size=vocab_size,
                                   model_type="unigram", character_coverage=1.0, hard_vocab_limit=False,
                                   minloglevel=2, num_threads=1)
    path.write_bytes(model.getvalue())


def build_marian(folder: Path, source_lines: list[str], target_lines: list[str], shape: MarianShape = TINY,
                 seed: int = 0) -> Path:
    """Write a random-init MarianMT model + MarianTokenizer files into `folder`."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    from .models import quiet_transformers

    quiet_transformers()
    folder.mkdir(parents=True, exist_ok=True)
    train_spm(source_lines, shape.spm_vocab, folder / "source.spm")
    train_spm(target_lines, shape.spm_vocab, folder / "target.spm")
    pieces: list[str] = []
    for name in ("source.spm", "target.spm"):
        processor = spm.SentencePieceProcessor(model_file=str(folder / name))
        pieces += [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        if piece not in vocab and piece not in ("<s>", "<pad>") and len(vocab) < shape.vocab_size - 1:
            vocab[piece] = len(vocab)
    while len(vocab) < shape.vocab_size - 1:  # pad to the architecture's vocabulary size
        vocab[f"<extra_{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = shape.vocab_size - 1
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json"),
                                source_lang="zh", target_lang="en", model_max_length=512)
    pad = shape.vocab_size - 1
    config = MarianConfig(
        vocab_size=shape.vocab_size, d_model=shape.d_model, encoder_layers=shape.layers, decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads, decoder_attention_heads=shape.heads, encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn, max_position_embeddings=512, pad_token_id=pad, eos_token_id=0,
        decoder_start_token_id=pad, forced_eos_token_id=0, scale_embedding=True, share_encoder_decoder_embeddings=True,
        activation_function="swish", static_position_embeddings=True, normalize_embedding=False,
        init_std=shape.init_std,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.generation_config.max_length = 512
    model.generation_config.num_beams = 4
    model.generation_config.bad_words_ids = [[pad]]
    model.save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))
    return folder


def build_example_marian(folder: str | Path, size: str = "tiny") -> Path:
    """A random-weight Marian whose tokenizers are trained on the shipped example article and English text."""
    data = Path(__file__).resolve().parent.parent / "data"
    source = (data / "why-bat-did-not-build-deepseek.zh.txt").read_text(encoding="utf-8").splitlines()
    target = (data / "bench_en.txt").read_text(encoding="utf-8").splitlines()
    return build_marian(Path(folder), source, target, TINY if size == "tiny" else OPUS_MT_ZH_EN)
