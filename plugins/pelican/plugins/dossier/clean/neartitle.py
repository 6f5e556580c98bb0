"""A publication date written in the visible text just after the article's title.

Pages without date metadata usually still show one in the byline area, just under the
``<h1>``: « Par Jeanne Martin, publié le 12 septembre 2023 », « 12 sept. 2023 »,
« September 12, 2023 ». Only ``AFTER_CHARS`` of text after the heading are read, so a
date deep in the body (an event the article tells of) is never taken; a date that a
« mis à jour » / « updated » label introduces is passed over for a later one. Text a
reader does not take for the page's head is skipped: scripts, menus, asides, forms,
figures and photo captions, hidden elements. The text before the heading is not read:
on the benchmark pages it held the day's date of a masthead or a list's dates more often
than the article's (docs/benchmarks.md).
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree

from .dates import written_date
from .dom import HtmlElement, hints, is_hidden, text_of

AFTER_CHARS = 300  # a standfirst and a byline; a body's first paragraph is past it
SKIPPED_TAGS = frozenset(
    [
        *("script", "style", "noscript", "template", "head", "title"),
        *("nav", "aside", "footer", "form", "select", "button", "figure", "figcaption"),
    ]
)
SKIPPED_HINT = re.compile(
    r"caption|credit|photo|picture|gallery|image|thumb|widget|sidebar|related|recent|popular|"
    r"trending|latest",
    re.I,
)
UPDATED_LABEL = re.compile(
    r"(?:updated|modified|edited|mis à jour|mise à jour|modifié|actualisé)\W{0,3}"
    r"(?:le|on|at|:)?\s*(?:\w+\.?,?\s*)?$",
    re.I,
)


def date_near_title(body: HtmlElement, title: str, lang: str | None) -> datetime | None:
    """The first date within ``AFTER_CHARS`` of text after the title's ``<h1>`` that is
    not an update's; None when the page has no ``<h1>`` or no date there."""
    heading = title_heading(body, title)
    if heading is None:
        return None
    text = text_after(body, heading)
    start = 0
    while (found := written_date(text[start:], lang)) is not None:
        at = start + found[1]
        if not UPDATED_LABEL.search(text[max(0, at - 30) : at]):
            return found[0]
        start = at + 1
    return None


def title_heading(body: HtmlElement, title: str) -> HtmlElement | None:
    """The ``<h1>`` that holds the article's title (a logo's ``<h1>`` is not it), else
    the first ``<h1>`` with text."""
    wanted = " ".join(title.split()).lower()
    first = None
    for h1 in body.iter("h1"):
        text = text_of(h1).lower()
        if not text:
            continue
        if wanted and (text in wanted or wanted in text):
            return h1
        first = h1 if first is None else first
    return first


def text_after(body: HtmlElement, heading: HtmlElement) -> str:
    """At most ``AFTER_CHARS`` of the visible text that follows ``heading``."""
    around = list(heading.iterancestors())  # kept alive: lxml proxies stay the same
    pieces: list[str] = []
    seen, size = False, 0
    walk = etree.iterwalk(body, events=("start", "end"))
    for event, el in walk:
        if event == "start":
            seen = seen or el is heading
            if el is heading or (_skipped(el) and el not in around):
                walk.skip_subtree()
                continue
        piece = el.text if event == "start" else el.tail
        if seen and piece and piece.strip():
            pieces.append(piece)
            size += len(piece.strip())
            if size >= AFTER_CHARS:
                break
    return " ".join(" ".join(pieces).split())[:AFTER_CHARS]


def _skipped(el: HtmlElement) -> bool:
    if not isinstance(el.tag, str):
        return True
    return el.tag in SKIPPED_TAGS or is_hidden(el) or bool(SKIPPED_HINT.search(hints(el)))
