"""Precise exception types. The CLI turns them into one-line messages and exit codes."""

import re


class TranslateError(Exception):
    """Base class. `exit_code` 2 = bad usage or input, 1 = the run failed."""

    exit_code = 2

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path

    def __str__(self) -> str:
        message = printable(super().__str__())  # a file name quoted in the message too
        return f"{printable(self.path)}: {message}" if self.path else message


# Line breaks, other controls and bidi overrides in a file name would split or garble a one-line message.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """A path as the terminal can show it on one line: undecodable bytes of a file name (surrogate escapes) as
    U+FFFD, line breaks, controls and bidi overrides escaped (\\n, \\u202e)."""
    text = str(text).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1] if m.group() in "\n\r\t" else
                            f"\\u{ord(m.group()):04x}", text)


class InputError(TranslateError):
    """The input file cannot be read as an article."""


class GlossaryError(TranslateError):
    """A glossary file is malformed."""


class ModelError(TranslateError):
    """A model cannot be found or loaded."""


class OutputError(TranslateError):
    """An output cannot be written."""


class ReviewError(TranslateError):
    """An edited DOCX cannot be mapped back onto its blocks."""


class RunFailed(TranslateError):
    """The run finished but some blocks failed; outputs were written. `result` is the RunResult."""

    exit_code = 1
    result = None


class ConfigError(TranslateError):
    """A translate.toml config file is malformed."""
