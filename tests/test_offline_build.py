"""Builds without the network: French reasons on the site, no retry, a closing hint.

The "no network" here is a loopback port nobody listens on (127.0.0.1:<closed port>):
the sample mirror is built once to fill the cache, then stopped, and the same start
URL is built again; a second build with an empty cache gets nothing at all.
"""

from __future__ import annotations

import logging
import re
import socket
import time
from pathlib import Path

import pytest
import requests
from mirror import MirrorServer
from pelican.plugins.dossier.fetch.client import Http, _network_error
from pelican.plugins.dossier.fetch.reasons import UNKNOWN, is_network, load_table, reason_fr
from pelican.plugins.dossier.fetch.report import BuildSummary, closing_lines
from pelican.plugins.dossier.fetch.transport import FetchError
from scripted import closed_port, make_settings
from support import EXPECTED, build_site

# Every reason the fetch and discovery stages write, and what readers must read instead.
FRENCH = {
    "connection failed (Name or service not known)": "adresse introuvable (DNS)",
    "connection failed (Connection refused)": "site injoignable (connexion refusée)",
    "connection failed (Network is unreachable)": "site injoignable (pas de réseau)",
    "connection failed (Connection reset by peer)": "site injoignable",
    "timed out (ReadTimeout)": "délai dépassé",
    "HTTP 404 (gone)": "page introuvable (404)",
    "HTTP 410 (gone)": "page introuvable (410)",
    "HTTP 403": "accès refusé par le site (403)",
    "HTTP 503": "erreur du site (503)",
    "HTTP 429, Retry-After 31 s is over the 30 s cap": "le site demande d’attendre avant de "
    "revenir (429)",
    "HTTP 418": "réponse inattendue du site (418)",
    "HTTP 302 without Location": "redirection sans destination (302)",
    "HTTP 304 without a cached copy": "réponse incohérente du site (304 sans copie en cache)",
    "redirect loop at http://h/a": "redirections en boucle",
    "too many redirects (more than 5)": "trop de redirections",
    "robots.txt disallows": "le site interdit cette page aux robots (robots.txt)",
    "robots.txt unavailable (HTTP 503)": "les règles du site pour les robots sont illisibles : "
    "erreur du site (503)",
    "refused: host 'a.example' is not in DOSSIER_ALLOWED_HOSTS": "adresse hors des sites autorisés",
    "refused: host 'h' resolves to non-public address 10.0.0.1": "adresse refusée (réseau privé)",
    "refused: scheme 'ftp' not allowed: ftp://h/": "adresse refusée",
    "body too large (more than 4000 bytes)": "page trop volumineuse",
    "truncated body (10 of 20 bytes)": "page reçue incomplète",
    "not HTML (application/pdf)": "ce n’est pas une page web",
    "empty body": "page vide",
    "suspicious: no extractable article": "aucun article lisible dans la page",
    "offline, not in cache": "construction sans réseau, et aucune copie en cache",
    "request failed (Invalid URL)": "échec de la requête",
    "start page unavailable: connection failed (Name or service not known)": "la page de "
    "départ du dossier est inaccessible : adresse introuvable (DNS)",
    "listing page http://h/l?page=2 unavailable: timed out (ConnectTimeout)": "une page de la "
    "liste des articles est inaccessible (http://h/l?page=2) : délai dépassé",
    "no dossier link found on the start page": "la page de départ ne mène plus au dossier",
    "listing longer than DOSSIER_MAX_PAGES=50": "la liste des articles dépasse 50 pages : la "
    "suite n’a pas été lue",
    # The reasons of the build's own checks (hostile sources).
    "HTTP 503, Retry-After 20 s; not waiting 20.0 s more: the build's wait budget is spent "
    "(DOSSIER_WAIT_BUDGET=120 s)": "le site demandait d’attendre ; la construction n’a pas "
    "attendu davantage, la copie précédente reste publiée",
    "timed out: response not complete within 60 s (DOSSIER_RESPONSE_DEADLINE)": "délai dépassé "
    "(le site répondait trop lentement)",
    "unsupported Content-Encoding 'zstd'": "page envoyée dans une compression que nous ne "
    "lisons pas",
    "body does not decode as its Content-Encoding 'gzip'": "page reçue illisible (compression "
    "défectueuse)",
    "suspicious: title reads like an error page ('Service indisponible')": "le site a renvoyé "
    "une page d’erreur au lieu de l’article",
    "suspicious: undecodable body (900 of 1000 characters unreadable)": "page reçue illisible "
    "(caractères indéchiffrables)",
    "suspicious: 40 % of the previous copy and shares little with the previous copy": "la "
    "nouvelle version ne ressemble pas à l’article déjà publié",
    "cleaning failed (RuntimeError: boom)": "erreur inattendue en traitant cette page",
    "the listing links 50000 articles, more than DOSSIER_MAX_ARTICLES=10000: the last 40000 are "
    "left out; raise DOSSIER_MAX_ARTICLES to publish them": "la liste annonce 50000 articles : "
    "seuls les 10000 premiers sont publiés",
    "0 articles published: DOSSIER_OFFLINE is on and the cache (c) holds none": "aucun article "
    "publié : construction sans réseau, et aucune copie en cache",
    "document http://h/p.pdf: damaged PDF: no %%EOF marker at its end (truncated?); keeping the "
    "copy fetched on 2026-11-30": "le document de la plaquette n’a pas pu être actualisé : PDF "
    "endommagé ou illisible ; la copie précédente reste publiée",
    "document http://h/p.pdf: page 1 would be 1 × 9 pixels, over DOSSIER_DOCUMENT_MAX_PIXELS "
    "(4); not published": "le document de la plaquette n’est pas publié : document trop grand "
    "pour les limites fixées",
}
ENGLISH = re.compile(r"connection failed|unavailable|timed out|refused:|not known|HTTP \d")


