"""Allowlist sanitiser for republished article HTML (nh3, i.e. Rust's ammonia).

Only text structure survives: no script, style, frame, object, form or media
element, no event handler, class, id or style attribute, and URLs only with
http, https or mailto. ``data:`` URLs are refused everywhere, images included:
real article images are files on the source site, inline ``data:`` images are
almost always lazy-loading placeholders, and an ``image/svg+xml`` data URL can
carry script when opened on its own.

Bodies are sanitised twice: when cleaned (``sanitize(fragment)``: images still point
to their source) and when published (``sanitize(fragment, site=SITEURL)``). Between the
two, ``document.images`` replaces each image by a sized ``<picture>`` of our own files;
the published mode allows ``picture``, ``source`` and the sizing attributes, and keeps
an image URL only when it is one of our content-addressed files (``images/<hash>.webp``),
which it puts under SITEURL. Any other image address is removed: never hot-linked, and
an ``<img>`` left with no address at all is removed too (``drop_empty_images``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3

from ..urls import public_url

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "dd",
        "del",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
    ]
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": set(),  # ammonia's defaults would allow title and lang on every tag
    "a": {"href", "title"},
    "img": {"src", "srcset", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "dfn": {"title"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "ol": {"start", "reversed"},
    "time": {"datetime"},
}
# Published mode: what our <picture> markup needs, and nothing else.
PICTURE_TAGS = frozenset(("picture", "source"))
PICTURE_ATTRIBUTES: dict[str, set[str]] = {
    "img": {"src", "srcset", "sizes", "alt", "title", "width", "height", "loading", "decoding"},
    "source": {"type", "srcset", "sizes"},
}
OWN_IMAGE = re.compile(r"^images/[0-9a-f]{24}\.(?:webp|jpg|png)$")
_VALUES = {
    "loading": re.compile(r"^(?:lazy|eager)$"),
    "decoding": re.compile(r"^(?:async|sync|auto)$"),
    "type": re.compile(r"^image/(?:webp|jpeg|png)$"),
    "width": re.compile(r"^[0-9]{1,5}$"),
    "height": re.compile(r"^[0-9]{1,5}$"),
    "sizes": re.compile(r"^[a-z0-9 ().,:%+*/-]{1,200}$"),
}
URL_SCHEMES = frozenset(
    ("http", "https", "mailto")
)  # what ammonia lets through; public_url decides
URL_ATTRIBUTES = frozenset(("href", "src"))
# Removed with their content, not just unwrapped: their text is never article text.
DROP_WITH_CONTENT = frozenset(("script", "style", "template", "noscript", "iframe", "textarea"))


def safe_url(url: str) -> bool:
    """True for the URLs we publish in an article body: http(s) and mailto."""
    return public_url(url, mailto=True) is not None


def _safe_srcset(value: str) -> str | None:
    """Keep a srcset only when every candidate URL is http(s); each one rebuilt."""
    kept = []
    for words in (part.split() for part in value.split(",") if part.strip()):
        url = public_url(words[0])
        if url is None:
            return None
        kept.append(" ".join([url, *words[1:]]))
    return ", ".join(kept) or None


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """nh3 attribute hook: every URL through the one allowlist (urls.public_url)."""
    if attribute == "srcset":
        return _safe_srcset(value)
    if attribute in URL_ATTRIBUTES:
        return public_url(value, mailto=attribute == "href")
    return value


def own_image(value: str, site: str) -> str | None:
    """One of our image files under ``site`` (SITEURL), or None for any other address."""
    value = value.strip()
    return f"{site.rstrip('/')}/{value}" if OWN_IMAGE.match(value) else None


def _own_srcset(value: str, site: str) -> str | None:
    kept = []
    for words in (part.split() for part in value.split(",") if part.strip()):
        url = own_image(words[0], site)
        if url is None or len(words) > 2 or not re.fullmatch(r"[0-9]{1,5}w", words[-1]):
            return None
        kept.append(f"{url} {words[-1]}")
    return ", ".join(kept) or None


def _published_filter(site: str) -> Callable[[str, str, str], str | None]:
    def check(tag: str, attribute: str, value: str) -> str | None:
        if tag in ("img", "source") and attribute == "srcset":
            return _own_srcset(value, site)
        if tag == "img" and attribute == "src":
            return own_image(value, site)
        if attribute in _VALUES:
            return value if _VALUES[attribute].match(value.strip().lower()) else None
        return _filter(tag, attribute, value)

    return check


# An <img> start tag as nh3 (html5ever) writes it: every value in double quotes, `"`
# escaped, so a `>` inside a value (alt="a > b") cannot end the match early.
_IMG_TAG = re.compile(r'<img\b((?:\s+[^\s="\'>/]+(?:="[^"]*")?)*)\s*/?>')
_ATTRIBUTE_NAME = re.compile(r'\s([^\s="\'>/]+)(?:="[^"]*")?')


def drop_empty_images(html: str) -> str:
    """``html`` (nh3's output) without the ``<img>`` elements left with neither ``src`` nor
    ``srcset``: an image whose address was refused shows nothing, and says nothing."""

    def keep(match: re.Match[str]) -> str:
        names = set(_ATTRIBUTE_NAME.findall(match.group(1)))
        return match.group(0) if names & {"src", "srcset"} else ""

    return _IMG_TAG.sub(keep, html)


def sanitize(fragment: str, site: str | None = None) -> str:
    """Return ``fragment`` reduced to the allowlist; external links get noopener noreferrer.
    With ``site`` (SITEURL, maybe relative), the published mode: our images only, and an
    image left without an address is dropped."""
    if site is not None:
        attributes = {**ALLOWED_ATTRIBUTES, **PICTURE_ATTRIBUTES}
        tags = set(ALLOWED_TAGS) | PICTURE_TAGS
        return drop_empty_images(_clean(fragment, tags, attributes, _published_filter(site)))
    return _clean(fragment, set(ALLOWED_TAGS), ALLOWED_ATTRIBUTES, _filter)


def _clean(
    fragment: str,
    tags: set[str],
    attributes: dict[str, set[str]],
    hook: Callable[[str, str, str], str | None],
) -> str:
    return nh3.clean(
        fragment,
        tags=tags,
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes=attributes,
        attribute_filter=hook,
        strip_comments=True,
        link_rel="noopener noreferrer",
        url_schemes=set(URL_SCHEMES),
    )
