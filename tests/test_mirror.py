"""The sample mirror: HTTP behaviour of tests/mirror.py and consistency of the fixture site."""

from __future__ import annotations

import hashlib
import http.client
import importlib.util
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pdfmaker
import pytest
from bs4 import BeautifulSoup
from mirror import DEFAULT_LAST_MODIFIED, SITE_ROOT, MirrorServer, is_not_modified
from pelican.plugins.dossier.themes.taxonomy import SLUGS

EXPECTED = tomllib.loads((SITE_ROOT / "expected.toml").read_text(encoding="utf-8"))
ARTICLES = EXPECTED["articles"]
THEMES = set(SLUGS)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août")
MONTHS += ("septembre", "octobre", "novembre", "décembre")
# Title links of the listing's main list, in both teaser markups.
MAIN_LIST_TITLES = ".view-content h3 a[href], .view-content a.titre[href]"

Reply = tuple[int, dict[str, str], bytes]


@pytest.fixture(scope="module")
def server() -> Iterator[MirrorServer]:
    with MirrorServer() as mirror:
        yield mirror


def fetch(server: MirrorServer, target: str, method: str = "GET", **headers: str) -> Reply:
    """One request without following redirects: (status, lower-cased headers, body)."""
    port = urlsplit(server.base_url).port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, target, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def soup_of(body: bytes) -> BeautifulSoup:
    """Parse bytes, letting the <meta> charset decide like a browser would."""
    return BeautifulSoup(body, "lxml")


def main_list_hrefs(server: MirrorServer) -> list[tuple[str, str]]:
    """(listing page, href) of every title link of the main list, over all listing pages."""
    found = []
    for page in EXPECTED["listing_pages"]:
        status, _, body = fetch(server, page)
        assert status == 200
        found += [(page, a["href"]) for a in soup_of(body).select(MAIN_LIST_TITLES)]
    return found


# ---------------------------------------------------------------- HTTP behaviour


def test_start_path_redirects_to_the_plaquette(server: MirrorServer) -> None:
    status, headers, _ = fetch(server, EXPECTED["start_path"])
    assert status == 301
    assert headers["location"] == EXPECTED["plaquette_path"]


@pytest.mark.parametrize("page", EXPECTED["listing_pages"])
def test_listing_pages_are_html(server: MirrorServer, page: str) -> None:
    status, headers, body = fetch(server, page)
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "Actualités du dossier « Villes et territoires intelligents »" in body.decode()


@pytest.mark.parametrize("article", ARTICLES, ids=[a["path"].rsplit("/", 1)[1] for a in ARTICLES])
def test_every_article_is_served(server: MirrorServer, article: dict) -> None:
    status, headers, body = fetch(server, article["path"])
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert soup_of(body).h1.get_text(strip=True) == article["title"]


def test_tracking_query_maps_to_the_plain_page(server: MirrorServer) -> None:
    path = "/fr/actualites/services-numeriques-habitants-demarches"
    plain = fetch(server, path)
    tracked = fetch(server, path + "?utm_source=newsletter&utm_medium=email")
    assert tracked[0] == 200
    assert tracked[2] == plain[2]


def test_page_query_selects_the_page_file(server: MirrorServer) -> None:
    listing = EXPECTED["listing_path"]
    second = fetch(server, listing + "?page=1")[2]
    assert (
        second
        == (SITE_ROOT / listing.lstrip("/"))
        .with_name("villes-territoires-intelligents@page=1.html")
        .read_bytes()
    )
    assert fetch(server, listing + "?page=0")[2] == fetch(server, listing)[2]
    assert fetch(server, listing + "?page=9")[0] == 404
    assert fetch(server, listing + "?page=../../../../index")[0] == 404


def test_trailing_slash_serves_the_same_page(server: MirrorServer) -> None:
    path = EXPECTED["plaquette_path"]
    assert fetch(server, path + "/")[2] == fetch(server, path)[2]


