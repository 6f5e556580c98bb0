"""Publish: turn the dossier's entries into Pelican articles and dossier.json.

The only module that touches Pelican objects. Templates read what is set here:
on each article ``source_url``, ``source_host``, ``canonical_url``, ``fetch_status``,
``stale``, ``fetched_at``, ``plaquette``, ``attachments``, ``theme_matches``,
``related_articles``, ``prev_in_dossier``/``next_in_dossier``; in the context
``dossier`` (a ``HubContext``).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from pelican.contents import Article
from pelican.urlwrappers import Category, Tag
from pelican.utils import slugify

from .document import Document
from .docview import reading, with_our_copy
from .model import Entry
from .pipeline import DossierResult
from .themes import Theme
from .urls import host_of

logger = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ThemeCount:
    """A theme with the number of published articles that carry it."""

    theme: Theme
    count: int

    @property
    def slug(self) -> str:
        return self.theme.slug


@dataclass(frozen=True)
class HubContext:
    """What the hub and theme pages show about the dossier as a whole."""

    title: str | None
    url: str | None
    announced: int | None
    found: int
    failed: int
    last_fetched: datetime | None
    themes: tuple[ThemeCount, ...]
    cooccurrence: tuple[tuple[int, ...], ...]
    problems: tuple[str, ...]
    plaquette: Article | None


def _slug_for(entry: Entry, taken: set[str], settings: dict[str, Any]) -> str:
    url = (entry.cleaned.canonical_url if entry.cleaned else None) or entry.fetched.final_url
    last = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "article"
    base = slugify(last, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []))[:80] or "article"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def make_article(
    entry: Entry,
    slug: str,
    settings: dict[str, Any],
    context: dict,
    document: Document | None = None,
) -> Article:
    """One Pelican article for one cleaned entry (the plaquette's with its document)."""
    cleaned = entry.cleaned
    assert cleaned is not None  # only cleaned entries are published
    html, attachments = cleaned.html, list(cleaned.attachments)
    if document is not None:  # our copy of the PDF, and its pages with their text
        base = str(settings.get("SITEURL") or "").rstrip("/")
        html += reading(document, base, cleaned.title)
        attachments = with_our_copy(attachments, document, base)
    date = cleaned.published or entry.fetched.fetched_at or EPOCH
    metadata: dict[str, Any] = {
        "title": cleaned.title,
        "slug": slug,
        "date": date,
        "category": Category(settings.get("DEFAULT_CATEGORY", "dossier"), settings),
        "tags": [Tag(m.slug, settings) for m in entry.themes],
        "summary": cleaned.summary,
        "lang": "fr",
        "status": "published",
        "source_url": entry.source_url,
        "source_host": host_of(entry.fetched.final_url),
        "canonical_url": cleaned.canonical_url or entry.fetched.final_url,
        "fetch_status": entry.fetched.status,
        "fetch_reason": entry.fetched.reason,
        "stale": entry.fetched.status == "stale",
        "fetched_at": entry.fetched.fetched_at,
        "published": cleaned.published,
        "updated": cleaned.updated,
        "plaquette": entry.plaquette,
        "attachments": attachments,
        "document": document,
        "theme_matches": list(entry.themes),
        "lead_image": cleaned.lead_image,
        "source_author": cleaned.author,
    }
    if cleaned.updated and cleaned.updated > date:
        metadata["modified"] = cleaned.updated
    return Article(
        html,
        metadata=metadata,
        settings=settings,
        source_path=os.path.join(settings.get("PATH", ""), "dossier", f"{slug}.html"),
        context=context,
    )


def make_articles(result: DossierResult, settings: dict[str, Any], context: dict) -> list[Article]:
    """Pelican articles for every published entry, with cross-links set."""
    taken: set[str] = set()
    articles = {
        e.source_url: make_article(
            e,
            _slug_for(e, taken, settings),
            settings,
            context,
            result.document if e.plaquette else None,
        )
        for e in result.entries
        if e.cleaned
    }
    entries = {e.source_url: e for e in result.entries}
    for source, article in articles.items():
        article.related_articles = [articles[s] for s in entries[source].related if s in articles]
    ordered = sorted(articles.values(), key=lambda a: (a.date, a.source_url), reverse=True)
    for newer, older in pairwise(ordered):
        newer.next_in_dossier, older.prev_in_dossier = older, newer
    return ordered


def hub_context(result: DossierResult, articles: list[Article]) -> HubContext:
    """The dossier as the hub shows it."""
    counts = {t.slug: 0 for t in result.taxonomy.themes}
    for article in articles:
        for tag in article.tags:
            counts[tag.name] = counts.get(tag.name, 0) + 1
    return HubContext(
        title=result.info.title,
        url=result.info.url,
        announced=result.info.announced,
        found=len(articles),
        failed=sum(1 for e in result.entries if not e.cleaned),
        last_fetched=result.last_fetched,
        themes=tuple(ThemeCount(t, counts[t.slug]) for t in result.taxonomy.themes),
        cooccurrence=tuple(tuple(row) for row in result.cooccurrence),
        problems=tuple(result.problems),
        plaquette=next((a for a in articles if a.plaquette), None),
    )


def write_empty_theme_pages(generator: Any, writer: Any) -> None:
    """Give every theme of the taxonomy its page, also one no article carries yet."""
    hub: HubContext | None = generator.context.get("dossier")
    if hub is None:
        return
    used = {tag.slug for tag in generator.tags}
    template = generator.get_template("tag")
    for count in hub.themes:
        if count.slug in used:
            continue
        tag = Tag(count.slug, generator.settings)
        writer.write_file(
            tag.save_as,
            template,
            generator.context,
            tag=tag,
            url=tag.url,
            articles=[],
            dates=[],
            template_name="tag",
            blog=True,
            page_name=tag.page_name,
            all_articles=generator.articles,
        )


def dossier_json(result: DossierResult, articles: list[Article]) -> dict[str, Any]:
    """The dossier.json contract: the dossier, every source and every theme."""
    by_source = {a.source_url: a for a in articles}
    hub = hub_context(result, articles)
    return {
        "dossier": {
            "title": result.info.title,
            "url": result.info.url,
            "announced": result.info.announced,
            "found": len(articles),
        },
        "articles": [_entry_json(e, by_source.get(e.source_url)) for e in result.entries],
        "themes": [
            {"slug": tc.slug, "label": tc.theme.label, "count": tc.count} for tc in hub.themes
        ],
    }


def _entry_json(entry: Entry, article: Article | None) -> dict[str, Any]:
    cleaned = entry.cleaned
    published = cleaned.published if cleaned else None
    return {
        "source_url": entry.source_url,
        "canonical_url": (cleaned.canonical_url if cleaned else None) or entry.fetched.final_url,
        "title": cleaned.title if cleaned else None,
        "date": published.date().isoformat() if published else None,
        "themes": [m.slug for m in entry.themes],
        "status": entry.fetched.status,
        "reason": entry.fetched.reason or None,
        "path": article.url if article else None,
        "plaquette": entry.plaquette,
        "document": _document_json(article),
    }


def _document_json(article: Article | None) -> dict[str, Any] | None:
    """Where the plaquette's document came from and our copy of it (None elsewhere)."""
    document: Document | None = getattr(article, "document", None)
    return document.to_json() if document else None


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write JSON atomically, sorted and stable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".dossier-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
