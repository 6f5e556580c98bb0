"""Track: what changed in the dossier since the last build.

``history`` holds the pure functions over plain data (new, changed, removed, gone,
back); ``tracking`` keeps the history file beside the cache, fetches kept copies of
articles that left, and gives this build's view of the changes.
"""

from .history import HistoryError
from .tracking import Tracking, kept_pages, kept_urls, load_history, track

__all__ = ["HistoryError", "Tracking", "kept_pages", "kept_urls", "load_history", "track"]
