"""Jinja filters the theme uses, registered by the plugin (French, no OS locale)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import pass_context
from markupsafe import Markup

from ..clean.sanitize import sanitize
from ..fetch.reasons import reason_fr
from ..model import PARIS
from ..urls import web_url
from .docview import cover, reading
from .feeds import feed_paths, site_base, source_name
from .imageview import card_picture
from .picture import Figure, theme_bars, theme_pairs
from .timeline import timeline
from .typo import NBSP, typo_fr

LOCALE = "fr_FR"
PDF_TYPE = "application/pdf"


@lru_cache(maxsize=4096)  # every card and page asks again for the same few dates
def date_fr(value: date | datetime | None, form: str = "long") -> str:
    """« 16 août 2018 », unbreakable (no-break spaces): a French date, whatever the locale."""
    if value is None:
        return ""
    return format_date(value, format=form, locale=LOCALE).replace(" ", NBSP)


def datetime_fr(value: datetime | None) -> str:
    """« 2 juin 2025 à 10:00 », in Paris time."""
    if value is None:
        return ""
    text = format_datetime(value, "d MMMM y 'à' HH:mm", tzinfo=PARIS, locale=LOCALE)
    return text.replace(" ", NBSP)


def date_iso(value: date | datetime | None) -> str:
    """The calendar date for a ``<time datetime>`` attribute (« 2018-08-16 »)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(PARIS) if value.tzinfo else value
        return value.date().isoformat()
    return value.isoformat()


def filesize_fr(size: int | None) -> str:
    """« 2,3 Mo », « 48 ko », « 512 octets »; empty when unknown."""
    if size is None or size < 0:
        return ""
    if size < 1000:
        return f"{size} octet" + ("s" if size > 1 else "")
    if size < 1_000_000:
        return f"{format_decimal(round(size / 1000), locale=LOCALE)} ko"
    return f"{format_decimal(size / 1_000_000, format='#,##0.#', locale=LOCALE)} Mo"


def number_fr(value: float, form: str = "#,##0.#") -> str:
    """A number written the French way (« 3,2 »)."""
    return format_decimal(value, format=form, locale=LOCALE)


def plural_fr(count: int, singular: str, plural: str) -> str:
    """« 1 article », « 10 000 articles »; French keeps 0 and 1 singular."""
    return f"{number_fr(count, '#,##0')} {singular if abs(count) < 2 else plural}"


def theme_index(dossier: Any) -> dict[str, Any]:
    """Slug → Theme for the dossier's taxonomy; empty when the dossier is missing."""
    themes = getattr(dossier, "themes", None) or ()
    return {item.theme.slug: item.theme for item in themes}


def theme_label(slug: str, dossier: Any) -> str:
    """The theme's French label, or the slug itself when the taxonomy is unknown."""
    theme = theme_index(dossier).get(str(slug))
    return theme.label if theme else str(slug)


def theme_slugs(tags: Iterable[Any] | None) -> str:
    """Space-separated theme slugs of an article, for its ``data-themes`` attribute."""
    return " ".join(str(getattr(tag, "slug", tag)) for tag in tags or ())


def dated_first(articles: Iterable[Any] | None) -> list[Any]:
    """The articles in their order, those without a date of their own last: their
    Pelican date is the fetch's, which would put them first among the newest."""
    return sorted(articles or (), key=lambda article: not getattr(article, "dated", True))


def pdf_of(article: Any) -> Any:
    """The article's first PDF attachment, or None."""
    for attachment in getattr(article, "attachments", None) or ():
        media = (attachment.media_type or "").split(";", 1)[0].strip().lower()
        if media == PDF_TYPE or urlsplit(attachment.url).path.lower().endswith(".pdf"):
            return attachment
    return None


def origin(url: str | None) -> str:
    """``scheme://host[:port]`` rebuilt from the strict parse (« https://www.cerema.fr »),
    for the security policy; '' for anything that is not a plain http(s) address."""
    parsed = web_url(url)
    return parsed.origin if parsed else ""


def article_html(content: str | None, siteurl: str = "") -> Markup:
    """The one way fetched HTML enters a page unescaped: through the sanitiser again,
    whatever path (derived cache, older build) it came by; its images are our own files,
    put under SITEURL (relative in a local build)."""
    return Markup(sanitize(content or "", site=str(siteurl or "")))


def thumbnail(image: Any, siteurl: str) -> Markup:
    """A hub card's small image of the article's lead image (see imageview)."""
    return card_picture(image, str(siteurl or "").rstrip("/")) if image else Markup("")


def site_url(url: str | None, siteurl: str) -> str:
    """A URL as a page links it: our own files (a site path, no scheme) under SITEURL."""
    url = url or ""
    return url if urlsplit(url).scheme else f"{str(siteurl or '').rstrip('/')}/{url}"


def document_pages(document: Any, siteurl: str, title: str = "") -> Any:
    """Every page of the plaquette's document with its text (see docview.reading)."""
    return reading(document, str(siteurl or "").rstrip("/"), title) if document else ""


def cover_picture(document: Any, siteurl: str, title: str = "") -> Any:
    """The document's cover as a sized, responsive <picture> (see docview)."""
    return cover(document, str(siteurl or "").rstrip("/"), title)


@pass_context
def theme_url(context: Any, slug: str) -> str:
    """Absolute URL of a theme's page: TAG_URL under SITEURL."""
    return f"{context['SITEURL']}/{context['TAG_URL'].format(slug=slug)}"


@pass_context
def bars(context: Any, dossier: Any) -> Figure | None:
    """Articles per theme as bars, each a link to its theme's page (see picture)."""
    return theme_bars(dossier, lambda slug: theme_url(context, slug))


def dossier_timeline(articles: Any, siteurl: str, dossier: Any = None) -> Figure | None:
    """The articles year by year, each mark a link to its page, striped with the
    colours of its themes (see timeline)."""
    return timeline(articles or (), siteurl, dossier)


@pass_context
def feed_url(context: Any, name: str, slug: str = "") -> str:
    """Absolute URL of a feed named by its setting (``HUB_FEED_ATOM``, ``THEME_FEED_RSS``…)."""
    path = feed_paths(context)[name].format(slug=slug)
    return f"{site_base(context)}/{path}"


FILTERS: dict[str, Any] = {
    "typo_fr": typo_fr,
    "date_fr": date_fr,
    "datetime_fr": datetime_fr,
    "date_iso": date_iso,
    "filesize_fr": filesize_fr,
    "number_fr": number_fr,
    "plural_fr": plural_fr,
    "theme_index": theme_index,
    "theme_label": theme_label,
    "theme_slugs": theme_slugs,
    "dated_first": dated_first,
    "pdf_of": pdf_of,
    "source_name": source_name,
    "reason_fr": reason_fr,
    "origin": origin,
    "article_html": article_html,
    "theme_bars": bars,
    "theme_pairs": theme_pairs,
    "timeline": dossier_timeline,
    "thumbnail": thumbnail,
    "feed_url": feed_url,
    "theme_url": theme_url,
    "cover_picture": cover_picture,
    "document_pages": document_pages,
    "site_url": site_url,
}
