"""Pieces of the HTTP layer that need no ``requests``: retry timing and per-host gates.

``client.py`` is the only module that talks HTTP; it uses these to decide how long
to wait before a retry and to keep each host at its concurrency and delay limits.
"""

from __future__ import annotations

import email.utils
import math
import random
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Protocol

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
GONE_STATUSES = frozenset({404, 410})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})


class FetchError(Exception):
    """One request failed; ``reason`` is what the report shows for the source.

    The fetcher turns it into a ``stale`` or ``failed`` outcome: callers of
    ``Fetcher`` receive data, never this exception.
    """

    def __init__(
        self,
        reason: str,
        *,
        http_status: int | None = None,
        gone: bool = False,
        retry: bool = False,
        retry_after: float | None = None,
        budget: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status
        self.gone = gone
        self.retry = retry
        self.retry_after = retry_after
        self.budget = budget  # not fetched because the build's wait budget is spent


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds asked by a Retry-After header (delta-seconds or HTTP date), None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(attempt: int, base: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: base * 2**attempt, plus up to base at random."""
    rng = rng or random
    return base * (2**attempt) + rng.uniform(0, base)


def status_error(status: int, retry_after: str | None, cap: float) -> FetchError:
    """The FetchError for a non-success HTTP status (whether to retry, gone...)."""
    reason = f"HTTP {status}"
    if status in GONE_STATUSES:
        return FetchError(f"{reason} (gone)", http_status=status, gone=True)
    if status not in RETRY_STATUSES:
        return FetchError(reason, http_status=status)
    wait = retry_after_seconds(retry_after)
    if wait is not None and wait > cap:
        reason = f"{reason}, Retry-After {wait:.0f} s is over the {cap:.0f} s cap"
        reason += " (DOSSIER_RETRY_AFTER_CAP)"
        return FetchError(reason, http_status=status)
    return FetchError(reason, http_status=status, retry=True, retry_after=wait)


class Clock(Protocol):
    """Where waiting happens: the system's clock, or a test's."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


# Every reason given for a source skipped because the wait budget was spent holds this
# (the report counts them by it).
BUDGET_SETTING = "DOSSIER_WAIT_BUDGET"


class WaitBudget:
    """The seconds of waiting the whole build may spend, shared by every fetch thread.

    A wait is counted as wall-clock time: waits that overlap (four threads sleeping on
    the same Retry-After) are counted once, so the budget bounds how much longer the
    build takes because of them. A wait that would go over the budget is refused.
    """

    def __init__(self, seconds: float, clock: Clock | None = None) -> None:
        self.seconds = seconds
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._spent = 0.0
        self._horizon = 0.0  # when the latest granted wait ends (monotonic clock)

    def grant(self, wait: float) -> bool:
        """Reserve ``wait`` seconds from now; False (nothing reserved) when over budget."""
        if wait <= 0:
            return True
        with self._lock:
            start = self._clock.monotonic()
            charge = max(0.0, start + wait - max(start, self._horizon))
            if self._spent + charge > self.seconds:
                return False
            self._spent += charge
            self._horizon = max(self._horizon, start + wait)
            return True

    @property
    def spent(self) -> float:
        """Seconds of waiting granted so far."""
        with self._lock:
            return self._spent

    def refusal(self, wait: float, why: str, http_status: int | None = None) -> FetchError:
        """The error of a source that is not fetched because the budget is spent."""
        return FetchError(
            f"{why}; not waiting {wait:.1f} s more: the build's wait budget is spent "
            f"({BUDGET_SETTING}={self.seconds:g} s)",
            http_status=http_status,
            budget=True,
        )


class HostGate:
    """At most ``concurrency`` requests in flight to one host, starts ``delay`` apart."""

    def __init__(self, concurrency: int, delay: float, budget: WaitBudget, clock: Clock) -> None:
        self._slots = threading.BoundedSemaphore(concurrency)
        self._clock = clock
        self._delay = delay
        self._budget = budget
        self._lock = threading.Lock()
        self._next_start = 0.0

    def at_least(self, delay: float) -> None:
        """Raise the spacing between request starts to ``delay`` (never lower it)."""
        with self._lock:
            self._delay = max(self._delay, delay)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the host's slots for the duration of a request."""
        with self._slots:
            with self._lock:
                now = self._clock.monotonic()
                start = max(now, self._next_start)
                if not self._budget.grant(start - now):
                    why = f"request spacing of {self._delay:g} s (Crawl-delay, DOSSIER_HOST_DELAY)"
                    raise self._budget.refusal(start - now, why)
                self._next_start = start + self._delay
            wait = start - self._clock.monotonic()
            if wait > 0:
                self._clock.sleep(wait)
            yield


class Gates:
    """One HostGate per host, created on first use."""

    def __init__(
        self,
        concurrency: int,
        delay: float,
        budget: WaitBudget | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._concurrency = concurrency
        self._delay = delay
        self._clock = clock or SystemClock()
        self.budget = budget or WaitBudget(math.inf, self._clock)
        self._gates: dict[str, HostGate] = {}
        self._lock = threading.Lock()

    def _gate(self, host: str) -> HostGate:
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = HostGate(self._concurrency, self._delay, self.budget, self._clock)
                self._gates[host] = gate
            return gate

    def slot(self, host: str) -> AbstractContextManager[None]:
        """The slot context manager of one host."""
        return self._gate(host).slot()

    def at_least(self, host: str, delay: float) -> None:
        """Space this host's requests at least ``delay`` seconds apart (robots Crawl-delay)."""
        self._gate(host).at_least(delay)


def content_length(headers: Mapping[str, str]) -> int | None:
    """The Content-Length header as a number of bytes, None when absent or malformed."""
    value = headers.get("Content-Length", "").strip()
    return int(value) if value.isdigit() and len(value) <= 18 else None  # 5,000 digits: none
