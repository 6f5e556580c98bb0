"""Fetcher behaviour beyond faults: revalidation, offline builds, robots, limits, probes."""

from __future__ import annotations

import logging
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pelican.plugins.dossier.fetch.client import user_agent
from pelican.plugins.dossier.fetch.fetcher import Fetcher
from pelican.plugins.dossier.fetch.httpcache import FILENAME
from pelican.plugins.dossier.model import Attachment
from scripted import GOOD, Reply, Script, fixture, has_article, make_settings, page, serve

V2 = fixture("article-v2.html").decode("utf-8")


@pytest.fixture
def server() -> Iterator[Script]:
    with serve() as script:
        yield script


def test_rebuild_sends_conditional_requests_and_receives_no_body(
    server: Script, tmp_path: Path
) -> None:
    server.route("/robots.txt", page("robots.txt", etag='"r1"', content_type="text/plain"))
    urls = [server.route(f"/a{i}", page("article.html", etag=f'"a{i}"')) for i in range(3)]
    settings = make_settings(tmp_path)
    with Fetcher(settings, validate=has_article) as fetcher:
        cold = list(fetcher.iter_pages(urls))
    cold_bytes = server.body_bytes
    with Fetcher(settings, validate=has_article) as fetcher:
        warm = list(fetcher.iter_pages(urls))
    assert [r.status for r in cold] == ["fetched"] * 3
    assert [(r.status, r.http_status, r.text) for r in warm] == [("not-modified", 304, GOOD)] * 3
    assert [r.fetched_at for r in warm] == [r.fetched_at for r in cold]
    assert server.body_bytes == cold_bytes  # the warm run received no body at all
    conditional = [s.headers.get("If-None-Match") for s in server.seen[-4:]]
    assert sorted(conditional) == ['"a0"', '"a1"', '"a2"', '"r1"']


def test_last_modified_is_sent_back_as_if_modified_since(server: Script, tmp_path: Path) -> None:
    stamp = "Mon, 02 Jun 2025 08:00:00 GMT"
    url = server.route("/p", page("article.html", headers=(("Last-Modified", stamp),)))
    settings = make_settings(tmp_path)
    for _ in range(2):
        with Fetcher(settings) as fetcher:
            fetcher.fetch_page(url)
    assert [s.headers.get("If-Modified-Since") for s in server.seen if s.path == "/p"] == [
        None,
        stamp,
    ]


def test_changed_page_replaces_the_copy(server: Script, tmp_path: Path) -> None:
    url = server.route("/p", page("article.html", etag='"1"'), page("article-v2.html", etag='"2"'))
    settings = make_settings(tmp_path)
    results = []
    for _ in range(3):
        with Fetcher(settings) as fetcher:
            results.append(fetcher.fetch_page(url))
    assert [(r.status, r.text) for r in results] == [
        ("fetched", GOOD),
        ("fetched", V2),
        ("not-modified", V2),
    ]


def test_request_headers(server: Script, tmp_path: Path) -> None:
    url = server.route("/p", page("article.html"))
    with Fetcher(make_settings(tmp_path)) as fetcher:
        fetcher.fetch_page(url)
    headers = server.seen[-1].headers
    assert headers["User-Agent"] == user_agent()
    assert user_agent() == "dossier-hub/0.1.0 (+https://github.com/dossier-hub/dossier-hub)"
    assert headers["Accept"] == "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
    assert headers["Accept-Language"] == "fr-FR,fr;q=0.9,en;q=0.5"


