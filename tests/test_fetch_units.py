"""Pure pieces of the fetch stage: encodings, URL safety, retry timing, the report."""

from __future__ import annotations

import codecs
import logging
import random
from datetime import UTC, datetime

import pytest
from pelican.plugins.dossier.fetch.encoding import (
    decode_html,
    header_charset,
    meta_charset,
    normalise,
)
from pelican.plugins.dossier.fetch.netsafety import UnsafeURL, check_url, is_public
from pelican.plugins.dossier.fetch.report import counts, render_report, summary_line
from pelican.plugins.dossier.fetch.transport import backoff_delay, retry_after_seconds, status_error
from pelican.plugins.dossier.model import Fetched
from rich.console import Console
from scripted import fixture

FRENCH = "<p>Élus, collectivités : cœur de l’été… « à bientôt »</p>"


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("ISO-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("Windows-1252", "cp1252"),
        ("UTF-8", "utf-8"),
        ('"utf-8"', "utf-8"),
        ("iso-8859-15", "iso8859-15"),
        ("x-nonsense", None),
        ("", None),
    ],
)
def test_charset_labels(label: str, codec: str | None) -> None:
    assert normalise(label) == codec


def test_charset_from_header_and_meta() -> None:
    assert header_charset("text/html; charset=ISO-8859-1") == "cp1252"
    assert header_charset("text/html") is None
    assert meta_charset(b'<head><meta charset="utf-8">') == "utf-8"
    http_equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    assert meta_charset(http_equiv) == "cp1252"
    assert meta_charset(b"<p>charset=utf-8 in the text is not a declaration</p>") is None


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (FRENCH.encode("cp1252"), "text/html; charset=iso-8859-1"),  # œ ’ … only in cp1252
        (FRENCH.encode("cp1252"), "text/html; charset=utf-8"),  # wrong header
        (FRENCH.encode("utf-8"), "text/html; charset=iso-8859-1"),  # wrong header
        (FRENCH.encode("utf-8"), None),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), None),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "text/html; charset=windows-1252"),
        (codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), None),
        (b"<meta charset=windows-1252>" + FRENCH.encode("cp1252"), None),
    ],
)
def test_decode_html_has_no_mojibake(body: bytes, content_type: str | None) -> None:
    assert decode_html(body, content_type).endswith(FRENCH)


def test_undeclared_legacy_page_is_detected() -> None:
    body = fixture("latin1-header.html")
    assert decode_html(body, "text/html") == body.decode("cp1252")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.10", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("::ffff:10.0.0.1", False),
        ("0.0.0.0", False),
        ("240.0.0.1", False),
        ("185.24.186.10", True),
        ("2001:4860:4860::8888", True),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public(address) is public


def fake_dns(host: str) -> list[str]:
    return {"www.cerema.fr": ["185.24.186.10"], "intranet.cerema.fr": ["10.0.0.7"]}.get(host, [])


@pytest.mark.parametrize(
    ("url", "allowed", "reason"),
    [
        ("https://www.cerema.fr/x", ("www.cerema.fr",), None),
        (
            "ftp://www.cerema.fr/x",
            ("www.cerema.fr",),
            "scheme 'ftp' not allowed: ftp://www.cerema.fr/x",
        ),
        (
            "https://evil.example/x",
            ("www.cerema.fr",),
            "host 'evil.example' is not in DOSSIER_ALLOWED_HOSTS",
        ),
        (
            "https://intranet.cerema.fr/x",
            ("intranet.cerema.fr",),
            "host 'intranet.cerema.fr' resolves to non-public address 10.0.0.7",
        ),
        ("https://intranet.cerema.fr/x", ("intranet.cerema.fr", "10.0.0.7"), None),
        ("http://127.0.0.1:8000/x", ("127.0.0.1",), None),
        ("http://[::1]:8000/x", ("127.0.0.1",), "host '::1' is not in DOSSIER_ALLOWED_HOSTS"),
    ],
)
def test_check_url(url: str, allowed: tuple[str, ...], reason: str | None) -> None:
    if reason is None:
        check_url(url, allowed, fake_dns)
    else:
        with pytest.raises(UnsafeURL) as error:
            check_url(url, allowed, fake_dns)
        assert str(error.value) == reason


def test_retry_after_values() -> None:
    now = datetime(2025, 6, 2, 8, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds("Mon, 02 Jun 2025 08:00:42 GMT", now) == 42.0
    assert retry_after_seconds("Mon, 02 Jun 2025 07:00:00 GMT", now) == 0.0
    assert retry_after_seconds("bientôt", now) is None
    assert retry_after_seconds(None, now) is None


def test_backoff_doubles_with_bounded_jitter() -> None:
    rng = random.Random(4)
    delays = [backoff_delay(n, 0.5, rng) for n in range(4)]
    for n, delay in enumerate(delays):
        assert 0.5 * 2**n <= delay <= 0.5 * 2**n + 0.5


@pytest.mark.parametrize(
    ("status", "retry_after", "expected"),
    [
        (404, None, ("HTTP 404 (gone)", True, False, None)),
        (410, None, ("HTTP 410 (gone)", True, False, None)),
        (403, None, ("HTTP 403", False, False, None)),
        (500, None, ("HTTP 500", False, True, None)),
        (503, "3", ("HTTP 503", False, True, 3.0)),
        (429, "30", ("HTTP 429", False, True, 30.0)),
        (
            429,
            "31",
            (
                "HTTP 429, Retry-After 31 s is over the 30 s cap (DOSSIER_RETRY_AFTER_CAP)",
                False,
                False,
                None,
            ),
        ),
    ],
)
def test_status_errors(status: int, retry_after: str | None, expected: tuple) -> None:
    error = status_error(status, retry_after, cap=30.0)
    assert (error.reason, error.gone, error.retry, error.retry_after) == expected
    assert error.http_status == status


OUTCOMES = [
    Fetched("https://h/a", "https://h/a", "fetched", 200, "text/html", "<p>a</p>"),
    Fetched("https://h/b", "https://h/b", "not-modified", 304, "text/html", "<p>b</p>"),
    Fetched("https://h/c", "https://h/c", "stale", 500, "text/html", "<p>c</p>", reason="HTTP 500"),
    Fetched("https://h/d", "https://h/d", "failed", 404, reason="HTTP 404 (gone)", gone=True),
]


def test_report_counts_and_problems(caplog: pytest.LogCaptureFixture) -> None:
    console = Console(record=True, width=100)
    with caplog.at_level(logging.INFO, logger="pelican.plugins.dossier.fetch.report"):
        render_report(OUTCOMES, console)
    text = console.export_text()
    assert counts(OUTCOMES) == {
        "fetched": 1,
        "not-modified": 1,
        "cached": 0,
        "stale": 1,
        "failed": 1,
    }
    line = "fetch: 1 fetched, 1 not modified, 0 from cache, 1 stale, 1 failed"
    assert summary_line(OUTCOMES) == line
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [("WARNING", line)]
    assert "https://h/c" in text and "HTTP 500" in text
    assert "https://h/d" in text and "HTTP 404 (gone)" in text
    assert "https://h/a" not in text


def test_report_all_good_logs_info(caplog: pytest.LogCaptureFixture) -> None:
    console = Console(record=True, width=100)
    with caplog.at_level(logging.INFO, logger="pelican.plugins.dossier.fetch.report"):
        render_report(OUTCOMES[:2], console)
    assert [r.levelname for r in caplog.records] == ["INFO"]
    assert "Sources not fetched fresh" not in console.export_text()
