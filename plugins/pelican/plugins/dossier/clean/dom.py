"""Tree helpers shared by the extractor and the cleaner: parsing, pruning, text.

The tree is parsed with ``lxml.html``
directly rather than through BeautifulSoup: BeautifulSoup's tree building costs
about 14 ms on an average benchmark page against about 1 ms for lxml, which
alone would miss the speed goal (see docs/benchmarks.md « Extraction »).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

# Plain etree elements: lxml.html's per-element class lookup costs ~10 % of the run.
HtmlElement = etree._Element

# Never content: removed with everything they hold.
JUNK_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "button",
        "input",
        "select",
        "textarea",
        "option",
        "label",
        "nav",
        "footer",
        "aside",
        "dialog",
        "link",
        "meta",
        "head",
        "map",
        "area",
        "audio",
        "video",
        "source",
        "track",
        "frame",
        "frameset",
        "applet",
    ]
)
# Chrome by tag only: what the lenient pass keeps when the strict one found no article.
CHROME_TAGS = frozenset(["nav", "footer", "aside", "noscript", "dialog"])
# Landmark roles that are never the article.
JUNK_ROLES = frozenset(
    [
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "menu",
        "menubar",
        "search",
        "dialog",
        "alert",
        "alertdialog",
        "toolbar",
        "tablist",
    ]
)
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "br",
        "address",
        "center",
        "details",
        "summary",
        "form",
        "fieldset",
    ]
)
HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))

UNLIKELY = re.compile(
    r"-ad-|\bads?\b|\badv\b|advert|banner|breadcrumb|combx|comment|communit|cookie|consent|disqus|extra|"
    r"foot|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|"
    r"social|sponsor|supplemental|agegate|pagination|pager|popup|promo|newsletter|subscri|"
    r"share|sharing|signup|outbrain|taboola|recommend|trending|masthead|navbar|\bnav\b|toolbar|"
    r"modal|overlay|byline|author-bio|tags?-list|\btags\b|widget|teaser|more-stories|paywall",
    re.I,
)
MAYBE = re.compile(r"and|article|body|column|content|main|shadow|story|entry|post|text", re.I)
POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story|"
    r"prose|rich-?text",
    re.I,
)
NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|"
    r"footnote|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|"
    r"skyscraper|sponsor|shopping|tags|tool|widget|caption|byline|credit|newsletter|subscribe",
    re.I,
)
STRONG_UNLIKELY = re.compile(
    r"comment(?!ary)|disqus|replies|cookie|consent|gdpr|newsletter|outbrain|taboola", re.I
)
RICH_CHARS = 400
# Only containers are judged by their class/id: inline tags rarely wrap chrome alone.
HINTED_TAGS = frozenset(
    ["div", "section", "ul", "ol", "dl", "span", "header", "form", "figure", "center"]
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
# invisible to readers: soft hyphens split words (« Mit\u00adtel\u00adal\u00adter ») for search
INVISIBLE = re.compile("[\u00ad\u2060\ufeff]")


def parse(markup: str) -> HtmlElement:
    """Parse HTML text into an lxml tree (never raises on junk input)."""
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    # libxml2 keeps C0 controls that lxml then refuses to write back into the tree
    data = CONTROL_CHARS.sub("", markup).encode("utf-8", "replace")
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        root = None
    if root is None or root.tag != "html":
        root = etree.fromstring(b"<html><body></body></html>", parser=parser)
    return root


def hints(el: HtmlElement) -> str:
    """The class and id of an element, joined, for pattern hints."""
    return f"{el.get('class', '')} {el.get('id', '')}".strip()


def is_hidden(el: HtmlElement) -> bool:
    """True when the element is hidden from readers by markup or inline style."""
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style and HIDDEN_STYLE.search(style))


def _is_junk_tag(el: HtmlElement) -> bool:
    return (el.tag in JUNK_TAGS and el.tag not in CHROME_TAGS) or is_hidden(el)


def _strongly_unlikely(el: HtmlElement, half: float) -> bool:
    """Comments, consent boxes…: chrome, unless they wrap most of the page."""
    if el.tag not in HINTED_TAGS or not STRONG_UNLIKELY.search(hints(el)):
        return False
    return len(text_of(el)) <= half


def _is_junk(el: HtmlElement) -> bool:
    tag = el.tag
    if tag in JUNK_TAGS or el.get("role") in JUNK_ROLES or is_hidden(el):
        return True
    if tag not in HINTED_TAGS:
        return False
    verdict = _hint_verdict(hints(el))
    if verdict is not None:
        return verdict
    # modern class names are noisy (« Page-ad-margins » wraps whole pages): keep rich ones
    return _unlinked_chars(el) < RICH_CHARS


@lru_cache(maxsize=4096)
def _hint_verdict(hint: str) -> bool | None:
    """True: chrome; False: keep; None: chrome unless it holds real prose."""
    if not hint or UNLIKELY.search(hint) is None or MAYBE.search(hint):
        return False
    return True if STRONG_UNLIKELY.search(hint) else None


def _unlinked_chars(el: HtmlElement) -> int:
    """Length of the text outside links: menus and link lists have little."""
    total = len(" ".join("".join(el.itertext()).split()))
    if total < RICH_CHARS:
        return total
    return total - sum(len(" ".join("".join(a.itertext()).split())) for a in el.iter("a"))


def drop_scripts(root: HtmlElement) -> None:
    """Remove script, style and template elements (their text is never content), and
    ruby annotations (``<rt>``, ``<rp>``): a reading aid set above the words, which a
    plain text would otherwise repeat inside them."""
    for el in list(root.iter("script", "style", "template", "rt", "rp")):
        drop(el)


def prune(root: HtmlElement, lenient: bool = False) -> None:
    """Drop chrome: junk tags, hidden nodes and unlikely class/id names.

    ``lenient`` keeps nav/aside/footer/noscript, landmark roles and unlikely names: for
    pages whose whole article sits in one of them (an unclosed ``<nav>``, a ``<noscript>``
    copy of the page, a wrapper named after an ad network).
    """
    if lenient:
        half = len(text_of(root)) / 2
        judge = lambda el: _is_junk_tag(el) or _strongly_unlikely(el, half)  # noqa: E731
    else:
        judge = _is_junk
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str) or judge(el):
            doomed.append(el)
    for el in doomed:
        drop(el)


def drop(el: HtmlElement) -> None:
    """Remove an element and its subtree but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def norm(text: str) -> str:
    """Collapse runs of spaces (not newlines) and strip."""
    return SPACES.sub(" ", INVISIBLE.sub("", text)).strip()


