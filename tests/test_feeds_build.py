"""Feeds of a whole site built from the sample mirror, read by feedparser and by newsboat."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import lxml.html
import pytest
from feedcheck import ATOM_DATE, NEWSBOAT, RSS_DATE, newsboat_unread
from lxml import etree
from mirror import SITE_ROOT, MirrorServer
from pelican.plugins.dossier.publish.feeds import entry_id
from support import EXPECTED, SITEURL, build_site, serve_folder

A = "{http://www.w3.org/2005/Atom}"


def feed_files(output: Path) -> dict[str, bytes]:
    """Every file under feeds/, by relative path."""
    return {
        str(p.relative_to(output)): p.read_bytes()
        for p in sorted((output / "feeds").rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def mirror_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample mirror that a test may edit."""
    root = tmp_path_factory.mktemp("mirror") / "site"
    shutil.copytree(SITE_ROOT, root)
    return root


@pytest.fixture(scope="module")
def mirror(mirror_root: Path) -> Iterator[MirrorServer]:
    with MirrorServer(mirror_root) as server:
        yield server


@pytest.fixture(scope="module")
def builds(mirror: MirrorServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two consecutive builds of the same mirror with the same cache."""
    base = tmp_path_factory.mktemp("feeds-build")
    start = mirror.url(EXPECTED["start_path"])
    for name in ("first", "second"):
        build_site(base / name, base / "cache", start)
    return {"first": base / "first", "second": base / "second", "cache": base / "cache"}


@pytest.fixture(scope="module")
def data(builds: dict[str, Path]) -> dict:
    return json.loads((builds["first"] / "dossier.json").read_text(encoding="utf-8"))


def test_two_builds_give_byte_identical_feeds(builds: dict[str, Path], data: dict) -> None:
    first, second = feed_files(builds["first"]), feed_files(builds["second"])
    assert len(first) == 3 + 2 * len(data["themes"]) == 27
    assert first == second


def test_every_feed_is_valid_and_holds_what_it_should(builds: dict[str, Path], data: dict) -> None:
    counts = {"all": data["dossier"]["found"]} | {t["slug"]: t["count"] for t in data["themes"]}
    for name, raw in feed_files(builds["first"]).items():
        if not name.endswith(".xml"):
            continue
        feed = feedparser.parse(raw)
        assert feed.bozo == 0, (name, feed.get("bozo_exception"))
        ids = [e.id for e in feed.entries]
        assert len(set(ids)) == len(ids) == counts[name.rsplit("/", 1)[1].split(".")[0]], name


def test_ids_come_from_the_canonical_source_urls(builds: dict[str, Path], data: dict) -> None:
    feed = feedparser.parse((builds["first"] / "feeds/all.atom.xml").read_bytes())
    published = [a for a in data["articles"] if a["path"]]
    assert sorted(e.id for e in feed.entries) == sorted(
        entry_id(a["canonical_url"]) for a in published
    )
    by_link = {e.link: e for e in feed.entries}
    labels = {t["slug"]: t["label"] for t in data["themes"]}
    for article in published:
        entry = by_link[f"{SITEURL}/{article['path']}"]
        assert [(t.term, t.label) for t in entry.get("tags", [])] == [
            (slug, labels[slug]) for slug in article["themes"]
        ]
        related = [link.href for link in entry.links if link.rel == "related"]
        assert related == [article["canonical_url"]]


def test_dates_and_links_are_well_formed(builds: dict[str, Path]) -> None:
    for name, raw in feed_files(builds["first"]).items():
        root = etree.fromstring(raw)
        if name.endswith(".atom.xml"):
            dates = [e.text for e in root.iter(f"{A}updated", f"{A}published")]
            assert all(ATOM_DATE.match(d) for d in dates), (name, dates)
        elif name.endswith(".rss.xml"):
            dates = [e.text for e in root.iter("pubDate", "lastBuildDate")]
            assert all(RSS_DATE.match(d) for d in dates), (name, dates)
        urls = [e.text for e in root.iter("link", f"{A}link") if e.text and e.text.strip()]
        for attr in ("href", "url", "xmlUrl", "htmlUrl"):
            urls += [e.get(attr) for e in root.iter() if e.get(attr) is not None]
        assert urls and all(re.match(r"^https?://[^/\s]+/\S*$", u) for u in urls), name
        assert b"<script" not in raw and b"&lt;script" not in raw
        for body in root.iter(f"{A}content", "{*}encoded"):
            assert all(re.match(r"^https?://", u) for u in _html_urls(body.text)), name


def _html_urls(html: str) -> list[str]:
    """Every href and src inside an HTML fragment."""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    return [v for e in tree.iter() for k, v in e.attrib.items() if k in ("href", "src")]


def test_the_plaquette_entry_encloses_its_pdf(
    builds: dict[str, Path], data: dict, mirror: MirrorServer
) -> None:
    plaquette = next(a for a in data["articles"] if a["plaquette"])
    link = f"{SITEURL}/{plaquette['path']}"
    atom = feedparser.parse((builds["first"] / "feeds/all.atom.xml").read_bytes())
    rss = feedparser.parse((builds["first"] / "feeds/all.rss.xml").read_bytes())
    for feed in (atom, rss):
        entry = next(e for e in feed.entries if e.link == link)
        enclosure = entry.enclosures[0]
        assert enclosure.type == "application/pdf" and enclosure.href.endswith(".pdf")
        # the enclosure is our own copy of the PDF, byte for byte the mirror's
        assert enclosure.href == f"{SITEURL}/{plaquette['document']['copy']}"
        ours = builds["first"] / plaquette["document"]["copy"]
        assert ours.read_bytes() == mirror.mirror.body(EXPECTED["pdf_path"])[0]
        assert enclosure.length == str(ours.stat().st_size)
        assert entry.summary.startswith("Nouvelle édition de la plaquette")
        assert EXPECTED["pdf_only_word"] in entry.content[0].value  # the PDF's words too


def test_opml_lists_the_dossier_and_every_theme(builds: dict[str, Path], data: dict) -> None:
    root = etree.fromstring((builds["first"] / "feeds/dossier.opml").read_bytes())
    urls = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    assert urls == [f"{SITEURL}/feeds/all.atom.xml"] + [
        f"{SITEURL}/feeds/themes/{t['slug']}.atom.xml" for t in data["themes"]
    ]


def test_a_changed_article_alone_gets_a_new_updated(
    mirror: MirrorServer, mirror_root: Path, builds: dict[str, Path], data: dict
) -> None:
    article = EXPECTED["articles"][1]
    page = mirror_root / (article["path"].strip("/") + ".html")
    text = page.read_text(encoding="utf-8")
    assert article["keep"] in text
    page.write_text(text.replace(article["keep"], article["keep"] + " (texte révisé)"), "utf-8")
    before = datetime.now(UTC).replace(microsecond=0)
    try:
        build_site(
            builds["cache"].parent / "third", builds["cache"], mirror.url(EXPECTED["start_path"])
        )
    finally:
        page.write_text(text, encoding="utf-8")
    old = _updated(builds["first"])
    new = _updated(builds["cache"].parent / "third")
    changed = {key for key in old if old[key] != new[key]}
    assert len(changed) == 1 and set(new) == set(old)
    (key,) = changed
    assert key.rstrip("/").endswith(article["path"].rstrip("/").rsplit("/", 1)[1])
    assert before <= datetime.fromisoformat(new[key]) <= datetime.now(UTC)


def _updated(output: Path) -> dict[str, str]:
    """Entry ``updated`` by related (original) link, from the dossier's Atom feed."""
    root = etree.fromstring((output / "feeds/all.atom.xml").read_bytes())
    return {
        entry.find(f"{A}link[@rel='related']").get("href"): entry.findtext(f"{A}updated")
        for entry in root.iter(f"{A}entry")
    }


@pytest.fixture(scope="module")
def served(builds: dict[str, Path]) -> Iterator[str]:
    """The first build's output, for a real feed reader."""
    with serve_folder(builds["first"]) as url:
        yield url


@pytest.mark.newsboat
@pytest.mark.skipif(NEWSBOAT is None, reason="newsboat is not installed (apt-get install newsboat)")
def test_newsboat_reads_every_item_of_every_feed(
    served: str, builds: dict[str, Path], data: dict, tmp_path: Path
) -> None:
    counts = {"all": data["dossier"]["found"]} | {t["slug"]: t["count"] for t in data["themes"]}
    seen = {}
    for name in feed_files(builds["first"]):
        if name.endswith(".xml"):
            seen[name] = newsboat_unread(f"{served}/{name}", tmp_path / name.replace("/", "_"))
    expected = {n: counts[n.rsplit("/", 1)[1].split(".")[0]] for n in seen}
    assert len(seen) == 26 and seen == expected
