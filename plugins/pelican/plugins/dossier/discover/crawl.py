"""Discovery: from the start page to the dossier, its listing and its article links.

This module walks (start page, dossier page, listing pages one after the other);
reading each page is ``links``' job, through a ``PageReader``: the ``links`` module
itself, or ``CachedReader``, which keeps what each page said in the derived cache
so that a rebuild need not parse (nor load BeautifulSoup) when nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from types import ModuleType
from typing import Protocol

from ..derived import DerivedCache, digest, fingerprint, source_version
from ..model import DossierInfo, Fetched
from ..settings import Settings
from ..urls import url_key

# A change in the code that reads pages invalidates what the cache kept of them.
READER_MODULES = ("discover.links", "urls")


class PageReader(Protocol):
    """What discovery needs to read a page (``links`` provides it)."""

    def find_dossier(self, html: str, url: str, settings: Settings) -> DossierInfo: ...

    def dossier_page(self, html: str, url: str, settings: Settings) -> DossierInfo: ...

    def listing_links(
        self, html: str, url: str, settings: Settings, allowed: Callable[[str], bool]
    ) -> tuple[list[str], str | None]: ...


class PageSource(Protocol):
    """What discovery needs from the fetch stage."""

    def fetch_page(self, url: str, *, check: bool = False) -> Fetched: ...

    def allowed(self, url: str) -> bool: ...


@dataclass
class Discovery:
    """What discovery found: the dossier, the listing pages and the article URLs."""

    info: DossierInfo
    start: Fetched
    article_urls: list[str] = field(default_factory=list)
    listing_pages: list[Fetched] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class CachedReader:
    """``links``' readers, remembered in the derived cache by page text, URL and settings."""

    def __init__(self, derived: DerivedCache, settings: Settings) -> None:
        self.derived = derived
        self.version = digest(
            source_version(*READER_MODULES),
            fingerprint((settings.allowed_hosts, settings.exclude_patterns)),
            settings.dossier_link_text,
            settings.listing_link_text,
        )

    @cached_property
    def links(self) -> ModuleType:
        """The parsing module, imported on the first page not in the cache."""
        from . import links  # late on purpose: BeautifulSoup costs ~0.1 s to import

        return links

    def _info(self, kind: str, html: str, url: str, settings: Settings) -> DossierInfo:
        key = digest(kind, self.version, url, html)
        stored = self.derived.get(key)
        if stored is not None:
            return DossierInfo(**stored)
        info = getattr(self.links, kind)(html, url, settings)
        self.derived.put(key, vars(info))
        return info

    def find_dossier(self, html: str, url: str, settings: Settings) -> DossierInfo:
        return self._info("find_dossier", html, url, settings)

    def dossier_page(self, html: str, url: str, settings: Settings) -> DossierInfo:
        return self._info("dossier_page", html, url, settings)

    def listing_links(
        self, html: str, url: str, settings: Settings, allowed: Callable[[str], bool]
    ) -> tuple[list[str], str | None]:
        key = digest("listing", self.version, url, html)
        stored = self.derived.get(key)
        if stored is not None:
            return stored["urls"], stored["next"]
        urls, following = self.links.listing_links(html, url, settings, allowed)
        self.derived.put(key, {"urls": urls, "next": following})
        return urls, following


def unique(urls: Iterable[str]) -> list[str]:
    """Deduplicate URLs by their normalised key, keeping the first form seen."""
    seen: set[str] = set()
    result = []
    for url in urls:
        key = url_key(url)
        if key not in seen:
            seen.add(key)
            result.append(url)
    return result


def discover(fetcher: PageSource, settings: Settings, reader: PageReader) -> Discovery:
    """Walk from the start page to every article link of the dossier listing."""
    # The start page is an article too (the dossier's lead): it gets the article check.
    start = fetcher.fetch_page(settings.start_url, check=True)
    if not start.ok:
        info = DossierInfo(title=None, url=None, listing_url=None, announced=None)
        return Discovery(info, start, problems=[f"start page unavailable: {start.reason}"])
    info = reader.find_dossier(start.text or "", start.final_url, settings)
    discovery = Discovery(info, start)
    listing_url = info.listing_url or info.url
    if info.url and (info.title is None or info.listing_url is None):
        discovery.info = _complete_from_dossier_page(fetcher, info, settings, reader)
        listing_url = discovery.info.listing_url or info.url
    if not listing_url:
        discovery.problems.append("no dossier link found on the start page")
        return discovery
    discovery.article_urls = _walk_listing(fetcher, listing_url, settings, discovery, reader)
    return discovery


def _complete_from_dossier_page(
    fetcher: PageSource, info: DossierInfo, settings: Settings, reader: PageReader
) -> DossierInfo:
    page = fetcher.fetch_page(info.url)
    if not page.ok:
        return info
    found = reader.dossier_page(page.text or "", page.final_url, settings)
    return DossierInfo(
        title=info.title or found.title,
        url=info.url,
        listing_url=info.listing_url or found.listing_url,
        announced=info.announced if info.announced is not None else found.announced,
    )


def _walk_listing(
    fetcher: PageSource, url: str, settings: Settings, discovery: Discovery, reader: PageReader
) -> list[str]:
    urls: list[str] = []
    visited: set[str] = set()
    next_url: str | None = url
    while next_url and url_key(next_url) not in visited:
        if len(visited) >= settings.max_pages:
            problem = (
                f"listing longer than DOSSIER_MAX_PAGES={settings.max_pages}: "
                f"pages after {next_url} not read; raise DOSSIER_MAX_PAGES to read them"
            )
            discovery.problems.append(problem)
            break
        visited.add(url_key(next_url))
        page = fetcher.fetch_page(next_url)
        discovery.listing_pages.append(page)
        if not page.ok:
            discovery.problems.append(f"listing page {next_url} unavailable: {page.reason}")
            break
        found, next_url = reader.listing_links(
            page.text or "", page.final_url, settings, fetcher.allowed
        )
        urls.extend(found)
    return _at_most(unique(urls), settings, discovery)


def _at_most(urls: list[str], settings: Settings, discovery: Discovery) -> list[str]:
    """The first DOSSIER_MAX_ARTICLES links; cutting the rest is reported, never silent."""
    if len(urls) > settings.max_articles:
        discovery.problems.append(
            f"the listing links {len(urls)} articles, more than "
            f"DOSSIER_MAX_ARTICLES={settings.max_articles}: the last "
            f"{len(urls) - settings.max_articles} are left out; raise DOSSIER_MAX_ARTICLES "
            "to publish them"
        )
    return urls[: settings.max_articles]
