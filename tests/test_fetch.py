"""The fetch fault matrix, against a real scripted server on 127.0.0.1.

Each fault is tried twice: with an empty cache (the source fails, with its reason)
and after a good fetch (the good copy survives: the source is ``stale`` with the old
text, and a third, offline run still publishes the good copy).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pelican.plugins.dossier.fetch.fetcher import Fetcher
from pelican.plugins.dossier.model import Fetched
from pelican.plugins.dossier.settings import Settings
from scripted import (
    GOOD,
    MAX_BYTES,
    Reply,
    Script,
    closed_port,
    fixture,
    has_article,
    make_settings,
    page,
    redirect,
    serve,
)


def fetch(settings: Settings, url: str, check: bool = True) -> Fetched:
    with Fetcher(settings, validate=has_article) as fetcher:
        return fetcher.fetch_page(url, check=check)


@pytest.fixture
def server() -> Iterator[Script]:
    with serve() as script:
        yield script


@dataclass(frozen=True)
class Fault:
    name: str
    replies: tuple[Reply, ...]
    reason: str  # exact reason, or its start when it ends with "…"
    http_status: int | None = None
    gone: bool = False
    requests: int = 1  # GET requests to /page the fault costs (retries included)


BIG = b"<html><body><article>" + b"x" * (MAX_BYTES * 2) + b"</article></body></html>"
FAULTS = [
    Fault("timeout", (page("article.html", delay=0.6),), "timed out (ReadTimeout)", requests=3),
    Fault("404", (Reply(status=404, body=b"non"),), "HTTP 404 (gone)", 404, gone=True),
    Fault("410", (Reply(status=410, body=b"parti"),), "HTTP 410 (gone)", 410, gone=True),
    Fault("500 always", (Reply(status=500, body=b"oups"),), "HTTP 500", 500, requests=3),
    Fault("403", (Reply(status=403, body=b"interdit"),), "HTTP 403", 403),
    Fault(
        "429 beyond cap",
        (Reply(status=429, headers=(("Retry-After", "120"),)),),
        "HTTP 429, Retry-After 120 s is over the 30 s cap (DOSSIER_RETRY_AFTER_CAP)",
        429,
    ),
    Fault("redirect loop", (redirect("/other"),), "redirect loop at {base}/page"),
    Fault(
        "foreign redirect",
        (redirect("http://ailleurs.example.net/page"),),
        "refused: host 'ailleurs.example.net' is not in DOSSIER_ALLOWED_HOSTS",
    ),
    Fault(
        "oversized (announced)",
        (Reply(body=BIG),),
        f"body too large (Content-Length {len(BIG)} > {MAX_BYTES} bytes)",
    ),
    Fault(
        "oversized (chunked)",
        (Reply(body=BIG, chunked=True),),
        f"body too large (more than {MAX_BYTES} bytes)",
    ),
    Fault(
        "truncated",
        (Reply(body=fixture("article.html"), length=3000),),
        "truncated body (…",
        requests=3,
    ),
    Fault("empty 200", (Reply(body=b""),), "empty body", 200),
    Fault(
        "suspicious page",
        (page("maintenance.html"),),
        "suspicious: no extractable article",
        200,
    ),
    Fault(
        "PDF",
        (page("document.pdf", content_type="application/pdf"),),
        "not HTML (application/pdf)",
        200,
    ),
    Fault(
        "PDF without type",
        (page("document.pdf", content_type=None),),
        "not HTML (application/pdf)",
        200,
    ),
]


def assert_reason(actual: str, expected: str, base: str) -> None:
    expected = expected.format(base=base)
    if expected.endswith("…"):
        assert actual.startswith(expected[:-1]), actual
    else:
        assert actual == expected


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_fault_without_copy_fails_with_reason(server: Script, tmp_path: Path, fault: Fault) -> None:
    url = server.route("/page", *fault.replies)
    server.route("/other", redirect("/page"))
    result = fetch(make_settings(tmp_path), url)
    assert (result.status, result.text, result.gone) == ("failed", None, fault.gone)
    assert result.http_status == fault.http_status
    assert_reason(result.reason, fault.reason, server.base)
    assert server.paths().count("/page") == fault.requests


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_fault_after_good_fetch_keeps_the_good_copy(
    server: Script, tmp_path: Path, fault: Fault
) -> None:
    url = server.route("/page", page("article.html"), *fault.replies)
    server.route("/other", redirect("/page"))
    settings = make_settings(tmp_path)
    first = fetch(settings, url)
    second = fetch(settings, url)
    third = fetch(make_settings(tmp_path, offline=True), url)
    assert (first.status, first.text) == ("fetched", GOOD)
    assert (second.status, second.text, second.gone) == ("stale", GOOD, fault.gone)
    assert second.fetched_at == first.fetched_at
    assert_reason(second.reason, fault.reason, server.base)
    assert (third.status, third.text, third.fetched_at) == ("cached", GOOD, first.fetched_at)


def test_connection_refused_fails_then_keeps_the_good_copy(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    dead = fetch(settings, f"http://127.0.0.1:{closed_port()}/page")
    with serve() as script:
        url = script.route("/page", page("article.html"))
        first = fetch(settings, url)
    second = fetch(settings, url)  # the server is gone: its port refuses connections
    assert (dead.status, dead.text) == ("failed", None)
    assert dead.reason == "connection failed (Connection refused)"
    assert (first.status, second.status, second.text) == ("fetched", "stale", GOOD)
    assert second.reason == "connection failed (Connection refused)"


def test_500_then_success_is_fetched(server: Script, tmp_path: Path) -> None:
    url = server.route("/page", Reply(status=500), Reply(status=503), page("article.html"))
    result = fetch(make_settings(tmp_path), url)
    assert (result.status, result.http_status, result.text) == ("fetched", 200, GOOD)
    assert server.paths() == ["/robots.txt", "/page", "/page", "/page"]


def test_429_waits_for_retry_after(server: Script, tmp_path: Path) -> None:
    limited = Reply(status=429, headers=(("Retry-After", "1"),))
    url = server.route("/page", limited, page("article.html"))
    result = fetch(make_settings(tmp_path), url)
    hits = [s.at for s in server.seen if s.path == "/page"]
    assert (result.status, result.text) == ("fetched", GOOD)
    assert len(hits) == 2
    assert hits[1] - hits[0] >= 0.95  # Retry-After: 1 was honoured, not the 0.01 s backoff


def test_five_redirects_are_followed_and_six_are_not(server: Script, tmp_path: Path) -> None:
    for hop in range(1, 7):
        server.route(f"/r{hop}", redirect(f"/r{hop + 1}"))
    server.route("/r7", page("article.html"))
    five = fetch(make_settings(tmp_path), server.base + "/r2")
    six = fetch(make_settings(tmp_path / "b"), server.base + "/r1")
    assert (five.status, five.final_url, five.text) == ("fetched", server.base + "/r7", GOOD)
    assert (six.status, six.reason) == ("failed", "too many redirects (more than 5)")


def test_robots_disallow_fails_without_request(server: Script, tmp_path: Path) -> None:
    server.route("/robots.txt", page("robots.txt", content_type="text/plain"))
    url = server.route("/prive/page", page("article.html"))
    result = fetch(make_settings(tmp_path), url)
    assert (result.status, result.reason, result.text) == ("failed", "robots.txt disallows", None)
    assert server.paths() == ["/robots.txt"]


def test_robots_unavailable_disallows_everything(server: Script, tmp_path: Path) -> None:
    server.route("/robots.txt", Reply(status=503))
    url = server.route("/page", page("article.html"))
    result = fetch(make_settings(tmp_path), url)
    assert (result.status, result.reason) == ("failed", "robots.txt unavailable (HTTP 503)")
    assert server.paths() == ["/robots.txt"] * 3


def test_foreign_start_url_is_refused_without_network(tmp_path: Path) -> None:
    result = fetch(make_settings(tmp_path), "https://exemple.org/page")
    assert (result.status, result.text) == ("failed", None)
    assert result.reason == "refused: host 'exemple.org' is not in DOSSIER_ALLOWED_HOSTS"
