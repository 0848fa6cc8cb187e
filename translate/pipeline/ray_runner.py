"""Corpus runs on a Ray cluster: windows of articles go to actors that each hold one loaded engine.

Each actor is a CorpusRun (corpus_window.py): it loads the glossary and the engine once, then
prepares, translates and writes the windows it is given into the shared output folder, so a run
resumes exactly like a local one (the journal of each output folder, under its lock). Workers run
in the driver's working folder, so the paths given (articles, -o, the model) must be the same on
every node: a shared file system. The driver only finds the articles, hands out windows and
collects one status record per article.
Ray is an optional extra (pip install 'translate[ray]'), imported only here.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from ..errors import ConfigError, TranslateError
from .corpus_window import Article, CorpusRun, windows
from .options import RunOptions

CPUS_PER_WORKER = 4  # a CTranslate2 worker's intra-op threads, when --workers is not given


class CorpusWorker:
    """A Ray actor: one CorpusRun, so one engine load, for all the windows it runs."""

    def __init__(self, options: RunOptions, folder: str):
        if os.path.isdir(folder):  # the driver's working folder: relative paths mean the same here
            os.chdir(folder)
        self.run = CorpusRun(options)

    def run_window(self, articles: list[Article]) -> list[dict]:
        return self.run.run_window(articles)

    def load_engine(self) -> None:
        self.run.load_engine()

    def stats(self) -> dict:
        return self.run.stats()


def run_on_ray(articles: list[Article], options: RunOptions, address: str, workers: int, window: int,
               progress) -> tuple[list[dict], dict]:
    """Status records of `articles` (in any order) and the engine figures summed over the workers."""
    ray = _import_ray()
    started_here = not ray.is_initialized()
    if started_here:
        _connect(ray, address, workers)
    try:
        resources = ray.cluster_resources()
        count, per_worker = _workers(resources, workers, options)
        if "num_gpus" not in per_worker and not options.engine.threads:  # no worker takes every core
            options = replace(options, engine=replace(options.engine, threads=per_worker["num_cpus"]))
        actor = ray.remote(CorpusWorker).options(**per_worker)
        actors = [actor.remote(options, os.getcwd()) for _ in range(count)]
        ray.get(actors[0].load_engine.remote())  # one conversion to CTranslate2 (if any) before the others look
        # Windows small enough that every worker gets some (a few each, to even out their lengths).
        size = max(1, min(window, -(-len(articles) // (count * 4))))
        chunks = list(windows(articles, size))
        pool = ray.util.ActorPool(actors)
        statuses: list[dict] = []
        for done in pool.map_unordered(lambda worker, chunk: worker.run_window.remote(chunk), chunks):
            statuses += done
            if progress is not None:
                progress.blocks += sum(s.get("blocks", 0) for s in done)
                progress.set_postfix(blocks=progress.blocks, refresh=False)
                progress.update(len(done))
        stats = _sum_stats(ray.get([a.stats.remote() for a in actors]))
        stats["workers"] = count
        return statuses, stats
    except ray.exceptions.RayTaskError as failed:  # e.g. a model a worker cannot load: the one-line error
        if isinstance(failed.cause, TranslateError):
            raise failed.cause from None
        raise
    finally:
        if started_here:
            ray.shutdown()


def _import_ray():
    try:
        import ray
        import ray.exceptions
        import ray.util  # ActorPool
    except ImportError as exc:
        raise ConfigError("--ray needs Ray: pip install 'translate[ray]' (or pip install 'ray>=2.40')") from exc
    return ray


def _connect(ray, address: str, workers: int) -> None:
    """`local` starts a cluster on this machine; anything else (auto, ray://host:port) joins one."""
    import translate

    if address == "local":
        # Workers import this very checkout of translate, whatever the venv has installed.
        package_parent = str(Path(translate.__file__).resolve().parent.parent)
        path = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH", "")) if p)
        env = {name: value for name, value in os.environ.items() if name.startswith(("TRANSLATE_", "HF_", "XDG_"))}
        ray.init(num_cpus=max(workers, 1) if workers else None, include_dashboard=False, log_to_driver=False,
                 configure_logging=False, runtime_env={"env_vars": {**env, "PYTHONPATH": path}})
        return
    try:
        ray.init(address=address, log_to_driver=False, configure_logging=False)
    except (ConnectionError, ValueError, RuntimeError) as exc:
        raise ConfigError(f"cannot join the Ray cluster at {address} ({exc}); check --ray") from exc


def _workers(resources: dict, workers: int, options: RunOptions) -> tuple[int, dict]:
    """How many actors, and what each asks for: a GPU each when the cluster has them and the engine
    can use one; else CPUs (the engine's threads, or CPUS_PER_WORKER)."""
    gpus = int(resources.get("GPU", 0))
    cpus = int(resources.get("CPU", 1))
    from ..engines import engine_kind

    # A block engine (an LLM server) does its work elsewhere: its workers need no GPU.
    wants_gpu = options.engine.device in ("cuda", "auto") and gpus > 0 and engine_kind(options.engine).unit == "segment"
    if wants_gpu:
        return workers or gpus, {"num_gpus": 1, "num_cpus": 1}
    if workers:
        return workers, {"num_cpus": max(1, cpus // workers)}
    per_worker = options.engine.threads or CPUS_PER_WORKER
    return max(1, cpus // per_worker), {"num_cpus": min(per_worker, cpus)}


def _sum_stats(per_worker: list[dict]) -> dict:
    total: dict = {"stage_seconds": {}}
    for stats in per_worker:
        for name, value in stats.items():
            if name == "stage_seconds":
                for stage, seconds in value.items():
                    total["stage_seconds"][stage] = round(total["stage_seconds"].get(stage, 0.0) + seconds, 3)
            else:
                total[name] = round(total.get(name, 0) + value, 3)
    return total
