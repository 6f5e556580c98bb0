"""Sources besides the listing: the hand list, feeds read through the fetcher, membership;
and the tracking glue (kept copies, DOSSIER_KEEP_REMOVED, the history file)."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import pytest
from mirror import MirrorServer
from pelican.plugins.dossier.discover import Discovery
from pelican.plugins.dossier.discover.feedsource import read_feed
from pelican.plugins.dossier.discover.sources import (
    Sources,
    SourcesError,
    belongs,
    gather,
    load_hand_list,
)
from pelican.plugins.dossier.fetch import Fetcher
from pelican.plugins.dossier.model import Cleaned, DossierInfo, Entry, Fetched
from pelican.plugins.dossier.settings import read_settings
from pelican.plugins.dossier.track.history import Seen, advance
from pelican.plugins.dossier.track.tracking import (
    FILENAME,
    content_digest,
    kept_urls,
    load_history,
    save_history,
    track,
)

DOSSIER = "https://site.test/fr/dossiers/villes"
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Actualités</title><link>/</link><description>d</description>
<item><title>Un</title><link>/fr/actualites/un</link></item>
<item><title>Deux</title><link>http://127.0.0.1:PORT/fr/actualites/deux?utm_source=rss</link></item>
<item><title>Ailleurs</title><link>http://127.0.0.3/fr/actualites/ailleurs</link></item>
</channel></rss>
"""


def settings_for(tmp_path: Path, **extra: object):
    data = tmp_path / "dossier.toml"
    values = {
        "DOSSIER_ALLOWED_HOSTS": ["127.0.0.1", "site.test"],
        "DOSSIER_CACHE_PATH": str(tmp_path / "cache"),
        "DOSSIER_DATA": str(data),
        "DOSSIER_PROGRESS": False,
        "DOSSIER_RETRIES": 0,
        **extra,
    }
    return read_settings(values, base=tmp_path)