def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("offline build touched the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_offline_uses_the_cache_and_opens_no_socket(
    server: Script, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = server.route("/p", page("article.html"))
    pdf = server.route("/doc.pdf", page("document.pdf", content_type="application/pdf"))
    with Fetcher(make_settings(tmp_path)) as fetcher:
        online = fetcher.fetch_page(url)
        fetcher.probe_attachment(pdf, "Plaquette")
    seen = len(server.seen)
    _no_network(monkeypatch)
    with Fetcher(make_settings(tmp_path, offline=True)) as fetcher:
        cached = fetcher.fetch_page(url)
        missing = fetcher.fetch_page(server.base + "/absente")
        attachment = fetcher.probe_attachment(pdf, "Plaquette")
        pages = list(fetcher.iter_pages([url]))
    assert (cached.status, cached.text, cached.fetched_at) == ("cached", GOOD, online.fetched_at)
    assert (missing.status, missing.reason, missing.text) == (
        "failed",
        "offline, not in cache",
        None,
    )
    assert attachment == Attachment(pdf, "Plaquette", "application/pdf", 112)
    assert [p.status for p in pages] == ["cached"]
    assert len(server.seen) == seen


def test_robots_fetched_once_per_host_per_run(server: Script, tmp_path: Path) -> None:
    server.route("/robots.txt", page("robots.txt", content_type="text/plain"))
    urls = [server.route(f"/a{i}", page("article.html")) for i in range(4)]
    urls.append(server.route("/prive/x", page("article.html")))
    with Fetcher(make_settings(tmp_path), validate=has_article) as fetcher:
        results = list(fetcher.iter_pages(urls))
    assert [r.status for r in results] == ["fetched"] * 4 + ["failed"]
    assert results[-1].reason == "robots.txt disallows"
    assert server.paths().count("/robots.txt") == 1
    assert "/prive/x" not in server.paths()


def test_robots_can_be_ignored(server: Script, tmp_path: Path) -> None:
    server.route("/robots.txt", page("robots.txt", content_type="text/plain"))
    url = server.route("/prive/x", page("article.html"))
    with Fetcher(make_settings(tmp_path, obey_robots=False)) as fetcher:
        assert fetcher.fetch_page(url).status == "fetched"
    assert server.paths() == ["/prive/x"]


def test_iter_pages_keeps_order_and_the_host_concurrency(server: Script, tmp_path: Path) -> None:
    urls = [server.route(f"/a{i}", page("article.html", delay=0.1)) for i in range(6)]
    urls.insert(2, urls[0])  # a duplicate is fetched and yielded once
    settings = make_settings(tmp_path, host_concurrency=2)
    with Fetcher(settings, validate=has_article) as fetcher:
        results = list(fetcher.iter_pages(urls))
        outcomes = fetcher.outcomes
    assert [r.url for r in results] == [o.url for o in outcomes] == list(dict.fromkeys(urls))
    assert server.max_in_flight == 2
    assert server.paths().count("/a0") == 1


class FrozenClock:
    """A clock that never moves: every wait the gates ask for is recorded, none is slept.

    With time standing still, the n-th request to a host waits exactly n × delay, whatever
    the threads' order and the machine's load.
    """

    def __init__(self) -> None:
        self.waits: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        return 1000.0

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.waits.append(seconds)


def test_host_delay_spaces_requests(server: Script, tmp_path: Path) -> None:
    urls = [server.route(f"/a{i}", page("article.html")) for i in range(3)]
    settings = make_settings(tmp_path, host_delay=0.2, obey_robots=False)
    clock = FrozenClock()
    with Fetcher(settings, clock=clock) as fetcher:
        fetched = list(fetcher.iter_pages(urls))
    assert [f.status for f in fetched] == ["fetched"] * 3
    assert sorted(clock.waits) == pytest.approx([0.2, 0.4])


def test_robots_crawl_delay_spaces_requests(server: Script, tmp_path: Path) -> None:
    server.route("/robots.txt", page("robots-crawl-delay.txt", content_type="text/plain"))
    urls = [server.route(f"/a{i}", page("article.html")) for i in range(3)]
    clock = FrozenClock()
    with Fetcher(make_settings(tmp_path), clock=clock) as fetcher:
        fetched = list(fetcher.iter_pages(urls))
    assert [f.status for f in fetched] == ["fetched"] * 3
    # robots.txt is asked first, with no delay yet; then Crawl-delay: 0.3 spaces the articles
    assert sorted(clock.waits) == pytest.approx([0.3, 0.6])


def test_same_page_twice_in_a_run_is_fetched_once(server: Script, tmp_path: Path) -> None:
    url = server.route("/p", page("article.html"))
    with Fetcher(make_settings(tmp_path)) as fetcher:
        first = fetcher.fetch_page(url)
        second = fetcher.fetch_page(url)
        assert fetcher.outcomes == [first]
    assert second is first
    assert server.paths() == ["/robots.txt", "/p"]


def test_probe_attachment_uses_head(server: Script, tmp_path: Path) -> None:
    url = server.route("/doc.pdf", page("document.pdf", content_type="application/pdf"))
    with Fetcher(make_settings(tmp_path)) as fetcher:
        attachment = fetcher.probe_attachment(url, "Plaquette")
        assert fetcher.outcomes == []
    assert attachment == Attachment(url, "Plaquette", "application/pdf", 112)
    assert server.paths("HEAD") == ["/doc.pdf"]
    assert server.body_bytes == len(b"introuvable")  # only the robots.txt 404 sent a body


def test_probe_of_an_unreachable_document_keeps_what_is_known(
    server: Script, tmp_path: Path
) -> None:
    url = server.route("/doc.pdf", Reply(status=404))
    with Fetcher(make_settings(tmp_path)) as fetcher:
        assert fetcher.probe_attachment(url, "Plaquette") == Attachment(url, "Plaquette")


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("latin1-header.html", "text/html; charset=ISO-8859-1"),
        ("latin1-header.html", "text/html; charset=utf-8"),  # wrong header
        ("cp1252-meta.html", "text/html"),
        ("cp1252-meta.html", None),
    ],
)
def test_legacy_encodings_decode_without_mojibake(
    server: Script, tmp_path: Path, name: str, content_type: str | None
) -> None:
    url = server.route("/p", page(name, content_type=content_type))
    with Fetcher(make_settings(tmp_path)) as fetcher:
        result = fetcher.fetch_page(url)
    assert result.text == fixture(name).decode("cp1252")
    assert "Ã" not in result.text and "\ufffd" not in result.text