@pytest.mark.parametrize(("english", "french"), FRENCH.items())
def test_every_reason_reads_as_plain_french(english: str, french: str) -> None:
    assert reason_fr(english) == french


def test_the_table_loads_and_leaves_no_reason_in_english() -> None:
    assert len(load_table()) >= 30
    assert reason_fr("something new") == reason_fr(None) == UNKNOWN
    assert not [f for f in map(reason_fr, FRENCH) if ENGLISH.search(f)]
    network = {e for e in FRENCH if is_network(e)}
    assert network == {
        "connection failed (Name or service not known)",
        "connection failed (Connection refused)",
        "connection failed (Network is unreachable)",
        "connection failed (Connection reset by peer)",
        "timed out (ReadTimeout)",
        "start page unavailable: connection failed (Name or service not known)",
        "listing page http://h/l?page=2 unavailable: timed out (ConnectTimeout)",
    }


def _wrapped(cause: BaseException) -> requests.ConnectionError:
    """A ConnectionError as requests raises it: the OS error deep in its chain."""
    try:
        try:
            raise cause
        except OSError as exc:
            raise requests.ConnectionError(f"Max retries exceeded (Caused by {exc})") from exc
    except requests.ConnectionError as error:
        return error


def test_a_missing_name_or_a_refusal_is_not_retried_a_reset_is() -> None:
    dns = _network_error(_wrapped(socket.gaierror(-2, "Name or service not known")))
    refused = _network_error(_wrapped(ConnectionRefusedError(111, "Connection refused")))
    reset = _network_error(_wrapped(ConnectionResetError(104, "Connection reset by peer")))
    assert (dns.reason, dns.retry) == ("connection failed (Name or service not known)", False)
    assert (refused.reason, refused.retry) == ("connection failed (Connection refused)", False)
    assert (reset.reason, reset.retry) == ("connection failed (Connection reset by peer)", True)


def test_a_refused_connection_is_asked_once(tmp_path: Path, caplog) -> None:
    settings = make_settings(tmp_path, retries=3, backoff=2.0)
    http = Http(settings)
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="dossier.client"), pytest.raises(FetchError) as err:
        http.get(f"http://127.0.0.1:{closed_port()}/page")
    http.close()
    assert err.value.reason == "connection failed (Connection refused)"
    assert "retrying" not in caplog.text
    assert time.monotonic() - started < 2.0  # one retry alone would have waited 2 s


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | float | str]:
    """A cache filled from the mirror, then two builds once nothing listens any more."""
    base = tmp_path_factory.mktemp("offline")
    with MirrorServer() as mirror:
        start = mirror.url(EXPECTED["start_path"])
        build_site(base / "online", base / "cache", start)
    started = time.monotonic()
    build_site(base / "stale", base / "cache", start)
    stale_seconds = time.monotonic() - started
    empty_start = f"http://127.0.0.1:{closed_port()}{EXPECTED['start_path']}"
    build_site(base / "empty", base / "empty-cache", empty_start)
    return {
        "stale": base / "stale",
        "empty": base / "empty",
        "seconds": stale_seconds,
        "start": start,
    }


