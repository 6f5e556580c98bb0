"""Discover: start page → the dossier → its listing pages → the article URLs.

``crawl`` walks the pages through any fetcher; ``links`` reads them (BeautifulSoup,
imported only when a page is not in the derived cache).
"""

from .crawl import CachedReader, Discovery, PageReader, PageSource, discover

__all__ = ["CachedReader", "Discovery", "PageReader", "PageSource", "discover"]
