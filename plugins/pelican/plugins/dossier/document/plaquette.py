"""The plaquette's document: our own copy of its PDF, and every page as images and text.

The PDF named by the plaquette's attachment (found directly or through a shop page,
see ``docfind``) is fetched by ``docfetch`` with the good-copy rules; a new body is
accepted only once it renders within the DOSSIER_DOCUMENT_* limits (``pdfrender``,
in a worker process). The PDF and the page images go into the asset store kept in
the cache, under content-addressed names; what was rendered for a given PDF is
remembered in the derived cache, so a rebuild with nothing changed renders nothing.
A document that cannot be fetched or rendered is reported; the last good copy is
used when there is one, else the plaquette is published without its document.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..assets import AssetStore
from ..derived import DerivedCache, digest
from ..fetch.docfetch import PDF_TYPE, DocumentCopy
from ..model import Attachment, Entry, Status
from ..settings import Settings
from .render import RENDERER_VERSION, Limits, RenderedPage, RenderError, render

if TYPE_CHECKING:
    from ..fetch import Fetcher

logger = logging.getLogger(__name__)

ASSETS_DIR = "assets"  # under DOSSIER_CACHE_PATH
FOLDER = "documents"  # under the site's output, and in the cache's asset store
SUFFIXES = {"webp": ".webp", "jpeg": ".jpg"}


@dataclass(frozen=True)
class DocPage:
    """One page of the document: its images by width, and its text."""

    number: int
    width: int  # size of the largest image, for the aspect ratio
    height: int
    text: str
    webp: tuple[tuple[int, str], ...]  # (width, asset name), narrowest first
    jpeg: tuple[tuple[int, str], ...]

    def to_json(self) -> dict[str, Any]:
        return {**vars(self), "webp": list(self.webp), "jpeg": list(self.jpeg)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocPage:
        images = {k: tuple((int(w), str(n)) for w, n in data[k]) for k in SUFFIXES}
        return cls(data["number"], data["width"], data["height"], data["text"], **images)


@dataclass(frozen=True)
class Document:
    """The document this build publishes: where it came from, our copy, its pages."""

    url: str  # the original
    found_on: str | None  # the page that offered it, when not linked directly
    title: str
    media_type: str
    size: int
    status: Status
    reason: str
    fetched_at: datetime | None
    path: str  # our copy, relative to the site root
    pages: tuple[DocPage, ...]

    @property
    def cover(self) -> DocPage:
        return self.pages[0]

    def assets(self) -> list[str]:
        """Every file of ours this document needs on the site."""
        names = [self.path]
        for page in self.pages:
            names += [name for _w, name in (*page.webp, *page.jpeg)]
        return names

    def to_json(self) -> dict[str, Any]:
        """What dossier.json records about the document."""
        return {
            "url": self.url,
            "found_on": self.found_on,
            "media_type": self.media_type,
            "size": self.size,
            "status": self.status,
            "reason": self.reason or None,
            "copy": self.path,
            "pages": len(self.pages),
        }


def limits_of(settings: Settings) -> Limits:
    """The renderer's limits from the settings."""
    return Limits(
        max_pages=settings.document_max_pages,
        max_pixels=settings.document_max_pixels,
        timeout=settings.document_render_timeout,
        widths=settings.document_widths,
    )


