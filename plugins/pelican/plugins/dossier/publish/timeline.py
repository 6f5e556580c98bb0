"""The dossier's story at a glance: one row per year, one mark per article.

Each mark is a link to its article (its ``<title>`` names it and its themes; its row
gives the year), striped with the colours of its themes, the colours of their bars
(see ``picture``): a year where one theme dominates shows it. The stripes are drawn
once per colour under the links, whose frames are the pointer's targets. The hub's
filter finds the article's card by a mark's link and fills the frames of the articles
it hides with the page's colour: hollow squares.
Years without an article keep their empty row: the gaps are part of the story. An
article whose page gave no date (``dated`` false: Pelican's date is then the fetch's)
goes to a last row, « s. d. » (sans date), rather than to the year it was fetched.
Same conventions as ``picture``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .picture import WIDTH, Figure, articles_fr, svg_open, theme_colours
from .typo import NBSP, typo_fr

YEAR_ROOM = 44  # the year's label, left of its marks
MARK = 22
PITCH = 26  # a mark and the gap after it: each link keeps a 24-pixel target
PER_LINE = (WIDTH - YEAR_ROOM - PITCH) // PITCH  # room left for the year's count
YEAR_GAP = 8
NO_THEME = "c0"  # the stylesheet's neutral colour, for an article without a theme


@dataclass(frozen=True)
class Stripe:
    """One theme of an article: its label and its colour class."""

    label: str
    colour: str


@dataclass(frozen=True)
class Mark:
    """One article on the timeline, with its themes in the bars' order."""

    href: str
    title: str
    themes: tuple[Stripe, ...] = ()

    @property
    def name(self) -> str:
        """What the mark says when pointed at: the title, then the themes."""
        labels = ", ".join(stripe.label for stripe in self.themes)
        return f"{self.title} — {labels}" if labels else self.title


UNDATED = "s.\u00a0d."  # the undated row's label: « sans date »


@dataclass(frozen=True)
class Year:
    """One row of the timeline: a year (None: the undated) and its articles, oldest first."""

    year: int | None
    marks: tuple[Mark, ...]

    @property
    def label(self) -> str:
        return str(self.year) if self.year is not None else UNDATED

    @property
    def count(self) -> int:
        return len(self.marks)

    @property
    def themes(self) -> tuple[tuple[str, int], ...]:
        """The year's themes with their numbers of articles, most first."""
        counts = Counter(stripe.label for mark in self.marks for stripe in mark.themes)
        return tuple(counts.most_common())  # ties keep the order first seen


def timeline(articles: Iterable[Any], siteurl: str, dossier: Any = None) -> Figure | None:
    """The published articles by year, marked with the themes of ``dossier``."""
    shown = [a for a in articles if getattr(a, "date", None)]
    dated = sorted((a for a in shown if getattr(a, "dated", True)), key=lambda a: a.date)
    undated = sorted((a for a in shown if not getattr(a, "dated", True)), key=lambda a: a.title)
    if not shown:
        return None
    years = _years(dated, undated, str(siteurl or "").rstrip("/"), _stripes(dossier))
    title = "Les articles du dossier, année par année"
    description = _describe(years)
    height = sum(_lines(y) * PITCH + YEAR_GAP for y in years)
    rows: list[Markup] = []
    paint: dict[str, list[str]] = {}  # colour class → its stripes, all marks together
    top = 0
    for year in years:
        rows.append(_row(year, top, paint))
        top += _lines(year) * PITCH + YEAR_GAP
    parts = [svg_open("frise", (WIDTH, height), title, description), _paint(paint), *rows]
    parts.append(Markup("</svg>"))
    return Figure(Markup("").join(parts), title, description, tuple(years))


def _stripes(dossier: Any) -> dict[str, Stripe]:
    """Slug → its stripe, in the bars' order (the legend's)."""
    labels = {item.slug: item.theme.label for item in getattr(dossier, "themes", None) or ()}
    return {slug: Stripe(labels[slug], colour) for slug, colour in theme_colours(dossier).items()}


