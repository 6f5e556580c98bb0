"""What readers are told about the dossier's changes: marks, notices, the history page
and its Atom/RSS feed, and the matching fields of dossier.json.

Everything here reads a ``tracking.Tracking``; the history itself is computed by the
pure functions of ``history``. The history feed is written with ``feedxml`` like the
other feeds; an event's id is uuid5 of the dossier's start URL, the event's kind, the
article's URL key and its date, so it never changes from one build to the next.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pelican.generators import PelicanTemplateNotFound

from ..atomic import write_atomic
from ..model import EPOCH
from ..settings import Settings
from ..track.history import KINDS, Event, recent
from ..track.tracking import Tracking
from ..urls import url_key
from .feeds import feed_base
from .feedxml import FeedEntry, FeedInfo, atom_feed, feed_text, rfc3339, rss_feed, uri
from .typo import typo_fr

logger = logging.getLogger(__name__)

HISTORY_URL = "historique/"
HISTORY_SAVE_AS = "historique/index.html"
HISTORY_ATOM = "historique/atom.xml"
HISTORY_RSS = "historique/rss.xml"
NEWS_LIMIT = 8  # events in the hub's « Quoi de neuf »

# How each kind of event is said, as a heading and as a sentence.
LABELS = {
    "new": "Nouvel article",
    "changed": "Article mis à jour",
    "removed": "Retiré du dossier",
    "gone": "Plus en ligne sur le site d’origine",
    "back": "De retour dans le dossier",
}
SENTENCES = {
    "new": "Cet article a rejoint le dossier.",
    "changed": "Le texte de cet article a changé sur le site d’origine.",
    "removed": "Le dossier ne cite plus cet article ; sa dernière copie reste publiée ici.",
    "gone": "Le site d’origine ne publie plus cet article ; sa dernière copie reste ici.",
    "back": "Cet article est de nouveau dans le dossier et en ligne sur le site d’origine.",
}


@dataclass(frozen=True)
class NewsItem:
    """One event as the hub and the history page show it."""

    event: Event
    label: str
    article: Any | None  # our published page, when there is one

    @property
    def at(self) -> datetime:
        return self.event.at

    @property
    def kind(self) -> str:
        return self.event.kind

    @property
    def title(self) -> str:
        return self.article.title if self.article is not None else self.event.title


def marks(tracking: Tracking | None, source_url: str) -> dict[str, Any]:
    """The attributes an article gets: presence, « Nouveau », dates of change."""
    record = tracking.record(source_url) if tracking else None
    if tracking is None or record is None:
        return {"presence": "current", "is_new": False, "found_in": ()}
    return {
        "presence": record.presence,
        "is_new": tracking.is_new(source_url),
        "first_seen": record.first_seen,
        "changed_at": record.changed_at,
        "left_at": record.since,
        "found_in": tracking.found_in(source_url),
    }


def mark_articles(tracking: Tracking | None, articles: list[Any]) -> None:
    """Set the marks on every published article (templates read them)."""
    for article in articles:
        for name, value in marks(tracking, article.source_url).items():
            setattr(article, name, value)


def news(
    tracking: Tracking | None, articles: list[Any], limit: int | None = None
) -> list[NewsItem]:
    """Events newest first (within DOSSIER_NEW_DAYS when ``limit`` is set), with our pages."""
    if tracking is None:
        return []
    by_key = {url_key(a.source_url): a for a in articles}
    history = tracking.history
    if limit is None:
        events = list(reversed(history.events))
    else:
        events = recent(history, tracking.now, tracking.new_days)[:limit]
    events.sort(key=lambda e: (-e.at.timestamp(), KINDS.index(e.kind), e.title))
    return [NewsItem(e, LABELS[e.kind], by_key.get(e.key)) for e in events]


def json_fields(tracking: Tracking | None, source_url: str) -> dict[str, Any]:
    """dossier.json's per-article fields about presence, novelty and origin."""
    found = marks(tracking, source_url)
    return {
        "presence": found["presence"],
        "new": found["is_new"],
        "found_in": list(found["found_in"]),
        "first_seen": _iso(found.get("first_seen")),
        "changed_at": _iso(found.get("changed_at")),
        "left_at": _iso(found.get("left_at")),
    }


