"""Unit tests of the clean stage's pure helpers and entry points."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pelican.plugins.dossier.clean.cleaner import clean, extract_text, summarize
from pelican.plugins.dossier.clean.dates import dates_in_text, parse_french, parse_iso
from pelican.plugins.dossier.fetch.acceptance import article_problem

PARIS = ZoneInfo("Europe/Paris")
PAGES = Path(__file__).parent / "fixtures" / "pages"
PROSE = "Les communes partagent leurs données de mobilité, de voirie et d’éclairage. " * 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16 août 2018", datetime(2018, 8, 16, tzinfo=PARIS)),
        ("le 1er mars 2022", datetime(2022, 3, 1, tzinfo=PARIS)),
        ("Mardi 3 DÉCEMBRE 2019 à 14h30", datetime(2019, 12, 3, 14, 30, tzinfo=PARIS)),
        ("7 fevrier 2023", datetime(2023, 2, 7, tzinfo=PARIS)),
        ("05/04/2021", datetime(2021, 4, 5, tzinfo=PARIS)),
        ("31 février 2020", None),
        ("pas de date ici", None),
    ],
)
def test_parse_french(text: str, expected: datetime | None) -> None:
    assert parse_french(text) == expected


def test_parse_iso_variants() -> None:
    assert parse_iso("2020-11-24T07:15:00Z") == datetime(2020, 11, 24, 8, 15, tzinfo=PARIS)
    assert parse_iso("2020-11-24") == datetime(2020, 11, 24, tzinfo=PARIS)
    assert parse_iso("2020-11-24T07:15:00.000+0100 garbage") == datetime(2020, 11, 24, tzinfo=PARIS)
    assert parse_iso("hier") is None


def test_dates_in_text() -> None:
    text = "Publié le 16 août 2018 – Mis à jour le 2 septembre 2019"
    assert dates_in_text(text) == (
        datetime(2018, 8, 16, tzinfo=PARIS),
        datetime(2019, 9, 2, tzinfo=PARIS),
    )


def test_summarize_cuts_on_a_word() -> None:
    text = "mot " * 100
    summary = summarize(text)
    assert len(summary) <= 300
    assert summary.endswith("mot…")
    assert summarize("  court   texte ") == "court texte"


def test_same_input_same_bytes() -> None:
    html = (PAGES / "cerema-dossier.html").read_text(encoding="utf-8")
    url = "https://www.cerema.fr/fr/actualites/x"
    first, second = clean(html, url), clean(html, url)
    assert first == second
    assert first.html.encode() == second.html.encode()
    assert extract_text(html, url) == extract_text(html, url)


def test_glued_markers_in_one_text_node() -> None:
    page = (
        "<html><body><article><h1>Titre</h1><p>Cet article fait partie du dossier : "
        "<a href='/dossier'>Villes</a>Voir les 15 actualités liées à ce dossierLe format "
        f"reste le même. {PROSE}</p></article></body></html>"
    )
    cleaned = clean(page, "http://127.0.0.1:8000/a")
    assert cleaned.text.startswith("Le format reste le même.")
    assert (cleaned.dossier_title, cleaned.dossier_url) == (
        "Villes",
        "http://127.0.0.1:8000/dossier",
    )
    assert (cleaned.announced, cleaned.listing_url) == (15, None)


def test_caption_not_glued_to_next_paragraph() -> None:
    page = (
        "<html><body><article><p>" + PROSE + "</p><figure><img src='a.jpg' alt='Une place'>"
        "<figcaption>Une place rénovée</figcaption></figure><p>La suite du texte.</p>"
        "</article></body></html>"
    )
    text = clean(page, "https://ex.test/a/").text
    assert "Une place rénovée\nLa suite du texte." in text
    assert "Une place" not in extract_text(page, "https://ex.test/a/")


def test_headings_shift_and_title_leaves_body() -> None:
    page = (
        "<html><head><title>Mon titre | Site</title></head><body><article><h1>Mon titre</h1>"
        f"<p>{PROSE}</p><h2>Partie</h2><p>{PROSE}</p><h6>Note</h6></article></body></html>"
    )
    cleaned = clean(page, "https://ex.test/")
    assert cleaned.title == "Mon titre"
    assert "<h1" not in cleaned.html
    assert "<h2>Partie</h2>" in cleaned.html and "<h6>Note</h6>" in cleaned.html


def test_body_headings_start_at_h2_without_gaps() -> None:
    page = (
        "<html><head><title>Mon titre | Site</title></head><body><article><h1>Mon titre</h1>"
        f"<p>{PROSE}</p><h1>Grande partie</h1><p>{PROSE}</p><h2>Sous-partie</h2>"
        f"<p>{PROSE}</p></article></body></html>"
    )
    cleaned = clean(page, "https://ex.test/")
    assert "<h1" not in cleaned.html
    assert "<h2>Grande partie</h2>" in cleaned.html and "<h3>Sous-partie</h3>" in cleaned.html
    deep = page.replace("<h1>Grande", "<h3>Grande").replace("partie</h1>", "partie</h3>")
    deep = deep.replace("<h2>Sous-partie</h2>", "<h4>Sous-partie</h4>")
    cleaned = clean(deep, "https://ex.test/")
    assert "<h2>Grande partie</h2>" in cleaned.html and "<h3>Sous-partie</h3>" in cleaned.html


def test_the_article_check_accepts_prose_and_refuses_a_menu_or_nothing() -> None:
    # what the fetch stage asks of a page (clean.workers): cleaned, then the article check
    article = (PAGES / "blog-sans-regle.html").read_text(encoding="utf-8")
    assert article_problem(clean(article, "https://carnet-quartiers.example/a")) is None
    menu = "<html><body><ul>" + "<li><a href='/x'>Lien</a></li>" * 30 + "</ul></body></html>"
    assert article_problem(clean(menu, "https://ex.test/")) == "no extractable article"
    assert article_problem(clean("", "https://ex.test/")) == "no extractable article"


def test_empty_and_broken_input() -> None:
    assert clean("", "https://ex.test/").text == ""
    assert extract_text("<p>", "https://ex.test/") == ""
    assert (
        clean("<?xml version='1.0' encoding='latin-1'?><p>été</p>", "https://ex.test/").title == ""
    )
