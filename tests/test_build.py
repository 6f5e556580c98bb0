"""End to end: build the whole site from the sample mirror served on 127.0.0.1.

Sitemap-plugin style: Pelican runs in-process with overridden settings into a
temporary folder, then the files written are checked exactly.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import feedparser
import pytest
from mirror import MirrorServer
from pelican.plugins.dossier.themes.taxonomy import SLUGS
from support import EXPECTED, SITEURL, build_site, shows

ROOT = Path(__file__).resolve().parent.parent


class Site:
    """A built site: its folder, its dossier.json and the mirror's statistics."""

    def __init__(self, output: Path, warnings: list[str], requests: int) -> None:
        self.output = output
        self.warnings = warnings
        self.requests = requests
        self.data = json.loads((output / "dossier.json").read_text(encoding="utf-8"))

    def page(self, relative: str) -> str:
        path = self.output / relative
        if relative.endswith("/") or not path.suffix:
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


def _warnings(records: list[logging.LogRecord]) -> list[str]:
    return [r.getMessage() for r in records if r.levelno >= logging.WARNING]


@pytest.fixture(scope="module")
def mirror():
    with MirrorServer() as server:
        yield server


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def site(mirror, cache_dir, tmp_path_factory) -> Site:
    output = tmp_path_factory.mktemp("site")
    handler = _Collect()
    logging.getLogger().addHandler(handler)
    try:
        build_site(output, cache_dir, mirror.url(EXPECTED["start_path"]))
    finally:
        logging.getLogger().removeHandler(handler)
    return Site(output, _warnings(handler.records), mirror.stats.requests)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[-1].partition("/")[2]


def test_build_logs_no_warning(site: Site) -> None:
    assert site.warnings == []


def test_dossier_summary(site: Site) -> None:
    dossier = site.data["dossier"]
    assert dossier["title"] == EXPECTED["dossier_title"]
    assert _path(dossier["url"]) == EXPECTED["dossier_path"]
    assert dossier["announced"] == EXPECTED["announced"]
    assert dossier["found"] == len(EXPECTED["articles"])


def test_every_article_published_once_and_nothing_foreign(site: Site) -> None:
    canonical = sorted(_path(a["canonical_url"]).rstrip("/") for a in site.data["articles"])
    assert canonical == sorted(a["path"].rstrip("/") for a in EXPECTED["articles"])
    paths = [a["path"] for a in site.data["articles"]]
    assert len(set(paths)) == len(paths) and None not in paths
    foreign = {f["path"] for f in EXPECTED.get("foreign", [])}
    assert foreign and not foreign & {_path(a["source_url"]) for a in site.data["articles"]}
    assert [a["plaquette"] for a in site.data["articles"]].count(True) == 1


def test_statuses_titles_and_dates(site: Site) -> None:
    by_path = {_path(a["canonical_url"]).rstrip("/"): a for a in site.data["articles"]}
    for expected in EXPECTED["articles"]:
        got = by_path[expected["path"].rstrip("/")]
        assert got["status"] == "fetched", got
        assert got["title"] == expected["title"]
        assert got["date"] == expected["date"], got["title"]


def test_article_pages_keep_the_text_and_drop_the_chrome(site: Site) -> None:
    by_path = {_path(a["canonical_url"]).rstrip("/"): a for a in site.data["articles"]}
    for expected in EXPECTED["articles"]:
        html = site.page(by_path[expected["path"].rstrip("/")]["path"])
        assert shows(html, expected["keep"]), expected["path"]
        assert expected["drop"] not in html, expected["path"]
        assert "<script>document.cookie" not in html


def test_hub_lists_every_article(site: Site) -> None:
    hub = site.page("index.html")
    for article in site.data["articles"]:
        assert f'href="{SITEURL}/{article["path"]}"' in hub, article["title"]


def test_feeds_parse_and_hold_every_article(site: Site) -> None:
    for name in ("all.atom.xml", "all.rss.xml"):
        feed = feedparser.parse((site.output / "feeds" / name).read_bytes())
        assert feed.bozo == 0, (name, feed.get("bozo_exception"))
        assert len(feed.entries) == len(site.data["articles"])


def test_every_theme_has_its_page_and_feeds(site: Site) -> None:
    assert [t["slug"] for t in site.data["themes"]] == list(SLUGS)
    assert [t for t in site.data["themes"] if t["count"]], "the tagger gave no theme at all"
    for theme in site.data["themes"]:
        assert (site.output / "themes" / theme["slug"] / "index.html").exists()
        feed = feedparser.parse(
            (site.output / f"feeds/themes/{theme['slug']}.atom.xml").read_bytes()
        )
        assert feed.bozo == 0 and len(feed.entries) == theme["count"]


def test_warm_rebuild_transfers_no_body(site: Site, mirror, cache_dir, tmp_path: Path) -> None:
    mirror.reset_stats()
    build_site(tmp_path / "warm", cache_dir, mirror.url(EXPECTED["start_path"]))
    data = json.loads((tmp_path / "warm" / "dossier.json").read_text(encoding="utf-8"))
    assert {a["status"] for a in data["articles"]} <= {"not-modified", "cached"}
    assert mirror.stats.body_bytes == 0
    assert data["dossier"] == site.data["dossier"]


def test_offline_rebuild_uses_the_cache_alone(site: Site, mirror, cache_dir, tmp_path) -> None:
    mirror.reset_stats()
    build_site(
        tmp_path / "off", cache_dir, mirror.url(EXPECTED["start_path"]), DOSSIER_OFFLINE=True
    )
    data = json.loads((tmp_path / "off" / "dossier.json").read_text(encoding="utf-8"))
    assert mirror.stats.requests == 0
    assert {a["status"] for a in data["articles"]} == {"cached"}
    assert [a["path"] for a in data["articles"]] == [a["path"] for a in site.data["articles"]]


def test_offline_with_empty_cache_says_so(tmp_path: Path) -> None:
    start = "http://127.0.0.1:9/fr/node/4279"
    build_site(tmp_path / "out", tmp_path / "cache", start, DOSSIER_OFFLINE=True)
    data = json.loads((tmp_path / "out" / "dossier.json").read_text(encoding="utf-8"))
    assert data["dossier"]["found"] == 0
    assert data["articles"][0]["status"] == "failed"
    hub = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "n’a pas pu être récupéré" in hub


def test_strict_mode_makes_a_failure_fatal(tmp_path: Path) -> None:
    from pelican.plugins.dossier.pipeline import DossierError

    start = "http://127.0.0.1:9/fr/node/4279"
    with pytest.raises(DossierError, match="DOSSIER_STRICT is on"):
        build_site(
            tmp_path / "out", tmp_path / "cache", start, DOSSIER_OFFLINE=True, DOSSIER_STRICT=True
        )


def test_a_theme_no_article_carries_still_has_a_page(tmp_path: Path) -> None:
    build_site(tmp_path / "out", tmp_path / "cache", "http://127.0.0.1:9/x", DOSSIER_OFFLINE=True)
    page = (tmp_path / "out" / "themes" / "frugalite" / "index.html").read_text(encoding="utf-8")
    assert "0 article" in page and "Frugalité" in page