def _years(
    dated: list[Any], undated: list[Any], base: str, stripes: dict[str, Stripe]
) -> list[Year]:
    """Every year from the first article's to the last's, then the undated if any."""
    span = range(dated[0].date.year, dated[-1].date.year + 1) if dated else range(0)
    marks: dict[int | None, list[Mark]] = {year: [] for year in span}
    for article in dated:
        marks[article.date.year].append(_mark_of(article, base, stripes))
    if undated:
        marks[None] = [_mark_of(article, base, stripes) for article in undated]
    return [Year(year, tuple(found)) for year, found in marks.items()]


def _mark_of(article: Any, base: str, stripes: dict[str, Stripe]) -> Mark:
    slugs = {str(getattr(tag, "slug", tag)) for tag in getattr(article, "tags", None) or ()}
    themes = tuple(stripe for slug, stripe in stripes.items() if slug in slugs)
    return Mark(f"{base}/{article.url}", typo_fr(article.title), themes)


def _lines(year: Year) -> int:
    return max(1, -(-year.count // PER_LINE))


def _describe(years: list[Year]) -> str:
    dated = [y for y in years if y.year is not None]
    total = sum(y.count for y in dated)
    undated = sum(y.count for y in years if y.year is None)
    text = f"{articles_fr(total)} de {dated[0].year} à {dated[-1].year}" if dated else ""
    if undated:
        text += (" et " if text else "") + f"{articles_fr(undated)} sans date"
    if any(mark.themes for year in years for mark in year.marks):
        text += ", un carré par article, rayé des couleurs de ses thèmes"
    else:
        text += ", un carré par article"
    if not dated:
        return text + "."
    busiest = max(y.count for y in dated)
    peaks = [str(y.year) for y in dated if y.count == busiest]
    text += f"{NBSP}; le plus grand nombre{NBSP}: "
    return text + f"{articles_fr(busiest)} en {' et '.join(peaks)}."


def _row(year: Year, top: int, paint: dict[str, list[str]]) -> Markup:
    """A year's label, its marks (links; their stripes go to ``paint``) and its count."""
    parts = [Markup('<text class="yr" x="0" y="{}">{}</text>').format(top + 16, year.label)]
    for n, mark in enumerate(year.marks):
        x = YEAR_ROOM + (n % PER_LINE) * PITCH
        y = top + (n // PER_LINE) * PITCH
        _stripe(mark, x, y, paint)
        parts.append(_mark(mark, x, y))
    done = min(year.count, PER_LINE)
    parts.append(
        Markup('<text class="n" x="{}" y="{}">{}</text>').format(
            YEAR_ROOM + done * PITCH + 2, top + 16, year.count
        )
    )
    return Markup("").join(parts)


def _stripe(mark: Mark, x: int, y: int, paint: dict[str, list[str]]) -> None:
    """The mark's square cut in horizontal stripes, one per theme, top to bottom."""
    colours = [stripe.colour for stripe in mark.themes] or [NO_THEME]
    edges = [y + round(MARK * n / len(colours)) for n in range(len(colours) + 1)]
    for colour, top, bottom in zip(colours, edges, edges[1:], strict=False):
        paint.setdefault(colour, []).append(f"M{x} {top}h{MARK}v{bottom - top}h-{MARK}z")


def _paint(paint: dict[str, list[str]]) -> Markup:
    """One path per colour under the links: a filtered-out mark's frame hides its stripes."""
    order = sorted(paint, key=lambda colour: int(colour[1:]))
    return Markup("").join(
        Markup('<path class="{}" d="{}"/>').format(colour, "".join(paint[colour]))
        for colour in order
    )


def _mark(mark: Mark, x: int, y: int) -> Markup:
    """A link: the article's name, and a frame over its stripes (the pointer's target)."""
    return Markup(
        '<a href="{}"><title>{}</title><rect class="m" x="{}" y="{}" width="{}" height="{}"/></a>'
    ).format(mark.href, mark.name, x, y, MARK, MARK)
