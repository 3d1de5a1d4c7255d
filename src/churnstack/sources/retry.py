"""Bounded retries for source systems: transient problems are retried, terminal ones are not.

A *classifier* turns a driver's exception into a :class:`Problem`: ``transient``
(a refused or dropped connection, a timeout: retry after a pause that doubles
up to a cap), ``terminal`` (bad credentials, a missing table or object: fail at
once with :class:`~churnstack.errors.SourceError`, whose message says what to
fix), or ``None`` for an exception it does not know (re-raised untouched: a bug
should not be retried into hiding). After the last attempt a transient problem
becomes :class:`~churnstack.errors.SourceUnavailable` (a ``TransientError``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from churnstack.errors import ConfigError, SourceError, SourceUnavailable

T = TypeVar("T")

TRANSIENT, TERMINAL = "transient", "terminal"


@dataclass(frozen=True)
class Problem:
    kind: str  # transient | terminal
    message: str  # already free of secrets


Classifier = Callable[[BaseException], Problem | None]


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3  # tries in all, the first included
    backoff: float = 0.5  # seconds before the second try; doubles after each failure
    max_backoff: float = 8.0

    @classmethod
    def from_options(cls, options: Mapping[str, Any], source: str) -> RetryPolicy:
        try:
            policy = cls(
                attempts=int(options.get("retries", cls.attempts)),
                backoff=float(options.get("retry_backoff", cls.backoff)),
                max_backoff=float(options.get("retry_max_backoff", cls.max_backoff)),
            )
        except (TypeError, ValueError):
            raise ConfigError(
                f"source {source}: retries must be a whole number and retry_backoff, "
                "retry_max_backoff numbers of seconds"
            ) from None
        if policy.attempts < 1 or policy.backoff < 0 or policy.max_backoff < 0:
            raise ConfigError(f"source {source}: retries must be at least 1, backoffs >= 0")
        return policy

    def delay(self, failures: int) -> float:
        """Pause after ``failures`` failed tries (1, 2, ...)."""
        return min(self.max_backoff, self.backoff * (2 ** (failures - 1)))


def call_with_retries(
    action: Callable[[], T],
    *,
    source: str,
    policy: RetryPolicy,
    classify: Classifier,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``action``; retry transient problems with bounded backoff; fail terminal ones."""
    for attempt in range(1, policy.attempts + 1):
        try:
            return action()
        except (SourceError, SourceUnavailable, ConfigError):
            raise  # already classified by an inner call
        except Exception as exc:
            problem = classify(exc)
            if problem is None:
                raise
            if problem.kind == TERMINAL:
                raise SourceError(source, problem.message) from None
            if attempt == policy.attempts:
                tries = "1 attempt" if attempt == 1 else f"{attempt} attempts"
                raise SourceUnavailable(
                    source,
                    f"{problem.message} (gave up after {tries}; a transient problem: "
                    "check that the server is up and reachable, then run again)",
                ) from None
            sleep(policy.delay(attempt))
    raise AssertionError("unreachable")  # pragma: no cover
