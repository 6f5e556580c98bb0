"""Read an RSS/Atom feed named in DOSSIER_FEEDS: its entries' links, as plain data.

The feed goes through the fetcher's own HTTP client (host allowlist on every hop,
robots.txt, timeouts, size cap, per-host gates) and its cache: the body is kept only
once feedparser has read it as a feed, a conditional request answered 304 reuses it,
and an offline build reads the cache alone. feedparser only ever receives bytes, so it
never opens a connection of its own. A feed that cannot be read becomes a ``FeedRead``
with a reason, never an exception.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from ..fetch.httpcache import CachedCopy, now
from ..fetch.netsafety import UnsafeURL, check_allowed
from ..fetch.robots import DISALLOWED
from ..fetch.transport import FetchError

if TYPE_CHECKING:
    from ..fetch import Fetcher
    from ..fetch.client import Reply

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedRead:
    """What one feed gave: the article links of its entries, in feed order."""

    url: str
    links: tuple[str, ...] = ()
    ok: bool = True
    reason: str = ""


def read_feed(fetcher: Fetcher, url: str) -> FeedRead:
    """The entries' links of one feed, from the source or the cache."""
    try:
        check_allowed(url, fetcher.settings.allowed_hosts)
    except UnsafeURL as exc:
        return FeedRead(url, ok=False, reason=f"refused: {exc}")
    good = fetcher.store.get(url)
    good = good if good is not None and good.body is not None else None
    if fetcher.settings.offline:
        return _parsed(url, good.body) if good else FeedRead(url, ok=False, reason="offline")
    try:
        body = _download(fetcher, url, good)
    except FetchError as exc:
        if good is None:
            return FeedRead(url, ok=False, reason=exc.reason)
        logger.info("feed %s: %s; using the cached copy", url, exc.reason)
        return _parsed(url, good.body)
    return _parsed(url, body)


def _download(fetcher: Fetcher, url: str, good: CachedCopy | None) -> bytes:
    """The feed's current body; stored in the cache only when it reads as a feed."""
    if fetcher.settings.obey_robots:
        refusal = fetcher.policy.robots.refusal(url)
        if refusal:
            raise FetchError(refusal if refusal == DISALLOWED else f"robots.txt: {refusal}")
    reply = fetcher.http.get(url, good.validators() if good else {})
    if reply.status == 304 and good is not None and good.body is not None:
        fetcher.store.put(replace(good, checked_at=now()))
        return good.body
    body = reply.body or b""
    if not _parse(body).get("version"):  # feedparser names the format it recognised
        raise FetchError("not a readable feed", http_status=reply.status)
    fetcher.store.put(_entry(url, reply, body))
    return body


def _parse(body: bytes) -> Any:
    import feedparser  # late: only builds that name feeds need it

    return feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)


def _parsed(url: str, body: bytes | None) -> FeedRead:
    parsed = _parse(body or b"")
    if not parsed.get("version"):
        return FeedRead(url, ok=False, reason="not a readable feed")
    return FeedRead(url, _links(url, parsed))


def _links(url: str, parsed: Any) -> tuple[str, ...]:
    """Each entry's alternate link, made absolute against the feed's URL."""
    found = []
    for entry in parsed.get("entries", []):
        alternates = [
            link.get("href")
            for link in entry.get("links", [])
            if link.get("rel", "alternate") == "alternate" and link.get("href")
        ]
        href = alternates[0] if alternates else entry.get("link")
        if isinstance(href, str) and href.strip():
            found.append(urljoin(url, href.strip()))
    return tuple(dict.fromkeys(found))


def _entry(url: str, reply: Reply, body: bytes) -> CachedCopy:
    moment = now()
    return CachedCopy(
        url=url,
        final_url=reply.final_url,
        http_status=reply.status,
        content_type=reply.headers.get("Content-Type") or None,
        etag=reply.headers.get("ETag") or None,
        last_modified=reply.headers.get("Last-Modified") or None,
        body=body,
        size=len(body),
        fetched_at=moment,
        checked_at=moment,
        moved=reply.moved,
    )
