"""Feeds people can subscribe to: the whole dossier and each theme, Atom, RSS and OPML.

Pelican's own feeds are switched off (pelicanconf.py) because they cannot give
what readers need here. An entry's id is ``urn:uuid:`` + uuid5 of its canonical
source URL, normalised with ``urls.url_key`` (never the build time, the output
host or a slug), so a reader never shows an article twice after a rebuild or a
move. A theme's feed gives the article an id of its own, derived from that one and
the theme (``scoped_id``): readers such as newsboat keep one item per id across all
the feeds they follow, so a shared id would leave the article in only one of them.
An entry's author is the article's, else its source as the site names it (« Cerema »);
a feed's author is the site. An entry's ``updated`` moves only when the cleaned
content changes: a small JSON state file in the dossier cache maps each id to a content
hash and the ``updated`` given. A feed's date is its newest entry's, so the same content gives
the same bytes; an empty feed takes the newest date known (``fallback_date``).
``feedxml`` writes the documents (with lxml; its docstring says why).
"""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import nh3

from ..atomic import write_atomic
from ..clean.sanitize import URL_SCHEMES, drop_empty_images, own_image
from ..model import EPOCH
from ..settings import Settings
from ..urls import host_of, public_url, url_key
from .docview import reading
from .feedxml import (
    Enclosure,
    FeedEntry,
    FeedInfo,
    atom_feed,
    feed_text,
    opml,
    rfc3339,
    rss_feed,
    uri,
    xml_text,
)
from .typo import typo_fr

logger = logging.getLogger(__name__)

STATE_FILE = "feeds-state.json"
STATE_VERSION = 1
# Where the files go under OUTPUT_PATH; templates read the same settings to link them.
PATHS = {
    "HUB_FEED_ATOM": "feeds/all.atom.xml",
    "HUB_FEED_RSS": "feeds/all.rss.xml",
    "THEME_FEED_ATOM": "feeds/themes/{slug}.atom.xml",
    "THEME_FEED_RSS": "feeds/themes/{slug}.rss.xml",
    "HUB_FEED_OPML": "feeds/dossier.opml",
}
THEMES_GROUP = "Thèmes du dossier"

State = dict[str, dict[str, str]]
Theme = tuple[str, str, str]  # slug, label, description
Planned = tuple[FeedInfo, str, str]  # the feed, its Atom and RSS paths under OUTPUT_PATH


