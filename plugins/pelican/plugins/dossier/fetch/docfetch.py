"""Fetching a binary body (the plaquette's PDF, an article's image) with the rules pages follow.

The same HTTP client (allowlist per hop, robots.txt, per-host gates, retries), the
same cache of good copies, and the same rule for replacing one: a new body is kept
only when it is complete, within its kind's size cap (``DOSSIER_DOCUMENT_MAX_BYTES``,
``DOSSIER_IMAGE_MAX_BYTES``), typed or sniffed as that kind, and accepted by the
caller (which renders it). Otherwise the last good copy is used, marked stale, with
the reason. A conditional request answered 304 reuses the cached body: a rebuild
with nothing changed transfers no document and no image.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..model import Fetched, Status
from ..settings import Settings
from .encoding import media_type
from .httpcache import CachedCopy, CacheStore
from .netsafety import UnsafeURL, check_allowed
from .outcomes import OFFLINE_MISSING, new_copy, revalidated_copy
from .robots import DISALLOWED, RobotsRules
from .transport import FetchError

if TYPE_CHECKING:
    from .client import Http, Reply

logger = logging.getLogger(__name__)

PDF_TYPE = "application/pdf"
# Returns why a body is refused, or None to keep it.
Accept = Callable[[bytes], str | None]
# Image bodies we decode: their media types and the magic numbers they start with.
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
SVG_TYPE = "image/svg+xml"


@dataclass(frozen=True)
class BodyKind:
    """What one kind of binary body is: its Accept header, its cap, how it is recognised."""

    name: str  # « document », « image »: in log lines
    accept: str
    cap_setting: str  # the DOSSIER_* setting of its size cap, named in refusals
    recognise: Callable[[str, bytes], str | None]  # (media type, body) → why not, or None


def _pdf_problem(kind: str, body: bytes) -> str | None:
    return None if kind == PDF_TYPE or body.lstrip()[:5] == b"%PDF-" else f"not a PDF ({kind})"


def _image_problem(kind: str, body: bytes) -> str | None:
    """Raster images only: an SVG is refused whatever it claims (it can carry script)."""
    head = body[:512].lstrip().lower()
    if kind == SVG_TYPE or head.startswith((b"<svg", b"<?xml", b"<!doctype svg")):
        return "SVG image refused: only raster images (JPEG, PNG, GIF, WebP) are published"
    sniffed = body.startswith(IMAGE_MAGIC) or (body[:4] == b"RIFF" and body[8:12] == b"WEBP")
    return None if sniffed else f"not a raster image ({kind})"


PDF = BodyKind("document", "application/pdf,*/*;q=0.5", "DOSSIER_DOCUMENT_MAX_BYTES", _pdf_problem)
IMAGE = BodyKind(
    "image",
    "image/webp,image/png,image/jpeg,image/gif;q=0.9",
    "DOSSIER_IMAGE_MAX_BYTES",
    _image_problem,
)


@dataclass(frozen=True)
class DocumentCopy:
    """The document body this build uses (None when there is none), and how it came."""

    url: str
    final_url: str
    status: Status
    body: bytes | None = None
    reason: str = ""
    fetched_at: datetime | None = None
    http_status: int | None = None
    media_type: str = PDF_TYPE

    def outcome(self) -> Fetched:
        """The copy as a fetch outcome, for the build report."""
        size = len(self.body) if self.body is not None else None
        return Fetched(
            self.url,
            self.final_url,
            self.status,
            http_status=self.http_status,
            media_type=self.media_type,
            size=size,
            reason=self.reason,
            fetched_at=self.fetched_at,
        )


class DocumentPolicy:
    """Turns a document (or image) URL into a DocumentCopy using the HTTP client and the
    cache; ``kind`` says which bodies are acceptable and under which size cap."""

    def __init__(
        self,
        settings: Settings,
        client: Callable[[], Http],
        store: CacheStore,
        robots: RobotsRules,
        kind: BodyKind = PDF,
    ) -> None:
        self.settings = settings
        self.client = client
        self.store = store
        self.robots = robots
        self.kind = kind
        caps = {PDF.cap_setting: settings.document_max_bytes}
        self.cap = caps.get(kind.cap_setting, settings.image_max_bytes)

    def fetch(self, url: str, accept: Accept) -> DocumentCopy:
        """The document's body: new if accepted, else the last good copy, else none."""
        try:
            check_allowed(url, self.settings.allowed_hosts)
        except UnsafeURL as exc:
            return DocumentCopy(url, url, "failed", reason=f"refused: {exc}")
        entry = self.store.get(url)
        good = entry if entry is not None and entry.body is not None else None
        if self.settings.offline:
            if good is None:
                return DocumentCopy(url, url, "failed", reason=OFFLINE_MISSING)
            return _copy(good, "cached")
        refusal = self.robots.refusal(url) if self.settings.obey_robots else None
        if refusal:
            return _fallback(url, None if refusal == DISALLOWED else good, refusal)
        try:
            reply = self._request(url, good)
        except FetchError as exc:
            return _fallback(url, good, self._named(exc.reason), exc.http_status)
        if reply.status == 304:
            if good is None:
                return _fallback(url, None, "HTTP 304 without a cached copy", 304)
            self.store.put(revalidated_copy(good, reply))
            return _copy(good, "not-modified", http_status=304)
        return self._accept(url, reply, good, accept)

    def _request(self, url: str, good: CachedCopy | None) -> Reply:
        validators = good.validators() if good else {}
        return self.client().get(url, {"Accept": self.kind.accept, **validators}, cap=self.cap)

    def _accept(
        self, url: str, reply: Reply, good: CachedCopy | None, accept: Accept
    ) -> DocumentCopy:
        body = reply.body or b""
        kind = media_type(reply.headers.get("Content-Type")) or "no type"
        problem = "empty body" if not body else self.kind.recognise(kind, body) or accept(body)
        if problem:
            return _fallback(url, good, problem, reply.status)
        entry = new_copy(url, reply, body)
        self.store.put(entry)
        return _copy(entry, "fetched", http_status=reply.status)

    def _named(self, reason: str) -> str:
        """Say which setting a size refusal comes from."""
        return f"{reason}, see {self.kind.cap_setting}" if "too large" in reason else reason


def _copy(
    entry: CachedCopy, status: Status, *, reason: str = "", http_status: int | None = None
) -> DocumentCopy:
    return DocumentCopy(
        entry.url,
        entry.final_url,
        status,
        entry.body,
        reason,
        entry.fetched_at,
        http_status if http_status is not None else entry.http_status,
    )


def _fallback(
    url: str, good: CachedCopy | None, reason: str, http_status: int | None = None
) -> DocumentCopy:
    logger.info("%s: %s", url, reason)
    if good is not None:
        return _copy(good, "stale", reason=reason, http_status=http_status)
    return DocumentCopy(url, url, "failed", reason=reason, http_status=http_status)
