"""Hostile limits: slow servers, waits asked by servers, damaged or unusable caches, numbers
that are not numbers. Each build-level test asserts the exit code and a bounded time, that
the good copy is still published (in a following offline build too) and that nothing
executable is published (scan_output)."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hostile import (
    EXPECTED,
    ROOT,
    SITEURL,
    BuildRun,
    HostileServer,
    Responder,
    drip,
    good_build,
    respond,
    run_build,
    scan_output,
)
from mirror import _Handler
from pelican.plugins.dossier.discover.crawl import Discovery, _at_most
from pelican.plugins.dossier.fetch.transport import WaitBudget
from pelican.plugins.dossier.model import DossierInfo, Fetched
from pelican.plugins.dossier.settings import read_settings
from pelican.plugins.dossier.themes.taxonomy import TaxonomyError, load_taxonomy

ARTICLES = EXPECTED["announced"]
DEADLINE = 3.0  # DOSSIER_RESPONSE_DEADLINE in these tests, seconds


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer() as hostile:
        yield hostile


@pytest.fixture(scope="module")
def baseline(server: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> BuildRun:
    """A good build whose cache holds the good copy of every page."""
    run = good_build(server, tmp_path_factory.mktemp("baseline"))
    assert len(published(run)) == ARTICLES
    return run


def start(server: HostileServer) -> str:
    return server.url(EXPECTED["start_path"])


def published(run: BuildRun) -> dict[str, dict[str, Any]]:
    """Articles published, by source path: status and reason."""
    return {
        urlsplit(a["source_url"]).path: a for a in run.data["articles"] if a.get("path") is not None
    }


def victims(baseline: BuildRun, count: int) -> list[str]:
    """Paths of ``count`` listed articles (not the plaquette)."""
    paths = [p for p, a in sorted(published(baseline).items()) if not a["plaquette"]]
    return paths[:count]


def cache_copy(baseline: BuildRun, tmp_path: Path) -> Path:
    """This test's own copy of the good cache: its damage leaks into no other test."""
    cache = tmp_path / "cache"
    shutil.copytree(baseline.output.parent / "cache", cache)
    return cache


@pytest.fixture
def attack(server: HostileServer) -> Iterator[dict[str, Responder]]:
    """Paths to answer with attack responders for the duration of one test."""
    taken: dict[str, Responder] = {}
    yield taken
    for path in taken:
        server.restore(path)


def arm(server: HostileServer, attack: dict[str, Responder]) -> None:
    for path, responder in attack.items():
        server.override(path, responder)


def offline_again(server: HostileServer, cache: Path, tmp_path: Path) -> BuildRun:
    """A following offline build from the same cache."""
    run = run_build(tmp_path / "offline", cache, start(server), offline=True)
    assert run.returncode == 0, run.log
    assert scan_output(run.output, SITEURL) == []
    return run


# --- deadlines ---------------------------------------------------------------------------


def header_drip(handler: _Handler) -> None:
    """A status line and one endless header, one byte a second."""
    try:
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 600:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(1.0)
    except OSError:
        return


DRIPS = {
    "1 byte/s": drip(b"<", 1.0),
    "1 KB every 2 s": drip(b"<p>" + b"x" * 1021, 2.0),
    "headers at 1 byte/s": header_drip,
}


@pytest.mark.parametrize("kind", list(DRIPS))
def test_dripping_server_costs_one_deadline_and_keeps_the_good_copy(
    kind: str,
    server: HostileServer,
    baseline: BuildRun,
    attack: dict[str, Responder],
    tmp_path: Path,
) -> None:
    [victim] = victims(baseline, 1)
    attack[victim] = DRIPS[kind]
    arm(server, attack)
    cache = cache_copy(baseline, tmp_path)
    run = run_build(tmp_path / "out", cache, start(server), response_deadline=DEADLINE)
    assert run.returncode == 0, run.log
    # Without the deadline each attempt lasts as long as the server drips (600 s here):
    # the 20 s read timeout never trips. With it: one deadline, not retried.
    assert run.seconds < 30, run.log
    pages = published(run)
    assert len(pages) == ARTICLES
    assert pages[victim]["status"] == "stale"
    assert "DOSSIER_RESPONSE_DEADLINE" in pages[victim]["reason"]
    assert scan_output(run.output, SITEURL) == []
    again = offline_again(server, cache, tmp_path)
    assert published(again)[victim]["title"] == published(baseline)[victim]["title"]
    assert len(published(again)) == ARTICLES


