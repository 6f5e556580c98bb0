"""Reading discovery's pages: the dossier links of an article, a listing's article links.

Pure functions from HTML to data, on BeautifulSoup with the lxml parser. Nobody
here knows the source site's exact markup, so they rely on link texts (« Cet
article fait partie du dossier : », « Voir les N actualités… »), document
structure (main content versus navigation chrome) and the configurable patterns
in Settings, never on one guessed CSS class.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from ..model import DossierInfo
from ..sane import parse_count
from ..settings import Settings
from ..urls import absolute, strip_tracking, url_key

# Containers that are site chrome, never the listing's main list.
CHROME_TAGS = ("nav", "header", "footer", "aside", "form", "script", "style", "noscript")
CHROME_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search")
CHROME_HINT = re.compile(
    r"\b(menu|nav|navbar|sidebar|side-bar|footer|header|breadcrumb|ariane|cookie|share|"
    r"partage|social|pager|pagination|newsletter|related|autres?-dossiers?|tags?)\b",
    re.IGNORECASE,
)
# Next-page link texts, most telling first: a bare « » » may also mean « last page ».
NEXT_TEXTS = (
    re.compile(r"^\s*(aller\s+à\s+la\s+)?(page\s+suivante|suivante?|next)\b.*$", re.IGNORECASE),
    re.compile(r"^\s*›\s*$"),
    re.compile(r"^\s*[»>]\s*$"),
)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
TITLE_CHARS, TITLE_WORDS = 25, 4  # a link text this long reads like a title, not a label
MAIN_SHARE = 0.8  # the main list is the deepest block holding this share of candidate links


def parse(html: str) -> BeautifulSoup:
    """Parse HTML with lxml, the fast and lenient parser."""
    return BeautifulSoup(html, "lxml")


def _links_after(soup: BeautifulSoup, pattern: re.Pattern[str]) -> Tag | None:
    """The first link that follows (or contains) a text matching pattern."""
    node = soup.find(string=pattern)
    if node is None:
        return None
    parent = node.parent
    if isinstance(parent, Tag) and parent.name == "a" and parent.get("href"):
        return parent
    nxt = node.find_next("a", href=True)
    return nxt if isinstance(nxt, Tag) else None


def find_dossier(html: str, url: str, settings: Settings) -> DossierInfo:
    """Read the dossier link and the « Voir les N actualités » link of an article page."""
    soup = parse(html)
    dossier = _links_after(soup, re.compile(settings.dossier_link_text, re.IGNORECASE))
    listing_re = re.compile(settings.listing_link_text, re.IGNORECASE)
    listing = soup.find("a", href=True, string=listing_re)
    if listing is None:  # the text may be split over inline children
        listing = next(
            (a for a in soup.find_all("a", href=True) if listing_re.search(a.get_text(" "))), None
        )
    announced = None
    if isinstance(listing, Tag):
        match = listing_re.search(listing.get_text(" "))
        announced = parse_count(match.group(1)) if match and match.groups() else None
    return DossierInfo(
        title=_text(dossier) or None,
        url=absolute(url, dossier.get("href")) if dossier else None,
        listing_url=absolute(url, listing.get("href")) if isinstance(listing, Tag) else None,
        announced=announced,
    )


def _text(tag: Tag | None) -> str:
    return " ".join(tag.get_text(" ").split()) if tag is not None else ""


def _hinted_chrome(tag: Tag) -> bool:
    """Does the element's class or id name it as chrome (menu, sidebar, share…)?"""
    hints = " ".join([*tag.get("class", []), str(tag.get("id", ""))])
    return bool(hints and CHROME_HINT.search(hints))


def _strip_chrome(scope: Tag, *, hints: bool = True) -> None:
    """Remove navigation chrome: by element and role, and (with hints) by class/id words."""
    for tag in list(scope.find_all(True)):
        if tag.decomposed or tag.parent is None:
            continue
        if (
            tag.name in CHROME_TAGS
            or tag.get("role") in CHROME_ROLES
            or (hints and _hinted_chrome(tag))
        ):
            tag.decompose()


def next_page(soup: BeautifulSoup, url: str) -> str | None:
    """The listing's next page: rel="next", then « Page suivante », then « › », then « » »."""
    for tag in soup.find_all(["a", "link"], rel=True, href=True):
        if "next" in tag.get("rel", []):
            return absolute(url, tag["href"])
    found: dict[int, str] = {}
    for anchor in soup.find_all("a", href=True):
        labels = (_text(anchor), str(anchor.get("aria-label", "")), str(anchor.get("title", "")))
        for rank, pattern in enumerate(NEXT_TEXTS):
            if rank not in found and any(pattern.match(label) for label in labels):
                found[rank] = anchor["href"]
    return absolute(url, found[min(found)]) if found else None


