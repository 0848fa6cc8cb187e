"""HTTP for OpenAI-compatible servers: round-robin bases, rate limit, retries, unknown-field tolerance.

The API key travels only in the Authorization header; no message, error or repr here holds it.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import itertools
import random
import time

from ..errors import ModelError

RETRY_STATUSES = {408, 409, 425, 429, 500, 502, 503, 504}
# Asked of servers that think before answering, strongest first: vLLM and SGLang read
# chat_template_kwargs, Ollama and hosted APIs reasoning_effort. A server that answers 400 is asked
# again with the next (fewer fields), and the level that worked is remembered for that server.
NO_THINKING = [{"chat_template_kwargs": {"enable_thinking": False}, "reasoning_effort": "none"},
               {"chat_template_kwargs": {"enable_thinking": False}}, {}]
MAX_RETRY_WAIT = 120.0  # seconds: a Retry-After longer than this is cut to it


class RequestFailed(Exception):
    """One request failed for good (after retries). The message names the server, never the key."""


class ChatClient:
    """An async client for /chat/completions and /models over one or more base URLs."""

    def __init__(self, bases: list[str], api_key: str = "", timeout: float = 120.0, concurrency: int = 4,
                 rps: float = 0.0, retries: int = 4, backoff: float = 0.5):
        if not bases:
            raise ModelError("--engine openai needs --api-base URL (e.g. http://localhost:8080/v1)")
        if api_key and not all("!" <= c <= "~" for c in api_key):
            # an HTTP header cannot carry it: every request would fail and read as "the server does not answer"
            raise ModelError("the API key holds a line break, a space or a non-ASCII character; set the variable "
                             "--api-key-env names (default OPENAI_API_KEY) again without them")
        self.bases = [b.rstrip("/") for b in bases]
        self._turn = itertools.cycle(range(len(self.bases)))
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.timeout, self.concurrency, self.rps = timeout, concurrency, rps
        self.retries, self.backoff = retries, backoff
        self.no_thinking_level: dict[str, int] = {}  # base -> index into NO_THINKING that it accepts
        self.retried = 0
        self._next_slot = 0.0
        self._slot_lock: asyncio.Lock | None = None
        self._http = None

    def __repr__(self) -> str:
        return f"ChatClient(bases={self.bases!r}, key={'set' if self._headers else 'none'})"

    async def __aenter__(self) -> ChatClient:
        import httpx

        limits = httpx.Limits(max_connections=self.concurrency * 2, max_keepalive_connections=self.concurrency)
        self._http = httpx.AsyncClient(headers=self._headers, limits=limits, verify=_tls(self.bases),
                                       timeout=httpx.Timeout(self.timeout, connect=min(10.0, self.timeout)))
        self._slot_lock = asyncio.Lock()
        return self

    async def __aexit__(self, *exc) -> None:
        await self._http.aclose()

    async def chat(self, body: dict) -> dict:
        """POST /chat/completions on the next base in turn, retrying on the next ones; the JSON reply."""
        import httpx

        last = ""
        for attempt in range(self.retries + 1):
            base = self.bases[next(self._turn)]
            await self._wait_for_slot()
            level = self.no_thinking_level.get(base, 0)
            try:
                response = await self._http.post(f"{base}/chat/completions", json={**body, **NO_THINKING[level]})
                while response.status_code == 400 and level < len(NO_THINKING) - 1:
                    # Some servers reject fields they do not know: ask again with fewer.
                    level += 1
                    response = await self._http.post(f"{base}/chat/completions", json={**body, **NO_THINKING[level]})
                    if response.status_code < 400:
                        self.no_thinking_level[base] = level
            except httpx.TimeoutException:
                last, wait = f"{base}: no reply within {self.timeout:g} s", self._backoff(attempt)
            except httpx.TransportError as exc:
                last, wait = f"{base}: cannot connect ({type(exc).__name__})", self._backoff(attempt)
            else:
                if response.status_code < 400:
                    return _json(response, base)
                message = f"{base}: HTTP {response.status_code} {_error_message(response)}"
                fatal(response.status_code, message)
                if response.status_code not in RETRY_STATUSES:
                    raise RequestFailed(message)
                last, wait = message, _retry_after(response) or self._backoff(attempt)
            if attempt < self.retries:
                self.retried += 1
                await asyncio.sleep(wait)
        raise RequestFailed(f"{last} (gave up after {self.retries + 1} tries)")

    async def models(self, base: str) -> list[str]:
        """Model ids a server lists at GET /models."""
        import httpx

        try:
            response = await self._http.get(f"{base}/models")
        except httpx.HTTPError as exc:
            raise RequestFailed(f"{base}: cannot connect ({type(exc).__name__})") from None
        if response.status_code >= 400:
            raise RequestFailed(f"{base}: HTTP {response.status_code} {_error_message(response)}")
        data = _json(response, base).get("data") or []
        return [str(m.get("id")) for m in data if isinstance(m, dict) and m.get("id")]

    def _backoff(self, attempt: int) -> float:
        return min(30.0, self.backoff * 2 ** attempt) * random.uniform(0.75, 1.25)

    async def _wait_for_slot(self) -> None:
        """At most `rps` request starts per second, spread evenly."""
        if self.rps <= 0:
            return
        async with self._slot_lock:
            now = time.monotonic()
            start = max(now, self._next_slot)
            self._next_slot = start + 1.0 / self.rps
        if start > now:
            await asyncio.sleep(start - now)


def _tls(bases: list[str]):
    """No certificate store to load for plain-http servers (local ones); a shared one otherwise."""
    return _tls_context() if any(b.lower().startswith("https:") for b in bases) else False


@functools.lru_cache(maxsize=1)
def _tls_context():
    import ssl

    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def fatal(status: int, message: str) -> None:
    """Errors no retry mends (wrong URL or model, refused key) end the run with one line."""
    if status in (401, 403):
        raise ModelError(f"{message}; the server refused the API key: set it in the variable named by "
                         "--api-key-env (default OPENAI_API_KEY)")
    if status == 404:
        raise ModelError(f"{message}; check --api-base (it usually ends in /v1) and --api-model "
                         "('translate model info --engine openai --api-base URL' lists the models)")


def _retry_after(response) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), on 429 and 503."""
    value = response.headers.get("retry-after")
    if response.status_code not in (429, 503) or not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return min(MAX_RETRY_WAIT, max(0.0, seconds))


def _error_message(response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:200].strip()
    error = data.get("error", data) if isinstance(data, dict) else data
    message = error.get("message", "") if isinstance(error, dict) else str(error)
    return str(message)[:200]


def _json(response, base: str) -> dict:
    try:
        data = response.json()
    except ValueError:
        raise RequestFailed(f"{base}: the reply is not JSON") from None
    if not isinstance(data, dict):
        raise RequestFailed(f"{base}: the reply is not a JSON object")
    return data
