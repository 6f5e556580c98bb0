"""Article metadata from the whole page: title, dates, author, description, image, lang.

Sources, best first: JSON-LD, Open Graph / article meta, the site rule's selectors,
``<time datetime>``, then the visible text. For the publication date the order of
trust is explicit (``PUBLISHED_SOURCES``), the first that gives a sane date wins:

1. metadata: JSON-LD ``datePublished``, then the ``<meta>`` keys of ``PUBLISHED_META``
   (``article:published_time``, ``itemprop=datePublished``, ``pubdate``…), ISO values
   before RFC 2822 or written ones;
2. the site rule's ``date`` selectors;
3. ``<time datetime>`` (``itemprop=datePublished`` first);
4. the visible text: a labelled date anywhere (« Publié le 16 août 2018 »), then the
   first date just after the title's ``<h1>`` (or just before it: ``neartitle``), then
   a date in a small element named for dates or bylines;
5. the vague ``<meta>`` keys (``date``, ``dc.date``: on some sites the last change or
   the day of the crawl, see ``VAGUE_DATE_META``);
6. the page's URL, when its path spells out a whole day (``/2023/09/12/``).

Without any of them the article has no date of its own (it is then placed by its
fetch time, downstream).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from ..sane import valid_tree
from ..urls import absolute
from .dates import dates_in_text, parse_any, parse_iso, parse_stamp, url_date, written_date
from .dom import HtmlElement, hints, plain_text, text_of
from .neartitle import date_near_title
from .rules import Rule

logger = logging.getLogger(__name__)

TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s+::\s+|\s+»\s+")
DATE_HINT = re.compile(r"date|time|publi|posted|meta", re.IGNORECASE)
TITLE_KEYS = ("dc:title", "dcterm:title", "og:title", "twitter:title", "parsely-title")
DESCRIPTION_KEYS = (
    "dc:description",
    "dcterm:description",
    "og:description",
    "description",
    "twitter:description",
)
AUTHOR_KEYS = (
    "dc:creator",
    "dcterm:creator",
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
)
# <meta> keys (lower-cased) that carry the publication date, most specific first.
PUBLISHED_META = (
    "article:published_time",
    "article:published",
    "datepublished",
    "og:published_time",
    "og:pubdate",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "citation_publication_date",
)
# Keys that name a date without saying which: some sites put the publication there,
# others the last change or the day of the crawl. Read after the visible text.
VAGUE_DATE_META = ("dc.date", "dcterms.date", "date")
BYLINE_HINT = re.compile(r"byline|author|writtenby|p-author|auteur|signature", re.I)
NOT_BYLINE = re.compile(r"bio|avatar|image|photo|picture|thumb|about|desc|box|follow|more", re.I)
BYLINE_LEAD = re.compile(r"^(?:(?:written|posted)\s+)?(?:by|par|von|por|de)\b\s*:?\s*", re.I)
MAX_BYLINE = 80
DIGIT = re.compile(r"\d")
CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
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


@dataclass(frozen=True)
class _Page:
    """What the date sources read: the tree, its meta tags and JSON-LD, the rule."""

    root: HtmlElement
    meta: dict[str, str]
    ld: dict
    rule: Rule
    title: str
    lang: str | None
    url: str | None

    @cached_property
    def text(self) -> str:
        """The body's plain text, for labelled dates (read only when needed)."""
        body = self.root.find("body")
        return plain_text(body) if body is not None else ""


def page_meta(root: HtmlElement, base: str, rule: Rule, url: str | None = None) -> PageMeta:
    """Collect metadata from the untouched tree; URLs resolved against ``base``;
    ``url`` is the page's own address (its path may hold its date)."""
    meta = _meta_tags(root)
    ld = _json_ld(root)
    title, lang = _title(root, meta, ld), _lang(root, meta)
    canonical = absolute(base, _link_href(root, "canonical") or meta.get("og:url"))
    page = _Page(root, meta, ld, rule, title, lang, url or canonical)
    image = meta.get("og:image") or meta.get("twitter:image") or _ld_image(ld)
    return PageMeta(
        title=title,
        published=published_date(page),
        updated=_updated(page),
        author=_author(root, meta, ld, rule),
        description=_description(meta, ld),
        image=absolute(base, image),
        lang=lang,
        canonical=canonical,
    )


def _description(meta: dict[str, str], ld: dict) -> str:
    found = ld.get("description")
    if not (isinstance(found, str) and found.strip()):
        found = next((meta[key] for key in DESCRIPTION_KEYS if meta.get(key)), "")
    return " ".join(found.split())


def _meta_tags(root: HtmlElement) -> dict[str, str]:
    """First value of each ``<meta property|name|itemprop>``, keys lower-cased."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        keys = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        value = el.get("content")
        if keys and value and value.strip():
            for key in keys.lower().split():  # « dc:title og:title » names both
                found.setdefault(key, value.strip())
    return found


def _json_ld(root: HtmlElement) -> dict:
    """The first JSON-LD object that looks like an article (``@graph`` searched too)."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = valid_tree(
                json.loads(CDATA.sub("", script.text))
            )  # \ud800 escapes come out here
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


