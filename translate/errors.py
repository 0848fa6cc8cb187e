"""Precise exception types. The CLI turns them into one-line messages and exit codes."""


class TranslateError(Exception):
    """Base class. `exit_code` 2 = bad usage or input, 1 = the run failed."""

    exit_code = 2

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path

    def __str__(self) -> str:
        message = super().__str__()
        return f"{printable(self.path)}: {message}" if self.path else message


def printable(text: str) -> str:
    """A path as the terminal can show it: undecodable bytes of a file name (surrogate escapes) as U+FFFD."""
    return str(text).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


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
