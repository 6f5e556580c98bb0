"""Where the dossier's articles come from: the listing, the feeds, and a hand list.

Besides the listing found by discovery, a dossier may name RSS/Atom feeds
(DOSSIER_FEEDS, read by ``feedsource``): a feed entry joins the dossier only when
its page carries the dossier marker pointing at this dossier, which the pipeline
checks once the page is cleaned (``belongs``). The hand list is the ``[sources]``
table of the dossier's data file (content/dossier.toml)::

    [sources]
    add = ["https://…"]        # articles of the dossier whatever the listing says
    leave_out = ["https://…"]  # never published, even when the listing names them

URLs are compared with ``urls.url_key``. Every article remembers where it was found
(``start``, ``listing``, ``feed``, ``hand``); dossier.json says so.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from ..model import Entry
from ..urls import url_key
from .feedsource import read_feed

if TYPE_CHECKING:
    from ..fetch import Fetcher
    from ..settings import Settings
    from .crawl import Discovery

Origin = Literal["start", "listing", "feed", "hand"]
ORIGINS: tuple[Origin, ...] = ("start", "listing", "feed", "hand")
_KEYS = {"add", "leave_out"}


class SourcesError(ValueError):
    """The hand list is unusable; the message names the file and the entry."""


@dataclass(frozen=True)
class HandList:
    """Article URLs added by hand, and URLs never to publish."""

    add: tuple[str, ...] = ()
    leave_out: tuple[str, ...] = ()


@dataclass
class Sources:
    """Every article URL of this build, where each was found, and what went wrong."""

    urls: list[str] = field(default_factory=list)  # to fetch, start page excluded
    origins: dict[str, tuple[Origin, ...]] = field(default_factory=dict)  # by url_key
    left_out: frozenset[str] = frozenset()
    problems: list[str] = field(default_factory=list)
    complete: bool = True  # the listing was read in full

    def origin(self, *urls: str | None) -> tuple[Origin, ...]:
        """Where an article was found, over every form of its URL."""
        found = {o for u in urls if u for o in self.origins.get(url_key(u), ())}
        return tuple(o for o in ORIGINS if o in found)

    def left_out_any(self, *urls: str | None) -> bool:
        return any(url_key(u) in self.left_out for u in urls if u)


def load_hand_list(path: Path) -> HandList:
    """Read the ``[sources]`` table; a missing file or table means an empty list."""
    if not path.exists():
        return HandList()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read the hand list: {exc}") from exc
    table = data.get("sources", {})
    if not isinstance(table, dict):
        raise SourcesError(f"{path}: [sources] must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise SourcesError(f"{path}: [sources]: unknown key {unknown[0]!r} (known: add, leave_out)")
    return HandList(
        _urls(path, "add", table.get("add", [])),
        _urls(path, "leave_out", table.get("leave_out", [])),
    )


def _urls(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise SourcesError(f"{path}: [sources] {key} must be a list of URLs")
    for number, url in enumerate(value, start=1):
        parts = urlsplit(url) if isinstance(url, str) else None
        if not parts or parts.scheme not in ("http", "https") or not parts.hostname:
            raise SourcesError(f"{path}: [sources] {key} #{number}: not an http(s) URL: {url!r}")
    return tuple(dict.fromkeys(value))


def gather(fetcher: Fetcher, settings: Settings, found: Discovery) -> Sources:
    """The listing's URLs, then the feeds' and the hand list's, less those left out."""
    hand = load_hand_list(settings.data)
    sources = Sources(left_out=frozenset(url_key(u) for u in hand.leave_out))
    sources.complete = found.start.ok and not found.problems
    _note(sources, (found.start.url, found.start.final_url), "start")
    _note(sources, found.article_urls, "listing")
    for feed in settings.feeds:
        read = read_feed(fetcher, feed)
        if not read.ok:
            sources.problems.append(f"feed {feed} unavailable: {read.reason}")
        _note(sources, [u for u in read.links if fetcher.allowed(u)], "feed")
    _note(sources, hand.add, "hand")
    start = {url_key(found.start.url), url_key(found.start.final_url)}
    sources.urls = [u for u in sources.urls if url_key(u) not in start | sources.left_out]
    sources.urls = sources.urls[: settings.max_articles]
    return sources


def _note(sources: Sources, urls: Iterable[str], origin: Origin) -> None:
    for url in urls:
        key = url_key(url)
        if key not in sources.origins:
            sources.urls.append(url)
        sources.origins[key] = (*sources.origins.get(key, ()), origin)


def belongs(entry: Entry, sources: Sources, dossier_url: str | None) -> bool:
    """Whether an article is part of the dossier: named by the start page, the listing or
    the hand list, or, found in a feed only, carrying the marker of this very dossier."""
    urls = (entry.source_url, entry.fetched.final_url)
    origin = sources.origin(*urls)
    if sources.left_out_any(*urls):
        return False
    if origin != ("feed",):
        return True
    marker = entry.cleaned.dossier_url if entry.cleaned else None
    return bool(marker and dossier_url and url_key(marker) == url_key(dossier_url))
