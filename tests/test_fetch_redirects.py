"""Permanent redirects are remembered, so a warm rebuild skips the hop and its body."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pelican.plugins.dossier.fetch.fetcher import Fetcher
from scripted import GOOD, Reply, Script, make_settings, page, redirect, serve


@pytest.fixture
def server() -> Iterator[Script]:
    with serve() as script:
        yield script


def _twice(url: str, settings) -> tuple:
    with Fetcher(settings) as fetcher:
        first = fetcher.fetch_page(url)
    with Fetcher(settings) as fetcher:
        second = fetcher.fetch_page(url)
    return first, second


def test_permanent_redirect_is_revalidated_at_its_new_address(
    server: Script, tmp_path: Path
) -> None:
    new = server.route("/new", page("article.html", etag='"n1"'))
    old = server.route("/old", redirect("/new", status=301))
    first, second = _twice(old, make_settings(tmp_path))
    assert (first.status, first.final_url) == ("fetched", new)
    assert (second.status, second.url, second.final_url, second.text) == (
        "not-modified",
        old,
        new,
        GOOD,
    )
    assert server.paths() == ["/robots.txt", "/old", "/new", "/robots.txt", "/new"]


def test_temporary_redirect_is_followed_again(server: Script, tmp_path: Path) -> None:
    server.route("/new", page("article.html", etag='"n1"'))
    old = server.route("/old", redirect("/new", status=302))
    _first, second = _twice(old, make_settings(tmp_path))
    assert second.status == "not-modified"
    assert server.paths()[-2:] == ["/old", "/new"]


def test_moved_page_that_disappears_goes_back_to_the_original_url(
    server: Script, tmp_path: Path
) -> None:
    server.route("/new", page("article.html", etag='"n1"'), Reply(status=404))
    server.route("/newer", page("article.html", etag='"n2"'))
    old = server.route("/old", redirect("/new", status=301), redirect("/newer", status=301))
    _first, second = _twice(old, make_settings(tmp_path))
    assert (second.status, second.text) == ("fetched", GOOD)  # a new address, a new copy
    assert second.final_url.endswith("/newer")
    assert server.paths()[-3:] == ["/new", "/old", "/newer"]
