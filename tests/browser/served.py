"""What the browser tests share: the site they drive, serving a folder, the theme chips."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Site:
    """The built site, where it is served, and its dossier.json."""

    output: Path
    url: str
    source: str
    data: dict[str, Any]

    def articles_with(self, *themes: str, every: bool = False) -> set[str]:
        """Titles of the articles carrying any (or every) of the themes."""
        test = all if every else any
        return {
            a["title"]
            for a in self.data["articles"]
            if a["path"] and test(t in a["themes"] for t in themes)
        }

    def label(self, slug: str) -> str:
        """A theme's label, as dossier.json gives it."""
        return next(t["label"] for t in self.data["themes"] if t["slug"] == slug)

    @property
    def titles(self) -> set[str]:
        return {a["title"] for a in self.data["articles"] if a["path"]}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.debug(format, *args)


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 from a background thread; yield its base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def chip(page: Page, slug: str) -> Locator:
    """The theme filter chip of one theme (hub and search pages)."""
    return page.locator(f'#filtres button.chip[data-theme="{slug}"]')


def chip_counts(page: Page) -> dict[str, int]:
    """The count each theme chip shows."""
    pairs = page.locator("#filtres button.chip").evaluate_all(
        "els => els.map(e => [e.dataset.theme, e.querySelector('.count').textContent])"
    )
    return {slug: int(n) for slug, n in pairs}
