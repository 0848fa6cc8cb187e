"""A small OpenAI-compatible server on loopback, for tests and `translate bench --llm`.

It "translates" with a function it is given (by default it writes the glossary and number
renderings from the prompt into the text and drops the Chinese), and can misbehave on purpose:
think tags, chatter before and after the answer, ignored glossary terms, scripted HTTP errors with
Retry-After (and error bodies that echo the request's headers, as some proxies do), slow or cut-off
replies, unknown models, servers that reject unknown fields or have no /models, replies for the
wrong block, control characters, and a server that dies after some requests.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

_TEXT = re.compile(r"<text>\n(.*?)\n</text>", re.S)
_RENDERING = re.compile(r"^- (.+?) = (.+?)(?: \(.*\))?$", re.M)
_HAN = re.compile(r"[\u3400-\u9fff]+")


def drop_chinese(text: str) -> str:
    return re.sub(r"\s+", " ", _HAN.sub(" ", text)).strip() or "ok"


@dataclass
class Behaviour:
    """What the server does. Lists of statuses are used up one per request, in order."""

    models: list[str] = field(default_factory=lambda: ["test-model"])
    translate: Callable[[str], str] = drop_chinese
    delay: float | Callable[[str], float] = 0.0  # seconds per request, or a function of the text
    think: bool = False  # <think>...</think> before the answer
    reasoning_field: bool = False  # reasoning_content beside the answer
    chatter: bool = False  # 'Here is the translation:' and quotes around the answer
    ignore_terms_first: set[str] = field(default_factory=set)  # glossary sources ignored on the first ask
    statuses: list[tuple[int, dict]] = field(default_factory=list)  # (status, headers) to answer first
    slow_once_on: str = ""  # a text containing this waits `slow_seconds` the first time
    slow_seconds: float = 0.0
    truncate_on: str = ""  # finish_reason 'length' for texts containing this
    refuse_on: str = ""
    rejected_fields: tuple[str, ...] = ()  # 400 when a request carries one of these fields
    echo_headers: bool = False  # scripted errors quote the request's headers (Authorization included)
    closing: str = ""  # appended after the answer, e.g. "\n\nI hope this helps! Let me know..."
    control_character: str = ""  # put into the middle of every answer, e.g. "\x07"
    wrong_block: bool = False  # answer with the previous block's text (the last context source)
    no_models_route: bool = False  # GET /models is a 404, as on some gateways
    die_after: int = 0  # chat requests answered before the server drops every connection (0 = never)


class LoopbackServer:
    """Start with `with LoopbackServer(behaviour) as server:`; `server.base` is the /v1 URL."""

    def __init__(self, behaviour: Behaviour | None = None, port: int = 0):
        self.behaviour = behaviour or Behaviour()
        self.requests: list[dict] = []  # {"path", "headers", "body", "start", "end"}
        self.lock = threading.Lock()
        self.in_flight = self.max_in_flight = 0
        self._slowed = False
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def chat_bodies(self) -> list[dict]:
        return [r["body"] for r in self.requests if r["path"].endswith("/chat/completions")]

    def answer(self, path: str, body: dict, headers: dict | None = None) -> tuple[int, dict, dict]:
        """(status, headers, JSON) for one request."""
        b = self.behaviour
        path = path.split("?", 1)[0]  # a query (Azure's ?api-version=, ?api-key=) does not change the route
        with self.lock:
            scripted = b.statuses.pop(0) if b.statuses and path.endswith("/chat/completions") else None
        if path.endswith("/models") and not b.no_models_route:
            return 200, {}, {"object": "list", "data": [{"id": m, "object": "model"} for m in b.models]}
        if not path.endswith("/chat/completions"):
            return 404, {}, {"error": {"message": f"no route {path}"}}
        if scripted:
            message = f"scripted {scripted[0]}"
            if b.echo_headers:  # as a gateway that logs the request would
                auth = (headers or {}).get("Authorization", "")
                message += f"; Authorization: {auth}; request headers: {json.dumps(headers or {})}"
            return scripted[0], scripted[1], {"error": {"message": message}}
        refused = [name for name in b.rejected_fields if name in body]
        if refused:
            return 400, {}, {"error": {"message": f"Unrecognized request argument supplied: {refused[0]}"}}
        if body.get("model") not in b.models:
            return 404, {}, {"error": {"message": f"model '{body.get('model')}' not found"}}
        messages = body.get("messages") or []
        user = next((m["content"] for m in messages if m.get("role") == "user"), "")
        found = _TEXT.search(user)
        text = found.group(1) if found else user
        earlier = re.findall(r"^Source: (.*)$", user, re.M)
        if b.wrong_block and earlier:
            text = earlier[-1]
        if b.slow_once_on and b.slow_once_on in text:
            with self.lock:
                slow, self._slowed = not self._slowed, True
            if slow:
                time.sleep(b.slow_seconds)
        delay = b.delay(text) if callable(b.delay) else b.delay
        if delay:
            time.sleep(delay)
        reask = len(messages) > 2
        renderings = {source: target for source, target in _RENDERING.findall(user)
                      if reask or source not in b.ignore_terms_first}
        if renderings:  # one pass, longest first, as a model reading the glossary would
            pattern = re.compile("|".join(re.escape(s) for s in sorted(renderings, key=len, reverse=True)))
            text = pattern.sub(lambda m: f" {renderings[m.group()]} ", text)
        if b.refuse_on and b.refuse_on in text:
            return 200, {}, _completion(body, "I'm sorry, but I can't help with that.", "stop")
        content = b.translate(text)
        if b.control_character:
            middle = len(content) // 2
            content = content[:middle] + b.control_character + content[middle:]
        content += b.closing
        if b.chatter:
            content = f"Here is the translation:\n\n\"{content}\""
        if b.think:
            content = f"<think>\nThe user wants a translation. Let me think.\n</think>\n\n{content}"
        finish = "stop"
        if b.truncate_on and b.truncate_on in text:
            content, finish = content[: len(content) // 2], "length"
        return 200, {}, _completion(body, content, finish, "Reasoning here." if b.reasoning_field else None)


def _completion(body: dict, content: str, finish: str, reasoning: str | None = None) -> dict:
    message = {"role": "assistant", "content": content}
    if reasoning:
        message["reasoning_content"] = reasoning
    return {"id": "chatcmpl-loopback", "object": "chat.completion", "model": body.get("model"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 0, "completion_tokens": len(content.split()), "total_tokens": 0}}


def _handler(server: LoopbackServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            self._serve({})

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                body = {}
            self._serve(body)

        def _serve(self, body: dict) -> None:
            record = {"path": self.path, "headers": dict(self.headers), "body": body, "start": time.monotonic()}
            with server.lock:
                answered = sum(1 for r in server.requests if r["path"].endswith("/chat/completions"))
                dead = server.behaviour.die_after and answered >= server.behaviour.die_after
                if not dead:
                    server.requests.append(record)
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
            if dead:  # a host that died: the connection drops with no answer
                self.close_connection = True
                self.connection.close()
                return
            try:
                status, headers, data = server.answer(self.path, body, record["headers"])
            finally:
                with server.lock:
                    server.in_flight -= 1
                record["end"] = time.monotonic()
            payload = json.dumps(data).encode("utf-8")
            try:
                self.send_response(status)
                for key, value in {**headers, "Content-Type": "application/json",
                                   "Content-Length": str(len(payload))}.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (a timeout test)
                pass

    return Handler


def serve(delay: float = 0.0) -> None:
    """Run a well-behaved server in this process until stdin closes; prints its base URL first.
    (`translate bench --llm` runs it in its own process, so client and server share no GIL.)"""
    import sys

    with LoopbackServer(Behaviour(delay=delay)) as server:
        print(server.base, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    import sys

    serve(float(sys.argv[1]) if len(sys.argv) > 1 else 0.0)