class Renditions:
    """Rendered pages per PDF, from the derived cache or the renderer, stored as assets."""

    def __init__(self, store: AssetStore, derived: DerivedCache, limits: Limits) -> None:
        self.store = store
        self.derived = derived
        self.limits = limits
        self._done: dict[str, tuple[DocPage, ...]] = {}

    def pages(self, body: bytes) -> tuple[DocPage, ...]:
        """The pages of a PDF; RenderError when it cannot be rendered within the limits."""
        sha = hashlib.sha256(body).hexdigest()
        if sha not in self._done:
            self._done[sha] = self._remembered(sha) or self._render(sha, body)
        return self._done[sha]

    def accept(self, body: bytes) -> str | None:
        """Why a new body must not replace the good copy, or None when it renders."""
        try:
            self.pages(body)
        except RenderError as exc:
            return exc.reason
        return None

    def _key(self, sha: str) -> str:
        widths = ",".join(map(str, self.limits.widths))
        lim = f"{self.limits.max_pages}/{self.limits.max_pixels}"
        return digest("document", RENDERER_VERSION, sha, widths, lim)

    def _remembered(self, sha: str) -> tuple[DocPage, ...] | None:
        stored = self.derived.get(self._key(sha))
        if not stored:
            return None
        pages = tuple(DocPage.from_json(p) for p in stored)
        names = [n for p in pages for _w, n in (*p.webp, *p.jpeg)]
        return pages if all(self.store.has(n) for n in names) else None

    def _render(self, sha: str, body: bytes) -> tuple[DocPage, ...]:
        started = time.monotonic()
        rendered = render(body, self.limits)
        pages = tuple(self._keep(page) for page in rendered)
        elapsed = time.monotonic() - started
        logger.info("document: %d pages rendered in %.2f s", len(pages), elapsed)
        self.derived.put(self._key(sha), [p.to_json() for p in pages])
        return pages

    def _keep(self, page: RenderedPage) -> DocPage:
        images: dict[str, list[tuple[int, str]]] = {k: [] for k in SUFFIXES}
        for picture in page.pictures:
            name = self.store.put(picture.data, FOLDER, SUFFIXES[picture.format])
            images[picture.format].append((picture.width, name))
        top = max(page.pictures, key=lambda p: p.width)
        return DocPage(
            page.number,
            top.width,
            top.height,
            page.text,
            **{k: tuple(sorted(v)) for k, v in images.items()},
        )


def document_attachment(entry: Entry) -> Attachment | None:
    """The entry's PDF attachment (typed or named .pdf), or None."""
    for attachment in entry.cleaned.attachments if entry.cleaned else ():
        kind = (attachment.media_type or "").split(";", 1)[0].strip().lower()
        if kind == PDF_TYPE or attachment.url.split("?", 1)[0].lower().endswith(".pdf"):
            return attachment
    return None


def plaquette_document(
    fetcher: Fetcher, entries: list[Entry], derived: DerivedCache
) -> tuple[Document | None, list[str]]:
    """The plaquette's document, kept and rendered, and the problems met on the way."""
    lead = next((e for e in entries if e.plaquette and e.cleaned), None)
    attachment = document_attachment(lead) if lead else None
    if attachment is None or not fetcher.allowed(attachment.url):
        return None, []
    settings = fetcher.settings
    store = AssetStore(settings.cache_path / ASSETS_DIR)
    renditions = Renditions(store, derived, limits_of(settings))
    copy = fetcher.fetch_document(attachment.url, renditions.accept)
    problems = [_problem(copy)] if copy.status in ("stale", "failed") else []
    if copy.body is None:
        return None, problems
    try:
        pages = renditions.pages(copy.body)
    except RenderError as exc:  # the good copy itself no longer fits the limits
        return None, [*problems, f"document {copy.url}: {exc.reason}; not published"]
    document = _document(attachment, copy, store.put(copy.body, FOLDER, ".pdf"), pages)
    store.prune(FOLDER, document.assets())  # renders of older versions are never used again
    return document, problems


def _problem(copy: DocumentCopy) -> str:
    if copy.body is None:
        return f"document {copy.url}: {copy.reason}; not published"
    return f"document {copy.url}: {copy.reason}; keeping the copy fetched on {copy.fetched_at}"


def _document(
    attachment: Attachment, copy: DocumentCopy, path: str, pages: tuple[DocPage, ...]
) -> Document:
    assert copy.body is not None
    return Document(
        url=attachment.url,
        found_on=attachment.found_on,
        title=attachment.title,
        media_type=PDF_TYPE,
        size=len(copy.body),
        status=copy.status,
        reason=copy.reason,
        fetched_at=copy.fetched_at,
        path=path,
        pages=pages,
    )


def publish_document(document: Document | None, cache_path: Path, output: Path) -> int:
    """Copy the document's files from the cache into the site, and remove any other from
    the site's documents folder (older versions); returns how many files were written."""
    names = document.assets() if document else []
    site = AssetStore(output)
    written = AssetStore(cache_path / ASSETS_DIR).copy_into(site, names)
    site.prune(FOLDER, names)
    return written
