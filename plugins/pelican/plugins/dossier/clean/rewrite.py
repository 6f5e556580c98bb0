"""Tree rewrites before sanitising: lazy images, absolute URLs, headings, empty blocks."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from .dom import HEADINGS, HtmlElement, drop, text_of

LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-url")
LAZY_SRCSET = ("data-srcset", "data-lazy-srcset")
PLACEHOLDER = re.compile(
    r"^data:|blank\.gif|spacer\.gif|pixel\.gif|placeholder|transparent\.", re.I
)
KEEP_EMPTY = frozenset(("img", "br", "hr", "td", "th", "tr"))


def base_url(root: HtmlElement, url: str) -> str:
    """The document's base: ``<base href>`` resolved against the page URL."""
    base = root.find(".//head/base[@href]")
    if base is None:
        base = root.find(".//base[@href]")
    return urljoin(url, base.get("href", "").strip()) if base is not None else url


def resolve_noscript_images(root: HtmlElement) -> None:
    """Replace a lazy placeholder by the real ``<img>`` of the ``<noscript>`` after it."""
    parser = etree.HTMLParser()
    for noscript in list(root.iter("noscript")):
        markup = noscript.text or ""
        inner = list(noscript) or _fragment(markup, parser)
        imgs = [el for el in inner if el.tag == "img" and el.get("src")]
        if not imgs:
            continue
        prev = noscript.getprevious()
        if prev is not None:  # the placeholder, alone or wrapped (<p><img data-src></p>)
            for img in [prev] if prev.tag == "img" else list(prev.iter("img")):
                if not _real_src(img):
                    drop(img)
        noscript.addprevious(imgs[0])
        drop(noscript)


def _fragment(markup: str, parser: etree.HTMLParser) -> list[HtmlElement]:
    if "<img" not in markup:
        return []
    doc = etree.fromstring(f"<html><body>{markup}</body></html>", parser)
    return list(doc.iter("img")) if doc is not None else []


def _real_src(img: HtmlElement) -> str | None:
    src = (img.get("src") or "").strip()
    return src if src and not PLACEHOLDER.search(src) else None


def fix_images(content: HtmlElement, base: str) -> None:
    """Resolve lazy ``data-src``/``data-srcset``; drop images left without a real source."""
    for img in list(content.iter("img")):
        lazy = next((img.get(a) for a in LAZY_SRC if img.get(a)), None)
        if lazy and not _real_src(img):
            img.set("src", lazy.strip())
        lazy_set = next((img.get(a) for a in LAZY_SRCSET if img.get(a)), None)
        if lazy_set:
            img.set("srcset", lazy_set)
        if not _real_src(img):
            drop(img)
            continue
        img.set("src", urljoin(base, img.get("src", "").strip()))
        if img.get("srcset"):
            img.set("srcset", _absolute_srcset(img.get("srcset", ""), base))


def _absolute_srcset(value: str, base: str) -> str:
    parts = []
    for candidate in value.split(","):
        bits = candidate.split()
        if bits:
            parts.append(" ".join([urljoin(base, bits[0]), *bits[1:]]))
    return ", ".join(parts)


def absolute_links(content: HtmlElement, base: str) -> None:
    """Make every ``href`` absolute against the document base."""
    for el in content.iter("a"):
        href = el.get("href")
        if href is not None:
            el.set("href", urljoin(base, href.strip()))


def shift_headings(content: HtmlElement) -> None:
    """Move body headings so the highest is h2: the page's one h1 is the title, and the
    outline has no gap (h1→h2 when the body uses h1; h3→h2 when it starts at h3)."""
    levels = [int(el.tag[1]) for el in content.iter(*HEADINGS)]
    if not levels:
        return
    offset = 2 - min(levels)
    for el in content.iter(*HEADINGS):
        el.tag = f"h{max(2, min(int(el.tag[1]) + offset, 6))}"


def drop_title_heading(content: HtmlElement, title: str) -> None:
    """Remove the heading that repeats the title: it is published separately."""
    for el in list(content.iter("h1")):
        if not title or text_of(el) == title:
            drop(el)
    first = next(content.iter(*HEADINGS), None)
    if first is not None and title and text_of(first) == title:
        drop(first)


def drop_matching(content: HtmlElement, selectors: tuple, patterns: tuple) -> None:
    """Remove the rule's strip selectors and blocks whose text is boilerplate."""
    for selector in selectors:
        for el in selector(content):
            if el.getparent() is not None:
                drop(el)
    if not patterns:
        return
    for el in list(content.iter("p", "div", "li", "span", "h2", "h3", "h4", "a")):
        text = text_of(el)
        if el.getparent() is not None and text and any(p.search(text) for p in patterns):
            drop(el)


def drop_empty(content: HtmlElement) -> None:
    """Remove blocks with neither text nor image (left over after stripping)."""
    for el in reversed(list(content.iter())):
        if el is content or not isinstance(el.tag, str) or el.tag in KEEP_EMPTY:
            continue
        if not (el.text or "").strip() and not len(el) and el.getparent() is not None:
            drop(el)
