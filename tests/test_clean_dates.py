"""Publication dates when the page's metadata gives none: the visible text just after
the title, a small date element, then the URL's path; each with a page of our own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.dossier.clean.cleaner import clean
from pelican.plugins.dossier.clean.dates import parse_stamp, url_date, written_date

PARIS = ZoneInfo("Europe/Paris")
PLAIN_URL = "https://exemple.test/actualites/une-page"
PROSE = (
    "La commune a réuni ses habitants pour parler des pistes cyclables, du stationnement "
    "et de la place laissée aux piétons devant les écoles du quartier. Les services "
    "techniques ont présenté trois scénarios, chacun chiffré, avec un calendrier de travaux "
    "étalé sur deux ans et une consultation ouverte jusqu’à l’été."
)


def _page(after_title: str, head: str = "", lang: str = "fr", before: str = "") -> str:
    return (
        f"<html lang='{lang}'><head><title>Une rue pour tous</title>{head}</head><body>"
        f"{before}<article><h1>Une rue pour tous</h1>{after_title}<p>{PROSE}</p>"
        f"<p>{PROSE}</p></article></body></html>"
    )


def _day(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("byline", "lang", "expected"),
    [
        ("<p class='auteur'>Par Jeanne Martin · 12 septembre 2023</p>", "fr", (2023, 9, 12)),
        ("<div><span>Jeanne Martin</span> <span>12 sept. 2023</span></div>", "fr", (2023, 9, 12)),
        ("<p>Le 1er mars 2022, par la rédaction</p>", "fr", (2022, 3, 1)),
        ("<p>Jeanne Martin — 12/09/2023</p>", "fr", (2023, 9, 12)),
        ("<p>By Jane Martin, September 12, 2023</p>", "en", (2023, 9, 12)),
        ("<p>By Jane Martin · 12th Sept. 2023</p>", "en-GB", (2023, 9, 12)),
        ("<p>Jane Martin 09/25/2023</p>", "en-US", (2023, 9, 25)),  # only month first reads
    ],
)
def test_date_written_under_the_title(byline: str, lang: str, expected: tuple) -> None:
    assert clean(_page(byline, lang=lang), PLAIN_URL).published == _day(*expected)


def test_date_in_the_body_prose_is_not_the_publication_date() -> None:
    # past the byline area: an event the article tells of, not when it was published
    late = f"<p>{PROSE}</p><p>La réunion publique aura lieu le 3 mars 2021 en mairie.</p>"
    assert clean(_page(late), PLAIN_URL).published is None


def test_date_before_the_title_is_not_taken() -> None:
    # a masthead's « today » or a list of other articles sits above the title
    masthead = "<div class='top'>Mercredi 20 novembre 2019</div>"
    assert clean(_page("", before=masthead), PLAIN_URL).published is None


def test_dates_in_captions_menus_and_widgets_after_the_title_are_skipped() -> None:
    chrome = (
        "<div class='photo-top'><img src='a.jpg' alt=''><p>Le chantier, 4 mai 2010</p></div>"
        "<div class='widget recent-posts'><a href='/b'>Autre article</a> 2 juin 2019</div>"
        "<figure><figcaption>Vue du 8 juillet 2011</figcaption></figure>"
        "<p>Par Jeanne Martin, 12 septembre 2023</p>"
    )
    assert clean(_page(chrome), PLAIN_URL).published == _day(2023, 9, 12)


def test_an_update_date_is_passed_over_for_the_publication_date() -> None:
    byline = "<p>By Jane Martin · Updated October 5, 2023 · September 12, 2023</p>"
    assert clean(_page(byline, lang="en"), PLAIN_URL).published == _day(2023, 9, 12)


def test_ambiguous_numeric_date_on_an_english_page_is_refused() -> None:
    assert clean(_page("<p>Jane Martin 03/04/2021</p>", lang="en"), PLAIN_URL).published is None
    # the same page in French reads day first
    assert clean(_page("<p>Jeanne Martin 03/04/2021</p>"), PLAIN_URL).published == _day(2021, 4, 3)


def test_a_future_date_is_refused() -> None:
    ahead = datetime.now(UTC) + timedelta(days=400)
    byline = f"<p>Par Jeanne Martin, {ahead:%d/%m/%Y}</p>"
    assert clean(_page(byline), PLAIN_URL).published is None
    assert clean(_page(""), f"https://exemple.test/{ahead:%Y/%m/%d}/une-page").published is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/actualites/2023/09/12/une-page", (2023, 9, 12)),
        ("/actualites/2023/9/2", (2023, 9, 2)),
        ("/2023-09-12-une-page", (2023, 9, 12)),
        ("/blog/une-page-2023-09-12.html", (2023, 9, 12)),
        ("/articles/20230912/une-page", (2023, 9, 12)),
        ("/recherche/une-page-20230912/", (2023, 9, 12)),
    ],
)
def test_date_in_the_url_path(path: str, expected: tuple) -> None:
    assert clean(_page(""), f"https://exemple.test{path}").published == _day(*expected)


@pytest.mark.parametrize(
    "path",
    [
        "/produits/2023456/",  # a product number, not a date
        "/produits/20231345/",  # eight digits that are no day
        "/fiche/120230912/",  # a longer number that holds a date's digits
        "/2023/09/une-page",  # a month without its day: the day would be made up
        "/1985/01/01/archive",  # before the web: out of range
        "/actualites/une-page?date=2023/09/12",  # the query is not the path
    ],
)
def test_url_without_a_whole_day_gives_no_date(path: str) -> None:
    assert url_date(f"https://exemple.test{path}") is None
    assert clean(_page(""), f"https://exemple.test{path}").published is None


def test_order_of_trust_metadata_then_text_then_url() -> None:
    url = "https://exemple.test/2020/01/02/une-page"
    byline = "<p>Par Jeanne Martin, 12 septembre 2023</p>"
    meta = "<meta property='article:published_time' content='2024-05-06T10:00:00+02:00'>"
    assert clean(_page(byline, head=meta), url).published == datetime(2024, 5, 6, 10, tzinfo=PARIS)
    timed = "<p><time datetime='2022-07-08'>8 juillet</time> 12 septembre 2023</p>"
    assert clean(_page(timed), url).published == _day(2022, 7, 8)
    assert clean(_page(byline), url).published == _day(2023, 9, 12)
    assert clean(_page(""), url).published == _day(2020, 1, 2)


def test_date_element_named_for_dates_when_no_h1() -> None:
    page = (
        "<html lang='en'><body><div class='post'><span class='post-date'>Sept. 12, 2023"
        f"</span><p>{PROSE}</p></div></body></html>"
    )
    assert clean(page, PLAIN_URL).published == _day(2023, 9, 12)


def test_written_date_reports_where_it_starts() -> None:
    found = written_date("Par Jeanne Martin, 12 sept. 2023", "fr")
    assert found == (_day(2023, 9, 12), 19)
    assert written_date("31 février 2020", "fr") is None
    assert written_date("Marseille, 12 2023", "fr") is None


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ("<meta itemprop='datePublished' content='2023-09-12'>", (2023, 9, 12)),
        ("<meta property='og:pubdate' content='2023-09-12T08:00:00+02:00'>", (2023, 9, 12)),
        ("<meta name='pubdate' content='Tue, 12 Sep 2023 06:00:00 GMT'>", (2023, 9, 12)),
        ("<meta name='sailthru.date' content='12 Sep 2023 06:00 GMT'>", (2023, 9, 12)),
        ("<meta name='parsely-pub-date' content='September 12, 2023'>", (2023, 9, 12)),
    ],
)
def test_publication_keys_of_meta_are_read_in_any_common_form(meta: str, expected: tuple) -> None:
    page = _page("", head=meta)
    assert clean(page, PLAIN_URL).published.astimezone(PARIS).date() == _day(*expected).date()


def test_a_vague_date_key_comes_after_the_byline() -> None:
    # « date » is, on some sites, the last change: the byline under the title wins
    vague = "<meta name='date' content='2023-10-02'>"
    byline = "<p>Par Jeanne Martin · 12 septembre 2023</p>"
    assert clean(_page(byline, head=vague), PLAIN_URL).published == _day(2023, 9, 12)
    # with nothing better it is used, before the URL
    dated_url = "https://exemple.test/2021/01/05/une-page"
    found = clean(_page("", head=vague), dated_url).published
    assert found is not None and found.date().isoformat() == "2023-10-02"


@pytest.mark.parametrize("value", ["hier", "x" * 80, "Tue, 12 Sep 2099 06:00:00 GMT", "32/13/2023"])
def test_parse_stamp_refuses_what_is_not_a_sane_date(value: str) -> None:
    assert parse_stamp(value) is None


RFC_LIKE = r"[A-Za-z]{3}, \d{1,3} [A-Za-z]{3} \d{1,6} \d\d:\d\d(:\d\d)? [+-]\d{4,6}"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=64) | st.from_regex(RFC_LIKE, fullmatch=True))
def test_parse_stamp_never_raises_and_keeps_dates_sane(value: str) -> None:
    found = parse_stamp(value)
    now = datetime.now(UTC)
    assert found is None or datetime(1990, 1, 1, tzinfo=UTC) <= found <= now + timedelta(days=2)
