"""Publish: Pelican articles, the hub's context, dossier.json, feeds and search.

``articles`` turns entries into Pelican articles and the hub context (``bodytypo`` gives
French bodies their typography); ``feeds`` and
``feedxml`` write Atom, RSS and OPML; ``changes`` tells readers what changed
(marks, « Quoi de neuf », the history page and feed); ``filters`` and ``picture`` serve
the theme's templates; ``minify`` shrinks the theme's CSS and JS copies; ``search``
builds the Pagefind index over the written site.
"""

from .articles import add_theme_tags, dossier_json, hub_context, make_articles, write_json
from .changes import write_history_feed, write_history_page
from .feeds import write_feeds
from .filters import FILTERS
from .minify import minify_theme
from .search import build_search

__all__ = [
    "FILTERS",
    "add_theme_tags",
    "build_search",
    "dossier_json",
    "hub_context",
    "make_articles",
    "minify_theme",
    "write_feeds",
    "write_history_feed",
    "write_history_page",
    "write_json",
]