def text_of(el: HtmlElement) -> str:
    """Plain text of a subtree with collapsed whitespace."""
    return " ".join("".join(el.itertext()).split())


def link_density(el: HtmlElement, length: int | None = None) -> float:
    """Share of the element's text that sits inside links."""
    total = len(text_of(el)) if length is None else length
    if not total:
        return 0.0
    linked = sum(len(text_of(a)) for a in el.iter("a"))
    return min(linked / total, 1.0)


def class_weight(el: HtmlElement) -> int:
    """Readability's +25/-25 hint from class and id."""
    return _weight(el.get("class")) + _weight(el.get("id"))


@lru_cache(maxsize=4096)
def _weight(value: str | None) -> int:
    if not value:
        return 0
    return (25 if POSITIVE.search(value) else 0) - (25 if NEGATIVE.search(value) else 0)


def block_lines(el: HtmlElement) -> Iterator[str]:
    """Yield text pieces of a subtree, with newlines at block boundaries."""
    tag = el.tag
    if not isinstance(tag, str):
        if el.tail:
            yield el.tail
        return
    block = tag in BLOCK_TAGS
    if block:
        yield "\n"
    if el.text:
        yield el.text
    for child in el:
        yield from block_lines(child)
    if block:
        yield "\n"
    if el.tail:
        yield el.tail


def plain_text(el: HtmlElement) -> str:
    """Readable plain text: one line per block, blank-free, spaces collapsed."""
    pieces = [el.text or ""]
    for child in el:
        pieces.extend(block_lines(child))
    lines = (norm(line) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)