def test_etag_is_the_quoted_sha1_and_stable(server: MirrorServer) -> None:
    path = EXPECTED["plaquette_path"]
    _, first, body = fetch(server, path)
    _, second, _ = fetch(server, path)
    assert first["etag"] == '"' + hashlib.sha1(body).hexdigest() + '"'
    assert second["etag"] == first["etag"]
    assert first["last-modified"] == DEFAULT_LAST_MODIFIED


def test_if_none_match_gives_304_without_body(server: MirrorServer) -> None:
    path = EXPECTED["plaquette_path"]
    etag = fetch(server, path)[1]["etag"]
    status, headers, body = fetch(server, path, If_None_Match=etag)
    assert (status, body) == (304, b"")
    assert headers["etag"] == etag
    assert fetch(server, path, If_None_Match='"stale"')[0] == 200


def test_if_modified_since_gives_304_without_body(server: MirrorServer) -> None:
    path = EXPECTED["listing_path"]
    status, _, body = fetch(server, path, If_Modified_Since=DEFAULT_LAST_MODIFIED)
    assert (status, body) == (304, b"")
    older = "Sun, 01 Jun 2025 08:00:00 GMT"
    assert fetch(server, path, If_Modified_Since=older)[0] == 200


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"if-none-match": 'W/"abc"'}, True),
        ({"if-none-match": '"other", "abc"'}, True),
        ({"if-none-match": "*"}, True),
        ({"if-none-match": '"other"', "if-modified-since": DEFAULT_LAST_MODIFIED}, False),
        ({"if-modified-since": "Mon, 02 Jun 2025 08:00:00 -0000"}, True),
        ({"if-modified-since": "Mon, 02 Jun 2025 07:59:59 GMT"}, False),
        ({"if-modified-since": "not a date"}, False),
        ({}, False),
    ],
)
def test_conditional_headers(headers: dict[str, str], expected: bool) -> None:
    assert is_not_modified(headers, '"abc"', DEFAULT_LAST_MODIFIED) is expected


def test_last_modified_can_be_set_per_path(server: MirrorServer) -> None:
    headers = fetch(server, EXPECTED["pdf_path"])[1]
    assert headers["last-modified"] == "Tue, 21 Nov 2023 09:00:00 GMT"


def test_pdf_is_generated_from_its_description_and_served_as_pdf(server: MirrorServer) -> None:
    status, headers, body = fetch(server, EXPECTED["pdf_path"])
    expected = pdfmaker.from_toml(SITE_ROOT / "_plaquette.toml")
    assert status == 200
    assert headers["content-type"] == "application/pdf"
    assert int(headers["content-length"]) == len(expected) == len(body)
    assert body == expected
    assert body.startswith(b"%PDF-1.4\n")
    assert body.endswith(b"%%EOF\n")


def test_generated_pdf_has_one_page_per_description_with_its_text() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(pdfmaker.from_toml(SITE_ROOT / "_plaquette.toml"))
    texts = [page.get_textpage().get_text_bounded() for page in document]
    assert len(texts) == EXPECTED["pdf_pages"] == 4
    assert texts[0].startswith("Villes intelligentes : tous concernés")
    assert EXPECTED["pdf_only_word"] in texts[3]


def test_latin1_page_is_really_latin1(server: MirrorServer) -> None:
    encodings = EXPECTED["encodings"]
    _, headers, body = fetch(server, encodings["latin1_path"])
    assert headers["content-type"] == "text/html; charset=ISO-8859-1"
    assert encodings["latin1_phrase"] in body.decode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_cp1252_page_declares_its_charset_only_in_meta(server: MirrorServer) -> None:
    encodings = EXPECTED["encodings"]
    _, headers, body = fetch(server, encodings["cp1252_path"])
    assert headers["content-type"] == "text/html"
    assert b'<meta charset="windows-1252">' in body
    assert b"\x92" in body  # ’
    assert b"\x9c" in body  # œ
    assert encodings["cp1252_phrase"] in body.decode("cp1252")


