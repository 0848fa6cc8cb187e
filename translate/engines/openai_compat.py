"""Engine for OpenAI-compatible chat servers (Ollama, llama.cpp's llama-server, vLLM, SGLang, hosted APIs).

One request per block, sent `concurrency` at a time in block order; the prompt comes from a data
file (prompt.py), the reply is cleaned (reply.py), the HTTP manners live in openai_http.py.
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
        self.retried = 0
        self._client()  # fails early on a missing --api-base
        if check:
            self.check_server()

    def __repr__(self) -> str:
        return f"OpenAIEngine(model={self.model!r}, bases={list(self.settings.api_bases)!r})"

    def describe(self) -> dict:
        return {"engine": self.name, "model": self.model, "prompt": self.prompt.version}

    def check_server(self) -> None:
        """Every base answers and serves the model; otherwise one line saying what to fix."""
        served = server_models(self.settings)
        for base, models in served.items():
            if isinstance(models, Exception):
                raise ModelError(f"the server does not answer ({models}); start it or fix --api-base")
            if not self.model:
                raise ModelError(f"give --api-model; {base} serves: {', '.join(models) or 'no model listed'}")
            if models and self.model not in models:
                raise ModelError(f"{base} does not serve model '{self.model}'; it serves: {', '.join(models)} "
                                 "(choose one with --api-model)")

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
        order = iter(range(len(requests)))  # workers take blocks in order: context fills in behind them

        async def worker(client: ChatClient) -> None:
            for index in order:
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
                await asyncio.gather(*(worker(client) for _ in range(min(self.settings.concurrency, len(requests)))))
            finally:
                self.retried += client.retried
        return results

    def _client(self) -> ChatClient:
        # The key is read from the environment here and kept nowhere else in this object.
        settings = self.settings
        return ChatClient(list(settings.api_bases), api_key=os.environ.get(settings.api_key_env, ""),
                          timeout=settings.timeout, concurrency=settings.concurrency, rps=settings.rps)

    async def _one(self, client: ChatClient, request: TranslationRequest) -> str:
        # Rendered now, not when queued, so the context holds the translations finished by now.
        body = {"model": self.model, "messages": self.prompt.messages(request), "temperature": 0,
                "max_tokens": 4 * len(request.text) + 256, "stream": False}
        data = await client.chat(body)
        try:
            choice = data["choices"][0]
            content = choice["message"].get("content")
        except (KeyError, IndexError, TypeError, AttributeError):
            raise RequestFailed("the reply has no choices[0].message") from None
        if isinstance(content, list):  # content parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        text, notes = clean_reply(content, choice.get("finish_reason"), source=request.text)
        self.cleaned.update(notes)
        return text


def server_models(settings: EngineSettings) -> dict[str, list[str] | Exception]:
    """Base URL -> the models it lists at GET /models (an Exception where it does not answer)."""
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
        return found

    return asyncio.run(ask())


def server_info(settings: EngineSettings) -> dict:
    """What `translate model info --engine openai` prints: per base, whether it answers and its models."""
    info: dict = {"engine": "openai", "api_key_env": settings.api_key_env,
                  "api_key": "set" if os.environ.get(settings.api_key_env) else "not set"}
    for base, models in server_models(settings).items():
        if isinstance(models, Exception):
            info[base] = f"does not answer ({models})"
        else:
            info[base] = "answers; models: " + (", ".join(models) or "none listed")
            if settings.api_model:
                info[base] += f"; '{settings.api_model}' " + ("served" if settings.api_model in models or not models
                                                              else "NOT served")
    return info
