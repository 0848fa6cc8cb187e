"""Secrets out of text that came from a server: error bodies, replies, log lines.

Proxies and gateways echo request headers in their errors; such text is cleaned before it is
printed, stored in a flag or an output, or cached.
"""

from __future__ import annotations

import re

MASK = "[redacted]"
# A header echoed as text or JSON ("Authorization: Bearer x", "'api-key': 'x'", "x-api-key=x") and a
# bare bearer token; the value runs to the next quote, comma, semicolon, bracket or whitespace.
_HEADER = re.compile(r"""(?i)((?:proxy-)?authorization|x-api-key|api[-_]key|access[-_]token)(["']?\s*[:=]\s*["']?)"""
                     r"""(?:(?:bearer|basic|token)\s+)?(?:\[redacted\]|[^\s"',;}\]]+)""")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{6,}")
# Key shapes hosted APIs hand out (OpenAI sk-..., Anthropic sk-ant-..., Google AIza...).
_KEY_SHAPES = re.compile(r"\b(?:sk-[A-Za-z0-9_-]{12,}|AIza[0-9A-Za-z_-]{20,})")


def redact(text: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """`text` with every secret, header value and key-shaped token replaced by [redacted]."""
    if not text:
        return text
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
            # a text cut short may end in the first characters of the key
            cut = next((n for n in range(len(secret) - 1, 3, -1) if text.endswith(secret[:n])), 0)
            text = text[: len(text) - cut] + MASK if cut else text
    text = _HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)
    return _KEY_SHAPES.sub(MASK, text)
