"""Publish: turn the dossier's entries into Pelican articles and dossier.json.

Templates read what is set here: on each article ``source_url``, ``source_host``,
``canonical_url``, ``fetch_status``, ``stale``, ``fetched_at``, ``plaquette``,
``attachments``, ``theme_matches``, ``related_articles``,
``prev_in_dossier``/``next_in_dossier``; in the context ``dossier`` (a ``HubContext``).
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from pelican.contents import Article
from pelican.urlwrappers import Category, Tag
from pelican.utils import slugify

from ..atomic import write_atomic
from ..derived import digest
from ..document import Document
from ..isolation import each, with_failures
from ..model import EPOCH, Attachment, Cleaned, Entry, ImageCopy
from ..themes import Taxonomy, Theme
from ..urls import host_of, public_url, url_key
from .bodytypo import is_french, language_tag, primary_language, typo_body
from .changes import NEWS_LIMIT, NewsItem, json_fields, json_history, mark_articles, news
from .docview import with_our_copy

if TYPE_CHECKING:  # the pipeline runs the stages; publishing only reads its result
    from pelican.generators import ArticlesGenerator

    from ..pipeline import DossierResult


logger = logging.getLogger(__name__)


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
    tracking: Any = None  # tracking.Tracking: what changed since the last build
    kept: tuple[Article, ...] = ()  # left the dossier or gone at the source, still published
    news: tuple[NewsItem, ...] = ()  # « Quoi de neuf »: recent events, newest first


def _base_slug(entry: Entry, settings: dict[str, Any]) -> str:
    url = canonical_url(entry) or entry.fetched.final_url
    last = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "article"
    return slugify(last, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []))[:80] or "article"


def slugs(entries: list[Entry], settings: dict[str, Any]) -> dict[str, str]:
    """Source URL → slug, unique, and stable whatever order the listing gives: of the
    articles whose URLs end alike, the first by URL keeps the plain slug and the others
    get a suffix drawn from their own URL."""
    groups: dict[str, list[str]] = {}
    for entry in entries:
        if entry.cleaned:
            groups.setdefault(_base_slug(entry, settings), []).append(entry.source_url)
    result: dict[str, str] = {}
    for base, sources in sorted(groups.items()):
        sources.sort(key=lambda s: (url_key(s), s))
        result[sources[0]] = base
        for source in sources[1:]:
            result[source] = f"{base}-{digest(url_key(source), source)[:8]}"
    if len(set(result.values())) != len(result):  # a suffixed slug met a plain one
        raise ValueError(f"two articles share a slug: {sorted(result.values())}")
    return result


def make_article(
    entry: Entry,
    slug: str,
    settings: dict[str, Any],
    context: dict,
    document: Document | None = None,
) -> Article:
    """One Pelican article for one cleaned entry (the plaquette's with its ``document``).
    Its body's images are already our own files (``document.images``); ``lead_picture``
    is our copy of its lead image, for the hub's cards."""
    cleaned = entry.cleaned
    assert cleaned is not None  # only cleaned entries are published
    attachments = public_attachments(cleaned.attachments)
    if document is not None:  # our copy of the PDF (a site path); its pages: the theme
        attachments = with_our_copy(attachments, document)
    date = cleaned.published or entry.fetched.fetched_at or EPOCH
    metadata: dict[str, Any] = {
        "title": cleaned.title,
        "slug": slug,
        "date": date,
        "category": Category(settings.get("DEFAULT_CATEGORY", "dossier"), settings),
        "tags": [Tag(m.slug, settings) for m in entry.themes],
        "summary": cleaned.summary,
        "lang": "fr",
        "body_lang": other_language(cleaned.lang, settings.get("DEFAULT_LANG")),
        "status": "published",
        "source_url": entry.source_url,
        "source_host": host_of(entry.fetched.final_url),
        "canonical_url": canonical_url(entry),
        "fetch_status": entry.fetched.status,
        "fetch_reason": entry.fetched.reason,
        "stale": entry.fetched.status == "stale",
        "fetched_at": entry.fetched.fetched_at,
        "published": cleaned.published,
        # without a date of its own, ``date`` is the fetch's: not shown as a publication date
        "dated": cleaned.published is not None,
        "updated": cleaned.updated,
        "plaquette": entry.plaquette,
        "attachments": attachments,
        "document": document,
        "theme_matches": list(entry.themes),
        "lead_image": public_url(cleaned.lead_image),
        "lead_picture": entry.lead_image,
        "source_author": cleaned.author,
        "cleaned_body": cleaned.html,  # before typography: what feeds.apply_state hashes
    }
    if cleaned.updated and cleaned.updated > date:
        metadata["modified"] = cleaned.updated
    return Article(
        published_body(cleaned, entry.source_url, settings),
        metadata=metadata,
        settings=settings,
        source_path=os.path.join(settings.get("PATH", ""), "dossier", f"{slug}.html"),
        context=context,
    )


_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8}){0,3}")


def other_language(lang: str | None, default: str | None) -> str | None:
    """The article's language tag (« en », « en-gb ») when it is well formed and not the
    site's own language, for a ``lang`` on its text; None otherwise (the page's applies)."""
    tag = language_tag(lang)
    if not _LANGUAGE_TAG.fullmatch(tag):
        return None
    return None if primary_language(tag) == primary_language(default) else tag


def published_body(cleaned: Cleaned, source: str, settings: dict[str, Any]) -> str:
    """The body as article pages and feeds publish it: with French typography in its
    text when the article is French (its own language, else the site's DEFAULT_LANG).
    A body whose text cannot be retouched is published as cleaned, and said."""
    if not is_french(cleaned.lang, settings.get("DEFAULT_LANG")):
        return cleaned.html
    try:
        return typo_body(cleaned.html)
    except (ValueError, etree.LxmlError) as exc:  # UnreadableBody, or a text lxml refuses
        logger.warning("typography not applied to the body of %s: %s", source, exc)
        return cleaned.html