def entry_id(canonical_url: str) -> str:
    """A stable id: uuid5 of the normalised canonical source URL."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url_key(canonical_url))}"


def scoped_id(article_id: str, scope: str) -> str:
    """The id of an article in one scoped feed (a theme's): uuid5 of the scope in its id."""
    namespace = uuid.UUID(article_id.removeprefix("urn:uuid:"))
    return f"urn:uuid:{uuid.uuid5(namespace, f'feed-{scope}')}"


# Readers know the publisher by its name, not by its host.
SOURCE_NAMES = {"cerema.fr": "Cerema"}


def source_name(host: str | None) -> str:
    """« Cerema » for www.cerema.fr; any other host is shown as is."""
    host = (host or "").lower()
    for domain, name in SOURCE_NAMES.items():
        if host == domain or host.endswith("." + domain):
            return name
    return host


def source_of(article: Any) -> str:
    """Who published the original, as the site shows it (« Cerema »), else its host."""
    host = getattr(article, "source_host", None) or host_of(
        getattr(article, "canonical_url", None) or getattr(article, "source_url", None) or ""
    )
    return xml_text(source_name(host)).strip()


def feed_id(start_url: str, name: str) -> str:
    """A stable feed id, from the dossier's start URL and the feed's name."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{url_key(start_url)}#feed-{name}')}"


def body_of(article: Any, base: str, *, as_cleaned: bool = False) -> str:
    """What a feed entry carries: the article, and for the plaquette its pages' text.
    ``as_cleaned``: the body before our typography (``cleaned_body``), for the hash that
    says whether the article changed: a new rendering of ours is no change of its text."""
    document = getattr(article, "document", None)
    pages = reading(document, base, article.title, not as_cleaned) if document else ""
    content = getattr(article, "cleaned_body", None) if as_cleaned else None
    return (content if content is not None else article.content) + str(pages)


def feed_html(content: str, base: str, site: str = "") -> str:
    """The sanitised article HTML for a feed: sanitised again, every link absolute and
    through the scheme allowlist (urls.public_url; mailto only in links). Our own images
    (site paths, ``images/<hash>.jpg``) point under the feed's ``site`` address, as
    plain <img> of their fallback (readers do not all know <picture>); any other image
    is dropped, never hot-linked."""

    def absolutise(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src":
            return _feed_image(value, site)
        if attribute not in ("href", "src"):
            return value
        return public_url(urljoin(base, value.strip()), mailto=attribute == "href")

    cleaned = nh3.clean(xml_text(content), attribute_filter=absolutise, url_schemes=URL_SCHEMES)
    return xml_text(drop_empty_images(cleaned)).strip()


def _feed_image(value: str, site: str) -> str | None:
    """An image address in a feed: ours (a site path, or already under ``site``) or none."""
    if not site:
        return None
    value = value.strip()
    own = own_image(value, site)
    if own is not None:
        return public_url(own)
    return public_url(value) if value.startswith(site.rstrip("/") + "/") else None


def content_hash(title: str, content: str) -> str:
    """The hash that decides whether an article really changed."""
    text = f"{xml_text(title).strip()}\n{xml_text(content).strip()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _aware(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=zone)


def _enclosures(attachments: Iterable[Any], base: str) -> tuple[Enclosure, ...]:
    found = []
    for item in attachments:  # our own files are site paths: under the feed's base
        url = public_url(item.url if urlsplit(item.url).scheme else f"{base}/{item.url}")
        if url is None:
            continue
        media_type = xml_text(item.media_type) or mimetypes.guess_type(urlsplit(item.url).path)[0]
        size = item.size if item.size and item.size > 0 else None
        found.append(Enclosure(uri(url), media_type or "application/octet-stream", size))
    return tuple(sorted(found, key=lambda e: e.media_type != "application/pdf"))


def make_entry(
    article: Any, base: str, labels: dict[str, str], zone: ZoneInfo, full: bool = True
) -> FeedEntry:
    """A feed entry for one published article; ``updated`` is still the source's."""
    link = f"{base}/{article.url}"
    canonical = public_url(getattr(article, "canonical_url", None)) or public_url(
        getattr(article, "source_url", None)
    )
    published = _aware(getattr(article, "published", None) or article.date, zone) or EPOCH
    source_updated = _aware(getattr(article, "updated", None), zone) or published
    author = feed_text(getattr(article, "source_author", None)).strip() or source_of(article)
    return FeedEntry(
        id=entry_id(canonical or link),
        title=typo_fr(feed_text(article.title).strip()),
        link=uri(link),
        source=uri(canonical or link),
        published=published,
        updated=max(published, source_updated),
        summary=typo_fr(feed_text(getattr(article, "metadata", {}).get("summary")).strip()),
        content=feed_html(body_of(article, base), canonical or link, base) if full else "",
        author=author or None,
        categories=tuple((t.name, feed_text(labels.get(t.name, t.name))) for t in article.tags),
        enclosures=_enclosures(getattr(article, "attachments", None) or (), base),
    )


def load_state(path: Path) -> State:
    """The stored hash and ``updated`` per entry id; empty when missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logger.warning("feeds: ignoring unreadable state file %s: %s", path, exc)
        return {}
    entries = data.get("entries") if isinstance(data, dict) else None
    return entries if isinstance(entries, dict) else {}


def save_state(path: Path, state: State) -> None:
    """Write the state atomically, sorted, only when it changed."""
    text = json.dumps({"version": STATE_VERSION, "entries": state}, indent=1, sort_keys=True)
    try:
        if path.exists() and path.read_text(encoding="utf-8") == text + "\n":
            return
        write_atomic(path, (text + "\n").encode("utf-8"))
    except OSError as exc:  # a read-only cache (offline build): the feeds are still written
        logger.warning("feeds: state not saved in DOSSIER_CACHE_PATH (%s): %s", path, exc)


def next_updated(
    digest: str, initial: datetime, changed_at: datetime | None, stored: dict[str, str] | None
) -> datetime:
    """An entry's ``updated``: kept while its hash holds, moved to ``changed_at`` when not."""
    if not stored or "updated" not in stored:
        return initial
    try:
        previous = datetime.fromisoformat(stored["updated"].replace("Z", "+00:00"))
    except ValueError:
        return initial
    if stored.get("hash") == digest:
        return previous
    return max(previous, changed_at or initial, initial)


def apply_state(pairs: list[tuple[FeedEntry, Any]], state: State) -> tuple[list[FeedEntry], State]:
    """Entries with their lasting ``updated``, and the state to store next."""
    new_state = dict(state)  # ids not in this build keep their record
    result = []
    for entry, article in pairs:
        digest = content_hash(article.title, body_of(article, "", as_cleaned=True))
        changed_at = _aware(getattr(article, "fetched_at", None), ZoneInfo("UTC"))
        updated = next_updated(digest, entry.updated, changed_at, state.get(entry.id))
        new_state[entry.id] = {"hash": digest, "updated": rfc3339(updated)}
        result.append(replace(entry, updated=updated.replace(microsecond=0)))
    return result, dict(sorted(new_state.items()))


def theme_list(hub: Any, articles: list[Any]) -> list[Theme]:
    """(slug, label, description) for every theme of the taxonomy, then stray tags."""
    themes = [(t.slug, t.theme.label, t.theme.description) for t in hub.themes] if hub else []
    known = {slug for slug, _, _ in themes}
    stray = sorted({t.name for a in articles for t in a.tags} - known)
    return themes + [(slug, slug, "") for slug in stray]


def site_base(settings: dict[str, Any]) -> str:
    """The URL feed links start with: FEED_DOMAIN, else SITEURL (relative in a page of a
    site built with RELATIVE_URLS)."""
    return str(settings.get("FEED_DOMAIN") or settings.get("SITEURL") or "").rstrip("/")


def feed_base(settings: dict[str, Any]) -> str:
    """The absolute URL inside the feed files: ``site_base``; for a local build with
    relative URLs and no address, where `make serve` serves it (http://BIND:PORT)."""
    base = site_base(settings)
    if urlsplit(base).scheme or not settings.get("RELATIVE_URLS"):
        return base
    host = settings.get("BIND") or "127.0.0.1"
    return f"http://{host}:{settings.get('PORT') or 8000}"


def feed_paths(settings: dict[str, Any]) -> dict[str, str]:
    """Output paths of the feeds: the settings of ``PATHS`` over their defaults."""
    return {name: settings.get(name) or default for name, default in PATHS.items()}


def _feed(ident: str, title: str, subtitle: str, urls: tuple[str, ...], **kw: Any) -> FeedInfo:
    newest_first = sorted(kw["entries"], key=lambda e: (-e.published.timestamp(), e.id))
    entries = newest_first[: kw["limit"]]  # FEED_MAX_ITEMS; None keeps them all
    return FeedInfo(
        id=ident,
        title=feed_text(title).strip(),
        subtitle=feed_text(subtitle).strip(),
        page=uri(urls[0]),
        atom=uri(urls[1]),
        rss=uri(urls[2]),
        author=feed_text(kw["author"]),
        updated=max((e.updated for e in entries), default=kw["fallback"]),
        entries=tuple(entries),
    )


def fallback_date(
    entries: list[FeedEntry], last_fetched: datetime | None = None, state: State | None = None
) -> datetime:
    """The date of a feed without entries: the newest entry's, else the dossier's last fetch,
    else the newest ``updated`` the state remembers, else now (nothing else is known)."""
    if entries:
        return max(e.updated for e in entries)
    if last_fetched is not None:
        return _aware(last_fetched, ZoneInfo("UTC")).replace(microsecond=0)
    remembered = [_parse_date(r.get("updated", "")) for r in (state or {}).values()]
    known = [d for d in remembered if d is not None]
    return max(known) if known else datetime.now(UTC).replace(microsecond=0)


def _parse_date(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def build_feeds(
    themes: list[Theme],
    settings: dict[str, Any],
    entries: list[FeedEntry],
    start: str,
    fallback: datetime | None = None,
) -> list[Planned]:
    """The dossier's feed first, then one per theme in taxonomy order (empty ones too)."""
    base, paths = feed_base(settings), feed_paths(settings)
    sitename = settings.get("SITENAME") or "Dossier"
    common = {
        "author": sitename,
        "fallback": fallback or fallback_date(entries),
        "limit": settings.get("FEED_MAX_ITEMS"),
    }
    files = (paths["HUB_FEED_ATOM"], paths["HUB_FEED_RSS"])
    urls = (f"{base}/", *(f"{base}/{f}" for f in files))
    subtitle = settings.get("SITESUBTITLE") or ""
    planned = [
        (_feed(feed_id(start, "all"), sitename, subtitle, urls, entries=entries, **common), *files)
    ]
    for slug, label, description in themes:
        files = (
            paths["THEME_FEED_ATOM"].format(slug=slug),
            paths["THEME_FEED_RSS"].format(slug=slug),
        )
        page = settings.get("TAG_URL", "tag/{slug}.html").format(slug=slug)
        urls = (f"{base}/{page}", *(f"{base}/{f}" for f in files))
        mine = [
            replace(e, id=scoped_id(e.id, slug))
            for e in entries
            if any(s == slug for s, _ in e.categories)
        ]
        title = f"{sitename} — {label}"
        feed = _feed(feed_id(start, slug), title, description, urls, entries=mine, **common)
        planned.append((feed, *files))
    return planned


def write_feeds(
    context: dict[str, Any], settings: dict[str, Any], output: Path, dossier: Settings
) -> list[Path]:
    """Write every Atom and RSS feed and the OPML list; return the files written."""
    base = feed_base(settings)
    if urlsplit(base).scheme not in ("http", "https"):
        logger.error("feeds: SITEURL or FEED_DOMAIN must be an absolute URL, not %r", base)
        return []
    articles = [a for a in context.get("articles", []) if getattr(a, "source_url", None)]
    themes = theme_list(context.get("dossier"), articles)
    labels = {slug: label for slug, label, _ in themes}
    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    full = dossier.feed_content == "full"
    pairs = [(make_entry(a, base, labels, zone, full), a) for a in articles]
    state_path = dossier.cache_path / STATE_FILE
    entries, state = apply_state(pairs, load_state(state_path))
    save_state(state_path, state)
    last_fetched = getattr(context.get("dossier"), "last_fetched", None)
    fallback = fallback_date(entries, last_fetched, state)
    planned = build_feeds(themes, settings, entries, dossier.start_url, fallback)
    written = []
    for feed, atom_path, rss_path in planned:
        written.append(write_atomic(output / atom_path, atom_feed(feed)))
        written.append(write_atomic(output / rss_path, rss_feed(feed)))
    title = f"{settings.get('SITENAME') or 'Dossier'} : les flux"
    owner = str(settings.get("AUTHOR") or "")
    document = opml([p[0] for p in planned], title, owner, THEMES_GROUP)
    written.append(write_atomic(output / feed_paths(settings)["HUB_FEED_OPML"], document))
    logger.info("feeds: %d files, %d entries", len(written), len(entries))
    return written
