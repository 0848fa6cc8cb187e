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
    """`text` with every secret, header value and key-shaped token replaced by [redacted] (for error bodies
    and log lines, where proxies echo headers)."""
    text = redact_secrets(text, secrets)
    text = _HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    return _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)


def redact_secrets(text: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """`text` with every known secret and key-shaped token replaced by [redacted]: for a model's reply, whose
    words ('basic income', 'bearer shares') are the article's. Control and invisible characters go first, so
    a key split by one cannot be joined again by the cleaning after."""
    from ..controls import visible_text

    if not text:
        return text
    text = visible_text(text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
            # a text cut short may end in the first characters of the key
            cut = next((n for n in range(len(secret) - 1, 3, -1) if text.endswith(secret[:n])), 0)
            text = text[: len(text) - cut] + MASK if cut else text
    return _KEY_SHAPES.sub(MASK, text)


def shown_url(url: str) -> str:
    """A server URL as messages show it: credentials in it (user:password@, ?api-key=…) replaced by [redacted]."""
    from urllib.parse import parse_qsl, urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    netloc = parts.netloc
    if "@" in netloc:
        netloc = MASK + "@" + netloc.rsplit("@", 1)[1]
    query = "&".join(f"{name}={MASK}" for name, _ in parse_qsl(parts.query, keep_blank_values=True))
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def url_secrets(url: str) -> tuple[str, ...]:
    """The credentials a server URL carries (user, password, query values), for `redact`."""
    from urllib.parse import parse_qsl, unquote, urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return (url,)
    found = []
    if "@" in parts.netloc:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        found += [userinfo, *(unquote(p) for p in userinfo.split(":"))]
    found += [value for _, value in parse_qsl(parts.query, keep_blank_values=True)]
    return tuple(sorted({f for f in found if len(f) >= 4}, key=len, reverse=True))