def test_stale_articles_say_why_in_french(offline: dict) -> None:
    pages = sorted((offline["stale"] / "articles").glob("*/index.html"))
    assert len(pages) == len(EXPECTED["articles"])
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "n’a pas pu être relu : site injoignable (connexion refusée)." in html, page
        assert "Connection refused" not in html and "connection failed" not in html, page
    assert offline["seconds"] < 10  # 20 sources, none retried (3 retries each: over 20 s)


def test_the_hub_without_any_copy_explains_in_french(offline: dict) -> None:
    html = (offline["empty"] / "index.html").read_text(encoding="utf-8")
    assert "Le dossier n’a pas pu être récupéré" in html
    assert (
        "<li>la page de départ du dossier est inaccessible : "
        "site injoignable (connexion refusée)</li>"
    ) in html
    assert not ENGLISH.search(html.split("<main", 1)[1])


def test_the_build_ends_with_where_and_what_next(offline: dict, capsys) -> None:
    # the fixture's builds printed into another test's capture: build once more, here
    capsys.readouterr()
    again, cache = offline["stale"].parent / "again", offline["stale"].parent / "cache"
    build_site(again, cache, offline["start"], RELATIVE_URLS=True)  # a local build: make serve
    lines = capsys.readouterr().out.splitlines()
    first = lines.index(next(x for x in lines if x.startswith("Published 16 articles")))
    tail = lines[first : lines.index(next(x for x in lines if x.startswith("Done: ")))]
    assert tail[1] == "Sources: 0 fetched, 0 not modified, 0 from cache, 22 stale, 0 failed."
    assert tail[3] == "  22 × connection failed (Connection refused)"  # pages, shop page, PDF
    assert tail[-3:-1] == [
        f"Site written to {(offline['stale'].parent / 'again').resolve()}",
        f"Next: make serve OUTPUT={(offline['stale'].parent / 'again').resolve()}, "
        "then open http://127.0.0.1:8000/",
    ]
    assert "make demo" in tail[-1] and "DOSSIER_OFFLINE=true" in tail[-1]


def test_closing_lines_name_failures_and_hint_only_for_the_network(tmp_path: Path) -> None:
    from pelican.plugins.dossier.model import Fetched

    refused = Fetched("http://h/a", "http://h/a", "stale", reason="connection failed (x)")
    gone = Fetched("http://h/b", "http://h/b", "failed", 404, reason="HTTP 404 (gone)")
    fresh = Fetched("http://h/c", "http://h/c", "fetched", 200)
    summary = BuildSummary(2, 3, 12, (refused, gone, fresh))
    lines = closing_lines(summary, tmp_path)
    assert lines[0].startswith("Published 2 articles (3 announced), 12 theme pages")
    assert lines[1] == "Sources: 1 fetched, 0 not modified, 0 from cache, 1 stale, 1 failed."
    assert lines[2:5] == [
        "Not fetched fresh: 1 stale (their last good copy is published), "
        "1 failed (not published). Why:",
        "  1 × connection failed (x)",
        "  1 × HTTP 404 (gone)",
    ]
    assert lines[5] == f"Site written to {tmp_path.resolve()}"
    assert "make demo" in lines[-1]
    no_network = closing_lines(BuildSummary(1, None, 12, (gone, fresh)), tmp_path)
    assert not any("make demo" in line for line in no_network)
    assert no_network[-1].startswith("Next: make serve OUTPUT=")
    public = BuildSummary(1, None, 12, (fresh,), siteurl="https://example.org/villes")
    assert closing_lines(public, tmp_path)[-1] == (
        f"Next: copy the content of {tmp_path.resolve()} to the host serving "
        "https://example.org/villes (README: « Putting the site online »)"
    )
