"""Plain data that crosses the pipeline's stage boundaries.

Each stage takes and returns these small frozen dataclasses: discover and fetch
produce ``Fetched``; clean turns it into ``Cleaned``; themes adds ``ThemeMatch``;
publish turns everything into Pelican articles, dossier.json and the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
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


@dataclass(frozen=True)
class Entry:
    """One published source: what was fetched, cleaned and tagged."""

    source_url: str
    fetched: Fetched
    cleaned: Cleaned | None
    themes: tuple[ThemeMatch, ...] = ()
    plaquette: bool = False
    related: tuple[str, ...] = field(default=())  # source URLs of « À lire aussi »
