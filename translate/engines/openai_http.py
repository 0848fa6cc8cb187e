"""HTTP for OpenAI-compatible servers: round-robin bases with cool-downs, shared throttling, rate
limit, retries, unknown-field tolerance, redaction of server text.

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
from .redact import redact, redact_secrets, shown_url, url_secrets

RETRY_STATUSES = {408, 409, 425, 429, 500, 502, 503, 504}
# Asked of servers that think before answering, strongest first: vLLM and SGLang read
# chat_template_kwargs, Ollama and hosted APIs reasoning_effort. A server that answers 400 is asked
# again with the next (fewer fields), and the level that worked is remembered for that server.
NO_THINKING = [{"chat_template_kwargs": {"enable_thinking": False}, "reasoning_effort": "none"},
               {"chat_template_kwargs": {"enable_thinking": False}}, {}]
MAX_RETRY_WAIT = 120.0  # seconds: a Retry-After longer than this is cut to it
MAX_THROTTLED = 600.0  # seconds of 429 pauses one request waits out before they spend its tries
ERROR_CHARS = 4000  # of a server's error body read for the message (redacted, then cut to 200)
COOL_DOWN, MAX_COOL_DOWN = 2.0, 60.0  # seconds a base that does not connect is skipped (doubling)


class RequestFailed(Exception):
    """One request failed for good (after retries). The message names the server, never the key."""

    def __init__(self, message: str, status: int = 0):
        super().__init__(message)
        self.status = status  # the HTTP status, where the server answered


class BaseState:
    """What the client knows of one base: down (circuit open) until when, and paused (a shared
    Retry-After) until when."""

    def __init__(self, url: str):
        self.url = url
        self.down_until = 0.0
        self.failures = 0  # connection failures in a row
        self.paused_until = 0.0

    def mark_down(self, now: float) -> None:
        self.failures += 1
        self.down_until = now + min(MAX_COOL_DOWN, COOL_DOWN * 2 ** (self.failures - 1))

    def mark_up(self) -> None:
        self.failures, self.down_until = 0, 0.0


class ChatClient:
    """An async client for /chat/completions and /models over one or more base URLs.

    Bases that do not connect are skipped for a cool-down (doubling up to MAX_COOL_DOWN) and tried
    again after it; a request moves to a live base without spending one of its tries. A 429 or 503
    with Retry-After pauses every request to that base, and throttling spends no try either (up to
    MAX_THROTTLED seconds per request). Every attempt, retries included, waits for its `rps` slot.
    Text from a server passes through `redact` before it reaches a message.
    """

    def __init__(self, bases: list[str], api_key: str = "", timeout: float = 120.0, concurrency: int = 4,
                 rps: float = 0.0, retries: int = 4, backoff: float = 0.5, down: tuple[str, ...] = ()):
        if not bases:
            raise ModelError("--engine openai needs --api-base URL (e.g. http://localhost:8080/v1)")
        if api_key and not all("!" <= c <= "~" for c in api_key):
            # an HTTP header cannot carry it: every request would fail and read as "the server does not answer"
            raise ModelError("the API key holds a line break, a space or a non-ASCII character; set the variable "
                             "--api-key-env names (default OPENAI_API_KEY) again without them")
        for base in bases:
            if "://" not in base:
                raise ModelError(f"--api-base {shown_url('//' + base)[2:]} has no scheme: write it as "
                                 f"http://{shown_url('//' + base)[2:]} (or https://)")
            if not base.lower().startswith(("http://", "https://")):
                raise ModelError(f"--api-base {shown_url(base)} is not http:// or https://: an OpenAI-compatible "
                                 "server answers HTTP; give its http(s) URL")
        # Bases are named by their shown form everywhere (messages, state, the run's warnings); the
        # credentials a URL may carry (user:password@, ?api-key=) stay in `_requested`, used only to send.
        self._requested: dict[str, str] = {}
        for base in bases:  # two bases that differ only in their credentials stay two (named #2, #3 ...)
            shown = shown_url(base.rstrip("/"))
            name = shown if shown not in self._requested else f"{shown}#{len(self._requested) + 1}"
            self._requested[name] = base.rstrip("/")
        self.bases = list(self._requested)
        self.state = {b: BaseState(b) for b in self.bases}
        now = time.monotonic()
        for base in down:  # found dead before the run: skipped until their cool-down ends
            if base.rstrip("/") in self.state:
                self.state[base.rstrip("/")].mark_down(now)
        self._turn = itertools.cycle(range(len(self.bases)))
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._secrets = tuple(s for s in (api_key, *(x for b in bases for x in url_secrets(b))) if s)
        self.timeout, self.concurrency, self.rps = timeout, concurrency, rps
        self.retries, self.backoff = retries, backoff
        self.no_thinking_level: dict[str, int] = {}  # base -> index into NO_THINKING that it accepts
        self.retried = self.throttled = 0
        self.events: list[str] = []  # bases going down or coming back, for the run's warnings
        self._next_slot = 0.0
        self._slot_lock: asyncio.Lock | None = None
        self._http = None

    def __repr__(self) -> str:
        return f"ChatClient(bases={self.bases!r}, key={'set' if self._headers else 'none'})"

    async def __aenter__(self) -> ChatClient:
        import httpx

        limits = httpx.Limits(max_connections=self.concurrency * 2, max_keepalive_connections=self.concurrency)
        self._http = httpx.AsyncClient(headers=self._headers, limits=limits, verify=_tls(list(self._requested.values())),
                                       timeout=httpx.Timeout(self.timeout, connect=min(10.0, self.timeout)))
        self._slot_lock = asyncio.Lock()
        return self

    async def __aexit__(self, *exc) -> None:
        await self._http.aclose()

    def _endpoint(self, base: str, path: str) -> str:
        """The URL to send to: the base as given (its credentials too), `path` before any query."""
        url, _, query = self._requested[base].partition("?")
        return url.rstrip("/") + path + (f"?{query}" if query else "")

    def redact(self, text: str) -> str:
        """Server text without the key or any echoed Authorization/api-key/Bearer value."""
        return redact(text, self._secrets)

    def redact_reply(self, text: str) -> str:
        """A model's reply without the key: only the key itself goes, the article's words stay."""
        return redact_secrets(text, self._secrets)

    async def chat(self, body: dict) -> dict:
        """POST /chat/completions on the next live base, retrying on the next ones; the JSON reply."""
        import httpx

        last, tries, throttled = "", 0, 0.0
        while True:
            base = await self._pick()
            state = self.state[base]
            spend = True  # whether this attempt spends one of the request's tries
            level = self.no_thinking_level.get(base, 0)
            try:
                await self._wait_for_slot()
                url = self._endpoint(base, "/chat/completions")
                response = await self._post(url, {**body, **NO_THINKING[level]})
                while response.status_code == 400 and level < len(NO_THINKING) - 1:
                    # Some servers reject fields they do not know: ask again with fewer.
                    level += 1
                    await self._wait_for_slot()
                    response = await self._post(url, {**body, **NO_THINKING[level]})
                    if response.status_code < 400:
                        self.no_thinking_level[base] = level
            except (httpx.TimeoutException, TimeoutError):
                last, wait = f"{base}: no reply within {self.timeout:g} s", self._backoff(tries)
            except httpx.TransportError as exc:
                failed = "cannot connect" if isinstance(exc, httpx.ConnectError) else "the connection failed"
                last, wait = f"{base}: {failed} ({type(exc).__name__})", 0.0
                if not state.down_until:
                    self.events.append(f"{base} stopped answering; requests go to the other bases")
                state.mark_down(time.monotonic())
                spend = not self._live(exclude=base)  # another base answers: no try lost
                wait = 0.0 if not spend else self._backoff(tries)
            else:
                if response.status_code < 400:
                    try:
                        data = _json(response, base)
                    except RequestFailed as exc:  # a gateway's garbled answer: another try may get a reply
                        data, last = None, str(exc)
                    if data is not None and "error" in data and not data.get("choices"):
                        data, last = None, f"{base}: the server answered with an error: " \
                                           f"{self.redact(_error_message(response))[:200]}"
                    if data is not None:
                        if state.failures:
                            self.events.append(f"{base} answers again")
                        state.mark_up()
                        return data
                    wait = self._backoff(tries)
                else:
                    last, wait, spend, throttled = self._failed(response, base, tries, state, throttled)
            tries += spend
            if tries > self.retries:
                raise RequestFailed(f"{last} (gave up after {tries} tries)")
            self.retried += 1
            if wait:
                await asyncio.sleep(wait)

    def _failed(self, response, base: str, tries: int, state, throttled: float) -> tuple[str, float, bool, float]:
        """An HTTP error answer: raises when no retry can help; else (message, wait, whether it spends a try,
        seconds throttled so far)."""
        spend = True
        message = f"{base}: HTTP {response.status_code} {self.redact(_error_message(response))[:200]}"
        fatal(response.status_code, message)
        if response.status_code not in RETRY_STATUSES:
            raise RequestFailed(message)
        pause = _retry_after(response)
        wait = pause if pause is not None else self._backoff(tries)
        if response.status_code == 429 or pause is not None:
            # Throttled: every worker waits for this base, and the request keeps its tries.
            state.paused_until = max(state.paused_until, time.monotonic() + wait)
            self.throttled += 1
            throttled += wait
            spend, wait = throttled > MAX_THROTTLED, 0.0
        return message, wait, spend, throttled

    async def _post(self, url: str, body: dict):
        """POST with --api-timeout for the whole reply: httpx's own timeout is per read, so a server that
        trickles its answer would hold the request for ever."""
        return await asyncio.wait_for(self._http.post(url, json=body), timeout=self.timeout)

    async def models(self, base: str) -> list[str]:
        """Model ids a server lists at GET /models."""
        import httpx

        try:
            response = await self._http.get(self._endpoint(base, "/models"))
        except httpx.HTTPError as exc:
            raise RequestFailed(f"{base}: cannot connect ({type(exc).__name__})") from None
        if response.status_code >= 400:
            raise RequestFailed(f"{base}: HTTP {response.status_code} {self.redact(_error_message(response))[:200]}",
                                status=response.status_code)
        data = _json(response, base).get("data") or []
        return [str(m.get("id")) for m in data if isinstance(m, dict) and m.get("id")]

    async def probe(self, base: str, model: str) -> None:
        """A one-token chat request to `base`, for servers that list no models; raises RequestFailed."""
        import httpx

        body = {"model": model, "messages": [{"role": "user", "content": "Reply OK."}], "max_tokens": 1,
                "temperature": 0, "stream": False}
        try:
            response = await self._http.post(self._endpoint(base, "/chat/completions"), json=body)
        except httpx.HTTPError as exc:
            raise RequestFailed(f"{base}: cannot connect ({type(exc).__name__})") from None
        if response.status_code >= 400:
            raise RequestFailed(f"{base}: HTTP {response.status_code} {self.redact(_error_message(response))[:200]}",
                                status=response.status_code)

    def _live(self, exclude: str = "") -> bool:
        now = time.monotonic()
        return any(s.down_until <= now for b, s in self.state.items() if b != exclude)

    async def _pick(self) -> str:
        """The next base in turn that is up and not paused; else wait for the one free soonest
        (a paused base before a down one: a base in cool-down is tried when it ends)."""
        now = time.monotonic()
        first = next(self._turn)
        turn = self.bases[first:] + self.bases[:first]
        ready = [b for b in turn if self.state[b].down_until <= now and self.state[b].paused_until <= now]
        if ready:
            return ready[0]
        up = [b for b in turn if self.state[b].down_until <= now]
        key = (lambda b: self.state[b].paused_until) if up else (lambda b: max(self.state[b].down_until,
                                                                               self.state[b].paused_until))
        base = min(up or turn, key=key)
        await asyncio.sleep(max(0.0, key(base) - now))
        return base

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
    """The server's error text, at most ERROR_CHARS (redacted by the caller before it is cut shorter)."""
    try:
        data = response.json()
    except ValueError:
        return response.text[:ERROR_CHARS].strip()
    error = data.get("error", data) if isinstance(data, dict) else data
    message = error.get("message", "") if isinstance(error, dict) else str(error)
    return str(message)[:ERROR_CHARS]


def _json(response, base: str) -> dict:
    try:
        data = response.json()
    except ValueError:
        raise RequestFailed(f"{base}: the reply is not JSON") from None
    if not isinstance(data, dict):
        raise RequestFailed(f"{base}: the reply is not a JSON object")
    return data
