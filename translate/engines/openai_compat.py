"""Engine for OpenAI-compatible chat servers (Ollama, llama.cpp's llama-server, vLLM, SGLang, hosted APIs).

One request per block, `concurrency` in flight: the blocks are cut into that many contiguous runs,
each translated in order by one worker, so every block but the first of a run is sent once the
block before it has its English (the context the prompt shows). The prompt comes from a data file
(prompt.py), the reply is cleaned (reply.py), the HTTP manners live in openai_http.py.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from typing import Callable, Sequence

from ..errors import ModelError
from .base import EngineSettings, TranslationRequest
from .openai_http import ChatClient, RequestFailed
from .prompt import Prompt, load_prompt
from .redact import shown_url
from .reply import ReplyProblem, clean_reply


class OpenAIEngine:
    name = "openai"
    unit = "block"
    max_input_tokens = 0  # the server's context decides; a block is one request

    def __init__(self, settings: EngineSettings, prompt: Prompt | None = None, check: bool = True):
        self.settings = settings
        self.prompt = prompt or load_prompt()
        self.model = settings.api_model
        self.cleaned: Counter = Counter()  # what reply hygiene removed: think, chatter, quotes
        self.retried = self.throttled = 0
        self.context_sent = self.context_with_english = 0  # first asks that carry context; of them, with English
        self.down: tuple[str, ...] = ()  # bases that did not answer at the start
        self.warnings: list[str] = []  # for the run summary: bases that were skipped, went down, came back
        self._client()  # fails early on a missing --api-base
        if check:
            self.check_server()

    def __repr__(self) -> str:
        return f"OpenAIEngine(model={self.model!r}, bases={[shown_url(b) for b in self.settings.api_bases]!r})"

    def describe(self) -> dict:
        return {"engine": self.name, "model": self.model, "prompt": self.prompt.version}

    def check_server(self) -> None:
        """At least one base answers and every base that answers serves the model; otherwise one line
        saying what to fix. Bases that do not answer are skipped (a warning) and tried again later."""
        served = server_models(self.settings)
        dead = {base: found for base, found in served.items() if isinstance(found, Exception)}
        if len(dead) == len(served):
            raise ModelError(f"the server does not answer ({'; '.join(map(str, dead.values()))}); "
                             "start it or fix --api-base")
        for base, models in served.items():
            if base in dead:
                continue
            if not self.model:
                raise ModelError(f"give --api-model; {base} serves: {', '.join(models) or 'no model listed'}")
            if models and self.model not in models:
                raise ModelError(f"{base} does not serve model '{self.model}'; it serves: {', '.join(models)} "
                                 "(choose one with --api-model)")
        self.down = tuple(dead)
        self.warnings += [f"{exc}: skipped, and tried again after a cool-down" for exc in dead.values()]

    def translate(self, requests: Sequence[TranslationRequest], progress: Callable[[int], None] | None = None,
                  on_result: Callable[[int, str | Exception], TranslationRequest | None] | None = None
                  ) -> list[str | Exception]:
        """One translation per request, in request order; an Exception in place of a text where a
        request failed for good. `on_result(index, result)` is called as each one finishes (the
        caller caches it there, so an interrupted run keeps what was finished); it may return a
        follow-up request for the same index (a re-ask), which the same worker sends at once."""
        if not requests:
            return []
        return asyncio.run(self._translate_all(list(requests), progress, on_result))

    async def _translate_all(self, requests, progress, on_result) -> list[str | Exception]:
        results: list[str | Exception] = [RequestFailed("not sent")] * len(requests)

        async def worker(client: ChatClient, run: range) -> None:
            for index in run:
                request = requests[index]
                while request is not None:
                    try:
                        results[index] = await self._one(client, request)
                    except (RequestFailed, ReplyProblem) as exc:
                        results[index] = exc
                    request = on_result(index, results[index]) if on_result else None
                if progress:
                    progress(1)

        async with self._client() as client:
            try:
                await asyncio.gather(*(worker(client, run) for run in contiguous_runs(len(requests),
                                                                                     self.settings.concurrency)))
            finally:
                self.retried += client.retried
                self.throttled += client.throttled
                self.warnings += client.events
        return results

    def _client(self) -> ChatClient:
        # The key is read from the environment here and kept nowhere else in this object.
        settings = self.settings
        return ChatClient(list(settings.api_bases), api_key=os.environ.get(settings.api_key_env, ""),
                          timeout=settings.timeout, concurrency=settings.concurrency, rps=settings.rps,
                          down=self.down)

    async def _one(self, client: ChatClient, request: TranslationRequest) -> str:
        # Rendered now, not when queued, so the context holds the translations finished by now.
        if request.context and not request.feedback:
            self.context_sent += 1
            self.context_with_english += all(c.translation for c in request.context)
        limit = self.settings.max_tokens or 4 * len(request.text) + 256
        body = {"model": self.model, "messages": self.prompt.messages(request), "temperature": 0,
                "max_tokens": limit, "stream": False}
        data = await client.chat(body)
        try:
            choice = data["choices"][0]
            content = choice["message"].get("content")
        except (KeyError, IndexError, TypeError, AttributeError):
            raise RequestFailed("the reply has no choices[0].message") from None
        if isinstance(content, list):  # content parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        if choice.get("finish_reason") == "length":
            raise ReplyProblem(f"the reply was cut off at {limit} tokens (finish_reason 'length'): raise --max-tokens "
                               "or the server's context size")
        text, notes = clean_reply(client.redact_reply(content or ""), source=request.text)
        self.cleaned.update(notes)
        return text


def contiguous_runs(count: int, workers: int) -> list[range]:
    """`count` indices cut into at most `workers` contiguous runs of near-equal length, in order."""
    workers = max(1, min(workers, count))
    size, extra = divmod(count, workers)
    runs, start = [], 0
    for worker in range(workers):
        end = start + size + (worker < extra)
        runs.append(range(start, end))
        start = end
    return runs


NO_MODEL_LIST = (404, 405, 501)  # a server without GET /models: probed with a one-token chat request


def server_models(settings: EngineSettings) -> dict[str, list[str] | Exception]:
    """Base URL -> the models it lists at GET /models (an Exception where it does not answer).
    A server without /models is asked for one token of --api-model: [model] when it answers."""
    client = ChatClient(list(settings.api_bases), api_key=os.environ.get(settings.api_key_env, ""),
                        timeout=min(settings.timeout, 15.0), concurrency=1)

    async def ask() -> dict:
        found: dict[str, list[str] | Exception] = {}
        async with client:
            for base in client.bases:
                try:
                    found[base] = await client.models(base)
                except RequestFailed as exc:
                    found[base] = exc
                    if exc.status in NO_MODEL_LIST and settings.api_model:
                        found[base] = await _probe(client, base, settings.api_model)
        return found

    return asyncio.run(ask())


async def _probe(client: ChatClient, base: str, model: str) -> list[str] | Exception:
    try:
        await client.probe(base, model)
    except RequestFailed as exc:
        if exc.status in (400, 404):  # it answers, but not for this model
            return ["(no model list; '" + model + "' refused: " + str(exc) + ")"]
        return exc
    return [model]


def server_info(settings: EngineSettings) -> dict:
    """What `translate model info --engine openai` prints: per base, whether it answers and its models.
    `ok` is False when a base does not answer or does not serve --api-model."""
    info: dict = {"engine": "openai", "api_key_env": settings.api_key_env,
                  "api_key": "set" if os.environ.get(settings.api_key_env) else "not set", "ok": True}
    for base, models in server_models(settings).items():
        if isinstance(models, Exception):
            info[base] = f"does not answer ({models})"
            info["ok"] = False
        else:
            info[base] = "answers; models: " + (", ".join(models) or "none listed")
            if settings.api_model:
                served = settings.api_model in models or not models
                info[base] += f"; '{settings.api_model}' " + ("served" if served else "NOT served")
                info["ok"] = info["ok"] and served
    return info
