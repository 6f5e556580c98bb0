"""What the browser tests share: the site they drive and the theme chips (serving a
folder is ``support.serve_folder``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page


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


def chip(page: Page, slug: str) -> Locator:
    """The theme filter chip of one theme (hub and search pages)."""
    return page.locator(f'#filtres button.chip[data-theme="{slug}"]')


def chip_counts(page: Page) -> dict[str, int]:
    """The count each theme chip shows."""
    pairs = page.locator("#filtres button.chip").evaluate_all(
        "els => els.map(e => [e.dataset.theme, e.querySelector('.count').textContent])"
    )
    return {slug: int(n) for slug, n in pairs}
