"""Article metadata from the whole page: title, dates, author, description, image, lang.

Sources, best first: JSON-LD, Open Graph / article meta, the site rule's selectors,
``<time datetime>``, then text such as « Publié le 16 août 2018 ».
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from .dates import dates_in_text, parse_any, parse_french, parse_iso
from .dom import HtmlElement, hints, plain_text, text_of
from .rules import Rule
from .sane import valid_tree

logger = logging.getLogger(__name__)

TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s+::\s+|\s+»\s+")
DATE_HINT = re.compile(r"date|time|publi|posted|meta", re.IGNORECASE)
ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportage", "webpage")


@dataclass(frozen=True)
class PageMeta:
    """What the page says about itself, before the body is extracted."""

    title: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    author: str | None = None
    description: str = ""
    image: str | None = None
    lang: str | None = None
    canonical: str | None = None


def page_meta(root: HtmlElement, base: str, rule: Rule) -> PageMeta:
    """Collect metadata from the untouched tree; URLs resolved against ``base``."""
    meta = _meta_tags(root)
    ld = _json_ld(root)
    published, updated = _dates(root, meta, ld, rule)
    image = meta.get("og:image") or meta.get("twitter:image") or _ld_image(ld)
    canonical = _link_href(root, "canonical") or meta.get("og:url")
    return PageMeta(
        title=_title(root, meta),
        published=published,
        updated=updated,
        author=_author(root, meta, ld, rule),
        description=" ".join((meta.get("og:description") or meta.get("description") or "").split()),
        image=_joined(base, image),
        lang=_lang(root, meta),
        canonical=_joined(base, canonical),
    )


def _joined(base: str, href: str | None) -> str | None:
    """``href`` resolved against the page, or None when it is no URL at all."""
    try:
        return urljoin(base, href.strip()) if href else None
    except ValueError:  # « http://[::1 »: a broken IPv6 literal
        logger.debug("ignoring unreadable URL %r", href[:80] if href else href)
        return None


def _meta_tags(root: HtmlElement) -> dict[str, str]:
    """First value of each ``<meta property|name|itemprop>``, keys lower-cased."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        value = el.get("content")
        if key and value and value.strip():
            found.setdefault(key.strip().lower(), value.strip())
    return found


def _json_ld(root: HtmlElement) -> dict:
    """The first JSON-LD object that looks like an article (``@graph`` searched too)."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = valid_tree(json.loads(script.text))  # \ud800 escapes come out here
        except ValueError:
            logger.debug("skipping unreadable JSON-LD block")
            continue
        for item in _ld_items(data):
            kinds = item.get("@type", "")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(str(k).lower() in ARTICLE_TYPES for k in kinds) or "datePublished" in item:
                return item
    return {}


def _ld_items(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _ld_items(item)
    elif isinstance(data, dict):
        yield data
        yield from _ld_items(data.get("@graph", []))


def _ld_image(ld: dict) -> str | None:
    image = ld.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, dict):
        image = image.get("url")
    return image if isinstance(image, str) else None


def _title(root: HtmlElement, meta: dict[str, str]) -> str:
    if meta.get("og:title"):
        return _strip_site(meta["og:title"], meta.get("og:site_name"))
    h1 = root.find(".//body//h1")
    if h1 is not None and text_of(h1):
        return text_of(h1)
    title = root.find(".//title")
    text = text_of(title) if title is not None else ""
    return _strip_site(text, meta.get("og:site_name"), always=True)


def _strip_site(title: str, site: str | None, always: bool = False) -> str:
    """Drop a trailing « | Cerema »-style site name from a title."""
    title = " ".join(title.split())
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    last = parts[-1]
    if (site and last.lower() == site.strip().lower()) or (always and len(last.split()) <= 4):
        return title[: title.rfind(last)].rstrip(" |–—-:»").strip()
    return title


def _dates(
    root: HtmlElement, meta: dict[str, str], ld: dict, rule: Rule
) -> tuple[datetime | None, datetime | None]:
    published = _first_iso(ld.get("datePublished"), meta.get("article:published_time"))
    updated = _first_iso(
        ld.get("dateModified"), meta.get("article:modified_time"), meta.get("og:updated_time")
    )
    if published is None:
        published = _rule_date(root, rule) or _time_element(root)
    if published is None or updated is None:
        body = root.find("body")
        text = plain_text(body) if body is not None else ""
        text_published, text_updated = dates_in_text(text)
        published = published or text_published or _hinted_date(root)
        updated = updated or text_updated
    return published, updated


def _first_iso(*values: object) -> datetime | None:
    for value in values:
        if isinstance(value, str) and (parsed := parse_iso(value)):
            return parsed
    return None


def _rule_date(root: HtmlElement, rule: Rule) -> datetime | None:
    for selector in rule.date:
        for el in selector(root):
            found = parse_any(el.get("datetime") or "") or parse_any(text_of(el))
            if found:
                return found
    return None


def _time_element(root: HtmlElement) -> datetime | None:
    times = [t for t in root.iter("time") if t.get("datetime")]
    times.sort(key=lambda t: t.get("itemprop") != "datePublished")  # stable: keeps page order
    for el in times:
        if found := parse_iso(el.get("datetime", "")):
            return found
    return None


def _hinted_date(root: HtmlElement) -> datetime | None:
    """A French date in a small element whose class or id speaks of dates."""
    for el in root.iter("span", "div", "p", "time", "small", "li"):
        if DATE_HINT.search(hints(el)):
            text = text_of(el)
            if len(text) < 120 and (found := parse_french(text)):
                return found
    return None


def _author(root: HtmlElement, meta: dict[str, str], ld: dict, rule: Rule) -> str | None:
    author = ld.get("author")
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, dict):
        author = author.get("name")
    if isinstance(author, str) and author.strip():
        return " ".join(author.split())
    for selector in rule.author:
        for el in selector(root):
            if text := text_of(el):
                return text
    name = meta.get("author") or meta.get("article:author")
    if name and not name.startswith(("http://", "https://")):
        return name
    link = root.find(".//a[@rel='author']")
    return text_of(link) or None if link is not None else None


def _lang(root: HtmlElement, meta: dict[str, str]) -> str | None:
    lang = (
        root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    ).strip()
    if not lang:
        lang = meta.get("content-language") or meta.get("og:locale", "").replace("_", "-")
    return lang or None


def _link_href(root: HtmlElement, rel: str) -> str | None:
    for link in root.iter("link"):
        if rel in (link.get("rel") or "").lower().split() and link.get("href"):
            return link.get("href")
    return None
