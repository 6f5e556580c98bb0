"""Boilerplate lines that carry metadata: the dossier, its listing, downloads.

The phrases come from the rule's ``[markers]`` table. Each is cut out of the text
node it sits in (so « …dossierLe format de… » keeps « Le format de… »), and the
link that goes with it is removed from the tree and kept as data.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model import Attachment
from ..sane import parse_count
from ..urls import absolute
from .dom import HtmlElement, drop, text_of

# Extensions mimetypes may not know on a minimal system.
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".epub": "application/epub+zip",
    ".zip": "application/zip",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Markers:
    """What the boilerplate said: the dossier, how many articles, downloads."""

    dossier_title: str | None = None
    dossier_url: str | None = None
    announced: int | None = None
    listing_url: str | None = None
    attachments: tuple[Attachment, ...] = ()


def guess_media_type(url: str) -> str | None:
    """Guess a media type from the URL's extension (None when unknown)."""
    path = urlsplit(url).path.lower()
    ext = path[path.rfind(".") :] if "." in path.rsplit("/", 1)[-1] else ""
    return MEDIA_TYPES.get(ext) or (mimetypes.guess_type(path)[0] if ext else None)


def take_markers(body: HtmlElement, patterns: dict[str, re.Pattern[str]], base: str) -> Markers:
    """Remove marker phrases and their links from ``body``; return them as data."""
    dossier_title = dossier_url = listing_url = None
    announced = None
    if "listing" in patterns:
        announced, listing_url = _take_listing(body, patterns["listing"], base)
    if "dossier" in patterns:
        link = _take_phrase_and_link(body, patterns["dossier"])
        if link is not None:
            dossier_title, dossier_url = text_of(link) or None, _absolute(link, base)
    attachments = []
    while "attachment" in patterns:
        link = _take_phrase_and_link(body, patterns["attachment"])
        if link is None:
            break
        url = _absolute(link, base)
        if url:
            attachments.append(Attachment(url, text_of(link), guess_media_type(url)))
    return Markers(dossier_title, dossier_url, announced, listing_url, tuple(attachments))


def _absolute(link: HtmlElement, base: str) -> str | None:
    """The link's address, strictly parsed and http(s) only (urls.absolute), else None."""
    return absolute(base, link.get("href"))


def _take_listing(
    body: HtmlElement, pattern: re.Pattern[str], base: str
) -> tuple[int | None, str | None]:
    """« Voir les N actualités… »: as a link (the usual case) or as bare text."""
    for link in body.iter("a"):
        match = pattern.search(text_of(link))
        if match:
            url = _absolute(link, base)
            _drop_with_empty_parents(link)
            return parse_count(match["count"]), url
    for el, attr, match in _text_matches(body, pattern):
        _cut(el, attr, match)
        return parse_count(match["count"]), None
    return None, None


def _take_phrase_and_link(body: HtmlElement, pattern: re.Pattern[str]) -> HtmlElement | None:
    """Cut the phrase, then remove and return the first link after it."""
    for el, attr, match in _text_matches(body, pattern):
        axis = "(descendant::a | following::a)[1]" if attr == "text" else "following::a[1]"
        found = el.xpath(axis)
        link = found[0] if found else None
        _cut(el, attr, match)  # after the look-up: cutting may detach ``el``
        if link is not None:
            _drop_with_empty_parents(link)
        return link
    return None


def _text_matches(body: HtmlElement, pattern: re.Pattern[str]):
    """Yield (element, "text"|"tail", match) in document order."""
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("text", "tail"):
            value = getattr(el, attr)
            if value and (match := pattern.search(value)):
                yield el, attr, match


def _cut(el: HtmlElement, attr: str, match: re.Match[str]) -> None:
    value = getattr(el, attr)
    rest = (value[: match.start()] + " " + value[match.end() :]).strip()
    setattr(el, attr, rest or None)
    if attr == "text" and not rest and not len(el) and el.getparent() is not None:
        _drop_with_empty_parents(el)


def _drop_with_empty_parents(el: HtmlElement) -> None:
    """Remove ``el``, then any ancestor block it leaves with no text and no image."""
    parent = el.getparent()
    drop(el)
    while parent is not None and parent.tag not in ("body", "html", "article", "main"):
        if text_of(parent) or parent.find(".//img") is not None:
            break
        grand = parent.getparent()
        drop(parent)
        parent = grand
