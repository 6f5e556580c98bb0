"""Discovery on small pages: dossier links, pagination, main list, URL keys."""

from __future__ import annotations

import tomllib
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


# Each listing page in fixtures/discover/ comes with its .expected.toml: the article
# URLs of its main list (in order, duplicates folded) and the next page, if any.
LISTINGS = Path(__file__).parent / "fixtures" / "discover"
CASES = sorted(LISTINGS.glob("*.expected.toml"))


def test_there_are_listing_cases() -> None:
    assert len(CASES) >= 4
    for case in CASES:
        assert case.with_name(case.name.replace(".expected.toml", ".html")).is_file(), case


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.removesuffix(".expected.toml"))
def test_listing_main_list_and_next_page(settings, case: Path) -> None:
    expected = tomllib.loads(case.read_text(encoding="utf-8"))
    page = case.with_name(case.name.replace(".expected.toml", ".html"))
    urls, following = listing_links(page.read_text(encoding="utf-8"), BASE, settings, allowed)
    assert unique(urls) == expected["urls"], expected["description"]
    assert following == expected.get("next"), expected["description"]