def canonical_url(entry: Entry) -> str | None:
    """The original's address as published: the page's canonical link, else the address
    it was read from; only through the scheme allowlist (urls.public_url)."""
    claimed = entry.cleaned.canonical_url if entry.cleaned else None
    return public_url(claimed) or public_url(entry.fetched.final_url)


def public_attachments(attachments: tuple[Attachment, ...]) -> list[Attachment]:
    """The attachments whose address may be published (http(s) only), rebuilt."""
    kept = []
    for item in attachments:
        url = public_url(item.url)
        if url is None:
            logger.warning("attachment not published, address refused: %.200r", item.url)
        else:
            kept.append(replace(item, url=url))
    return kept


def make_articles(result: DossierResult, settings: dict[str, Any], context: dict) -> list[Article]:
    """Pelican articles for every published entry, with cross-links set; an entry that
    cannot be made into one is marked failed in ``result`` (see ``isolation``)."""
    names = slugs(result.entries, settings)

    def made(entry: Entry) -> Entry:
        if entry.cleaned:
            name = names[entry.source_url]
            articles[entry.source_url] = make_article(
                entry, name, settings, context, result.document if entry.plaquette else None
            )
        return entry

    articles: dict[str, Article] = {}
    result.entries = each(result.entries, "publishing", made)
    result.outcomes = with_failures(result.outcomes, result.entries)
    mark_articles(result.tracking, list(articles.values()))
    entries = {e.source_url: e for e in result.entries}
    for source, article in articles.items():
        article.related_articles = [articles[s] for s in entries[source].related if s in articles]
    # newest first, the undated (dated by their fetch) after them: the pager's order
    ordered = sorted(articles.values(), key=lambda a: (a.dated, a.date, a.source_url), reverse=True)
    for newer, older in pairwise(ordered):
        newer.next_in_dossier, older.prev_in_dossier = older, newer
    return ordered


def hub_context(result: DossierResult, articles: list[Article]) -> HubContext:
    """The dossier as the hub shows it."""
    counts = {t.slug: 0 for t in result.taxonomy.themes}
    for article in articles:
        for tag in article.tags:
            counts[tag.name] = counts.get(tag.name, 0) + 1
    kept = tuple(a for a in articles if getattr(a, "presence", "current") != "current")
    return HubContext(
        title=result.info.title,
        url=public_url(result.info.url),
        announced=result.info.announced,
        found=len(articles) - len(kept),
        failed=sum(1 for e in result.entries if not e.cleaned),
        last_fetched=result.last_fetched,
        themes=tuple(ThemeCount(t, counts[t.slug]) for t in result.taxonomy.themes),
        cooccurrence=tuple(tuple(row) for row in result.cooccurrence),
        problems=tuple(result.problems),
        plaquette=next((a for a in articles if a.plaquette), None),
        tracking=result.tracking,
        kept=kept,
        news=tuple(news(result.tracking, articles, NEWS_LIMIT)),
    )


def add_theme_tags(generator: ArticlesGenerator, taxonomy: Taxonomy) -> None:
    """Give every theme of the taxonomy its tag, also one no article carries yet, in
    taxonomy order: Pelican then writes every theme's page with its own tag pages.

    Called before taxonomy (``article_generator_pretaxonomy``): Pelican adds each
    article to the tags it carries afterwards.
    """
    for theme in taxonomy.themes:
        generator.tags[Tag(theme.slug, generator.settings)]


def dossier_json(result: DossierResult, articles: list[Article]) -> dict[str, Any]:
    """The dossier.json contract: the dossier, every source and every theme."""
    by_source = {a.source_url: a for a in articles}
    hub = hub_context(result, articles)
    return {
        "dossier": {
            "title": result.info.title,
            "url": public_url(result.info.url),
            "announced": result.info.announced,
            "found": hub.found,
            "kept": len(hub.kept),
        },
        "articles": [
            _entry_json(e, by_source.get(e.source_url)) | json_fields(result.tracking, e.source_url)
            for e in result.entries
        ],
        "themes": [
            {"slug": tc.slug, "label": tc.theme.label, "count": tc.count} for tc in hub.themes
        ],
        "history": json_history(result.tracking),
    }


def _entry_json(entry: Entry, article: Article | None) -> dict[str, Any]:
    cleaned = entry.cleaned
    published = cleaned.published if cleaned else None
    return {
        "source_url": public_url(entry.source_url),
        "canonical_url": canonical_url(entry),
        "title": cleaned.title if cleaned else None,
        "date": published.date().isoformat() if published else None,
        "themes": [m.slug for m in entry.themes],
        "status": entry.fetched.status,
        "reason": entry.fetched.reason or None,
        "path": article.url if article else None,
        "plaquette": entry.plaquette,
        "document": _document_json(article),
        "images": [_image_json(image) for image in entry.images],
    }


def _image_json(image: ImageCopy) -> dict[str, Any]:
    """An image the article shows: the original, what became of it, our copy."""
    return {
        "url": public_url(image.url),
        "status": image.status,
        "reason": image.reason or None,
        "copy": image.fallback[-1][1] if image.ok else None,
        "width": image.width if image.ok else None,
        "height": image.height if image.ok else None,
    }


def _document_json(article: Article | None) -> dict[str, Any] | None:
    """Where the plaquette's document came from and our copy of it (None elsewhere)."""
    document: Document | None = getattr(article, "document", None)
    return document.to_json() if document else None


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write JSON atomically, keys in the order given (the same data, the same bytes)."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    write_atomic(path, text.encode("utf-8"))
