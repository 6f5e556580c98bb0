"""Cleaning new pages as they arrive, in worker processes when there are many.

The fetcher asks whether each new page holds an article; answering means cleaning
it, and the result is kept for the clean stage so a page is parsed once. Cleaning
is pure Python held by the GIL, so the fetch threads cannot share it out: with many
new pages, a process pool puts every core to work. Small builds clean in the
calling thread, since starting a worker costs about as much as cleaning a few
dozen pages.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from functools import cache, partial
from pathlib import Path

from ..derived import digest
from ..fetch.acceptance import article_problem
from ..model import Cleaned
from .cleaner import clean, load_rules
from .rules import RuleSet

logger = logging.getLogger(__name__)

POOL_THRESHOLD = 100  # new pages from which a process pool pays for its start-up


@cache
def rules_in_worker(rules_path: str | None) -> RuleSet:
    """The cleaning rules of a worker process: shipped rules plus those of ``rules_path``.

    A task sent to a process pool is pickled afresh each time, and compiled selectors
    cannot be pickled, so the rules cannot travel with the task; the only thing a worker
    keeps from one task to the next is its own process. This memo is that one slot: a
    pure function of the path (the rule files do not change during a build), filled
    once per worker when it starts (the pool's initializer) and never used by the
    calling process, which cleans with the ``RuleSet`` it was given.
    """
    return load_rules(Path(rules_path) if rules_path else None)


def clean_in_worker(rules_path: str | None, text: str, url: str) -> Cleaned:
    """Clean one page in a worker process, with that worker's rules."""
    return clean(text, url, rules_in_worker(rules_path))


def worker_count(setting: int | None) -> int:
    """DOSSIER_WORKERS; None means one per CPU this process may use, less the build's own."""
    if setting is not None:
        return setting
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max((cpus or 1) - 1, 0)


class PageCleaner:
    """Validates fetched pages by cleaning them, and keeps each result for the clean stage."""

    def __init__(self, rules: RuleSet, rules_path: Path | None, workers: int) -> None:
        self.rules = rules
        self.rules_path = rules_path
        self.workers = workers
        self._done: dict[tuple[str, str], Cleaned] = {}
        self._pool: ProcessPoolExecutor | None = None
        path = str(rules_path) if rules_path else None
        self._task = partial(clean_in_worker, path)  # picklable: the path, not the rules

    def expect(self, pages: int) -> None:
        """Start worker processes when this many pages may need cleaning."""
        if self._pool is None and self.workers > 0 and pages >= POOL_THRESHOLD:
            logger.debug("cleaning in %d worker processes", self.workers)
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),  # never fork a threaded process
                initializer=rules_in_worker,  # each worker loads its rules as it starts
                initargs=self._task.args,
            )

    def __call__(self, text: str, url: str, previous: str | None = None) -> str | None:
        """Why the page ``text`` is not an acceptable copy of its article (compared with
        the ``previous`` good copy, if any), or None."""
        try:
            cleaned = self._clean(text, url)
        except Exception as exc:  # one page's bug must not stop the build: it is refused
            logger.warning("%s: cannot be cleaned: %s: %s", url, type(exc).__name__, exc)
            logger.debug("cleaning %s failed", url, exc_info=True)
            return f"cannot be cleaned ({type(exc).__name__}: {exc})"
        self._done[(url, digest(text))] = cleaned
        return article_problem(cleaned, self._previous(previous, url))

    def _clean(self, text: str, url: str) -> Cleaned:
        if self._pool is None:
            return clean(text, url, self.rules)
        return self._pool.submit(self._task, text, url).result()

    def _previous(self, text: str | None, url: str) -> Cleaned | None:
        """The previous good copy, cleaned for comparison (None if it cannot be)."""
        if text is None:
            return None
        try:
            return self._clean(text, url)
        except Exception:  # then there is nothing to compare with
            logger.debug("cleaning the previous copy of %s failed", url, exc_info=True)
            return None

    def take(self, text: str, url: str) -> Cleaned | None:
        """The page as the check cleaned it, if it was checked (and forget it)."""
        return self._done.pop((url, digest(text)), None)

    def close(self) -> None:
        """Stop the worker processes, if any."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> PageCleaner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
