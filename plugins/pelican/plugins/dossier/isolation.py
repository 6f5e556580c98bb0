"""Isolation per source: an unexpected error while cleaning, tagging or publishing one
page fails that source alone, as data, and the rest of the dossier is published.

This is the per-source boundary of the pipeline, and the only place that catches any
``Exception``: the failure is not swallowed but recorded (status ``failed``, the stage
and the error as the reason, in dossier.json, the report and strict mode), logged as a
warning naming the URL, with the traceback at debug level.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace

from .model import Entry, Fetched

logger = logging.getLogger(__name__)

REASON_MAX = 240  # characters of an error message kept in the reason


def failed(entry: Entry, stage: str, exc: Exception) -> Entry:
    """``entry`` as a source that failed at ``stage`` because of ``exc``."""
    message = " ".join(str(exc).split())
    reason = f"{stage} failed ({type(exc).__name__}: {message})"
    if len(reason) > REASON_MAX:
        reason = reason[: REASON_MAX - 2] + "…)"
    logger.warning("%s: %s", entry.source_url, reason)
    logger.debug("%s: %s failed", entry.source_url, stage, exc_info=exc)
    fetched = replace(entry.fetched, status="failed", reason=reason, text=None)
    return replace(entry, fetched=fetched, cleaned=None, themes=(), related=())


def each(entries: Iterable[Entry], stage: str, work: Callable[[Entry], Entry]) -> list[Entry]:
    """``work`` applied to every entry; an entry whose work raises is marked failed."""
    done = []
    for entry in entries:
        try:
            done.append(work(entry))
        except Exception as exc:  # the per-source boundary: recorded, logged with the URL
            done.append(failed(entry, stage, exc))
    return done


def with_failures(outcomes: list[Fetched], entries: Iterable[Entry]) -> list[Fetched]:
    """The fetch outcomes, with every source that failed after its fetch marked failed."""
    late = {e.fetched.url: e.fetched for e in entries if e.fetched.status == "failed"}
    return [late.get(o.url, o) if o.status != "failed" else o for o in outcomes]
