"""M2M-100, NLLB-200 and MADLAD-400 on tiny random-weight models: language tokens, tags, the forced
target prefix, order of outputs, family detection and licences. Mechanics, not quality."""

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import ARTICLE, ENGLISH_LINES

from translate.cli import cli
from translate.engines import EngineSettings, load_engine
from translate.engines.families import SentencePieceCodec, detect_family, families
from translate.engines.licence import model_licence
from translate.engines.models import convert
from translate.errors import ModelError

FAMILIES = ["m2m100", "nllb", "madlad"]
SOURCE_TOKEN = {"m2m100": "__zh__", "nllb": "zho_Hans", "madlad": "<2en>"}
TARGET_TOKEN = {"m2m100": "__en__", "nllb": "eng_Latn"}
TEXTS = ["这是一个测试。", "DeepSeek的日活就突破了2000万大关,成为全球增速最快的AI应用。", "好", "人工智能一定会改变世界。"]


@pytest.fixture(scope="module")
def family_models(tmp_path_factory):
    from translate.engines.random_families import BUILDERS

    lines = ARTICLE.read_text(encoding="utf-8").splitlines()[:12]
    root = tmp_path_factory.mktemp("families")
    return {name: BUILDERS[name](root / name, lines, ENGLISH_LINES * 2) for name in FAMILIES}


class Spy:
    """Wraps a CTranslate2 translator and records what translate_batch was given and gave back."""

    def __init__(self, translator):
        self.translator, self.calls = translator, []

    def translate_batch(self, tokens, **options):
        results = self.translator.translate_batch(tokens, **options)
        self.calls.append((tokens, options, [r.hypotheses[0] for r in results]))
        return results


@pytest.mark.parametrize("name", FAMILIES)
def test_family_is_detected_in_the_model_and_in_its_conversion(family_models, name, tmp_path):
    assert detect_family(family_models[name]).name == name
    converted = convert(str(family_models[name]), to=str(tmp_path / "ct2"), quantization="int8")
    assert detect_family(converted).name == name
    (converted / "translate-convert.json").unlink()  # converted elsewhere: the tokenizer files still tell
    assert detect_family(converted).name == name


def test_nllb_and_m2m100_share_an_architecture_and_are_told_apart_by_their_tokenizers(family_models):
    configs = [json.loads((family_models[n] / "config.json").read_text()) for n in ("m2m100", "nllb")]
    assert configs[0]["architectures"] == configs[1]["architectures"] == ["M2M100ForConditionalGeneration"]
    assert [detect_family(family_models[n]).name for n in ("m2m100", "nllb")] == ["m2m100", "nllb"]


@pytest.mark.parametrize("name", FAMILIES)
def test_ctranslate2_source_starts_with_the_language_token_or_tag(family_models, name):
    engine = load_engine(EngineSettings(model=str(family_models[name]), engine="ctranslate2", beams=1))
    tokens = engine.tokenize("人工智能一定会改变世界。")
    assert tokens[0] == SOURCE_TOKEN[name] and tokens[-1] == "</s>"
    assert SOURCE_TOKEN[name] not in tokens[1:]
    assert len(engine.tokenize("人工智能" * 400)) == engine.max_input_tokens  # truncation keeps the token


@pytest.mark.parametrize("name", ["m2m100", "nllb"])
def test_ctranslate2_passes_the_target_prefix_and_strips_it_from_the_output(family_models, name):
    engine = load_engine(EngineSettings(model=str(family_models[name]), engine="ctranslate2", beams=2,
                                        max_output_tokens=6))
    engine.translator = spy = Spy(engine.translator)
    outputs = engine.translate(TEXTS)
    (tokens, options, hypotheses), = spy.calls
    assert options["target_prefix"] == [[TARGET_TOKEN[name]]] * len(TEXTS)
    assert all(h[0] == TARGET_TOKEN[name] for h in hypotheses)  # CTranslate2 returns the prefix ...
    assert all(TARGET_TOKEN[name] not in o and "⁇" not in o for o in outputs)  # ... and we drop it
    by_input = {tuple(t): h for t, h in zip(tokens, hypotheses)}
    for text, output in zip(TEXTS, outputs):  # batched longest first, returned in input order
        assert output == engine.codec.decode(by_input[tuple(engine.tokenize(text))][1:])


