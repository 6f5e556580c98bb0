"""The hub's overview pictures, exact on a small input: bars, timeline and pairs."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace as NS

import pytest
from pelican.plugins.dossier.publish.picture import PALETTE, theme_bars, theme_colours, theme_pairs
from pelican.plugins.dossier.publish.timeline import timeline

NBSP = "\u00a0"


def item(slug: str, label: str, count: int) -> NS:
    return NS(slug=slug, count=count, theme=NS(slug=slug, label=label))


def dossier() -> NS:
    items = [item("a", "Alpha", 1), item("b", "Bêta <b>", 3), item("c", "Vide", 0)]
    matrix = ((1, 1, 0), (1, 3, 0), (0, 0, 0))
    return NS(themes=items, cooccurrence=matrix)


def test_bars_draw_each_used_theme_most_first_escaped() -> None:
    figure = theme_bars(dossier(), lambda slug: f"/themes/{slug}/")
    assert figure is not None
    assert [bar.slug for bar in figure.rows] == ["b", "a"]
    assert str(figure.svg) == (
        '<svg class="barres" viewBox="0 0 300 64" width="300" height="64"'
        ' aria-labelledby="barres-titre" aria-describedby="barres-desc">'
        '<title id="barres-titre">Articles par thème</title><desc id="barres-desc">'
        f"Une barre par thème, longue comme son nombre d’articles{NBSP}: "
        f"«{NBSP}Bêta &lt;b&gt;{NBSP}» en tête (3{NBSP}articles), "
        f"«{NBSP}Alpha{NBSP}» en dernier (1{NBSP}article){NBSP}; "
        "chaque thème a sa couleur, celle de ses articles dans la frise.</desc>"
        f'<a href="/themes/b/" data-theme="b" aria-label="Bêta &lt;b&gt;{NBSP}: 3{NBSP}articles">'
        '<rect class="hit" y="0" width="300" height="30"/>'
        '<text x="4" y="14">Bêta &lt;b&gt;</text>'
        '<rect class="c1" x="4" y="19" width="266" height="9" rx="2"/>'
        '<text class="n" x="275" y="28">3</text></a>'
        f'<a href="/themes/a/" data-theme="a" aria-label="Alpha{NBSP}: 1{NBSP}article">'
        '<rect class="hit" y="32" width="300" height="30"/>'
        '<text x="4" y="46">Alpha</text>'
        '<rect class="c2" x="4" y="51" width="89" height="9" rx="2"/>'
        '<text class="n" x="98" y="60">1</text></a></svg>'
    )


def test_no_bars_without_articles() -> None:
    assert theme_bars(NS(themes=[item("c", "Vide", 0)]), str) is None
    assert theme_bars(None, str) is None


def test_pairs_keep_those_shared_by_two_articles_or_more() -> None:
    assert theme_pairs(dossier()) == ()
    shared = NS(themes=dossier().themes, cooccurrence=((2, 2, 1), (2, 3, 1), (1, 1, 1)))
    pairs = theme_pairs(shared)
    assert [(p.first.slug, p.second.slug, p.count) for p in pairs] == [("a", "b", 2)]
    assert theme_pairs(NS(themes=dossier().themes, cooccurrence=((1,),))) == ()


def article(title: str, year: int, month: int, slug: str, *themes: str) -> NS:
    date = datetime(year, month, 2, tzinfo=UTC)
    return NS(title=title, date=date, url=f"articles/{slug}/", tags=[NS(slug=t) for t in themes])


def test_theme_colours_follow_the_bars_and_come_round_past_the_palette() -> None:
    # most articles first, the taxonomy's order among equals: t13, t12, …, t2, then t0, t1
    many = NS(themes=[item(f"t{n}", f"T{n}", max(n, 1)) for n in range(14)])
    colours = theme_colours(many)
    assert [colours[f"t{n}"] for n in (13, 12, 2, 0, 1)] == ["c1", "c2", "c12", "c1", "c2"]
    assert theme_colours(None) == {}


def test_timeline_one_row_per_year_gaps_kept_marks_link_articles_striped_by_theme() -> None:
    articles = [
        article("Deux : <suite>", 2021, 3, "deux", "b", "a"),
        article("Un", 2019, 9, "un"),
    ]
    figure = timeline(articles, "http://x.test/", dossier())
    assert figure is not None
    assert [(year.year, year.count) for year in figure.rows] == [(2019, 1), (2020, 0), (2021, 1)]
    assert figure.rows[2].themes == (("Bêta <b>", 1), ("Alpha", 1))
    assert str(figure.svg) == (
        '<svg class="frise" viewBox="0 0 300 102" width="300" height="102"'
        ' aria-labelledby="frise-titre" aria-describedby="frise-desc">'
        '<title id="frise-titre">Les articles du dossier, année par année</title>'
        f'<desc id="frise-desc">2{NBSP}articles de 2019 à 2021, un carré par article, '
        f"rayé des couleurs de ses thèmes{NBSP}; "
        f"le plus grand nombre{NBSP}: 1{NBSP}article en 2019 et 2021.</desc>"
        # the stripes, one path per colour, under the links: « Deux » is cut in two
        # (its themes in the bars' order), « Un » has no theme: one neutral stripe
        '<path class="c0" d="M44 0h22v22h-22z"/>'
        '<path class="c1" d="M44 68h22v11h-22z"/>'
        '<path class="c2" d="M44 79h22v11h-22z"/>'
        '<text class="yr" x="0" y="16">2019</text>'
        '<a href="http://x.test/articles/un/"><title>Un</title>'
        '<rect class="m" x="44" y="0" width="22" height="22"/></a>'
        '<text class="n" x="72" y="16">1</text>'
        '<text class="yr" x="0" y="50">2020</text><text class="n" x="46" y="50">0</text>'
        '<text class="yr" x="0" y="84">2021</text>'
        '<a href="http://x.test/articles/deux/">'
        f"<title>Deux{NBSP}: &lt;suite&gt; — Bêta &lt;b&gt;, Alpha</title>"
        '<rect class="m" x="44" y="68" width="22" height="22"/></a>'
        '<text class="n" x="72" y="84">1</text></svg>'
    )


def test_three_stripes_share_a_mark_without_gap_or_overlap() -> None:
    themes = NS(themes=[item(s, s.upper(), 1) for s in "xyz"])
    figure = timeline([article("T", 2020, 1, "t", "z", "x", "y")], "", themes)
    assert figure is not None
    stripes = re.findall(r'<path class="c(\d)" d="M44 (\d+)h22v(\d+)h-22z"/>', figure.svg)
    assert stripes == [("1", "0", "7"), ("2", "7", "8"), ("3", "15", "7")]
    assert "<title>T — X, Y, Z</title>" in figure.svg


def test_timeline_wraps_a_full_year_and_skips_undated() -> None:
    articles = [article(f"A{n}", 2020, 1, f"a{n}") for n in range(10)]
    articles.append(NS(title="Sans date", date=None, url="articles/x/"))
    figure = timeline(articles, "")
    assert figure is not None
    assert figure.rows[0].count == 10
    assert 'viewBox="0 0 300 60"' in figure.svg  # two lines of marks: 8, then 2
    assert '<rect class="m" x="44" y="26" width="22"' in figure.svg
    assert figure.svg.count("h-22z") == 10 and "M70 26h22v22h-22z" in figure.svg
    assert timeline([], "") is None


STYLESHEET = Path(__file__).resolve().parent.parent / "theme" / "static" / "css" / "site.css"


def variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-f]{3,6})\b", block))


def luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_theme_colour_stands_out_from_the_page_in_both_schemes(scheme: str) -> None:
    css = STYLESHEET.read_text(encoding="utf-8")
    light, rest = css.split("@media (prefers-color-scheme: dark)", 1)
    palette = variables(light.split(":root", 1)[1].split("}", 1)[0])
    if scheme == "dark":
        palette |= variables(rest.split("}", 1)[0])
    names = [f"c{n}" for n in range(PALETTE + 1)]  # c0: an article without a theme
    assert set(names) <= set(palette)
    # WCAG 1.4.11: graphical objects need 3:1 against what is next to them
    low = {name: round(contrast(palette[name], palette["bg"]), 2) for name in names}
    assert min(low.values()) >= 3, low
    for name in names:  # and the stylesheet uses each colour as a fill
        assert f".{name} {{ fill: var(--{name}); }}" in css


def test_an_article_without_a_date_of_its_own_goes_to_the_undated_row() -> None:
    fetched = article("Sans date connue", 2026, 11, "sd")  # dated by its fetch
    fetched.dated = False
    articles = [article("Ancien", 2019, 5, "ancien"), fetched, article("Récent", 2021, 1, "r")]
    figure = timeline(articles, "")
    assert figure is not None
    assert [(y.year, y.count) for y in figure.rows] == [(2019, 1), (2020, 0), (2021, 1), (None, 1)]
    assert figure.rows[-1].label == f"s.{NBSP}d."
    assert f'<text class="yr" x="0" y="118">s.{NBSP}d.</text>' in figure.svg
    assert "2026" not in figure.svg
    assert f"2{NBSP}articles de 2019 à 2021 et 1{NBSP}article sans date" in figure.description
    only = timeline([fetched], "")
    assert only is not None and [(y.year, y.count) for y in only.rows] == [(None, 1)]
    assert only.description == f"1{NBSP}article sans date, un carré par article."
