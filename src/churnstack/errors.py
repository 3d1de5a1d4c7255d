"""Errors split by what the caller can do about them.

* ``TransientError``: retrying later may succeed (a dropped connection, a timeout).
* ``TerminalError``: the input or configuration must be fixed first (a missing
  file, a missing column, a missing secret). The CLI prints its message as one
  line and exits non-zero, never a traceback.
"""

from __future__ import annotations


class ChurnstackError(Exception):
    """Root of every error churnstack raises on purpose."""


class TransientError(ChurnstackError):
    """A problem that may go away on retry."""


class SourceUnavailable(TransientError):
    """A source system did not answer (refused, timed out, dropped) after every retry."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class TerminalError(ChurnstackError):
    """A problem that needs a fix in the input or the configuration."""


class ConfigError(TerminalError):
    """The project file, an environment override or a secret is wrong or missing."""


class SourceError(TerminalError):
    """A source file or table cannot be read as a whole (missing, empty, wrong header...)."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class TransformError(TerminalError):
    """dbt failed to build a model or a data test failed."""
