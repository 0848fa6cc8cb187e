"""`translate bench --llm`: how close --engine openai comes to ideal concurrency.

A loopback server answers every request after a fixed delay; with N blocks, concurrency C and
delay d the ideal is N / C * d seconds. The target is within 1.3x of it. It also reports the share
of requests with context whose context carries the earlier blocks' English (target 0.8).
"""

from __future__ import annotations

import tempfile
import time

from ..engines.base import EngineSettings
from .bench import example_article


def run_llm_bench(concurrency: int = 8, delay: float = 0.5, article: str | None = None) -> dict:
    """Translate the article (every block a request, no cache) against a server taking `delay` s each."""
    import subprocess
    import sys

    from ..pipeline.options import RunOptions
    from ..pipeline.run import run_file

    # The server runs in its own process, as a real one would: no GIL shared with the client.
    server = subprocess.Popen([sys.executable, "-m", "translate.measure.loopback", str(delay)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        base = server.stdout.readline().strip()
        with tempfile.TemporaryDirectory() as out:
            settings = EngineSettings(engine="openai", api_bases=(base,), api_model="test-model",
                                      concurrency=concurrency)
            started = time.perf_counter()
            summary = run_file(str(article or example_article()), RunOptions(
                out_dir=out, formats=("json",), quiet=True, use_cache=False, engine=settings)).summary
            wall = time.perf_counter() - started
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    ideal = summary["segments"] / concurrency * delay
    return {"blocks": summary["segments"], "requests": summary["translated_segments"], "concurrency": concurrency,
            "delay_s": delay, "ideal_s": round(ideal, 3), "engine_s": summary["engine_seconds"],
            "ratio_to_ideal": round(summary["engine_seconds"] / ideal, 3) if ideal else None, "target_ratio": 1.3,
            "context_with_translation": summary["context_with_translation"], "context_target": 0.8,
            "reasked_blocks": summary["reasked_blocks"], "run_wall_s": round(wall, 2)}