def test_robots_txt_disallows_admin_only(server: MirrorServer) -> None:
    status, headers, body = fetch(server, "/robots.txt")
    assert (status, headers["content-type"]) == (200, "text/plain; charset=utf-8")
    rules = [line for line in body.decode().splitlines() if line and not line.startswith("#")]
    assert rules == ["User-agent: *", "Disallow: /admin/"]


@pytest.mark.parametrize(
    "target", ["/fr/actualites/nexiste-pas", "/_routes.toml", "/expected.toml", "/_encoded/x"]
)
def test_unknown_or_private_path_is_404(server: MirrorServer, target: str) -> None:
    status, headers, body = fetch(server, target)
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert b"Page introuvable" in body


def test_only_get_and_head_are_allowed(server: MirrorServer) -> None:
    assert fetch(server, EXPECTED["plaquette_path"], method="POST")[0] == 501


def test_stats_count_requests_and_body_bytes() -> None:
    with MirrorServer() as mirror:
        replies = [
            fetch(mirror, EXPECTED["plaquette_path"]),
            fetch(mirror, "/nowhere"),
            fetch(mirror, EXPECTED["start_path"]),
            fetch(mirror, EXPECTED["pdf_path"], method="HEAD"),
        ]
        stats = mirror.stats
        assert stats.requests == 4
        assert stats.body_bytes == sum(len(body) for _, _, body in replies)
        assert replies[3][2] == b""
        assert stats.statuses == Counter({200: 2, 404: 1, 301: 1})
        assert stats.paths == [
            EXPECTED["plaquette_path"],
            "/nowhere",
            EXPECTED["start_path"],
            EXPECTED["pdf_path"],
        ]
        mirror.reset_stats()
        assert (stats.requests, stats.body_bytes, stats.paths) == (0, 0, [])


def test_stopped_mirror_ends_kept_alive_connections() -> None:
    mirror = MirrorServer().start()
    conn = http.client.HTTPConnection("127.0.0.1", urlsplit(mirror.base_url).port, timeout=10)
    conn.request("GET", "/robots.txt")
    assert conn.getresponse().read().startswith(b"# robots.txt")
    mirror.stop()
    with pytest.raises((http.client.HTTPException, OSError)):
        conn.request("GET", "/robots.txt")
        conn.getresponse()
    conn.close()


