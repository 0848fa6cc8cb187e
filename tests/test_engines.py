"""The real engines on a tiny random-weight Marian model: shape, order, batching, limits."""

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.engines import EngineSettings, load_engine
from translate.engines.base import token_batches
from translate.engines.models import convert, info, resolve
from translate.errors import ModelError

TEXTS = ["这是一个测试。", "DeepSeek的日活就突破了2000万大关,成为全球增速最快的AI应用。", "好", "人工智能一定会改变世界。",
         "过去一年,无论是在C端出圈的Kimi,还是后来居上的豆包。" * 3]


def test_token_batches_respect_the_budget_and_cover_every_input_once():
    lengths = [5, 50, 7, 300, 12, 12, 90, 1]
    batches = token_batches(lengths, budget=120)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) == 1 or max(lengths[i] for i in batch) * len(batch) <= 120
    # longest first, so similar lengths share a batch
    assert batches[0] == [3]


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_engine_returns_one_output_per_input_in_input_order(input_sensitive_model, engine):
    translator = load_engine(EngineSettings(model=str(input_sensitive_model), engine=engine, beams=1, batch_tokens=64))
    together = translator.translate(TEXTS)
    assert len(together) == len(TEXTS) and all(isinstance(t, str) for t in together)
    one_by_one = [translator.translate([t])[0] for t in TEXTS]
    assert len({o[:4] for o in one_by_one}) >= 3  # the tiny model's output depends on its input
    for batched, alone in zip(together, one_by_one):
        # Same greedy path; a batch may only allow a longer output (its cap follows its longest input).
        shorter = min(len(batched), len(alone))
        assert batched[:shorter] == alone[:shorter]


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_output_length_is_bounded_and_forced_lengths_are_exact(tiny_model, engine):
    translator = load_engine(EngineSettings(model=str(tiny_model), engine=engine, beams=2))
    tokens = translator.translate(["好"] * 3, forced_lengths=[7, 7, 7])
    if engine == "ctranslate2":
        counts = [len(translator.target_sp.encode(t)) for t in tokens]
    else:
        counts = [len(translator.tokenizer(text_target=t)["input_ids"]) - 1 for t in tokens]
    assert all(c > 0 for c in counts)
    long_input = "人工智能" * 400  # past the 512-token input limit: truncated, not an error
    assert isinstance(translator.translate([long_input])[0], str)


def test_auto_engine_converts_once_and_reuses_the_conversion(tiny_model):
    first = convert(str(tiny_model))
    assert (first / "model.bin").exists() and (first / "source.spm").exists()
    assert convert(str(tiny_model)) == first
    engine = load_engine(EngineSettings(model=str(tiny_model)))
    assert engine.describe()["engine"] == "ctranslate2" and engine.describe()["compute_type"] == "int8"


def test_a_converted_folder_is_used_directly(tiny_model, tmp_path):
    result = CliRunner().invoke(cli, ["model", "convert", str(tiny_model), "--to", str(tmp_path / "ct2"),
                                      "--quantization", "int8_float32"])
    assert result.exit_code == 0, result.output
    engine = load_engine(EngineSettings(model=str(tmp_path / "ct2"), quantization="int8_float32"))
    assert engine.name == "ctranslate2"
    with pytest.raises(ModelError, match="is a CTranslate2 model"):
        load_engine(EngineSettings(model=str(tmp_path / "ct2"), engine="transformers"))


def test_model_info_describes_the_model(tiny_model):
    details = info(str(tiny_model))
    assert details["architecture"] == "MarianMTModel" and details["d_model"] == 32 and details["engine"] == "transformers"
    result = CliRunner().invoke(cli, ["model", "info", str(tiny_model)])
    assert result.exit_code == 0 and "languages: zh -> en" in result.output


def test_missing_models_have_clear_messages(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError, match="translate model pull Helsinki-NLP/opus-mt-zh-en --to DIR"):
        resolve("Helsinki-NLP/opus-mt-zh-en")
    with pytest.raises(ModelError, match="no such model folder"):
        resolve("./models/nothing-here")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="holds no model"):
        resolve(str(tmp_path / "empty"))
