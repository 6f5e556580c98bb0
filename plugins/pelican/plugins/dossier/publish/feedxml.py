"""Serialise feeds: Atom 1.0, RSS 2.0 and OPML 2.0 from plain data, with lxml.

lxml rather than feedgenerator (a Pelican dependency): we need Atom category
labels, ``xml:lang``, ``rel="related"`` links, enclosures with their length and
a feed date taken from the entries, which feedgenerator does not expose without
subclassing; lxml also refuses XML-illegal text instead of writing a broken file,
and serialises the same tree to the same bytes. Nothing here reads a clock.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import quote

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OPML_DOCS = "http://opml.org/spec2.opml"
LANG = "fr"

# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates,
# U+FFFE/U+FFFF) plus DEL and the C1 controls, which are legal but never text.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_URI_SAFE = ":/?#[]@!$&'()*+,;=%~"
# A '<' that an HTML parser would read as the start of a tag, comment or declaration.
_TAG = re.compile(r"<([A-Za-z/!?][^<>]*)>")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


@dataclass(frozen=True)
class Enclosure:
    """A document attached to an entry (the plaquette's PDF)."""

    url: str
    media_type: str
    length: int | None


@dataclass(frozen=True)
class FeedEntry:
    """One article as every feed format shows it; texts already XML-safe."""

    id: str
    title: str
    link: str  # our page
    source: str  # the original page
    published: datetime
    updated: datetime
    summary: str  # plain text
    content: str  # sanitised HTML, or "" when feeds carry summaries only
    author: str | None
    categories: tuple[tuple[str, str], ...]  # (slug, label)
    enclosures: tuple[Enclosure, ...] = ()


@dataclass(frozen=True)
class FeedInfo:
    """One feed: its identity, links and its entries in the order shown."""

    id: str
    title: str
    subtitle: str
    page: str
    atom: str
    rss: str
    author: str
    updated: datetime
    entries: tuple[FeedEntry, ...]


def xml_text(text: str | None) -> str:
    """Text without the characters that would make an XML document invalid."""
    return _ILLEGAL.sub("", text or "")


def feed_text(text: str | None) -> str:
    """A plain-text field (title, summary, author, label): XML-safe, and with no tag in it
    for the readers that render RSS titles as HTML: ``<b>`` is written ``‹b›``."""
    text = _TAG.sub("‹\\1›", xml_text(text))
    return _TAG_START.sub("‹", text)


def uri(url: str) -> str:
    """A URL safe for a feed: illegal characters dropped, spaces and non-ASCII escaped."""
    return quote(xml_text(url).strip(), safe=_URI_SAFE)


def rfc3339(moment: datetime) -> str:
    """An Atom date: UTC to the second, with 'Z'."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc822(moment: datetime) -> str:
    """An RSS date in GMT, with English names whatever the locale."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _el(parent: etree._Element, tag: str, body: str | None = None, **attrib: str | None):
    """A child element; ``body`` is its text (OPML needs an attribute named ``text``)."""
    element = etree.SubElement(parent, tag, {k: v for k, v in attrib.items() if v is not None})
    if body is not None:
        element.text = body
    return element


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def atom_feed(feed: FeedInfo) -> bytes:
    """The feed as an Atom 1.0 document."""
    a = f"{{{ATOM}}}"
    root = etree.Element(a + "feed", nsmap={None: ATOM})
    root.set(XML_LANG, LANG)
    _el(root, a + "id", feed.id)
    _el(root, a + "title", feed.title, type="text")
    if feed.subtitle:
        _el(root, a + "subtitle", feed.subtitle, type="text")
    _el(root, a + "updated", rfc3339(feed.updated))
    _el(_el(root, a + "author"), a + "name", feed.author)
    _el(root, a + "link", rel="self", type="application/atom+xml", href=feed.atom)
    _el(root, a + "link", rel="alternate", type="text/html", href=feed.page)
    for entry in feed.entries:
        _atom_entry(_el(root, a + "entry"), entry)
    return _serialise(root)


def _atom_entry(node: etree._Element, entry: FeedEntry) -> None:
    a = f"{{{ATOM}}}"
    _el(node, a + "id", entry.id)
    _el(node, a + "title", entry.title, type="text")
    _el(node, a + "published", rfc3339(entry.published))
    _el(node, a + "updated", rfc3339(entry.updated))
    if entry.author:
        _el(_el(node, a + "author"), a + "name", entry.author)
    _el(node, a + "link", rel="alternate", type="text/html", href=entry.link)
    _el(node, a + "link", rel="related", type="text/html", href=entry.source)
    for enc in entry.enclosures:
        length = str(enc.length) if enc.length else None
        _el(node, a + "link", rel="enclosure", type=enc.media_type, length=length, href=enc.url)
    for slug, label in entry.categories:
        _el(node, a + "category", term=slug, label=label)
    if entry.summary:
        _el(node, a + "summary", entry.summary, type="text")
    if entry.content:
        _el(node, a + "content", entry.content, type="html")


def rss_feed(feed: FeedInfo) -> bytes:
    """The feed as an RSS 2.0 document (with the content and dc modules)."""
    root = etree.Element("rss", version="2.0", nsmap={"atom": ATOM, "content": CONTENT, "dc": DC})
    channel = _el(root, "channel")
    _el(channel, "title", feed.title)
    _el(channel, "link", feed.page)
    _el(channel, "description", feed.subtitle or feed.title)
    _el(channel, "language", LANG)
    _el(channel, "lastBuildDate", rfc822(feed.updated))
    _el(channel, f"{{{ATOM}}}link", rel="self", type="application/rss+xml", href=feed.rss)
    for entry in feed.entries:
        _rss_item(_el(channel, "item"), entry)
    return _serialise(root)


def _rss_item(item: etree._Element, entry: FeedEntry) -> None:
    _el(item, "title", entry.title)
    _el(item, "link", entry.link)
    _el(item, "guid", entry.id, isPermaLink="false")
    _el(item, "pubDate", rfc822(entry.published))
    if entry.author:  # RSS <author> wants an e-mail address; a name goes in dc:creator
        _el(item, f"{{{DC}}}creator", entry.author)
    for _slug, label in entry.categories:
        _el(item, "category", label)
    _el(item, "description", html.escape(entry.summary) if entry.summary else entry.content)
    if entry.content:
        _el(item, f"{{{CONTENT}}}encoded", entry.content)
    if entry.enclosures:  # one per item, as readers expect; length 0 when unknown
        enc = entry.enclosures[0]
        _el(item, "enclosure", url=enc.url, length=str(enc.length or 0), type=enc.media_type)
    _el(item, f"{{{ATOM}}}link", rel="related", type="text/html", href=entry.source)


def opml(feeds: list[FeedInfo], title: str, owner: str, group: str) -> bytes:
    """OPML 2.0: the first feed at the top, the others in one outline named ``group``."""
    root = etree.Element("opml", version="2.0")
    head = _el(root, "head")
    _el(head, "title", title)
    if feeds:
        _el(head, "dateModified", rfc822(max(f.updated for f in feeds)))
    _el(head, "ownerName", owner)
    _el(head, "docs", OPML_DOCS)
    body = _el(root, "body")
    for position, feed in enumerate(feeds):
        if position == 1:
            body = _el(body, "outline", text=group, title=group)
        _el(
            body,
            "outline",
            type="rss",
            text=feed.title,
            title=feed.title,
            xmlUrl=feed.atom,
            htmlUrl=feed.page,
            language=LANG,
        )
    return _serialise(root)
