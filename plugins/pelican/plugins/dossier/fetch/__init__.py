"""Fetch: every page and attachment over HTTP, politely, safely and through a cache.

``fetcher`` runs the stage (concurrent, streamed); ``client`` is the only module that
imports requests; ``outcomes`` decides which copy is used and with which status;
``transport`` (retries, per-host limits), ``httpcache`` (SQLite copies), ``netsafety``,
``robots``, ``encoding``, ``deadline`` and ``acceptance`` serve it; ``report`` shows the
result, ``reasons`` (with ``reasons.toml``) says failures in French for readers.
"""

from .fetcher import Fetcher
from .report import render_report
from .transport import FetchError

__all__ = ["FetchError", "Fetcher", "render_report"]