def _title(root: HtmlElement, meta: dict[str, str], ld: dict) -> str:
    """The article's own title: metadata first, else the ``<h1>`` that ``<title>`` repeats,
    else ``<title>``; a site-name suffix is dropped."""
    site = meta.get("og:site_name")
    declared = next(_title_candidates(meta, ld), None)
    if declared:
        return _strip_site(declared, site)
    element = root.find(".//title")
    page_title = " ".join(text_of(element).split()) if element is not None else ""
    headings = [text_of(h) for h in root.iterfind(".//body//h1")]
    for heading in headings:
        if heading and page_title.lower().startswith(heading.lower()):
            return heading
    if page_title:
        return _strip_site(page_title, site, always=True)
    return next((h for h in headings if h), "")


def _title_candidates(meta: dict[str, str], ld: dict) -> Iterator[str]:
    for value in (ld.get("headline"), ld.get("name")):
        if isinstance(value, str) and value.strip():
            yield value
    for key in TITLE_KEYS:
        if meta.get(key):
            yield meta[key]


def _strip_site(title: str, site: str | None, always: bool = False) -> str:
    """Drop a trailing « | Cerema »-style site name from a title.

    The last part goes when it names the site (``og:site_name``, or its first words),
    or, with ``always``, when it is short and what remains keeps three words or more.
    """
    title = " ".join(title.split())
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    last = parts[-1]
    head = title[: title.rfind(last)].rstrip(" |–—-:»").strip()
    if site and _names_site(last, site):
        return head
    if always and len(last.split()) <= 4 and len(head.split()) >= 3:
        return head
    return title


def _names_site(part: str, site: str) -> bool:
    part, site = part.strip().lower(), " ".join(site.split()).lower()
    return part == site or site.startswith(part + " ")


def _metadata_date(page: _Page) -> datetime | None:
    """JSON-LD, then the publication keys of <meta> in PUBLISHED_META's order."""
    return _first_stamp([page.ld.get("datePublished"), *_meta_values(page, PUBLISHED_META)])


def _vague_metadata_date(page: _Page) -> datetime | None:
    return _first_stamp(_meta_values(page, VAGUE_DATE_META))


def _meta_values(page: _Page, keys: tuple[str, ...]) -> list[str | None]:
    return [page.meta.get(key) for key in keys]


def _first_stamp(values: list[object]) -> datetime | None:
    """The first ISO value, else the first that reads as RFC 2822 or a written date."""
    found = _first_iso(*values)
    if found is None:
        found = next((d for v in values if isinstance(v, str) and (d := parse_stamp(v))), None)
    return found


def _labelled_date(page: _Page) -> datetime | None:
    return dates_in_text(page.text)[0]


def _near_title_date(page: _Page) -> datetime | None:
    body = page.root.find("body")
    return date_near_title(body, page.title, page.lang) if body is not None else None


PUBLISHED_SOURCES: tuple[Callable[[_Page], datetime | None], ...] = (
    _metadata_date,
    lambda page: _rule_date(page.root, page.rule),
    lambda page: _time_element(page.root),
    _labelled_date,
    _near_title_date,
    lambda page: _hinted_date(page.root, page.lang),
    _vague_metadata_date,
    lambda page: url_date(page.url),
)


def published_date(page: _Page) -> datetime | None:
    """The first sane date of ``PUBLISHED_SOURCES``, in their order of trust."""
    return next((found for source in PUBLISHED_SOURCES if (found := source(page))), None)


def _updated(page: _Page) -> datetime | None:
    found = _first_iso(
        page.ld.get("dateModified"),
        page.meta.get("article:modified_time"),
        page.meta.get("og:updated_time"),
    )
    return found or dates_in_text(page.text)[1]


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


def _hinted_date(root: HtmlElement, lang: str | None) -> datetime | None:
    """A date written in a small element whose class or id speaks of dates."""
    for el in root.iter("span", "div", "p", "time", "small", "li"):
        if DATE_HINT.search(hints(el)):
            text = text_of(el)
            if len(text) < 120 and (found := written_date(text, lang)):
                return found[0]
    return None


def _author(root: HtmlElement, meta: dict[str, str], ld: dict, rule: Rule) -> str | None:
    found = _ld_author(ld.get("author"))
    if found:
        return found
    for selector in rule.author:
        for el in selector(root):
            if text := text_of(el):
                return text
    for key in AUTHOR_KEYS:
        name = meta.get(key)
        if name and not name.startswith(("http://", "https://")):
            return _byline(name)
    return _visible_byline(root)


def _ld_author(author: object) -> str | None:
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, dict):
        author = author.get("name")
    if isinstance(author, str) and author.strip():
        return " ".join(author.split())
    return None


def _visible_byline(root: HtmlElement) -> str | None:
    """The first short byline in the page: ``rel=author``, ``itemprop=author``, or an
    element whose class or id says byline/author (a biography box is not one)."""
    body = root.find("body")
    for el in body.iter() if body is not None else ():
        if not isinstance(el.tag, str) or not _is_byline(el):
            continue
        named = el.find(".//*[@itemprop='name']")
        text = _byline(text_of(named if named is not None else el))
        words = text.split()
        if len(text) <= MAX_BYLINE and any(len(w) > 1 for w in words) and not DIGIT.search(text):
            return text
    return None


def _is_byline(el: HtmlElement) -> bool:
    if "author" in (el.get("rel") or "").lower().split():
        return True
    if "author" in (el.get("itemprop") or "").lower().split():
        return True
    hint = hints(el)
    return bool(hint and BYLINE_HINT.search(hint) and not NOT_BYLINE.search(hint))


def _byline(text: str) -> str:
    """« Par Jeanne Martin, » → « Jeanne Martin »."""
    text = BYLINE_LEAD.sub("", " ".join(text.split()))
    return text.strip(" ,;|:-–—")


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
