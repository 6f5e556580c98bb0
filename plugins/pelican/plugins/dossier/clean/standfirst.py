"""The standfirst a page describes itself with: its meta description, shown as a paragraph.

Many pages set their lead (« chapô ») in the page header next to the title, where the
pruning drops it with the menus. When a paragraph's whole text is the page's own
description (``og:description``, ``description``), it is the article's lead: it is
found before pruning and put back in front of the article.
"""

from __future__ import annotations

from .dom import HtmlElement, is_hidden, text_of

DESCRIPTION_KEYS = frozenset(["og:description", "description", "twitter:description"])
MIN_CHARS = 60


def find_standfirst(root: HtmlElement) -> HtmlElement | None:
    """The first visible paragraph, outside links, whose whole text is the description."""
    wanted = {_fold(text) for text in _descriptions(root)} - {""}
    if not wanted:
        return None
    for el in root.iter("p"):
        text = _fold(text_of(el))
        if len(text) >= MIN_CHARS and text in wanted and _shown_as_text(el):
            return el
    return None


def put_back(content: HtmlElement, lead: HtmlElement | None) -> None:
    """``lead`` in front of ``content`` unless its text is there already."""
    if lead is None or _fold(text_of(lead)) in _fold(text_of(content)):
        return
    lead.tail = None
    content.insert(0, lead)


def _descriptions(root: HtmlElement) -> list[str]:
    found = []
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in DESCRIPTION_KEYS and meta.get("content"):
            found.append(meta.get("content"))
    return found


def _shown_as_text(el: HtmlElement) -> bool:
    """Neither hidden nor inside a link (a teaser card repeats the description too)."""
    node = el
    while node is not None:
        if node.tag == "a" or is_hidden(node):
            return False
        node = node.getparent()
    return True


def _fold(text: str) -> str:
    return " ".join(text.split()).rstrip(".").lower()
