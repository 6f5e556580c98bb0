"""The « carte des thèmes »: a build-time SVG heatmap of theme co-occurrence, and its table.

Each theme is a row: its label on one line, then one cell per theme (columns are
numbered like the rows), so the picture stays narrow enough to read on a phone.
A cell holds how many articles carry both themes; the diagonal, drawn outlined,
holds how many carry the row's theme. Counts are written in the cells, so colour
is never the only cue. ``ThemeMap.rows`` carries the same figures for the HTML
table that screen readers (and anyone) can open instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

PITCH = 24  # cell spacing in SVG units
CELL = 22  # cell size; the 2-unit gap shows the grid
HEADER = 20  # height of the column-number line
LABEL = 17  # height of a row's label line
GAP = 7  # space under each row of cells
LEGEND = 34
MARGIN = 40  # room on the right for the longest labels
LIGHT = (0xDC, 0xE8, 0xF4)  # fewest shared articles
DARK = (0x12, 0x3F, 0x73)  # most shared articles
TITLE_ID = "carte-titre"
DESC_ID = "carte-desc"


@dataclass(frozen=True)
class Partner:
    """Another theme and the number of articles it shares with a row's theme."""

    theme: Any
    count: int


@dataclass(frozen=True)
class MapRow:
    """One theme of the map: its articles and the themes it shares them with."""

    number: int
    theme: Any
    count: int
    partners: tuple[Partner, ...]


@dataclass(frozen=True)
class ThemeMap:
    """The picture (SVG markup) and the same figures as rows for a table."""

    svg: Markup  # our own drawing; every value in it escaped by Markup.format
    title: str
    description: str
    rows: tuple[MapRow, ...]


def theme_map(dossier: Any) -> ThemeMap | None:
    """Build the map from the hub context; None when there is nothing to draw."""
    items = tuple(getattr(dossier, "themes", None) or ())
    matrix = tuple(getattr(dossier, "cooccurrence", None) or ())
    if not items or len(matrix) != len(items) or not any(matrix[i][i] for i in range(len(items))):
        return None
    themes = [item.theme for item in items]
    rows = tuple(_row(i, themes, matrix) for i in range(len(themes)))
    title = "Carte des thèmes : quels thèmes vont ensemble"
    description = _describe(themes, matrix)
    return ThemeMap(_svg(themes, matrix, title, description), title, description, rows)


def _row(i: int, themes: list[Any], matrix: tuple[tuple[int, ...], ...]) -> MapRow:
    partners = sorted(
        (Partner(themes[j], matrix[i][j]) for j in range(len(themes)) if j != i and matrix[i][j]),
        key=lambda p: -p.count,
    )
    return MapRow(i + 1, themes[i], matrix[i][i], tuple(partners))


def _describe(themes: list[Any], matrix: tuple[tuple[int, ...], ...]) -> str:
    """What the picture shows, in words, with its most salient fact."""
    text = (
        "Chaque ligne est un thème, numéroté comme les colonnes. Une case indique combien "
        "d’articles portent à la fois le thème de la ligne et celui de la colonne ; plus elle "
        "est foncée, plus ils sont nombreux. La case entourée, sur la diagonale, donne le "
        "nombre d’articles du thème."
    )
    pairs = [
        (matrix[i][j], i, j)
        for i in range(len(themes))
        for j in range(i + 1, len(themes))
        if matrix[i][j]
    ]
    if pairs:
        count, i, j = sorted(pairs, key=lambda p: (-p[0], p[1], p[2]))[0]
        text += (
            f" Le couple le plus fréquent : «\u00a0{themes[i].label}\u00a0» et"
            f" «\u00a0{themes[j].label}\u00a0»"
            f" ({count} article{'s' if count > 1 else ''})."
        )
    return text


def _svg(themes: list[Any], matrix: tuple[tuple[int, ...], ...], title: str, desc: str) -> Markup:
    """The SVG, written with Markup templates: every interpolated value is escaped."""
    n = len(themes)
    width = n * PITCH
    block = LABEL + PITCH + GAP
    height = HEADER + n * block + LEGEND
    top = max((matrix[i][j] for i in range(n) for j in range(n) if i != j), default=0)
    parts = [
        Markup(
            '<svg class="carte" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}"'
            ' role="img" aria-labelledby="{} {}">'
        ).format(width + MARGIN, height, TITLE_ID, DESC_ID),
        Markup('<title id="{}">{}</title>').format(TITLE_ID, title),
        Markup('<desc id="{}">{}</desc>').format(DESC_ID, desc),
        Markup('<g class="cols" text-anchor="middle">'),
        *(
            Markup('<text x="{}" y="14">{}</text>').format(j * PITCH + PITCH // 2, j + 1)
            for j in range(n)
        ),
        Markup("</g>"),
    ]
    for i, theme in enumerate(themes):
        parts.append(Markup('<g transform="translate(0 {})">').format(HEADER + i * block))
        parts.append(Markup('<text class="lbl" y="13">{}. {}</text>').format(i + 1, theme.label))
        parts.append(
            Markup('<rect class="bg" y="{}" width="{}" height="{}"/>').format(LABEL, width, CELL)
        )
        parts.extend(_cells(i, matrix[i], top))
        parts.append(Markup("</g>"))
    parts.extend(_legend(height - LEGEND + 8, top))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _cells(i: int, row: tuple[int, ...], top: int) -> list[Markup]:
    """The row's non-empty cells: a square and its count."""
    out = []
    square = Markup('<rect{} x="{}" y="{}" width="{}" height="{}"{}/>')
    number = Markup('<text class="{}" x="{}" y="{}">{}</text>')
    for j, value in enumerate(row):
        if not value:
            continue
        x = j * PITCH + 1
        cx, cy = x + CELL // 2, LABEL + 15
        if j == i:
            out.append(square.format(Markup(' class="own"'), x, LABEL, CELL, CELL, ""))
            out.append(number.format("n own", cx, cy, value))
            continue
        share = value / top if top else 1.0
        fill = Markup(' fill="{}"').format(_shade(share))
        out.append(square.format("", x, LABEL, CELL, CELL, fill))
        out.append(number.format("n inv" if share > 0.5 else "n", cx, cy, value))
    return out


def _legend(y: int, top: int) -> list[Markup]:
    """A key under the map: the colour range and the outlined diagonal."""
    return [
        Markup('<g class="key" transform="translate(0 {})">').format(y),
        Markup('<rect width="14" height="14" fill="{}"/>').format(_shade(1 / top if top else 1.0)),
        Markup('<rect x="16" width="14" height="14" fill="{}"/>').format(_shade(1.0)),
        Markup('<text x="36" y="11">articles en commun (1 à {})</text>').format(max(top, 1)),
        Markup('<rect class="own" x="190" width="14" height="14"/>'),
        Markup('<text x="210" y="11">du thème</text>'),
        Markup("</g>"),
    ]


def _shade(share: float) -> str:
    """A colour between LIGHT (share 0) and DARK (share 1)."""
    share = min(max(share, 0.0), 1.0)
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(LIGHT, DARK, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"