def write_hand_list(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "dossier.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_file_or_table_is_an_empty_hand_list(tmp_path: Path) -> None:
    assert load_hand_list(tmp_path / "none.toml").add == ()
    path = write_hand_list(tmp_path, '[[correction]]\nurl = "https://x/a"\nadd = ["donnees"]\n')
    assert load_hand_list(path).leave_out == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[sources]\nadd = "https://x/a"\n', "add must be a list of URLs"),
        ('[sources]\nadd = ["/fr/a"]\n', "add #1: not an http(s) URL"),
        ('[sources]\nleave_out = ["https://x/a", 3]\n', "leave_out #2: not an http(s) URL"),
        ('[sources]\nremove = ["https://x/a"]\n', "unknown key 'remove'"),
        ("sources = 3\n", "[sources] must be a table"),
    ],
)
def test_a_bad_hand_list_names_the_file_and_the_entry(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write_hand_list(tmp_path, text)
    with pytest.raises(SourcesError) as caught:
        load_hand_list(path)
    assert str(path) in str(caught.value) and message in str(caught.value)


def discovery(urls: list[str], problems: list[str] | None = None) -> Discovery:
    start = Fetched("https://site.test/fr/node/1", "https://site.test/fr/plaquette", "fetched")
    start = replace(start, text="<html></html>")
    info = DossierInfo("Villes", DOSSIER, None, 3)
    return Discovery(info, start, article_urls=urls, problems=problems or [])


def test_hand_list_adds_and_leaves_out(tmp_path: Path) -> None:
    write_hand_list(
        tmp_path,
        '[sources]\nadd = ["https://site.test/fr/actualites/c/", "https://site.test/fr/a"]\n'
        'leave_out = ["http://www.site.test/fr/actualites/b#x"]\n',
    )
    settings = settings_for(tmp_path, DOSSIER_OFFLINE=True)
    listed = [f"https://site.test/fr/actualites/{n}" for n in "ab"] + [
        "https://site.test/fr/plaquette"
    ]
    with Fetcher(settings) as fetcher:
        sources = gather(fetcher, settings, discovery(listed))
    assert sources.urls == [
        "https://site.test/fr/actualites/a",
        "https://site.test/fr/actualites/c/",
        "https://site.test/fr/a",
    ]
    assert sources.origin("https://site.test/fr/actualites/c") == ("hand",)
    assert sources.origin("https://site.test/fr/plaquette") == ("start", "listing")
    assert sources.complete and sources.left_out_any("https://site.test/fr/actualites/b")
    with Fetcher(settings) as fetcher:
        assert not gather(
            fetcher, settings, discovery(listed, ["listing page 2: HTTP 500"])
        ).complete


def entry(url: str, marker: str | None) -> Entry:
    fetched = Fetched(url, url, "fetched")
    cleaned = Cleaned(title="t", html="<p>x</p>", text="x", dossier_url=marker)
    return Entry(url, fetched, cleaned)


def test_a_feed_entry_joins_only_with_this_dossiers_marker() -> None:
    sources = Sources(
        origins={"site.test/f": ("feed",), "site.test/l": ("listing", "feed")},
        left_out=frozenset({"site.test/x"}),
    )
    assert belongs(
        entry("https://site.test/f", "http://www.site.test/fr/dossiers/villes/"), sources, DOSSIER
    )
    assert not belongs(
        entry("https://site.test/f", "https://site.test/fr/dossiers/autre"), sources, DOSSIER
    )
    assert not belongs(entry("https://site.test/f", None), sources, DOSSIER)
    assert belongs(entry("https://site.test/l", None), sources, DOSSIER)
    assert not belongs(entry("https://site.test/x", DOSSIER), sources, DOSSIER)


@pytest.fixture
def feed_site(tmp_path: Path):
    root = tmp_path / "site"
    (root / "fr").mkdir(parents=True)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /prive/\n", encoding="utf-8")
    (root / "fr" / "page.html").write_text("<!DOCTYPE html><p>pas un flux</p>", encoding="utf-8")
    with MirrorServer(root) as server:
        port = server.base_url.rsplit(":", 1)[1]
        (root / "fr" / "flux.xml").write_text(FEED.replace("PORT", port), encoding="utf-8")
        yield server


def test_a_feed_is_read_through_the_fetcher_and_revalidated(feed_site, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    url = feed_site.url("/fr/flux.xml")
    with Fetcher(settings) as fetcher:
        first = read_feed(fetcher, url)
    assert first.ok and first.links == (
        feed_site.url("/fr/actualites/un"),
        feed_site.url("/fr/actualites/deux?utm_source=rss"),
        "http://127.0.0.3/fr/actualites/ailleurs",  # kept here; gather drops foreign hosts
    )
    feed_site.reset_stats()
    with Fetcher(settings) as fetcher:
        again = read_feed(fetcher, url)
    assert again == first and "/fr/flux.xml" in feed_site.stats.paths
    assert feed_site.stats.body_bytes == 0 and set(feed_site.stats.statuses) == {304}
    feed_site.reset_stats()
    with Fetcher(replace(settings, offline=True)) as fetcher:
        offline = read_feed(fetcher, url)
    assert offline == first and feed_site.stats.requests == 0


def test_a_feed_that_is_not_a_feed_is_reported_and_not_cached(feed_site, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    with Fetcher(settings) as fetcher:
        page = read_feed(fetcher, feed_site.url("/fr/page.html"))
        missing = read_feed(fetcher, feed_site.url("/fr/absent.xml"))
        foreign = read_feed(fetcher, "http://127.0.0.2/fr/flux.xml")
        private = read_feed(fetcher, feed_site.url("/prive/flux.xml"))
        assert fetcher.store.get(feed_site.url("/fr/page.html")) is None
    assert (page.ok, page.reason) == (False, "not a readable feed")
    assert (missing.ok, missing.reason) == (False, "HTTP 404 (gone)")
    assert not foreign.ok and foreign.reason.startswith("refused")
    assert not private.ok and "robots.txt" in private.reason
    assert "127.0.0.2" not in "".join(feed_site.stats.paths)


def test_gather_names_feed_links_on_allowed_hosts_only(feed_site, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, DOSSIER_FEEDS=[feed_site.url("/fr/flux.xml")])
    with Fetcher(settings) as fetcher:
        sources = gather(fetcher, settings, discovery([feed_site.url("/fr/actualites/un")]))
    assert sources.urls == [
        feed_site.url(p) for p in ("/fr/actualites/un", "/fr/actualites/deux?utm_source=rss")
    ]
    assert sources.origin(feed_site.url("/fr/actualites/un")) == ("listing", "feed")
    assert sources.origin(feed_site.url("/fr/actualites/deux")) == ("feed",)
    settings = replace(settings, feeds=(feed_site.url("/fr/absent.xml"),))
    with Fetcher(settings) as fetcher:
        failed = gather(fetcher, settings, discovery([]))
    assert failed.problems == [
        f"feed {feed_site.url('/fr/absent.xml')} unavailable: HTTP 404 (gone)"
    ]


def test_history_file_round_trip_and_damage(tmp_path: Path, caplog) -> None:
    cache = tmp_path / "cache"
    assert load_history(cache) is None
    history = advance(None, [Seen("k", "https://x/k", "K", "h", True)], _now(), True)
    save_history(cache, history)
    assert load_history(cache) == history
    assert [p.name for p in cache.iterdir()] == [FILENAME]  # no temporary file left
    (cache / FILENAME).write_text("{", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert load_history(cache) is None
    assert "new baseline" in caplog.text


def _now():
    from datetime import UTC, datetime

    return datetime(2025, 6, 2, tzinfo=UTC)


def test_keep_removed_false_drops_what_left(tmp_path: Path) -> None:
    urls = [f"https://site.test/fr/actualites/{n}" for n in "abc"]
    entries = [entry(u, None) for u in urls]
    gone = replace(entries[2], fetched=replace(entries[2].fetched, status="stale", gone=True))
    sources = Sources(
        origins={
            "site.test/fr/actualites/a": ("listing",),
            "site.test/fr/actualites/c": ("listing",),
        }
    )
    for keep in (True, False):
        settings = settings_for(tmp_path / str(keep), DOSSIER_KEEP_REMOVED=keep)
        previous = advance(
            None,
            [
                Seen(f"site.test/fr/actualites/{n}", u, n, content_digest("t", "x"), True)
                for n, u in zip("abc", urls, strict=True)
            ],
            _now(),
            True,
        )
        assert kept_urls(previous, sources, settings) == ([urls[1]] if keep else [])
        shown = [entries[0], gone] + ([entries[1]] if keep else [])
        kept, tracking = track(settings, shown, sources, previous)
        assert {e.source_url for e in kept} == ({*urls} if keep else {urls[0]})
        presences = {u: tracking.presence(u) for u in urls}
        assert presences == {urls[0]: "current", urls[1]: "removed", urls[2]: "gone"}
        stored = json.loads((settings.cache_path / FILENAME).read_text(encoding="utf-8"))
        assert sorted(e["kind"] for e in stored["events"]) == ["gone", "removed"]
