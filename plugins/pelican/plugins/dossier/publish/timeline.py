"""The dossier's story at a glance: one row per year, one mark per article.

Each mark is a link to its article (its ``<title>`` names it; its row gives the year); the
hub's filter finds the article's card by that link and sets apart the marks of the
articles it hides. Years without an article keep their empty
row: the gaps are part of the story. Same conventions as ``picture``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .picture import WIDTH, Figure, articles_fr, svg_open
from .typo import NBSP, typo_fr

YEAR_ROOM = 44  # the year's label, left of its marks
MARK = 22
PITCH = 26  # a mark and the gap after it: each link keeps a 24-pixel target
PER_LINE = (WIDTH - YEAR_ROOM - PITCH) // PITCH  # room left for the year's count
YEAR_GAP = 8


@dataclass(frozen=True)
class Mark:
    """One article on the timeline."""

    href: str
    title: str


@dataclass(frozen=True)
class Year:
    """One row of the timeline: a year and its articles, oldest first."""

    year: int
    marks: tuple[Mark, ...]

    @property
    def count(self) -> int:
        return len(self.marks)


def timeline(articles: Iterable[Any], siteurl: str) -> Figure | None:
    """The published articles by year."""
    dated = sorted((a for a in articles if getattr(a, "date", None)), key=lambda a: a.date)
    if not dated:
        return None
    years = _years(dated, str(siteurl or "").rstrip("/"))
    title = "Les articles du dossier, année par année"
    description = _describe(years)
    height = sum(_lines(y) * PITCH + YEAR_GAP for y in years)
    parts = [svg_open("frise", (WIDTH, height), title, description)]
    top = 0
    for year in years:
        parts.append(_row(year, top))
        top += _lines(year) * PITCH + YEAR_GAP
    parts.append(Markup("</svg>"))
    return Figure(Markup("").join(parts), title, description, tuple(years))


def _years(dated: list[Any], base: str) -> list[Year]:
    first, last = dated[0].date.year, dated[-1].date.year
    marks: dict[int, list[Mark]] = {year: [] for year in range(first, last + 1)}
    for article in dated:
        mark = Mark(f"{base}/{article.url}", typo_fr(article.title))
        marks[article.date.year].append(mark)
    return [Year(year, tuple(found)) for year, found in marks.items()]


def _lines(year: Year) -> int:
    return max(1, -(-year.count // PER_LINE))


def _describe(years: list[Year]) -> str:
    total = sum(y.count for y in years)
    busiest = max(y.count for y in years)
    peaks = [str(y.year) for y in years if y.count == busiest]
    text = f"{articles_fr(total)} de {years[0].year} à {years[-1].year}"
    text += f", un carré par article{NBSP}; le plus grand nombre{NBSP}: "
    return text + f"{articles_fr(busiest)} en {' et '.join(peaks)}."


def _row(year: Year, top: int) -> Markup:
    """A year's label, its marks (links) and its count."""
    parts = [Markup('<text class="yr" x="0" y="{}">{}</text>').format(top + 16, year.year)]
    for n, mark in enumerate(year.marks):
        x = YEAR_ROOM + (n % PER_LINE) * PITCH
        y = top + (n // PER_LINE) * PITCH
        parts.append(_mark(mark, x, y))
    done = min(year.count, PER_LINE)
    parts.append(
        Markup('<text class="n" x="{}" y="{}">{}</text>').format(
            YEAR_ROOM + done * PITCH + 2, top + 16, year.count
        )
    )
    return Markup("").join(parts)


def _mark(mark: Mark, x: int, y: int) -> Markup:
    return Markup(
        '<a href="{}"><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="4"/></a>'
    ).format(mark.href, mark.title, x, y, MARK, MARK)
