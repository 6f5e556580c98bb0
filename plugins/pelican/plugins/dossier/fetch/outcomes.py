"""Fetch policy: which copy of a page to use, and what to report about it.

The rules, in one place: offline builds read the cache only; robots.txt is
obeyed; a conditional request answered 304 reuses the cached body; a new body
replaces the cached copy only when it is complete, HTML, not empty, decodable and
(when asked) passes validate, which compares it with the previous good copy
(what "looks like an article" means is decided in acceptance). Any failure with
a good copy in hand gives stale with that copy and the reason; without one,
failed. A 404/410 is gone either way. The HTTP itself is client.Http
(this module never imports requests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from ..model import Attachment, Fetched, Status
from ..settings import Settings
from ..urls import host_of
from .acceptance import text_problem
from .encoding import decode_html, media_type
from .httpcache import CachedCopy, CacheStore, now
from .netsafety import UnsafeURL, check_allowed, is_allowed
from .robots import DISALLOWED, RobotsFile, RobotsRules
from .transport import FetchError, content_length

if TYPE_CHECKING:
    from .client import Http, Reply

logger = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
ROBOTS_CAP = 512 * 1024  # RFC 9309 asks parsers to read at least 500 KiB
OFFLINE_MISSING = "offline, not in cache"
HEAD_REFUSED = frozenset({405, 501})

# validate(text, url, previous text or None): why the new body is not acceptable, or None.
Validate = Callable[[str, str, str | None], str | None]


class PagePolicy:
    """Turns URLs into Fetched outcomes using the HTTP client and the cache."""

    def __init__(
        self,
        settings: Settings,
        client: Callable[[], Http],
        store: CacheStore,
        validate: Validate | None,
    ) -> None:
        self.settings = settings
        self.client = client  # made on first use: offline builds never need one
        self.store = store
        self.validate = validate
        self.robots = RobotsRules(self._load_robots)

    def page(self, url: str, check: bool) -> Fetched:
        """The outcome for one HTML page."""
        try:
            check_allowed(url, self.settings.allowed_hosts)
        except UnsafeURL as exc:
            return _fallback(url, None, FetchError(f"refused: {exc}"))
        good = self._good(url)
        if self.settings.offline:
            return _from_entry(url, good, "cached") if good else _failed(url, OFFLINE_MISSING)
        refusal = self.robots.refusal(url) if self.settings.obey_robots else None
        if refusal is None and self.settings.obey_robots:
            self._space_requests(url)
        if refusal == DISALLOWED:
            return _failed(url, refusal)
        if refusal:
            return _fallback(url, good, FetchError(refusal))
        try:
            reply = self._request(url, good)
        except FetchError as exc:
            return _fallback(url, good, exc)
        if reply.status == 304:
            return self._not_modified(url, good, reply)
        return self._accept(url, reply, good, check)

    def _space_requests(self, url: str) -> None:
        """Honour robots.txt's Crawl-delay for the host, up to the longest wait we accept."""
        delay = self.robots.crawl_delay(url)
        if delay:
            cap = self.settings.retry_after_cap
            if delay > cap:
                logger.info("%s asks a Crawl-delay of %.0f s; waiting %.0f s", url, delay, cap)
            self.client().gates.at_least(host_of(url), min(delay, cap))

    def _request(self, url: str, good: CachedCopy | None) -> Reply:
        """A conditional GET; after a permanent redirect, straight to where the page moved."""
        validators = good.validators() if good else {}
        if good is not None and good.moved and good.final_url != url:
            try:
                reply = self.client().get(good.final_url, validators, want_body=_maybe_html)
                return replace(reply, url=url, moved=True)
            except FetchError as exc:  # the move may have changed: ask the original URL again
                logger.info("%s: %s at its new address; asking %s", url, exc.reason, url)
        return self.client().get(url, validators, want_body=_maybe_html)

    def _good(self, url: str) -> CachedCopy | None:
        entry = self.store.get(url)
        return entry if entry is not None and entry.body is not None else None

    def _not_modified(self, url: str, good: CachedCopy | None, reply: Reply) -> Fetched:
        if good is None:
            return _failed(url, "HTTP 304 without a cached copy", http_status=304)
        self.store.put(revalidated_copy(good, reply))
        return _from_entry(url, good, "not-modified", http_status=304)

    def _accept(self, url: str, reply: Reply, good: CachedCopy | None, check: bool) -> Fetched:
        content_type = reply.headers.get("Content-Type")
        kind = media_type(content_type) or _sniff(reply.body)
        if kind not in HTML_TYPES:
            return _fallback(url, good, FetchError(f"not HTML ({kind})", http_status=reply.status))
        body = reply.body or b""
        if not body.strip():
            return _fallback(url, good, FetchError("empty body", http_status=reply.status))
        text = decode_html(body, content_type)
        problem = text_problem(text) or self._check(text, reply.final_url, good, check)
        if problem:
            logger.info("%s: not accepted: %s", url, problem)
            failure = FetchError(f"suspicious: {problem}", http_status=reply.status)
            return _fallback(url, good, failure)
        entry = new_copy(url, reply, body)
        self.store.put(entry)
        return _from_entry(url, entry, "fetched", http_status=reply.status, text=text)

    def _check(self, text: str, url: str, good: CachedCopy | None, check: bool) -> str | None:
        """validate's verdict on a new article body, given the good copy we hold."""
        if not check or self.validate is None:
            return None
        previous = decode_html(good.body, good.content_type) if good and good.body else None
        return self.validate(text, url, previous)

    def probe(self, url: str, title: str) -> Attachment:
        """Media type and size of a document, from HEAD (or GET headers) or the cache."""
        entry = self.store.get(url)
        known = _attachment(url, title, entry)
        if not is_allowed(url, self.settings.allowed_hosts) or self.settings.offline:
            return known
        if self.settings.obey_robots and self.robots.refusal(url):
            logger.info("not probing %s: robots.txt", url)
            return known
        try:
            reply = self._head(url)
        except FetchError as exc:
            logger.warning("cannot probe attachment %s: %s", url, exc.reason)
            return known
        if entry is None or entry.body is None:
            self.store.put(new_copy(url, reply, None))
        return _attachment(url, title, new_copy(url, reply, None))

    def _head(self, url: str) -> Reply:
        try:
            return self.client().get(url, method="HEAD")
        except FetchError as exc:
            if exc.http_status not in HEAD_REFUSED:
                raise
        return self.client().get(url, want_body=lambda _kind: False)

    def _load_robots(self, where: str) -> RobotsFile:
        good = self._good(where)
        try:
            reply = self.client().get(where, good.validators() if good else {}, cap=ROBOTS_CAP)
        except FetchError as exc:
            status = exc.http_status or 0
            if 400 <= status < 500 and status != 429:
                return RobotsFile("missing", reason=exc.reason)
            if good is not None:
                return RobotsFile("found", _robots_text(good.body), exc.reason)
            return RobotsFile("unavailable" if status else "unreachable", reason=exc.reason)
        if reply.status == 304 and good is not None:
            self.store.put(revalidated_copy(good, reply))
            return RobotsFile("found", _robots_text(good.body))
        entry = new_copy(where, reply, reply.body or b"")
        self.store.put(entry)
        return RobotsFile("found", _robots_text(entry.body))


