"""Units of the hostile-copy defences: what looks like an article, values made safe where
they are read (text, counts, dates), canonical identity, stable slugs, isolation."""

from __future__ import annotations

import logging
import tomllib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from mirror import SITE_ROOT
from pelican.plugins.dossier.clean.cleaner import clean
from pelican.plugins.dossier.clean.dates import parse_french, parse_iso
from pelican.plugins.dossier.clean.identity import settle
from pelican.plugins.dossier.fetch.acceptance import (
    article_problem,
    kinship,
    status_title,
    text_problem,
)
from pelican.plugins.dossier.fetch.encoding import decode_html
from pelican.plugins.dossier.isolation import each, with_failures
from pelican.plugins.dossier.model import Cleaned, Entry, Fetched
from pelican.plugins.dossier.publish.articles import slugs
from pelican.plugins.dossier.sane import parse_count, valid_text, valid_tree

HERE = Path(__file__).resolve().parent
PAGES = HERE / "fixtures" / "acceptance"
EXPECTED = tomllib.loads((SITE_ROOT / "expected.toml").read_text(encoding="utf-8"))
MIRROR = [SITE_ROOT / (a["path"].strip("/") + ".html") for a in EXPECTED["articles"]]
MIRROR += [SITE_ROOT / (a["path"].strip("/") + ".html") for a in EXPECTED["foreign"]]
REAL = sorted(PAGES.glob("article-*.html")) + sorted((HERE / "fixtures" / "pages").glob("*.html"))


def cleaned_page(path: Path) -> Cleaned:
    return clean(decode_html(path.read_bytes()), "https://www.cerema.fr/fr/actualites/x")


# --- what looks like an article ---------------------------------------------------------


@pytest.mark.parametrize("path", MIRROR + REAL, ids=lambda p: p.stem)
def test_real_articles_are_accepted(path: Path) -> None:
    assert article_problem(cleaned_page(path)) is None


@pytest.mark.parametrize("path", sorted(PAGES.glob("error-*.html")), ids=lambda p: p.stem)
def test_error_pages_are_refused(path: Path) -> None:
    problem = article_problem(cleaned_page(path))
    assert problem is not None
    assert problem.startswith(("title reads like an error page", "short page in error-page"))


@pytest.mark.parametrize(
    ("title", "refused"),
    [
        ("Service indisponible", True),
        ("Erreur 503", True),
        ("502 Bad Gateway", True),
        ("Site en maintenance", True),
        ("Maintenance", True),
        ("Maintenance prédictive des réseaux d’eau", False),
        ("Les 500 communes de l’expérimentation", False),
        ("Erreurs fréquentes dans les marchés publics", False),
        ("Éclairage public : piloter finement pour consommer moins", False),
    ],
)
def test_status_titles(title: str, refused: bool) -> None:
    assert (status_title(title) is not None) is refused


def _article(text: str, **fields: object) -> Cleaned:
    return Cleaned(title="Un article", html=f"<p>{text}</p>", text=text, **fields)  # type: ignore[arg-type]


LONG = " ".join(f"Phrase numéro {i} de l’article sur les réseaux de chaleur." for i in range(60))


def test_a_copy_that_loses_its_dossier_is_refused() -> None:
    old = _article(LONG, dossier_url="https://ex.test/dossier")
    assert article_problem(_article(LONG), old) == (
        "no longer names its dossier (the previous copy did)"
    )
    assert article_problem(_article(LONG, dossier_url="https://ex.test/dossier"), old) is None


def test_a_copy_that_shrinks_into_another_text_is_refused() -> None:
    other = " ".join(f"Autre contenu sans rapport, ligne {i} du texte." for i in range(12))
    problem = article_problem(_article(other), _article(LONG))
    assert problem is not None and "shares little with the previous copy" in problem