# --- the build-wide wait budget ----------------------------------------------------------

BUDGET = 5.0
ASKED = 4  # seconds each server answer asks us to wait: just under the cap below


def storm_retry_after(paths: list[str]) -> dict[str, Responder]:
    busy = respond(503, b"<p>Service indisponible</p>", {"Retry-After": str(ASKED)})
    return dict.fromkeys(paths, busy)


def storm_crawl_delay(paths: list[str]) -> dict[str, Responder]:
    robots = f"User-agent: *\nCrawl-delay: {ASKED}\n".encode()
    return {"/robots.txt": respond(200, robots, {"Content-Type": "text/plain"})}


STORMS = {"503 + Retry-After": storm_retry_after, "robots.txt Crawl-delay": storm_crawl_delay}


@pytest.mark.parametrize("kind", list(STORMS))
def test_waits_asked_by_the_server_stop_at_the_budget(
    kind: str,
    server: HostileServer,
    baseline: BuildRun,
    attack: dict[str, Responder],
    tmp_path: Path,
) -> None:
    paths = victims(baseline, 6)
    attack.update(STORMS[kind](paths))
    arm(server, attack)
    cache = cache_copy(baseline, tmp_path)
    run = run_build(
        tmp_path / "out",
        cache,
        start(server),
        retry_after_cap=ASKED + 1,
        wait_budget=BUDGET,
        retries=3,
    )
    assert run.returncode == 0, run.log
    # Unbounded, six articles x three retries x 4 s (two rounds of four threads) is 24 s
    # for the Retry-After storm, and 20 requests x 4 s = 80 s for the Crawl-delay.
    assert run.seconds < BUDGET + 12, run.log
    pages = published(run)
    assert len(pages) == ARTICLES
    skipped = [p for p, a in pages.items() if "DOSSIER_WAIT_BUDGET" in (a["reason"] or "")]
    assert skipped
    if kind.startswith("503"):
        assert sorted(skipped) == sorted(paths)
    assert all(pages[p]["status"] == "stale" for p in skipped)
    # The warning after the sources table names every source the budget skipped.
    summary = run.log.split("wait budget spent (DOSSIER_WAIT_BUDGET)", 1)[1]
    assert all(server.url(p) in summary for p in skipped), summary
    assert scan_output(run.output, SITEURL) == []
    assert len(published(offline_again(server, cache, tmp_path))) == ARTICLES


def test_overlapping_waits_are_counted_once() -> None:
    budget = WaitBudget(5.0)
    assert budget.grant(4.0)
    assert all(budget.grant(3.9) for _ in range(8))  # inside the first wait: free
    assert budget.spent == pytest.approx(4.0, abs=0.05)
    assert not budget.grant(6.0)  # ends 2 s after the first: 6 s in all, over the 5
    assert budget.spent == pytest.approx(4.0, abs=0.05)  # a refused wait costs nothing
    assert budget.grant(4.8)  # 0.8 s more than the first: 4.8 s in all
    assert not budget.grant(5.5)
    assert budget.grant(0.0)
    error = budget.refusal(4.0, "HTTP 503", 503)
    assert "DOSSIER_WAIT_BUDGET=5 s" in error.reason and error.budget and not error.retry


def test_header_drip_is_cut_at_the_deadline(tmp_path: Path) -> None:
    from pelican.plugins.dossier.fetch.client import Http
    from pelican.plugins.dossier.fetch.transport import FetchError

    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(4096)
            try:
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
                    connection.sendall(bytes([byte]))
                    time.sleep(0.2)  # far under the read timeout
            except OSError:
                return

    threading.Thread(target=serve, daemon=True).start()
    settings = read_settings(
        {
            "DOSSIER_ALLOWED_HOSTS": ["127.0.0.1"],
            "DOSSIER_RESPONSE_DEADLINE": 1.0,
            "DOSSIER_CACHE_PATH": str(tmp_path),
        }
    )
    http = Http(settings)
    began = time.monotonic()
    with pytest.raises(FetchError) as caught:
        http.get(f"http://127.0.0.1:{listener.getsockname()[1]}/slow")
    assert time.monotonic() - began < 3
    assert "DOSSIER_RESPONSE_DEADLINE" in caught.value.reason
    assert not caught.value.retry
    http.close()
    listener.close()


