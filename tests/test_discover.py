"""Discovery on small pages: dossier links, pagination, main list, URL keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican.plugins.dossier.discover.crawl import unique
from pelican.plugins.dossier.discover.links import find_dossier, listing_links, next_page, parse
from pelican.plugins.dossier.settings import read_settings
from pelican.plugins.dossier.urls import strip_tracking, url_key

BASE = "https://www.cerema.fr/fr/actualites/dossier/villes"


@pytest.fixture
def settings(tmp_path: Path):
    return read_settings({}, base=tmp_path)


def allowed(url: str) -> bool:
    return "cerema.fr" in url


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.cerema.fr/fr/a/", "cerema.fr/fr/a"),
        ("http://cerema.fr/fr/a#haut", "cerema.fr/fr/a"),
        ("https://CEREMA.fr/fr/a?utm_source=lettre&x=1", "cerema.fr/fr/a?x=1"),
        ("http://127.0.0.1:8765/fr/a/", "127.0.0.1:8765/fr/a"),
    ],
)
def test_url_key_ignores_scheme_www_slash_fragment_tracking(url: str, key: str) -> None:
    assert url_key(url) == key


def test_strip_tracking_keeps_the_fetchable_form() -> None:
    assert strip_tracking("https://www.cerema.fr/fr/a?utm_medium=x#top") == (
        "https://www.cerema.fr/fr/a"
    )
    assert unique(["https://www.cerema.fr/a", "http://cerema.fr/a/", "https://cerema.fr/b"]) == [
        "https://www.cerema.fr/a",
        "https://cerema.fr/b",
    ]


def test_find_dossier_reads_marker_link_and_announced_count(settings) -> None:
    html = """<main><p>Cet article fait partie du dossier :
      <a href="/fr/dossiers/vti">Dossier - Villes et territoires intelligents</a></p>
      <a href="/fr/actualites/dossier/vti"><span>Voir les 17</span> actualités liées à ce
      dossier</a>Premier paragraphe.</main>"""
    info = find_dossier(html, "https://www.cerema.fr/fr/actualites/x", settings)
    assert info.title == "Dossier - Villes et territoires intelligents"
    assert info.url == "https://www.cerema.fr/fr/dossiers/vti"
    assert info.listing_url == "https://www.cerema.fr/fr/actualites/dossier/vti"
    assert info.announced == 17


def test_find_dossier_without_marker_gives_nothing(settings) -> None:
    info = find_dossier("<p>Rien ici</p>", "https://www.cerema.fr/x", settings)
    assert (info.title, info.url, info.listing_url, info.announced) == (None, None, None, None)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a rel="next" href="?page=1">2</a>', BASE + "?page=1"),
        ('<link rel="next" href="/p2"><a href="/x">x</a>', "https://www.cerema.fr/p2"),
        ('<a href="?page=3">Page suivante</a>', BASE + "?page=3"),
        ('<a href="?page=4">›</a>', BASE + "?page=4"),
        ('<a href="?page=5" title="Aller à la page suivante">›</a>', BASE + "?page=5"),
        ('<a href="?page=0">‹</a><a href="?page=2">3</a>', None),
        ('<a href="?page=9">»</a><a href="?page=2">›</a>', BASE + "?page=2"),
        ('<a href="?page=9">»</a><a href="?page=3">Suivant »</a>', BASE + "?page=3"),
        ('<a href="?page=7">»</a>', BASE + "?page=7"),
    ],
)
def test_next_page_variants(html: str, expected: str | None) -> None:
    assert next_page(parse(html), BASE) == expected


LISTING = (Path(__file__).parent / "fixtures" / "discover" / "listing.html").read_text(
    encoding="utf-8"
)


def test_listing_links_keeps_only_the_main_list(settings) -> None:
    urls, following = listing_links(LISTING, BASE, settings, allowed)
    assert unique(urls) == [
        "https://www.cerema.fr/fr/actualites/un",
        "https://www.cerema.fr/fr/actualites/deux",
        "https://www.cerema.fr/fr/actualites/trois",
    ]
    assert following == BASE + "?page=1"


def test_listing_whose_list_looks_like_chrome_by_name_is_still_found(settings) -> None:
    html = """<main><div class="view-related-news">
      <div><a href="/fr/actualites/a">A</a></div><div><a href="/fr/actualites/b">B</a></div>
    </div></main><footer><a href="/fr/plan">Plan</a></footer>"""
    urls, following = listing_links(html, BASE, settings, allowed)
    assert urls == [
        "https://www.cerema.fr/fr/actualites/a",
        "https://www.cerema.fr/fr/actualites/b",
    ]
    assert following is None


def _fixture(name: str) -> str:
    return (Path(__file__).parent / "fixtures" / "discover" / name).read_text(encoding="utf-8")


def test_label_links_of_teasers_are_not_articles(settings) -> None:
    urls, _ = listing_links(_fixture("listing-with-labels.html"), BASE, settings, allowed)
    assert urls == [
        "https://www.cerema.fr/fr/actualites/eclairage-des-bourgs",
        "https://www.cerema.fr/fr/actualites/cantines-et-donnees",
        "https://www.cerema.fr/fr/actualites/velo",
    ]


def test_a_listing_of_read_more_links_keeps_them_all(settings) -> None:
    urls, _ = listing_links(_fixture("listing-read-more.html"), BASE, settings, allowed)
    assert urls == ["https://www.cerema.fr/fr/a/un", "https://www.cerema.fr/fr/b/deux"]
