"""Discover: start page → the dossier → its listing pages → the article URLs.

``crawl`` walks the pages through any fetcher; ``links`` reads them (BeautifulSoup,
imported only when a page is not in the derived cache); ``sources`` adds the feeds
(``feedsource``) and the hand list of the dossier file to the listing.
"""

from .crawl import CachedReader, Discovery, PageReader, PageSource, discover
from .sources import Sources, belongs, gather

__all__ = [
    "CachedReader",
    "Discovery",
    "PageReader",
    "PageSource",
    "Sources",
    "belongs",
    "discover",
    "gather",
]
