"""Publish: Pelican articles, the hub's context, dossier.json, feeds and search.

``articles`` turns entries into Pelican articles and the hub context; ``feeds`` and
``feedxml`` write Atom, RSS and OPML; ``filters`` and ``picture`` serve the theme's
templates; ``search`` builds the Pagefind index over the written site.
"""

from .articles import dossier_json, hub_context, make_articles, write_empty_theme_pages, write_json
from .feeds import write_feeds
from .filters import FILTERS
from .search import build_search

__all__ = [
    "FILTERS",
    "build_search",
    "dossier_json",
    "hub_context",
    "make_articles",
    "write_empty_theme_pages",
    "write_feeds",
    "write_json",
]