def test_utf8_body_declared_latin1_is_read_as_utf8(server: Script, tmp_path: Path) -> None:
    url = server.route("/p", page("article.html", content_type="text/html; charset=iso-8859-1"))
    with Fetcher(make_settings(tmp_path)) as fetcher:
        assert fetcher.fetch_page(url).text == GOOD


def test_damaged_cache_entry_is_dropped_with_a_warning(
    server: Script, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = server.route("/p", page("article.html"), Reply(status=500))
    settings = make_settings(tmp_path)
    with Fetcher(settings) as fetcher:
        fetcher.fetch_page(url)
    with sqlite3.connect(settings.cache_path / FILENAME) as db:
        db.execute("UPDATE entries SET body = ? WHERE url = ?", (b"<html>abime", url))
    with caplog.at_level(logging.WARNING), Fetcher(settings) as fetcher:
        result = fetcher.fetch_page(url)
    assert (result.status, result.reason) == ("failed", "HTTP 500")
    assert f"dropping damaged cache entry for {url}" in caplog.text


def test_unreadable_cache_file_is_set_aside(
    server: Script, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = server.route("/p", page("article.html"))
    settings = make_settings(tmp_path)
    settings.cache_path.mkdir(parents=True)
    (settings.cache_path / FILENAME).write_bytes(b"ceci n'est pas une base SQLite" * 100)
    with caplog.at_level(logging.WARNING), Fetcher(settings) as fetcher:
        result = fetcher.fetch_page(url)
    assert result.status == "fetched"
    assert (settings.cache_path / (FILENAME + ".corrupt")).exists()
    assert "is unreadable" in caplog.text


def test_allowed(tmp_path: Path) -> None:
    with Fetcher(make_settings(tmp_path, allowed_hosts=["www.cerema.fr"])) as fetcher:
        assert fetcher.allowed("https://www.cerema.fr/fr/actualites/x")
        assert fetcher.allowed("http://WWW.Cerema.fr/")
        assert not fetcher.allowed("ftp://www.cerema.fr/x")
        assert not fetcher.allowed("https://cerema.fr.example.net/x")
        assert not fetcher.allowed("mailto:contact@cerema.fr")


def test_named_host_resolving_to_loopback_is_refused(tmp_path: Path) -> None:
    with serve() as script:
        url = script.route("/p", page("article.html")).replace("127.0.0.1", "localhost")
        with Fetcher(make_settings(tmp_path, allowed_hosts=["localhost"])) as fetcher:
            result = fetcher.fetch_page(url)
    assert result.status == "failed"
    assert result.reason == "refused: host 'localhost' resolves to non-public address 127.0.0.1"
    assert script.seen == []
