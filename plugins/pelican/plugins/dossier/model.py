"""Plain data that crosses the pipeline's stage boundaries.

Each stage takes and returns these small frozen dataclasses: discover and fetch
produce ``Fetched``; clean turns it into ``Cleaned``; themes adds ``ThemeMatch``;
publish turns everything into Pelican articles, dossier.json and the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

# How a source ended up in this build; the same words land in dossier.json.
Status = Literal["fetched", "not-modified", "cached", "stale", "failed"]


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # the date of an article that gives none
PARIS = ZoneInfo("Europe/Paris")  # the dossier's time zone: dates without one are local


@dataclass(frozen=True)
class Attachment:
    """A document linked from an article (the plaquette's PDF, say), never parsed as HTML."""

    url: str
    title: str = ""
    media_type: str | None = None
    size: int | None = None
    found_on: str | None = None  # the page that offered it (a shop page), if not linked directly


@dataclass(frozen=True)
class Fetched:
    """One HTTP outcome. ``text`` is the decoded body, or None when nothing usable came."""

    url: str
    final_url: str
    status: Status
    http_status: int | None = None
    media_type: str | None = None
    text: str | None = None
    size: int | None = None
    reason: str = ""
    fetched_at: datetime | None = None
    gone: bool = False  # 404/410: the source says it no longer exists

    @property
    def ok(self) -> bool:
        return self.text is not None


@dataclass(frozen=True)
class Cleaned:
    """The article without the site around it, sanitised, with its metadata."""

    title: str
    html: str  # sanitised body HTML (no h1: the title is separate)
    text: str  # plain text of the body, for tagging and search
    summary: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    author: str | None = None
    lead_image: str | None = None
    lang: str | None = None
    canonical_url: str | None = None
    dossier_title: str | None = None
    dossier_url: str | None = None
    announced: int | None = None  # N of « Voir les N actualités liées à ce dossier »
    listing_url: str | None = None  # target of that « Voir les N actualités » link
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class ThemeMatch:
    """Why an article carries a theme: its score and the terms that matched."""

    slug: str
    score: float
    terms: tuple[str, ...] = ()
    corrected: bool = False  # added by a hand correction, not by the tagger


@dataclass(frozen=True)
class DossierInfo:
    """The dossier as discovered from the start page."""

    title: str | None
    url: str | None
    listing_url: str | None
    announced: int | None


Widths = tuple[tuple[int, str], ...]  # (width in pixels, asset name), narrowest first


@dataclass(frozen=True)
class ImageCopy:
    """One image an article shows, as this build publishes it: our renditions (asset
    names under the site), or none and why (then it is dropped, never hot-linked)."""

    url: str  # the original
    status: Status
    reason: str = ""
    width: int = 0  # of the largest rendition
    height: int = 0
    webp: Widths = ()
    fallback: Widths = ()  # JPEG, or PNG for an image with transparency
    fallback_type: str = "image/jpeg"

    @property
    def ok(self) -> bool:
        return bool(self.webp and self.fallback)

    def assets(self) -> list[str]:
        """Every file of ours this image needs on the site."""
        return [name for _w, name in (*self.webp, *self.fallback)]

    def to_json(self) -> dict[str, Any]:
        return {**vars(self), "webp": list(self.webp), "fallback": list(self.fallback)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImageCopy:
        sets = {k: tuple((int(w), str(n)) for w, n in data[k]) for k in ("webp", "fallback")}
        return cls(
            str(data["url"]),
            data["status"],
            str(data.get("reason") or ""),
            int(data["width"]),
            int(data["height"]),
            fallback_type=str(data["fallback_type"]),
            **sets,
        )


@dataclass(frozen=True)
class Entry:
    """One published source: what was fetched, cleaned and tagged."""

    source_url: str
    fetched: Fetched
    cleaned: Cleaned | None
    themes: tuple[ThemeMatch, ...] = ()
    plaquette: bool = False
    related: tuple[str, ...] = field(default=())  # source URLs of « À lire aussi »
    images: tuple[ImageCopy, ...] = ()  # every image of the body and the lead image
    lead_image: ImageCopy | None = None  # published (ok) only
