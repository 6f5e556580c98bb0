"""The hub's overview pictures, exact on a small input: bars, timeline and pairs."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace as NS

from pelican.plugins.dossier.publish.picture import theme_bars, theme_pairs
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
        f"«{NBSP}Alpha{NBSP}» en dernier (1{NBSP}article).</desc>"
        f'<a href="/themes/b/" data-theme="b" aria-label="Bêta &lt;b&gt;{NBSP}: 3{NBSP}articles">'
        '<rect class="hit" y="0" width="300" height="30"/>'
        '<text x="4" y="14">Bêta &lt;b&gt;</text>'
        '<rect x="4" y="19" width="266" height="9" rx="2"/>'
        '<text class="n" x="275" y="28">3</text></a>'
        f'<a href="/themes/a/" data-theme="a" aria-label="Alpha{NBSP}: 1{NBSP}article">'
        '<rect class="hit" y="32" width="300" height="30"/>'
        '<text x="4" y="46">Alpha</text>'
        '<rect x="4" y="51" width="89" height="9" rx="2"/>'
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


def article(title: str, year: int, month: int, slug: str) -> NS:
    return NS(title=title, date=datetime(year, month, 2, tzinfo=UTC), url=f"articles/{slug}/")


def test_timeline_one_row_per_year_gaps_kept_marks_link_articles() -> None:
    articles = [
        article("Deux : <suite>", 2021, 3, "deux"),
        article("Un", 2019, 9, "un"),
    ]
    figure = timeline(articles, "http://x.test/")
    assert figure is not None
    assert [(year.year, year.count) for year in figure.rows] == [(2019, 1), (2020, 0), (2021, 1)]
    assert str(figure.svg) == (
        '<svg class="frise" viewBox="0 0 300 102" width="300" height="102"'
        ' aria-labelledby="frise-titre" aria-describedby="frise-desc">'
        '<title id="frise-titre">Les articles du dossier, année par année</title>'
        f'<desc id="frise-desc">2{NBSP}articles de 2019 à 2021, un carré par article{NBSP}; '
        f"le plus grand nombre{NBSP}: 1{NBSP}article en 2019 et 2021.</desc>"
        '<text class="yr" x="0" y="16">2019</text>'
        '<a href="http://x.test/articles/un/"><title>Un</title>'
        '<rect x="44" y="0" width="22" height="22" rx="4"/></a>'
        '<text class="n" x="72" y="16">1</text>'
        '<text class="yr" x="0" y="50">2020</text><text class="n" x="46" y="50">0</text>'
        '<text class="yr" x="0" y="84">2021</text>'
        '<a href="http://x.test/articles/deux/">'
        f"<title>Deux{NBSP}: &lt;suite&gt;</title>"
        '<rect x="44" y="68" width="22" height="22" rx="4"/></a>'
        '<text class="n" x="72" y="84">1</text></svg>'
    )


def test_timeline_wraps_a_full_year_and_skips_undated() -> None:
    articles = [article(f"A{n}", 2020, 1, f"a{n}") for n in range(10)]
    articles.append(NS(title="Sans date", date=None, url="articles/x/"))
    figure = timeline(articles, "")
    assert figure is not None
    assert figure.rows[0].count == 10
    assert 'viewBox="0 0 300 60"' in figure.svg  # two lines of marks: 9, then 1
    assert '<rect x="44" y="26" width="22"' in figure.svg
    assert timeline([], "") is None