def json_history(tracking: Tracking | None) -> dict[str, Any] | None:
    """dossier.json's ``history``: the baseline date and every event, newest first."""
    if tracking is None:
        return None
    return {
        "baseline_at": _iso(tracking.history.baseline_at),
        "events": [
            {"at": _iso(e.at), "kind": e.kind, "url": e.url, "title": e.title}
            for e in reversed(tracking.history.events)
        ],
    }


def _iso(moment: datetime | None) -> str | None:
    return rfc3339(moment) if moment else None


def write_history_page(generator: Any, writer: Any) -> None:
    """« Historique du dossier »: every event, newest first, with their dates."""
    hub = generator.context.get("dossier")
    if hub is None:
        return
    try:
        template = generator.get_template("history")
    except PelicanTemplateNotFound:  # another site's theme: the feed still tells the history
        logger.info("the theme has no history template: no history page written")
        return
    writer.write_file(
        HISTORY_SAVE_AS,
        template,
        generator.context,
        events=news(getattr(hub, "tracking", None), generator.articles),
        page_name="historique/index",
        url=HISTORY_URL,
        relative_urls=generator.settings["RELATIVE_URLS"],
    )


def event_id(start_url: str, event: Event) -> str:
    """A stable id for one event."""
    name = f"{url_key(start_url)}#history/{event.kind}/{event.key}/{rfc3339(event.at)}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def history_feed(
    items: list[NewsItem], settings: dict[str, Any], base: str, start: str
) -> FeedInfo:
    """The history as a feed, newest event first, FEED_MAX_ITEMS at most."""
    sitename = settings.get("SITENAME") or "Dossier"
    page = f"{base}/{HISTORY_URL}"
    limit = settings.get("FEED_MAX_ITEMS")
    entries = tuple(_event_entry(item, start, base, page, sitename) for item in items[:limit])
    return FeedInfo(
        id=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{url_key(start)}#feed-historique')}",
        title=feed_text(f"{sitename} — Historique du dossier"),
        subtitle="Ce qui a changé dans le dossier, d’une construction du site à l’autre.",
        page=uri(page),
        atom=uri(f"{base}/{HISTORY_ATOM}"),
        rss=uri(f"{base}/{HISTORY_RSS}"),
        author=feed_text(settings.get("AUTHOR") or sitename),
        updated=max((e.updated for e in entries), default=EPOCH),
        entries=entries,
    )


def _event_entry(item: NewsItem, start: str, base: str, page: str, author: str) -> FeedEntry:
    link = f"{base}/{item.article.url}" if item.article is not None else page
    title = feed_text(item.title).strip()
    return FeedEntry(
        id=event_id(start, item.event),
        title=typo_fr(f"{item.label} : {title}"),
        link=uri(link),
        source=uri(item.event.url),
        published=item.at,
        updated=item.at,
        summary=SENTENCES[item.kind],
        content="",
        author=feed_text(author),
        categories=((item.kind, item.label),),
    )


def write_history_feed(
    context: dict[str, Any], settings: dict[str, Any], output: Path, dossier: Settings
) -> None:
    """Write the history's Atom and RSS feeds."""
    hub = context.get("dossier")
    base = feed_base(settings)
    if hub is None or not base.startswith(("http://", "https://")):
        return
    items = news(getattr(hub, "tracking", None), context.get("articles", []))
    feed = history_feed(items, settings, base, dossier.start_url)
    write_atomic(output / HISTORY_ATOM, atom_feed(feed))
    write_atomic(output / HISTORY_RSS, rss_feed(feed))