def test_cli_prints_the_base_url_and_stays_quiet() -> None:
    script = Path(__file__).with_name("mirror.py")
    proc = subprocess.Popen(
        [sys.executable, str(script), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base_url = proc.stdout.readline().strip()
        port = urlsplit(base_url).port
        assert base_url == f"http://127.0.0.1:{port}"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/robots.txt")
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=10)
    assert stderr == ""


# ---------------------------------------------------------------- fixture consistency


def test_main_list_links_all_resolve(server: MirrorServer) -> None:
    entries = main_list_hrefs(server)
    assert len(entries) == EXPECTED["listing_entries"]
    for page, href in entries:
        target = urljoin(server.url(page), href)
        assert fetch(server, urlsplit(target)._replace(scheme="", netloc="").geturl())[0] == 200


def test_main_list_holds_exactly_the_expected_articles(server: MirrorServer) -> None:
    canonicals = set()
    for _, href in main_list_hrefs(server):
        body = fetch(server, href.split("#")[0])[2]
        canonicals.add(soup_of(body).find("link", rel="canonical")["href"])
    assert canonicals == {a["path"] for a in ARTICLES}
    assert len(canonicals) == EXPECTED["announced"]


def test_duplicate_traps_are_in_the_main_list(server: MirrorServer) -> None:
    hrefs = {href for _, href in main_list_hrefs(server)}
    for trap in EXPECTED["duplicates"]:
        assert trap["href"] in hrefs
        body = fetch(server, trap["href"].split("#")[0])[2]
        assert soup_of(body).find("link", rel="canonical")["href"] == trap["same_as"]


def test_foreign_articles_are_linked_only_outside_the_main_list(server: MirrorServer) -> None:
    foreign = {f["path"] for f in EXPECTED["foreign"]}
    assert len(foreign) == 3
    assert not foreign & {href for _, href in main_list_hrefs(server)}
    sidebar = soup_of(fetch(server, EXPECTED["listing_path"])[2]).select("aside a[href]")
    assert foreign <= {a["href"] for a in sidebar}
    for path in foreign:
        assert fetch(server, path)[0] == 200


def test_pagination_variants(server: MirrorServer) -> None:
    first, second, last = (soup_of(fetch(server, p)[2]) for p in EXPECTED["listing_pages"])
    assert first.find("a", rel="next")["href"] == "?page=1"
    assert first.find("a", rel="next").get_text(strip=True) == "Page suivante ›"
    arrow = second.find("a", string="›")
    assert (arrow["href"], arrow.get("rel")) == ("?page=2", None)
    assert second.find("a", rel="next") is None
    assert last.find("a", rel="next") is None
    assert last.find("a", string="›") is None


def test_start_page_announces_the_dossier(server: MirrorServer) -> None:
    soup = soup_of(fetch(server, EXPECTED["plaquette_path"])[2])
    dossier = soup.find("a", string=EXPECTED["dossier_title"])
    voir = soup.find("a", string=f"Voir les {EXPECTED['announced']} actualités liées à ce dossier")
    assert dossier["href"] == EXPECTED["dossier_path"]
    assert voir["href"] == EXPECTED["listing_path"]
    assert voir.next_sibling.name == "p"  # glued to the first body paragraph
    assert soup.find("a", href=EXPECTED["pdf_path"]) is None  # the download line links the shop
    assert soup.find("a", href=EXPECTED["shop_path"]) is not None


def test_the_shop_page_offers_the_pdf(server: MirrorServer) -> None:
    soup = soup_of(fetch(server, EXPECTED["shop_path"])[2])
    offer = soup.find("a", href=EXPECTED["pdf_path"])
    assert offer["type"] == "application/pdf"
    assert offer.get_text().startswith("Télécharger")


@pytest.mark.parametrize("article", ARTICLES, ids=[a["path"].rsplit("/", 1)[1] for a in ARTICLES])
def test_expected_truth_matches_the_page(article: dict) -> None:
    raw = (SITE_ROOT / (article["path"].lstrip("/") + ".html")).read_bytes()
    soup = soup_of(raw)
    text = soup.get_text(" ")
    year, month, day = (int(part) for part in article["date"].split("-"))
    written = f"{day} {MONTHS[month - 1]} {year}"
    assert soup.find("link", rel="canonical")["href"] == article["path"]
    assert soup.title.get_text() == article["title"] + " | Cerema"
    assert article["keep"] in text
    assert article["drop"] in text
    assert article["date"].encode() in raw or written in text
    assert 1 <= len(article["themes"]) <= 4
    assert set(article["themes"]) <= THEMES


def test_every_theme_is_treated_by_two_articles() -> None:
    counts = Counter(theme for article in ARTICLES for theme in article["themes"])
    assert set(counts) == THEMES
    assert min(counts.values()) >= 2
    assert [a["plaquette"] for a in ARTICLES].count(True) == 1


def test_hostile_page_carries_every_forbidden_pattern() -> None:
    hostile = EXPECTED["hostile"]
    raw = (SITE_ROOT / (hostile["path"].lstrip("/") + ".html")).read_text(encoding="utf-8")
    body = raw[raw.index("field--name-body") : raw.index("share-links")]
    for pattern in hostile["forbidden"]:
        assert pattern in body, pattern


def test_encoded_pages_match_their_sources() -> None:
    spec = importlib.util.spec_from_file_location("make_encoded", SITE_ROOT / "_make_encoded.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.PAGES == {
        "mobilite-rurale-transport-a-la-demande": "latin-1",
        "sobriete-numerique-territoires-frugaux": "cp1252",
    }
    for name, encoding in module.PAGES.items():
        source = (SITE_ROOT / "_encoded" / f"{name}.html").read_text(encoding="utf-8")
        served = (SITE_ROOT / "fr" / "actualites" / f"{name}.html").read_bytes()
        assert served == source.encode(encoding), name