def test_madlad_has_no_target_prefix_and_a_t5_without_tags_is_refused(family_models, tmp_path):
    engine = load_engine(EngineSettings(model=str(family_models["madlad"]), engine="ctranslate2", beams=1))
    engine.translator = spy = Spy(engine.translator)
    engine.translate(TEXTS[:2])
    assert "target_prefix" not in spy.calls[0][1]
    folder = tmp_path / "plain-t5"
    shutil.copytree(family_models["nllb"], folder)  # a sentencepiece without <2xx> tags
    (folder / "sentencepiece.bpe.model").rename(folder / "spiece.model")
    with pytest.raises(ModelError, match="no <2en> tag"):
        SentencePieceCodec(folder, families()["madlad"])


@pytest.mark.parametrize("engine_name", ["transformers", "ctranslate2"])
@pytest.mark.parametrize("name", FAMILIES)
def test_outputs_come_back_one_per_input_in_input_order(family_models, name, engine_name):
    engine = load_engine(EngineSettings(model=str(family_models[name]), engine=engine_name, beams=1,
                                        batch_tokens=48, max_output_tokens=8))
    together = engine.translate(TEXTS)
    one_by_one = [engine.translate([t])[0] for t in TEXTS]
    assert len(together) == len(TEXTS)
    assert len(set(one_by_one)) >= 3  # the tiny models' outputs depend on their inputs
    assert together == one_by_one
    assert engine.describe()["family"] == name


@pytest.mark.parametrize("name", ["m2m100", "nllb"])
def test_transformers_engine_forces_the_target_language_token_and_drops_it(family_models, name):
    engine = load_engine(EngineSettings(model=str(family_models[name]), engine="transformers", beams=1,
                                        max_output_tokens=5))
    seen = {}
    generate = engine.model.generate

    def spy(**options):
        seen.update(options)
        return generate(**options)

    engine.model.generate = spy
    outputs = engine.translate(TEXTS[:2])
    assert seen["forced_bos_token_id"] == engine.tokenizer.convert_tokens_to_ids(TARGET_TOKEN[name])
    assert seen["input_ids"][0][0] == engine.tokenizer.convert_tokens_to_ids(SOURCE_TOKEN[name])
    assert all(TARGET_TOKEN[name] not in o for o in outputs)


def test_model_info_gives_the_licence_and_warns_on_a_non_commercial_one(family_models, tmp_path):
    runner = CliRunner()
    nllb = runner.invoke(cli, ["model", "info", str(family_models["nllb"])])
    assert nllb.exit_code == 0, nllb.output
    assert "licence: cc-by-nc-4.0" in nllb.stdout and "family: nllb" in nllb.stdout
    assert "warning: cc-by-nc-4.0 is a non-commercial licence" in nllb.stderr
    m2m = runner.invoke(cli, ["model", "info", str(family_models["m2m100"])])
    assert "licence: mit" in m2m.stdout and "warning" not in m2m.stderr
    converted = convert(str(family_models["madlad"]), to=str(tmp_path / "madlad-ct2"))
    madlad = runner.invoke(cli, ["model", "info", str(converted)])  # the model card travels with the conversion
    assert "licence: apache-2.0" in madlad.stdout and "family: madlad" in madlad.stdout


def test_licence_is_read_from_a_front_matter_list_or_the_config(tmp_path):
    (tmp_path / "README.md").write_text("---\nlanguage:\n- zh\nlicense:\n- cc-by-nc-sa-4.0\nother: x\n---\ntext\n")
    assert model_licence(tmp_path)["licence"] == "cc-by-nc-sa-4.0"
    assert "licence_warning" in model_licence(tmp_path)
    (tmp_path / "README.md").write_text("# no front matter\nlicense: mit\n")
    (tmp_path / "config.json").write_text(json.dumps({"license": "apache-2.0"}))
    assert model_licence(tmp_path) == {"licence": "apache-2.0", "licence_source": "config.json"}
    (tmp_path / "config.json").write_text("{}")
    assert model_licence(tmp_path)["licence"].startswith("unknown")


def test_an_unsupported_architecture_is_one_clear_error(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"]}))
    with pytest.raises(ModelError, match="unsupported model .model_type 'gpt2'.; supported: .*m2m_100"):
        detect_family(tmp_path)


def test_model_random_builds_a_tiny_model_of_each_family(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["model", "random", str(tmp_path / "madlad"), "--family", "madlad", "-q"])
    assert result.exit_code == 0, result.output
    assert detect_family(tmp_path / "madlad").name == "madlad"
    refused = runner.invoke(cli, ["model", "random", str(tmp_path / "big"), "--family", "nllb", "--size", "opus-mt"])
    assert refused.exit_code == 2 and "tiny size only" in refused.output
