import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # tests never touch the network
# Converted CTranslate2 models are cached per test session, never in the user's home.
os.environ["TRANSLATE_CACHE"] = tempfile.mkdtemp(prefix="translate-test-cache-")
# Repair decides with its table alone unless a test gives it a language model (tests/test_repair_judge*.py):
# the packaged one, when installed, would change what every other repair test expects.
os.environ["TRANSLATE_REPAIR_MODEL"] = "off"
# A translate.toml in the user's config folder must not change what the tests run.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="translate-test-config-")
ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "translate" / "data" / "why-bat-did-not-build-deepseek.zh.txt"
ENGLISH_LINES = [
    "DeepSeek took the limelight from almost all Chinese large models overnight.",
    "Over the past year, Kimi and Doubao grew fast among consumers.",
    "The founder Liang Wenfeng believed artificial intelligence would change the world.",
    "High-Flyer built the Fire-Flyer 2 cluster with 10,000 A100 chips.",
    "Its daily active users passed 20 million within 20 days.",
]


@pytest.fixture(scope="session")
def article_path() -> Path:
    return ARTICLE


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A random-weight MarianMT with real MarianTokenizer files, built in seconds."""
    from translate.engines.random_model import build_marian

    lines = ARTICLE.read_text(encoding="utf-8").splitlines()[:12]
    return build_marian(tmp_path_factory.mktemp("tiny") / "marian", lines, ENGLISH_LINES * 2)


@pytest.fixture(scope="session")
def input_sensitive_model(tmp_path_factory) -> Path:
    """Like tiny_model, with larger random weights so that different inputs give different outputs."""
    from dataclasses import replace

    from translate.engines.random_model import TINY, build_marian

    lines = ARTICLE.read_text(encoding="utf-8").splitlines()[:12]
    return build_marian(tmp_path_factory.mktemp("varied") / "marian", lines, ENGLISH_LINES * 2,
                        replace(TINY, init_std=0.5))


@pytest.fixture
def rule_engine():
    from engines import RuleEngine

    return RuleEngine
