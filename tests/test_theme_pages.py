"""Theme templates on a small synthetic dossier: what each page shows, exactly.

The pipeline is replaced by a hand-made ``DossierResult`` (a plaquette with its
PDF, a stale copy, a hand-corrected theme, a title with markup characters), so
every case the templates handle is present whatever the sample mirror holds.
Pelican itself runs for real, into a temporary folder.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pelican.plugins.dossier import glue
from pelican.plugins.dossier.model import (
    Attachment,
    Cleaned,
    DossierInfo,
    Entry,
    Fetched,
    ThemeMatch,
)
from pelican.plugins.dossier.pipeline import DossierResult
from pelican.plugins.dossier.publish.filters import date_fr, filesize_fr, typo_fr
from pelican.plugins.dossier.themes import cooccurrence, load_taxonomy
from support import SITEURL, build_site

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "https://www.cerema.fr/fr/actualites/"
FETCHED = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
PDF = Attachment(SOURCE + "plaquette.pdf", "La plaquette", "application/pdf", 2_345_678)

# (slug, title, published, themes, extra) — extra: plaquette / stale / corrected
SAMPLE = (
    ("plaquette", "Villes intelligentes : tous concernés", (2024, 3, 5), ("methode", "donnees")),
    ("eclairage", "Éclairer mieux en dépensant moins", (2024, 5, 1), ("reseaux", "frugalite")),
    ("donnees-ouvertes", "Données & territoires : <le> guide", (2023, 9, 12), ("donnees",)),
    (
        "concertation",
        "Concerter les habitants en ligne",
        (2023, 1, 20),
        ("participation", "donnees", "methode"),
    ),
    ("petite-commune", "Une petite commune se lance", (2022, 8, 16), ("territoires", "donnees")),
)


def _entry(slug: str, title: str, day: tuple[int, int, int], themes: tuple[str, ...]) -> Entry:
    url = f"{SOURCE}{slug}"
    stale = slug == "concertation"
    fetched = Fetched(
        url,
        url,
        "stale" if stale else "fetched",
        200,
        text="<html></html>",
        reason="HTTP 503" if stale else "",
        fetched_at=FETCHED,
    )
    cleaned = Cleaned(
        title=title,
        html=f"<p>Le texte de l’article {slug}.</p>",
        text=f"texte {slug}",
        summary=f"Résumé de {slug}, en une phrase.",
        published=datetime(*day, 9, 0, tzinfo=UTC),
        updated=datetime(2025, 1, 10, tzinfo=UTC) if slug == "eclairage" else None,
        canonical_url=url,
        attachments=(PDF,) if slug == "plaquette" else (),
    )
    matches = tuple(ThemeMatch(t, 2.5, ("donnée", "open data")) for t in themes)
    if slug == "petite-commune":  # a hand correction added « territoires »
        matches = (ThemeMatch("territoires", 0.0, (), corrected=True), *matches[1:])
    return Entry(url, fetched, cleaned, matches, plaquette=slug == "plaquette")


def sample_result(empty: bool = False) -> DossierResult:
    """A small dossier with every case the templates handle (or none fetched)."""
    taxonomy = load_taxonomy(ROOT / "content" / "themes.toml")
    info = DossierInfo("Dossier - Villes et territoires intelligents", SOURCE + "dossier", None, 5)
    if empty:
        failed = Fetched(SOURCE + "plaquette", SOURCE + "plaquette", "failed", reason="timeout")
        return DossierResult(info, [Entry(failed.url, failed, None)], taxonomy, [failed], ["x"])
    entries = [_entry(*row) for row in SAMPLE]
    urls = [e.source_url for e in entries]
    entries = [
        Entry(e.source_url, e.fetched, e.cleaned, e.themes, e.plaquette, tuple(urls[i + 1 : i + 3]))
        for i, e in enumerate(entries)
    ]
    matrix = cooccurrence([[m.slug for m in e.themes] for e in entries], taxonomy.slugs)
    return DossierResult(info, entries, taxonomy, [], [], matrix)


def build_sample(output: Path, monkeypatch: pytest.MonkeyPatch, empty: bool = False) -> Path:
    """Run Pelican on the sample dossier into ``output``."""
    monkeypatch.setattr(glue, "build_dossier", lambda config: sample_result(empty))
    return build_site(output, output.parent / "cache")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as monkeypatch:
        return build_sample(tmp_path_factory.mktemp("theme") / "out", monkeypatch)


def page(site: Path, relative: str) -> str:
    return (site / relative / "index.html").read_text(encoding="utf-8")


def card_titles(html: str) -> list[str]:
    """Card titles in page order, with non-breaking spaces shown as plain ones."""
    found = re.findall(r'<article class="card"[^>]*>\s*<h[23]><a [^>]*>([^<]*)</a>', html)
    return [title.replace("\u00a0", " ") for title in found]


def test_hub_shows_counts_lead_and_cards_newest_first(site: Path) -> None:
    hub = page(site, "")
    assert '<html lang="fr">' in hub
    # the fetched title's hyphen is shown as a French dash (issue 17), glued to its word
    assert "<h1>Dossier\u00a0– Villes et territoires intelligents</h1>" in hub
    when = "2\u00a0juin\u00a02025\u00a0à\u00a010:00"  # dates never broken across lines
    assert f"5 articles annoncés, 5 publiés · dernière récupération le {when}" in hub
    assert card_titles(hub) == [
        "Éclairer mieux en dépensant moins",
        "Données &amp; territoires : &lt;le&gt; guide",
        "Concerter les habitants en ligne",
        "Une petite commune se lance",
    ]
    assert '<time datetime="2022-08-16">16\u00a0août\u00a02022</time> · Cerema' in hub


def test_hub_lead_offers_the_pdf_with_its_size(site: Path) -> None:
    hub = page(site, "")
    lead = hub.split('<article class="card lead"', 1)[1].split("</article>", 1)[0]
    assert "Villes intelligentes\u00a0: tous concernés" in lead
    assert f'<a class="button" href="{PDF.url}">Télécharger la plaquette' in lead
    assert "(PDF, 2,3 Mo)" in lead
    assert f'href="{SOURCE}plaquette">Lire sur le site d’origine</a>' in lead


def test_chips_link_to_theme_pages_with_labels_and_counts(site: Path) -> None:
    hub = page(site, "")
    assert (
        f'<a class="chip" href="{SITEURL}/themes/donnees/" data-theme="donnees">'
        'Valorisation des données <span class="count">4</span></a>'
    ) in hub
    assert 'data-themes="territoires donnees"' in hub
    # a card's chip is known by its link (filtres.js maps it through the filter bar's)
    assert f'<li><a class="chip" href="{SITEURL}/themes/territoires/">' in hub
    assert f'<script src="{SITEURL}/theme/js/filtres.js" defer></script>' in hub


def test_theme_page_lists_its_articles_and_feeds(site: Path) -> None:
    html = page(site, "themes/donnees")
    assert "<h1>Valorisation des données</h1>" in html
    assert "4 articles sur ce thème" in html
    assert card_titles(html) == [
        "Villes intelligentes : tous concernés",
        "Données &amp; territoires : &lt;le&gt; guide",
        "Concerter les habitants en ligne",
        "Une petite commune se lance",
    ]
    for kind, ext in (("atom+xml", "atom.xml"), ("rss+xml", "rss.xml")):
        href = f"{SITEURL}/feeds/themes/donnees.{ext}"
        assert f'<link rel="alternate" type="application/{kind}"' in html
        assert f'href="{href}"' in html


def test_article_page_source_block_and_canonical(site: Path) -> None:
    html = page(site, "articles/eclairage")
    assert f'<link rel="canonical" href="{SOURCE}eclairage">' in html
    assert '<h2 id="source-titre">Source\u00a0: Cerema</h2>' in html
    html = html.replace("\u00a0", " ")  # dates are written with no-break spaces
    assert '<dt>Publié le</dt><dd><time datetime="2024-05-01">1 mai 2024</time></dd>' in html
    assert '<dt>Mis à jour le</dt><dd><time datetime="2025-01-10">10 janvier 2025</time>' in html
    assert "<dt>Copie récupérée le</dt><dd>2 juin 2025 à 10:00</dd>" in html
    assert "copie-ancienne" not in html


def test_article_page_explains_its_themes(site: Path) -> None:
    html = page(site, "articles/petite-commune")
    nbsp = "\u00a0"
    assert (
        f"Mots trouvés dans le texte{nbsp}: «{nbsp}donnée{nbsp}», «{nbsp}open data{nbsp}»."
        f" Score{nbsp}: 2,5." in html
    )
    assert "<strong>Ajouté à la main</strong>" in html
    assert html.count("Pourquoi ce thème\u00a0?") == 2


def test_stale_copy_says_so(site: Path) -> None:
    html = page(site, "articles/concertation")
    assert '<p class="notice" id="copie-ancienne"><strong>Copie non actualisée.</strong>' in html
    assert "n’a pas pu être relu : erreur du site (503)." in html  # reasons.toml, in French
    assert "(non actualisée)</dd>" in html


def test_related_and_neighbours(site: Path) -> None:
    html = page(site, "articles/eclairage")
    aussi = html.split('<h2 id="aussi">À lire aussi</h2>', 1)[1].split("</section>", 1)[0]
    aussi = aussi.replace("\u00a0", " ")
    assert re.findall(r"<a href=\"[^\"]+\">([^<]+)</a>", aussi) == [
        "Données &amp; territoires : &lt;le&gt; guide",
        "Concerter les habitants en ligne",
    ]
    assert 'rel="prev"' not in html  # the newest article
    assert f'<a rel="next" href="{SITEURL}/articles/plaquette/">' in html
    older = page(site, "articles/plaquette")
    assert f'<a rel="prev" href="{SITEURL}/articles/eclairage/">' in older
    assert f'<a rel="next" href="{SITEURL}/articles/donnees-ouvertes/">' in older


def test_overview_bars_timeline_and_pairs(site: Path) -> None:
    hub = page(site, "").split('<section class="overview"', 1)[1].split("</section>", 1)[0]
    nbsp = "\u00a0"
    assert '<svg class="barres" viewBox="0 0 300 192"' in hub  # 6 themes with articles
    assert '<title id="barres-titre">Articles par thème</title>' in hub
    assert (
        f'<a href="{SITEURL}/themes/donnees/" data-theme="donnees"'
        f' aria-label="Valorisation des données{nbsp}: 4{nbsp}articles">'
    ) in hub
    assert '<svg class="frise" viewBox="0 0 300 102"' in hub  # 2022, 2023, 2024
    assert (
        f'<a href="{SITEURL}/articles/donnees-ouvertes/"><title>Données &amp; territoires'
        f"{nbsp}: &lt;le&gt; guide — Valorisation des données</title>"
        '<rect class="m" x="70" y="34" width="22" height="22"/></a>'
    ) in hub
    # its one theme fills its square, in its bar's colour
    assert re.search(r'<path class="c1" d="[^"]*M70 34h22v22h-22z', hub)
    # the theme's colour is its bar's
    assert '<text x="4" y="14">Valorisation des données</text><rect class="c1"' in hub
    assert (
        f"<li>2023{nbsp}: 2 articles (Valorisation des données{nbsp}2, "
        f"Méthode et innovation organisationnelle{nbsp}1, Participation des habitants{nbsp}1)</li>"
    ) in hub
    # only pairs shared by two articles or more; « donnees » with « methode » is one
    assert hub.count('data-pair="') == 1
    assert (
        f'<a href="{SITEURL}/?theme=donnees,methode&amp;mode=tous" data-pair="donnees methode">'
        in hub
    )


def test_failed_dossier_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = build_sample(tmp_path / "out", monkeypatch, empty=True)
    hub = (out / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="echec">Le dossier n’a pas pu être récupéré</h2>' in hub
    assert "filtres.js" not in hub


@pytest.mark.parametrize(
    ("size", "text"),
    [(None, ""), (1, "1 octet"), (512, "512 octets"), (48_200, "48 ko"), (2_345_678, "2,3 Mo")],
)
def test_filesize_fr(size: int | None, text: str) -> None:
    assert filesize_fr(size) == text


def test_typo_fr_keeps_french_punctuation_with_its_word() -> None:
    nbsp = "\u00a0"
    assert (
        typo_fr("RGPD : « cinq  réflexes » ?") == f"RGPD{nbsp}: «{nbsp}cinq  réflexes{nbsp}»{nbsp}?"
    )
    assert typo_fr(None) == ""


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Dossier - Villes", "Dossier\u00a0– Villes"),
        ("Covid-19 et rond-point", "Covid-19 et rond-point"),  # hyphens inside words stay
        ("10 000 habitants, 1 234 567 m²", "10\u202f000 habitants, 1\u202f234\u202f567 m²"),
        ("En 2019 300 communes", "En 2019 300 communes"),  # a year is not a thousands group
        ("le 24 septembre 2019", "le 24\u00a0septembre\u00a02019"),
        ("le 1er Mai", "le 1er\u00a0Mai"),
        ("30 % ou 5 €", "30\u00a0% ou 5\u00a0€"),
        ("Pourquoi ? Parce que ! Voilà ; fin", "Pourquoi\u00a0? Parce que\u00a0! Voilà\u00a0; fin"),
    ],
)
def test_typo_fr_dashes_numbers_and_dates(text: str, shown: str) -> None:
    assert typo_fr(text) == shown


def test_date_fr_never_breaks() -> None:
    assert date_fr(datetime(2019, 9, 24, 12, 0, tzinfo=UTC)) == "24\u00a0septembre\u00a02019"


def test_an_article_page_title_has_french_spacing(site: Path) -> None:
    html = page(site, "articles/donnees-ouvertes")
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("Données &amp; territoires\u00a0: &lt;le&gt; guide – ")


def test_an_article_without_a_date_says_so_and_is_not_placed_at_its_fetch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = sample_result()
    entries = [
        replace(e, cleaned=replace(e.cleaned, published=None)) if "eclairage" in e.source_url else e
        for e in result.entries
    ]
    monkeypatch.setattr(glue, "build_dossier", lambda config: replace(result, entries=entries))
    out = build_site(tmp_path / "out", tmp_path / "cache")
    hub = (out / "index.html").read_text(encoding="utf-8")
    card = hub.split('<a href="http://127.0.0.1:9/articles/eclairage/">', 2)[2].split("</p>")[0]
    assert "date inconnue" in card and "<time" not in card.split("·")[0]
    frise = hub.split('<svg class="frise"', 1)[1].split("</svg>", 1)[0]
    assert ">2025<" not in frise  # not the year it was fetched
    assert "s.\u00a0d.</text>" in frise
    assert "<li>Sans date\u00a0: 1 article (" in hub
    # and it comes after the dated articles, not first among the newest
    cards = re.findall(r'<h3><a href="http://127.0.0.1:9/articles/([a-z-]+)/">', hub)
    assert cards[-1] == "eclairage" and len(cards) == 4
    theme = (out / "themes" / "reseaux" / "index.html").read_text(encoding="utf-8")
    assert "articles/eclairage/" in theme.split('class="cards"', 1)[1]