# --- caches that cannot be used as they are ----------------------------------------------


def read_only_prefix(cache: Path) -> tuple[str, ...]:
    """Run the build with ``cache`` read-only: chmod for a normal user; for root (which
    ignores modes), a read-only bind mount in a private mount namespace of the child."""
    if os.geteuid() != 0:
        for path in (cache, *cache.iterdir()):
            path.chmod(0o555 if path.is_dir() else 0o444)
        return ()
    if shutil.which("unshare") is None:
        pytest.skip("running as root without unshare: cannot make a folder read-only")
    probe = ["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0"', str(cache)]
    if subprocess.run(probe, capture_output=True, check=False).returncode != 0:
        pytest.skip("running as root and cannot bind-mount a folder read-only")
    return ("unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', str(cache))


def test_read_only_cache_builds_offline_and_stops_online_naming_the_setting(
    server: HostileServer, baseline: BuildRun, tmp_path: Path
) -> None:
    cache = cache_copy(baseline, tmp_path)
    prefix = read_only_prefix(cache)
    before = {str(p.relative_to(cache)): p.read_bytes() for p in cache.rglob("*") if p.is_file()}
    offline = run_build(tmp_path / "off", cache, start(server), offline=True, prefix=prefix)
    assert offline.returncode == 0, offline.log
    assert offline.seconds < 30
    assert f"DOSSIER_CACHE_PATH {cache} cannot be written" in offline.log
    assert len(published(offline)) == ARTICLES
    assert scan_output(offline.output, SITEURL) == []
    online = run_build(tmp_path / "on", cache, start(server), prefix=prefix)
    assert online.returncode != 0
    assert online.seconds < 30
    assert f"DOSSIER_CACHE_PATH {cache}: cannot write the cache" in online.log
    assert "DOSSIER_OFFLINE=True" in online.log  # what to do about it
    assert not (online.output / "index.html").exists()
    assert {
        str(p.relative_to(cache)): p.read_bytes() for p in cache.rglob("*") if p.is_file()
    } == before


def test_cache_path_that_is_not_a_folder_stops_the_build(
    server: HostileServer, tmp_path: Path
) -> None:
    run = run_build(tmp_path / "out", Path("/dev/null"), start(server))
    assert run.returncode != 0
    assert run.seconds < 30
    assert "DOSSIER_CACHE_PATH must be a folder, but /dev/null exists" in run.log
    assert "FileExistsError" not in run.log
    assert not (run.output / "index.html").exists()


def test_truncated_cache_is_named_rebuilt_and_repaired_by_the_next_build(
    server: HostileServer, baseline: BuildRun, tmp_path: Path
) -> None:
    cache = cache_copy(baseline, tmp_path)
    database = cache / "fetch.sqlite3"
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 2])
    offline = run_build(tmp_path / "off", cache, start(server), offline=True)
    assert offline.returncode == 0, offline.log
    assert offline.seconds < 30
    assert f"cache {database} is unreadable or damaged" in offline.log
    assert f"cache {database} rebuilt with" in offline.log
    assert (cache / "fetch.sqlite3.corrupt").read_bytes() == data[: len(data) // 2]
    assert scan_output(offline.output, SITEURL) == []
    online = run_build(tmp_path / "on", cache, start(server))
    assert online.returncode == 0, online.log
    assert len(published(online)) == ARTICLES  # every good copy back in the cache
    again = offline_again(server, cache, tmp_path)
    assert len(published(again)) == ARTICLES
    assert "is unreadable or damaged" not in again.log


@pytest.mark.parametrize("strict", [False, True])
def test_unreadable_cache_offline_says_zero_articles_loudly(
    strict: bool, server: HostileServer, baseline: BuildRun, tmp_path: Path
) -> None:
    cache = cache_copy(baseline, tmp_path)
    (cache / "fetch.sqlite3").write_bytes(b"\x00" * 512)
    run = run_build(tmp_path / "out", cache, start(server), offline=True, strict=strict)
    assert run.seconds < 30
    assert "0 articles published: DOSSIER_OFFLINE is on" in run.log
    assert str(cache) in run.log
    if strict:
        assert run.returncode != 0
        assert "DOSSIER_STRICT is on" in run.log
    else:
        assert run.returncode == 0, run.log
        assert scan_output(run.output, SITEURL) == []


def damage_page_of(database: Path, needle: bytes) -> None:
    """Overwrite the database page that holds ``needle`` with garbage."""
    data = bytearray(database.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    offset = data.rindex(needle)
    first = offset - offset % page_size
    data[first : first + page_size] = b"\xa5" * page_size
    database.write_bytes(bytes(data))


def test_damaged_row_is_reported_once_and_repaired(
    server: HostileServer, baseline: BuildRun, tmp_path: Path
) -> None:
    [victim] = victims(baseline, 1)
    cache = cache_copy(baseline, tmp_path)
    page = server.page(victim)
    damage_page_of(cache / "fetch.sqlite3", page[len(page) // 2 : len(page) // 2 + 64])
    first = run_build(tmp_path / "one", cache, start(server), offline=True)
    assert first.returncode == 0, first.log
    assert first.seconds < 30
    assert f"cannot read the cache entry for {server.url(victim)}" in first.log
    assert f"cache {cache / 'fetch.sqlite3'} rebuilt with" in first.log
    assert len(published(first)) == ARTICLES - 1  # that page has no copy left
    assert scan_output(first.output, SITEURL) == []
    second = run_build(tmp_path / "two", cache, start(server), offline=True)
    assert second.returncode == 0, second.log
    assert "cannot read the cache entry" not in second.log
    assert "is unreadable or damaged" not in second.log
    assert set(published(second)) == set(published(first))
    with sqlite3.connect(cache / "fetch.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# --- numbers in data files, and limits that cut silently -------------------------------


THEMES = (ROOT / "content" / "themes.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("threshold = 3.0", "threshold = nan", "[tagger]: threshold must be a number >= 0"),
        ("threshold = 3.0", "threshold = inf", "[tagger]: threshold must be a number >= 0"),
        ("relative = 0.2", "relative = -inf", "[tagger]: relative must be a number >= 0"),
        ("relative = 0.2", "relative = 1e308", "[tagger]: relative must be a number >= 0"),
        ("title = 3", "title = inf", "[tagger]: title must be a number >= 0"),
        (
            '{ term = "participation citoyenne", weight = 3 }',
            '{ term = "participation citoyenne", weight = nan }',
            "weight of 'participation citoyenne' must be a positive number",
        ),
        (
            '{ term = "participation citoyenne", weight = 3 }',
            '{ term = "participation citoyenne", weight = inf }',
            "weight of 'participation citoyenne' must be a positive number",
        ),
    ],
)
def test_non_finite_numbers_in_themes_toml_name_file_and_key(
    old: str, new: str, message: str, tmp_path: Path
) -> None:
    assert old in THEMES
    path = tmp_path / "themes.toml"
    path.write_text(THEMES.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_articles_beyond_max_articles_are_reported() -> None:
    settings = read_settings({"DOSSIER_MAX_ARTICLES": 10_000})
    info = DossierInfo(None, None, None, None)
    found = Discovery(info, Fetched("u", "u", "fetched"))
    urls = [f"https://www.cerema.fr/fr/actualites/a{n}" for n in range(50_000)]
    kept = _at_most(urls, settings, found)
    assert kept == urls[:10_000]
    [problem] = found.problems
    assert "50000 articles" in problem and "DOSSIER_MAX_ARTICLES=10000" in problem
    assert "the last 40000 are left out" in problem


def test_listing_pages_beyond_max_pages_are_reported(
    server: HostileServer, baseline: BuildRun, tmp_path: Path
) -> None:
    cache = cache_copy(baseline, tmp_path)
    run = run_build(tmp_path / "out", cache, start(server), offline=True, max_pages=1)
    assert run.returncode == 0, run.log
    line = next(x for x in run.log.splitlines() if "DOSSIER_MAX_PAGES=1" in x)
    assert "WARNING" in line and "raise DOSSIER_MAX_PAGES" in line
    # A listing read in part removes nothing (history.py): the articles known from the last
    # build and not reached this time are still published from their good copies.
    assert len(published(run)) == ARTICLES
    assert scan_output(run.output, SITEURL) == []
    strict = run_build(
        tmp_path / "strict", cache, start(server), offline=True, max_pages=1, strict=True
    )
    assert strict.returncode != 0
    assert strict.seconds < 30
    assert "DOSSIER_STRICT is on" in strict.log and "DOSSIER_MAX_PAGES=1" in strict.log
