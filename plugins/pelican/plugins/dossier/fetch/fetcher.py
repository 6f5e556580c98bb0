"""The fetch stage: pages and attachments in, ``Fetched`` and ``Attachment`` out.

Everything downstream receives text and metadata. The HTTP itself is in
``client`` (the only module that imports requests); which copy of a page is used
and with which status is decided in ``outcomes``; only a complete, accepted body
replaces the cached copy (see ``httpcache`` for why the cache is ours and its
layout).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

from ..model import Attachment, Fetched
from ..settings import Settings
from ..urls import host_of
from .docfetch import IMAGE, Accept, DocumentCopy, DocumentPolicy
from .httpcache import CacheStore
from .netsafety import is_allowed
from .outcomes import PagePolicy, Validate
from .report import progress_bar, render_report
from .transport import Clock, FetchError

if TYPE_CHECKING:
    from .client import Http

__all__ = ["Attachment", "FetchError", "Fetched", "Fetcher", "Validate", "render_report"]


class Fetcher:
    """Fetches pages and probes attachments; every outcome is recorded as data."""

    def __init__(
        self,
        settings: Settings,
        *,
        validate: Validate | None = None,
        progress: bool | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock  # None: the system's; tests give a fake one
        self.progress = settings.progress if progress is None else progress
        self.store = CacheStore(settings.cache_path, read_only=settings.offline)
        self.policy = PagePolicy(settings, lambda: self.http, self.store, validate)
        self._outcomes: list[Fetched] = []
        self._done: dict[tuple[str, bool], Fetched] = {}

    @cached_property
    def http(self) -> Http:
        """The HTTP client, made on first use: an offline build never loads requests."""
        from .client import Http

        return Http(self.settings, self.clock)

    def fetch_page(self, url: str, *, check: bool = False) -> Fetched:
        """One HTML page; with check=True a page failing validate counts as suspicious."""
        key = (url, check)
        if key not in self._done:
            self._done[key] = self.policy.page(url, check)
            self._outcomes.append(self._done[key])
        return self._done[key]

    def iter_pages(self, urls: Sequence[str]) -> Iterator[Fetched]:
        """Article pages (validate applied), fetched concurrently, each once, in input order.

        Each page is yielded as soon as it and those before it are in, and the fetcher
        keeps no text: a big dossier never sits in memory as a whole."""
        todo = list(dict.fromkeys(urls))
        for result in self._fetch_all(todo):
            self._outcomes.append(replace(result, text=None))
            yield result

    def _fetch_all(self, todo: list[str]) -> Iterator[Fetched]:
        """Fetch concurrently (per-host limits in the HTTP client); results in input order."""
        hosts = {host_of(u) for u in todo}
        workers = max(1, min(32, self.settings.host_concurrency * max(1, len(hosts))))
        with progress_bar(len(todo), self.progress) as advance:

            def one(url: str) -> Fetched:
                result = self.policy.page(url, True)
                advance()
                return result

            with ThreadPoolExecutor(max_workers=workers) as pool:
                yield from pool.map(one, todo)

    def probe_attachment(self, url: str, title: str = "") -> Attachment:
        """Media type and size of a linked document, from HEAD or the cache; never parsed."""
        return self.policy.probe(url, title)

    def fetch_document(self, url: str, accept: Accept) -> DocumentCopy:
        """A document's body (a PDF) under the same client, cache and good-copy rules;
        ``accept`` says why a new body must not replace the good copy, or None."""
        documents = DocumentPolicy(self.settings, lambda: self.http, self.store, self.policy.robots)
        copy = documents.fetch(url, accept)
        self._outcomes.append(copy.outcome())
        return copy

    def fetch_images(self, urls: Sequence[str], accept: Accept) -> dict[str, DocumentCopy]:
        """Images' bodies, concurrently, under the same client, cache and good-copy rules
        (DOSSIER_IMAGE_MAX_BYTES, raster types only). Images are not sources: they are
        reported with their article, not among the fetch outcomes."""
        images = DocumentPolicy(
            self.settings, lambda: self.http, self.store, self.policy.robots, IMAGE
        )
        todo = list(dict.fromkeys(urls))
        if not todo:
            return {}
        workers = max(1, min(16, self.settings.host_concurrency * 2))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            copies = list(pool.map(lambda url: images.fetch(url, accept), todo))
        return dict(zip(todo, copies, strict=True))

    def allowed(self, url: str) -> bool:
        """True for an http(s) URL whose host is in DOSSIER_ALLOWED_HOSTS."""
        return is_allowed(url, self.settings.allowed_hosts)

    def forget_texts(self) -> None:
        """Drop the page texts kept for repeated calls; outcomes stay, without text.

        A big dossier's pages weigh hundreds of MB as text: the pipeline calls this once
        it holds the pages it needs, so that each text is freed as soon as it is cleaned.
        """
        self._done = {key: replace(page, text=None) for key, page in self._done.items()}
        self._outcomes = [replace(page, text=None) for page in self._outcomes]

    @property
    def outcomes(self) -> list[Fetched]:
        """Every page outcome produced, in order (for the report and dossier.json)."""
        return list(self._outcomes)

    def close(self) -> None:
        """Release the network session and the cache database."""
        if "http" in self.__dict__:  # made only if the build went to the network
            self.http.close()
        self.store.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