def _maybe_html(kind: str | None) -> bool:
    """Read the body of HTML, or of an untyped response (sniffed afterwards)."""
    return kind is None or kind in HTML_TYPES


def _sniff(body: bytes | None) -> str:
    if body is not None and body.lstrip()[:5] == b"%PDF-":
        return "application/pdf"
    return "text/html"


def _robots_text(body: bytes | None) -> str:
    return (body or b"").decode("utf-8", errors="replace")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return headers.get(name) or None


def new_copy(url: str, reply: Reply, body: bytes | None) -> CachedCopy:
    size = len(body) if body is not None else content_length(reply.headers)
    moment = now()
    return CachedCopy(
        url=url,
        final_url=reply.final_url,
        http_status=reply.status,
        content_type=_header(reply.headers, "Content-Type"),
        etag=_header(reply.headers, "ETag"),
        last_modified=_header(reply.headers, "Last-Modified"),
        body=body,
        size=size,
        fetched_at=moment,
        checked_at=moment,
        moved=reply.moved,
    )


def revalidated_copy(good: CachedCopy, reply: Reply) -> CachedCopy:
    """The cached entry after a 304: same body, possibly new validators."""
    return replace(
        good,
        final_url=reply.final_url,
        etag=_header(reply.headers, "ETag") or good.etag,
        last_modified=_header(reply.headers, "Last-Modified") or good.last_modified,
        checked_at=now(),
    )


def _attachment(url: str, title: str, entry: CachedCopy | None) -> Attachment:
    if entry is None:
        return Attachment(url, title)
    return Attachment(url, title, media_type(entry.content_type), entry.size)


def _from_entry(
    url: str,
    entry: CachedCopy,
    status: Status,
    *,
    reason: str = "",
    http_status: int | None = None,
    gone: bool = False,
    text: str | None = None,
) -> Fetched:
    body = entry.body or b""
    if status == "cached":
        http_status = entry.http_status
    return Fetched(
        url=url,
        final_url=entry.final_url,
        status=status,
        http_status=http_status,
        media_type=media_type(entry.content_type) or "text/html",
        text=text if text is not None else decode_html(body, entry.content_type),
        size=len(body),
        reason=reason,
        fetched_at=entry.fetched_at,
        gone=gone,
    )


def _failed(url: str, reason: str, *, http_status: int | None = None) -> Fetched:
    return Fetched(url, url, "failed", http_status=http_status, reason=reason)


def _fallback(url: str, good: CachedCopy | None, problem: FetchError) -> Fetched:
    """The last good copy marked stale, or a failure when there is none."""
    if good is not None:
        return _from_entry(
            url,
            good,
            "stale",
            reason=problem.reason,
            http_status=problem.http_status,
            gone=problem.gone,
        )
    return Fetched(
        url,
        url,
        "failed",
        http_status=problem.http_status,
        reason=problem.reason,
        gone=problem.gone,
    )
