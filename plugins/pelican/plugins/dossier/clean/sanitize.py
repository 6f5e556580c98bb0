"""Allowlist sanitiser for republished article HTML (nh3, i.e. Rust's ammonia).

Only text structure survives: no script, style, frame, object, form or media
element, no event handler, class, id or style attribute, and URLs only with
http, https or mailto. ``data:`` URLs are refused everywhere, images included:
real article images are files on the source site, inline ``data:`` images are
almost always lazy-loading placeholders, and an ``image/svg+xml`` data URL can
carry script when opened on its own.
"""

from __future__ import annotations

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


def sanitize(fragment: str) -> str:
    """Return ``fragment`` reduced to the allowlist; external links get noopener noreferrer."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter,
        strip_comments=True,
        link_rel="noopener noreferrer",
        url_schemes=set(URL_SCHEMES),
    )
