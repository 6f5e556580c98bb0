"""Finding the document behind a download link: directly, or one hop through a shop page.

A download line often links a page of an online shop rather than the file: when an
attachment turns out to be an HTML page on an allowed host, that page is fetched
(through the fetcher: same client, cache and good-copy rules as every page) and the
document it offers is taken: a link typed ``application/pdf``, a link to a ``.pdf``,
or a link whose text says « Télécharger », the best match first. One hop only: a
link found there that leads to HTML again is not followed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from ..derived import DerivedCache, digest, source_version
from ..model import Attachment

if TYPE_CHECKING:
    from bs4 import Tag

    from ..fetch import Fetcher

logger = logging.getLogger(__name__)

PDF_TYPE = "application/pdf"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_DOWNLOAD = re.compile(r"\bt[ée]l[ée]charg", re.IGNORECASE)


@cache
def _version() -> str:
    """The hash of this module's code: what a page offers is re-read when it changes."""
    return source_version("document.find")


def _words(link: Tag) -> str:
    text = " ".join(link.get_text(" ").split())
    return " ".join(filter(None, (text, link.get("title"), link.get("aria-label"))))


def _score(link: Tag, url: str) -> int:
    """How surely a link is the document: typed PDF 4, « Télécharger » 2, ``.pdf`` path 1."""
    typed = str(link.get("type", "")).split(";", 1)[0].strip().lower() == PDF_TYPE
    says = bool(_DOWNLOAD.search(_words(link)))
    named = urlsplit(url).path.lower().endswith(".pdf")
    return 4 * typed + 2 * says + named


def offered_link(html: str, base: str) -> tuple[str, str] | None:
    """The absolute URL and text of the document a page offers, or None."""
    from bs4 import BeautifulSoup  # only when a page is new: an unchanged rebuild reuses

    soup = BeautifulSoup(html, "lxml")
    scope = soup.find("main") or soup
    best: tuple[int, str, str] | None = None
    for link in scope.find_all("a", href=True):
        url = urljoin(base, str(link["href"]).strip())
        if urlsplit(url).scheme not in ("http", "https") or url.split("#")[0] == base:
            continue
        score = _score(link, url)
        if score and (best is None or score > best[0]):
            best = (score, url, _words(link))
    return (best[1], best[2]) if best else None


def is_html(attachment: Attachment) -> bool:
    """True when a probe found the attachment to be a web page."""
    return (attachment.media_type or "").split(";", 1)[0].strip().lower() in HTML_TYPES


def remembered_offer(html: str, base: str, derived: DerivedCache | None) -> tuple[str, str] | None:
    """offered_link, reused from the derived cache for the same page and code."""
    key = digest("offered", _version(), base, html)
    stored = derived.get(key) if derived is not None else None
    if stored is not None:
        return tuple(stored["link"]) if stored["link"] else None  # type: ignore[return-value]
    found = offered_link(html, base)
    if derived is not None:
        derived.put(key, {"link": list(found) if found else None})
    return found


def resolve_attachment(
    fetcher: Fetcher, attachment: Attachment, derived: DerivedCache | None = None
) -> Attachment:
    """The probed attachment, or the document its page offers when it is a web page."""
    probed = fetcher.probe_attachment(attachment.url, attachment.title)
    if not is_html(probed):
        return probed
    page = fetcher.fetch_page(attachment.url)
    if not page.ok or page.text is None:
        logger.warning("document page %s unavailable: %s", attachment.url, page.reason)
        return probed
    found = remembered_offer(page.text, page.final_url, derived)
    if found is None:
        logger.warning("document page %s offers no document", attachment.url)
        return probed
    url, words = found
    if not fetcher.allowed(url):
        logger.warning("document %s (offered by %s) is not on an allowed host", url, attachment.url)
        return probed
    document = fetcher.probe_attachment(url, attachment.title or words)
    if is_html(document):
        logger.warning("document %s (offered by %s) is a web page again", url, attachment.url)
        return probed
    return replace(document, found_on=attachment.url)
