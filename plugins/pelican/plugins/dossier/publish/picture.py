"""The hub's overview, drawn at build time: themes as bars, and the pairs of themes
articles often share.

Pictures are inline SVG written with ``Markup.format`` templates, so every value
(a theme's label, an article's title) is escaped on the way in. They carry classes
only: the stylesheet colours them with the theme's variables, so dark mode follows.
Each theme has a colour class (``c1`` … ``c12``, in the bars' order): its bar wears it,
and so do its articles' marks on the timeline, so the bars are their legend.
Each has a ``<title>`` and a ``<desc>``, and a ``Figure`` keeps the same figures as
``rows`` for a short text equivalent under the picture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .typo import NBSP

WIDTH = 300  # SVG units; about as many CSS pixels in the hub's column
ROW = 32  # one theme: its label, then its bar under it
BAR_X = 4
BAR_Y = 19
BAR_HEIGHT = 9
COUNT_ROOM = 30  # right of the longest bar, for its count
PAIRS_LIMIT = 5
PAIRS_LEAST = 2  # a pair shared by one article says nothing
PALETTE = 12  # theme colours the stylesheet defines, light and dark: .c1 … .c12


@dataclass(frozen=True)
class Figure:
    """A picture (SVG markup), what it shows in words, and its figures as rows."""

    svg: Markup
    title: str
    description: str
    rows: tuple[Any, ...]


@dataclass(frozen=True)
class Bar:
    """One theme of the bar chart: where its page is, and how many articles carry it."""

    slug: str
    label: str
    count: int
    href: str
    colour: str


@dataclass(frozen=True)
class Pair:
    """Two themes and the number of articles that carry both."""

    first: Any
    second: Any
    count: int


def articles_fr(count: int) -> str:
    """« 1 article », « 4 articles », the number glued to its noun."""
    return f"{count}{NBSP}article{'s' if count > 1 else ''}"


def theme_colours(dossier: Any) -> dict[str, str]:
    """Slug → colour class, in the bars' order (most articles first, then the taxonomy's):
    the themes seen most get the palette's most distinct colours, the same on every page
    of a build; past PALETTE themes, colours come round again."""
    items = sorted(getattr(dossier, "themes", None) or (), key=lambda item: -item.count)
    return {item.slug: f"c{n % PALETTE + 1}" for n, item in enumerate(items)}


def svg_open(name: str, size: tuple[int, int], title: str, description: str) -> Markup:
    """The ``<svg>`` element with its title and description (ids ``{name}-titre``/``-desc``)."""
    return Markup(
        '<svg class="{0}" viewBox="0 0 {1} {2}"'
        ' width="{1}" height="{2}" aria-labelledby="{0}-titre" aria-describedby="{0}-desc">'
        '<title id="{0}-titre">{3}</title><desc id="{0}-desc">{4}</desc>'
    ).format(name, size[0], size[1], title, description)


def theme_bars(dossier: Any, href_of: Callable[[str], str]) -> Figure | None:
    """Articles per theme, most first, each bar a link to its theme's page."""
    items = [item for item in getattr(dossier, "themes", None) or () if item.count]
    if not items:
        return None
    colours = theme_colours(dossier)
    items.sort(key=lambda item: -item.count)  # stable: taxonomy order among equals
    bars = tuple(
        Bar(i.slug, i.theme.label, i.count, href_of(i.slug), colours[i.slug]) for i in items
    )
    title = "Articles par thème"
    description = _describe_bars(bars)
    parts = [svg_open("barres", (WIDTH, ROW * len(bars)), title, description)]
    top = bars[0].count
    parts.extend(_bar(bar, n * ROW, top) for n, bar in enumerate(bars))
    parts.append(Markup("</svg>"))
    return Figure(Markup("").join(parts), title, description, bars)


def _describe_bars(bars: tuple[Bar, ...]) -> str:
    first, last = bars[0], bars[-1]
    text = (
        f"Une barre par thème, longue comme son nombre d’articles{NBSP}: "
        f"«{NBSP}{first.label}{NBSP}» en tête ({articles_fr(first.count)})"
    )
    if len(bars) > 1:
        text += f", «{NBSP}{last.label}{NBSP}» en dernier ({articles_fr(last.count)})"
    return text + f"{NBSP}; chaque thème a sa couleur, celle de ses articles dans la frise."


def _bar(bar: Bar, y: int, top: int) -> Markup:
    """One theme: a row-wide link holding its label, its bar and its count."""
    length = max(round((WIDTH - BAR_X - COUNT_ROOM) * bar.count / top), 2)
    return Markup(
        '<a href="{href}" data-theme="{slug}" aria-label="{name}">'
        '<rect class="hit" y="{y}" width="{w}" height="{h}"/>'
        '<text x="{x}" y="{ty}">{label}</text>'
        '<rect class="{colour}" x="{x}" y="{by}" width="{length}" height="{bh}" rx="2"/>'
        '<text class="n" x="{nx}" y="{ny}">{count}</text></a>'
    ).format(
        href=bar.href,
        slug=bar.slug,
        name=f"{bar.label}{NBSP}: {articles_fr(bar.count)}",
        y=y,
        w=WIDTH,
        h=ROW - 2,
        x=BAR_X,
        ty=y + 14,
        label=bar.label,
        colour=bar.colour,
        by=y + BAR_Y,
        length=length,
        bh=BAR_HEIGHT,
        nx=BAR_X + length + 5,
        ny=y + BAR_Y + BAR_HEIGHT,
        count=bar.count,
    )


def theme_pairs(dossier: Any) -> tuple[Pair, ...]:
    """The pairs of themes most often carried together (at least PAIRS_LEAST articles)."""
    items = tuple(getattr(dossier, "themes", None) or ())
    matrix = tuple(getattr(dossier, "cooccurrence", None) or ())
    if len(matrix) != len(items):
        return ()
    pairs = _pairs([item.theme for item in items], matrix)
    pairs.sort(key=lambda p: -p.count)  # stable: taxonomy order among equals
    return tuple(pairs[:PAIRS_LIMIT])


def _pairs(themes: list[Any], matrix: Iterable[Iterable[int]]) -> list[Pair]:
    rows = [tuple(row) for row in matrix]
    return [
        Pair(themes[i], themes[j], rows[i][j])
        for i in range(len(themes))
        for j in range(i + 1, len(themes))
        if rows[i][j] >= PAIRS_LEAST
    ]