def test_a_shortened_or_longer_copy_of_the_same_article_is_accepted() -> None:
    assert article_problem(_article(LONG[: len(LONG) // 3]), _article(LONG)) is None
    assert article_problem(_article(LONG + " " + LONG), _article(LONG)) is None


def test_kinship_of_texts() -> None:
    assert kinship(LONG[:500], LONG) == 1.0
    assert kinship("rien à voir avec le reste du texte", LONG) == 0.0


def test_undecodable_bodies() -> None:
    garbage = bytes(range(256)) * 40
    assert text_problem(decode_html(garbage)) is not None
    assert text_problem("Un seul \ufffd égaré. " + "Un texte lisible, " * 40) is None


# --- values made safe where they are read -------------------------------------------------


def test_valid_text_replaces_what_utf8_and_xml_cannot_hold() -> None:
    assert valid_text("A\ud800B\x00C\x1fD\ufffeE\tF\n") == "A\ufffdB\ufffdC\ufffdD\ufffdE\tF\n"
    assert valid_tree({"author": ["x\udfff", {"name": "\ud800"}], "n": 3}) == {
        "author": ["x\ufffd", {"name": "\ufffd"}],
        "n": 3,
    }
    valid_text("é\ud800").encode("utf-8")  # would raise before


@pytest.mark.parametrize(
    ("digits", "count"),
    [("16", 16), ("0", 0), ("100000", 100000), ("100001", None), ("9" * 5000, None), ("", None)],
)
def test_counts_are_bounded(digits: str, count: int | None) -> None:
    assert parse_count(digits) == count


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "1989-12-31",
        (datetime.now(UTC) + timedelta(days=3)).isoformat(),
    ],
)
def test_dates_out_of_range_are_dropped(value: str) -> None:
    assert parse_iso(value) is None


def test_dates_in_range_are_kept_and_aware() -> None:
    assert parse_iso("2023-03-14T09:00:00+01:00") == datetime.fromisoformat(
        "2023-03-14T09:00:00+01:00"
    )
    assert parse_iso("2018-08-16").utcoffset() == timedelta(hours=2)  # type: ignore[union-attr]
    assert parse_french("le 1er mars 2022 à 14h30").year == 2022  # type: ignore[union-attr]
    assert parse_french("le 12 mars 1905") is None  # the regex reads it; the range refuses it


# --- canonical identity, slugs, isolation ------------------------------------------------


def entry(url: str, text: str, canonical: str | None = None, lead: bool = False) -> Entry:
    fetched = Fetched(url, url, "fetched", 200, "text/html")
    cleaned = Cleaned(title=url, html=f"<p>{text}</p>", text=text, canonical_url=canonical)
    return Entry(url, fetched, cleaned, plaquette=lead)


A, B, C = (f"http://127.0.0.1:8000/fr/actualites/{n}" for n in ("alpha", "beta", "gamma"))
HOSTS = ("127.0.0.1",)


def _claims(kept: list[Entry]) -> dict[str, str | None]:
    return {e.source_url: e.cleaned.canonical_url for e in kept if e.cleaned}


def test_a_claim_on_another_listed_article_is_ignored(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pelican.plugins.dossier.clean.identity"):
        kept = settle([entry(A, LONG, canonical=B), entry(B, "Un autre texte, tout autre.")], HOSTS)
    assert _claims(kept) == {A: None, B: None}
    assert A in caplog.text and B in caplog.text


def test_a_claim_by_the_same_article_makes_a_duplicate() -> None:
    kept = settle([entry(C, LONG, canonical=A), entry(A, LONG)], HOSTS)
    assert [e.source_url for e in kept] == [A]
    lead = settle([entry(C, LONG, canonical=A, lead=True), entry(A, LONG)], HOSTS)
    assert [(e.source_url, e.plaquette) for e in lead] == [(C, True)]


@pytest.mark.parametrize(
    "claim",
    ["http://127.0.0.2/fr/actualites/alpha", "javascript:alert(1)", "http://127.0.0.1:99999/x"],
)
def test_a_claim_off_the_site_is_ignored(claim: str) -> None:
    assert _claims(settle([entry(A, LONG, canonical=claim)], HOSTS)) == {A: None}


def test_a_claim_on_its_own_site_is_kept_once() -> None:
    alias = "http://127.0.0.1:8000/fr/node/12"
    kept = settle([entry(A, LONG, canonical=alias), entry(B, "Autre.", canonical=alias)], HOSTS)
    assert _claims(kept) == {A: alias, B: None}


def test_slugs_are_unique_and_do_not_depend_on_order() -> None:
    urls = [
        "http://127.0.0.1/fr/actualites/bilan",
        "http://127.0.0.1/fr/dossiers/bilan",
        "http://127.0.0.1/en/bilan/",
        "http://127.0.0.1/fr/autre",
    ]
    entries = [entry(u, LONG) for u in urls]
    names = slugs(entries, {})
    assert names == slugs(list(reversed(entries)), {})
    assert len(set(names.values())) == len(urls)
    assert sorted(names.values())[:2] == ["autre", "bilan"]


def test_one_failing_entry_fails_alone() -> None:
    entries = [entry(A, LONG), entry(B, LONG)]

    def work(e: Entry) -> Entry:
        if e.source_url == B:
            raise KeyError("themes")
        return replace(e, plaquette=True)

    done = each(entries, "tagging", work)
    assert [(e.fetched.status, e.plaquette) for e in done] == [("fetched", True), ("failed", False)]
    assert done[1].fetched.reason == "tagging failed (KeyError: 'themes')"
    assert done[1].cleaned is None
    outcomes = with_failures([e.fetched for e in entries], done)
    assert [o.status for o in outcomes] == ["fetched", "failed"]
