"""Change tracking inside a build: the history file, the kept copies, and this build's view.

The history is ``history.json`` in DOSSIER_CACHE_PATH, beside the fetch cache. A JSON
file rather than a table in ``fetch.sqlite3``: it is small (one record per article and
the dated events), read whole once and written once per build, so a database buys
nothing; a person can read it and diff it; it is written atomically (temporary file,
then ``os.replace``); and it does not tie the fetch cache's schema to it. It lives in
the cache folder so that deleting the cache also starts a new baseline, and deleting
the file alone does the same (a baseline: nothing called « new »).

Articles the dossier held that this build's sources no longer name are read back
from the fetch cache alone (never requested again), so that they stay published
from their last good copy, unless DOSSIER_KEEP_REMOVED is False.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import write_atomic
from ..fetch.httpcache import now
from ..fetch.outcomes import PagePolicy
from ..model import Entry, Fetched
from ..urls import url_key
from .history import Event, History, HistoryError, Record, Seen, advance, from_json, is_new
from .history import to_json as history_json

if TYPE_CHECKING:
    from ..discover.sources import Origin, Sources
    from ..fetch import Fetcher
    from ..settings import Settings

logger = logging.getLogger(__name__)

FILENAME = "history.json"
FRESH = ("fetched", "not-modified")


@dataclass(frozen=True)
class Tracking:
    """What publishing needs: every article's record, the events, and where each was found."""

    history: History
    now: datetime
    new_days: int
    origins: dict[str, tuple[Origin, ...]]  # by url_key of the source URL

    def record(self, source_url: str) -> Record | None:
        return self.history.records.get(url_key(source_url))

    def presence(self, source_url: str) -> str:
        record = self.record(source_url)
        return record.presence if record else "current"

    def is_new(self, source_url: str) -> bool:
        record = self.record(source_url)
        return bool(record) and is_new(record, self.now, self.new_days)  # type: ignore[arg-type]

    def found_in(self, source_url: str) -> tuple[Origin, ...]:
        return self.origins.get(url_key(source_url), ())

    @property
    def latest(self) -> list[Event]:
        """This build's events."""
        build = self.history.last_build
        return self.history.events_of(build) if build else []


def load_history(cache: Path) -> History | None:
    """The stored history, or None (a baseline) when missing or unreadable."""
    path = cache / FILENAME
    try:
        return from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        logger.info("no history at %s: this build sets the baseline", path)
    except (OSError, ValueError, HistoryError) as exc:
        logger.warning("history %s is unreadable (%s): this build sets a new baseline", path, exc)
    return None


def save_history(cache: Path, history: History) -> Path:
    """Write the history atomically."""
    text = json.dumps(history_json(history), ensure_ascii=False, indent=1, sort_keys=True)
    return write_atomic(cache / FILENAME, (text + "\n").encode("utf-8"))


def kept_urls(previous: History | None, sources: Sources, settings: Settings) -> list[str]:
    """Articles the dossier held that its sources no longer name (nor leave out)."""
    if previous is None or not settings.keep_removed:
        return []
    named = set(sources.origins) | set(sources.left_out)
    return [r.url for key, r in previous.records.items() if key not in named]


def kept_pages(fetcher: Fetcher, urls: list[str]) -> Iterator[tuple[Fetched, bool]]:
    """Their last good copies, from the cache alone: nothing is requested."""
    policy = PagePolicy(
        replace(fetcher.settings, offline=True), lambda: fetcher.http, fetcher.store, None
    )
    for url in urls:
        page = policy.page(url, False)
        if page.ok:
            yield page, False
        else:
            logger.info("%s left the dossier and no copy of it is cached", url)


def content_digest(title: str, text: str) -> str:
    """What decides that an article changed: its title and words, spacing aside."""
    words = " ".join(f"{title}\n{text}".split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


def seen(entry: Entry, sources: Sources) -> Seen:
    """This build's view of one article."""
    cleaned = entry.cleaned
    named = bool(sources.origin(entry.source_url, entry.fetched.final_url))
    return Seen(
        key=url_key(entry.source_url),
        url=entry.source_url,
        title=cleaned.title if cleaned else "",
        digest=content_digest(cleaned.title, cleaned.text) if cleaned else None,
        listed=named,
        gone=entry.fetched.gone,
        fresh=entry.fetched.status in FRESH,
    )


def track(
    settings: Settings, entries: list[Entry], sources: Sources, previous: History | None
) -> tuple[list[Entry], Tracking]:
    """Advance and store the history; drop what left the dossier unless it is kept."""
    moment = now()
    history = advance(previous, (seen(e, sources) for e in entries), moment, sources.complete)
    try:
        save_history(settings.cache_path, history)
    except OSError as exc:  # a read-only cache is read as it is, offline (see httpcache)
        logger.warning(
            "history not saved in DOSSIER_CACHE_PATH %s (%s): the next build compares with "
            "the one before",
            settings.cache_path,
            exc.strerror or exc,
        )
    origins = {key: tuple(value) for key, value in sources.origins.items()}
    tracking = Tracking(history, moment, settings.new_days, origins)
    if not settings.keep_removed:
        entries = [e for e in entries if tracking.presence(e.source_url) == "current"]
    return entries, tracking
