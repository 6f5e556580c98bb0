"""What the browser tests know about the site they drive."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


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

    @property
    def titles(self) -> set[str]:
        return {a["title"] for a in self.data["articles"] if a["path"]}