def listing_links(
    html: str, url: str, settings: Settings, allowed: Callable[[str], bool]
) -> tuple[list[str], str | None]:
    """Article links of one listing page's main list, and the next page's URL."""
    soup = parse(html)
    following = next_page(soup, url)  # reads the tree only: the first pass can reuse it
    own = {url_key(url), url_key(following)} if following else {url_key(url)}
    excluded = [re.compile(p) for p in settings.exclude_patterns]
    # Class/id words are only hints: if they swallow the whole list, trust structure alone.
    for hints in (True, False):
        if not hints:
            soup = parse(html)
        scope = soup.find("main") or soup.find(attrs={"role": "main"}) or soup.body or soup
        _strip_chrome(scope, hints=hints)
        candidates = [
            a for a in scope.find_all("a", href=True) if _candidate(a, url, own, excluded, allowed)
        ]
        if candidates:
            break
    main = _main_list(candidates)
    listed = _article_links([a for a in candidates if _within(a, main)], url)
    urls = [strip_tracking(absolute(url, a["href"]) or "") for a in listed]
    return urls, following


def _titled(anchor: Tag) -> bool:
    """Does the link read like an article title (in a heading, or a phrase of its own)?"""
    text = _text(anchor)
    in_heading = anchor.find_parent(HEADINGS) is not None
    return in_heading or len(text) >= TITLE_CHARS or len(text.split()) >= TITLE_WORDS


def _section(url: str) -> str:
    """The folder of a URL's path (/fr/actualites for /fr/actualites/mon-article)."""
    return urlsplit(url).path.rstrip("/").rpartition("/")[0]


def _article_links(anchors: list[Tag], page_url: str) -> list[Tag]:
    """Drop label links (a teaser's theme or category) from the main list's links.

    A link is kept when one of the links to its URL reads like a title, or when it lives
    in the same section of the site as the titled links; short links elsewhere
    (« Mobilité » → /fr/thematiques/mobilite) are labels. With no titled link at all
    (« Lire la suite » only), nothing is dropped.
    """
    target = {id(a): absolute(page_url, a["href"]) or "" for a in anchors}
    titled = {url_key(target[id(a)]) for a in anchors if _titled(a)}
    sections = Counter(_section(target[id(a)]) for a in anchors if _titled(a))
    if not sections:
        return anchors
    main_section = sections.most_common(1)[0][0]
    return [
        a
        for a in anchors
        if url_key(target[id(a)]) in titled or _section(target[id(a)]) == main_section
    ]


def _candidate(
    anchor: Tag,
    page_url: str,
    own: set[str],
    excluded: list[re.Pattern[str]],
    allowed: Callable[[str], bool],
) -> bool:
    """Could this link be an article of the list (allowed, not the listing, not excluded)?"""
    target = absolute(page_url, anchor["href"])
    if not target or not allowed(target) or url_key(target) in own:
        return False
    path = "/" + target.split("://", 1)[-1].partition("/")[2]
    return not any(p.search(path) for p in excluded) and not re.search(r"[?&]page=\d", target)


def _main_list(anchors: list[Tag]) -> Tag | None:
    """The deepest element holding most candidate links: the listing's main list."""
    if not anchors:
        return None
    counts: dict[int, tuple[Tag, int, set[str]]] = {}
    for anchor in anchors:
        key = url_key(anchor["href"])
        for depth, parent in enumerate(reversed(list(anchor.parents))):
            tag, level, keys = counts.get(id(parent), (parent, depth, set()))
            keys.add(key)
            counts[id(parent)] = (tag, level, keys)
    total = len({url_key(a["href"]) for a in anchors})
    eligible = [
        (level, tag) for tag, level, keys in counts.values() if len(keys) >= MAIN_SHARE * total
    ]
    return max(eligible, key=lambda item: item[0])[1] if eligible else None


def _within(anchor: Tag, container: Tag | None) -> bool:
    return container is None or any(parent is container for parent in anchor.parents)


def dossier_page(html: str, url: str, settings: Settings) -> DossierInfo:
    """What the dossier's own page says: its listing link, count, and h1 as its title."""
    found = find_dossier(html, url, settings)
    title = _text(parse(html).find("h1")) or None
    return DossierInfo(title, url, found.listing_url, found.announced)
