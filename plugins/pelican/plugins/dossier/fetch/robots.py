"""robots.txt policy: one file per origin per run, parsed with protego.

No HTTP here: the fetcher passes a loader that fetches (or revalidates, or reads
from the cache) ``<origin>/robots.txt`` and says how that went. Following RFC
9309: a robots.txt that does not exist (4xx) allows everything; one that cannot
be read (5xx, network error) and has no cached copy disallows everything; for a
network error the refusal is that error, since the page would meet it too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from protego import Protego

logger = logging.getLogger(__name__)

AGENT = "dossier-hub"
DISALLOWED = "robots.txt disallows"


@dataclass(frozen=True)
class RobotsFile:
    """What the loader found at /robots.txt."""

    state: Literal["found", "missing", "unavailable", "unreachable"]
    text: str = ""
    reason: str = ""


Loader = Callable[[str], RobotsFile]


def robots_url(url: str) -> str:
    """The robots.txt URL governing an URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


class RobotsRules:
    """Answers "may we fetch this URL?", loading each origin's robots.txt once."""

    def __init__(self, loader: Loader, agent: str = AGENT) -> None:
        self._loader = loader
        self._agent = agent
        self._files: dict[str, RobotsFile] = {}
        self._parsers: dict[str, Protego] = {}
        self._lock = threading.Lock()
        self._origin_locks: dict[str, threading.Lock] = {}

    def refusal(self, url: str) -> str | None:
        """Why robots.txt forbids an URL, or None when it may be fetched."""
        where = robots_url(url)
        robots = self._load(where)
        if robots.state == "missing":
            return None
        if robots.state == "unavailable":
            return f"robots.txt unavailable ({robots.reason})"
        if robots.state == "unreachable":  # the host itself: report the network error
            return robots.reason
        if self._parsers[where].can_fetch(url, self._agent):
            return None
        return DISALLOWED

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay robots.txt asks of us for this URL's host, if any."""
        where = robots_url(url)
        if self._load(where).state != "found":
            return None
        delay = self._parsers[where].crawl_delay(self._agent)
        return float(delay) if delay else None

    def _load(self, where: str) -> RobotsFile:
        with self._lock:
            origin_lock = self._origin_locks.setdefault(where, threading.Lock())
        with origin_lock:  # other threads for this origin wait for the first load
            if where not in self._files:
                robots = self._loader(where)
                if robots.state == "found":
                    self._parsers[where] = Protego.parse(robots.text)
                else:
                    logger.info("%s: %s %s", where, robots.state, robots.reason)
                self._files[where] = robots
            return self._files[where]
