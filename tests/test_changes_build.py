"""A dossier that changes between builds, against a copy of the sample mirror served live.

Between the first build (the baseline) and the second: one article joins the listing, one
article's text changes (new ETag), one leaves the listing, one answers 410, and one appears
only in an Atom feed of the mirror (with the dossier's marker). A third build with nothing
changed reports no change; an offline build keeps everything; a deleted history gives a
new baseline.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from hostile import guarded_env
from lxml import etree
from mirror import SITE_ROOT, MirrorServer, load_routes
from pelican.plugins.dossier.publish.changes import event_id
from pelican.plugins.dossier.publish.feeds import entry_id
from pelican.plugins.dossier.track.history import from_json
from support import EXPECTED, ROOT, SITEURL, build_site

sys.path.insert(0, str(ROOT / "scripts"))
import update  # scripts/update.py, found through the path above

A = "{http://www.w3.org/2005/Atom}"
LISTING = "fr/actualites/dossier/villes-territoires-intelligents@page=2.html"
CHANGED = "/fr/actualites/eclairage-public-intelligent-sobriete"
REMOVED = "/fr/actualites/stationnement-connecte-ville-moyenne-bilan"
GONE = "/fr/actualites/videoprotection-espace-public-libertes"
ADDED = "/fr/actualites/eclairage-nocturne-trame-noire"
FROM_FEED = "/fr/actualites/capteurs-bruit-quartiers"
IN_BOTH = "/fr/actualites/budget-participatif-numerique-petites-communes"
FOREIGN = "/fr/actualites/amenagements-cyclables-temporaires-perenniser"
FEED = "/fr/actualites/flux.atom.xml"


def keep_of(path: str) -> str:
    return next(a["keep"] for a in EXPECTED["articles"] if a["path"] == path)


def title_of(path: str) -> str:
    return next(a["title"] for a in EXPECTED["articles"] if a["path"] == path)


def derive(root: Path, model: str, path: str, title: str, phrase: str) -> None:
    """A new article page of our own, made from a sample page: new address, title and text."""
    html = (root / (model.strip("/") + ".html")).read_text(encoding="utf-8")
    html = html.replace(model, path).replace(title_of(model), title)
    html = html.replace(keep_of(model), phrase)
    (root / (path.strip("/") + ".html")).write_text(html, encoding="utf-8")


def atom(entries: list[tuple[str, str]]) -> str:
    """An Atom feed of our own listing (path, title) entries."""
    items = "".join(
        f"<entry><id>tag:mirror,2025:{p}</id><title>{t}</title><link href='{p}'/>"
        f"<updated>2025-06-01T08:00:00Z</updated></entry>"
        for p, t in entries
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        "<id>tag:mirror,2025:actualites</id><title>Actualités</title>"
        f"<updated>2025-06-01T08:00:00Z</updated>{items}</feed>"
    )


def change_the_mirror(root: Path) -> None:
    """The five changes between the first and the second build."""
    listing = root / LISTING
    html = listing.read_text(encoding="utf-8")
    teaser = r'  <div class="views-row">\s*<article[^>]*>\s*<h3[^>]*><a href="'
    start = re.search(teaser + REMOVED, html).start()
    end = html.index('  <div class="views-row">', start + 10)
    added = (
        html[start:end]
        .replace(REMOVED, ADDED)
        .replace(title_of(REMOVED), "Éteindre la nuit : la trame noire")
    )
    listing.write_text(html[:start] + added + html[end:], encoding="utf-8")
    derive(root, CHANGED, ADDED, "Éteindre la nuit : la trame noire", "Une commune sur trois")
    derive(root, CHANGED, FROM_FEED, "Des capteurs de bruit dans les quartiers", "Le bruit baisse")
    page = root / (CHANGED.strip("/") + ".html")
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(keep_of(CHANGED), keep_of(CHANGED) + " (révisé)"), "utf-8")
    with (root / "_routes.toml").open("a", encoding="utf-8") as routes:
        routes.write(f'\n[routes."{GONE}"]\nstatus = 410\n')
    entries = [(FROM_FEED, "Bruit"), (IN_BOTH, "Budgets"), (FOREIGN, "Vélo")]
    (root / FEED.strip("/")).write_text(atom(entries), encoding="utf-8")


class Built:
    """One build's folder, with its dossier.json read."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.data = json.loads((output / "dossier.json").read_text(encoding="utf-8"))
        self.by_path = {_path(a["source_url"]): a for a in self.data["articles"]}

    def page(self, path: str) -> str:
        article = self.by_path[path]
        return (self.output / article["path"] / "index.html").read_text(encoding="utf-8")

    def feed_entries(self) -> dict[str, bytes]:
        root = etree.fromstring((self.output / "feeds/all.atom.xml").read_bytes())
        return {e.findtext(f"{A}id"): etree.tostring(e) for e in root.iter(f"{A}entry")}


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[-1].partition("/")[2].rstrip("/")


@pytest.fixture(scope="module")
def mirror_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("changing") / "site"
    shutil.copytree(SITE_ROOT, root)
    entries = [(IN_BOTH, "Budgets"), (FOREIGN, "Vélo")]  # the first build's feed
    (root / FEED.strip("/")).write_text(atom(entries), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def mirror(mirror_root: Path) -> Iterator[MirrorServer]:
    with MirrorServer(mirror_root) as server:
        yield server


@pytest.fixture(scope="module")
def builds(mirror: MirrorServer, mirror_root: Path, tmp_path_factory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("changes")
    extra = {"DOSSIER_FEEDS": [mirror.url(FEED)], "DOSSIER_SEARCH": False}
    start = mirror.url(EXPECTED["start_path"])
    build_site(base / "first", base / "cache", start, **extra)
    change_the_mirror(mirror_root)
    mirror.mirror.routes = load_routes(mirror_root)
    build_site(base / "second", base / "cache", start, **extra)
    return {"base": base, "start": start, "extra": extra}


@pytest.fixture(scope="module")
def first(builds) -> Built:
    return Built(builds["base"] / "first")


@pytest.fixture(scope="module")
def second(builds) -> Built:
    return Built(builds["base"] / "second")


def test_the_first_build_is_a_baseline(first: Built) -> None:
    assert first.data["history"]["events"] == []
    assert not any(a["new"] for a in first.data["articles"])
    assert {a["presence"] for a in first.data["articles"]} == {"current"}
    assert first.by_path[IN_BOTH]["found_in"] == ["listing", "feed"]
    assert FOREIGN not in first.by_path  # in the feed, but its page names another dossier
    assert first.data["dossier"]["found"] == len(EXPECTED["articles"])


def test_the_second_build_records_the_five_events(second: Built) -> None:
    events = {(e["kind"], _path(e["url"])) for e in second.data["history"]["events"]}
    assert events == {
        ("new", ADDED),
        ("new", FROM_FEED),
        ("changed", CHANGED),
        ("removed", REMOVED),
        ("gone", GONE),
    }
    assert len({e["at"] for e in second.data["history"]["events"]}) == 1


def test_new_articles_are_published_and_marked(second: Built) -> None:
    for path, origin in ((ADDED, ["listing"]), (FROM_FEED, ["feed"])):
        article = second.by_path[path]
        marks = (article["new"], article["presence"], article["found_in"])
        assert marks == (True, "current", origin)
        assert '<span class="flag new">Nouveau</span>' in second.page(path)
    assert [a["new"] for a in second.data["articles"]].count(True) == 2
    hub = (second.output / "index.html").read_text(encoding="utf-8")
    assert 'id="quoi-de-neuf"' in hub and "Éteindre la nuit" in hub
    assert hub.count('<span class="flag new">Nouveau</span>') == 2


def test_the_changed_article_is_updated_in_place(first: Built, second: Built) -> None:
    before, after = first.by_path[CHANGED], second.by_path[CHANGED]
    assert before["path"] == after["path"] and after["changed_at"] and not after["new"]
    assert "(révisé)" in second.page(CHANGED) and "mis à jour le" in second.page(CHANGED)
    old, new = first.feed_entries(), second.feed_entries()
    key = entry_id(after["canonical_url"])
    updated = [etree.fromstring(x[key]).findtext(f"{A}updated") for x in (old, new)]
    assert updated[0] < updated[1]
    assert all(new[k] == old[k] for k in old if k != key)  # every other entry byte-identical
    assert set(new) - set(old) == {
        entry_id(second.by_path[p]["canonical_url"]) for p in (ADDED, FROM_FEED)
    }


def test_removed_and_gone_articles_stay_published_with_a_notice(second: Built) -> None:
    removed, gone = second.by_path[REMOVED], second.by_path[GONE]
    assert (removed["presence"], removed["status"]) == ("removed", "cached")
    assert (gone["presence"], gone["status"]) == ("gone", "stale")
    assert removed["left_at"] and gone["left_at"] and removed["found_in"] == []
    assert "Retiré du dossier le" in second.page(REMOVED)
    assert "n’est plus en ligne sur le site d’origine depuis le" in second.page(GONE)
    hub = (second.output / "index.html").read_text(encoding="utf-8")
    kept = hub[hub.index('<details class="kept"') :]
    assert title_of(REMOVED).split(" :")[0] in kept and title_of(GONE).split(" et")[0] in kept
    main = hub[: hub.index('<details class="kept"')]
    assert 'data-presence="removed"' not in main and 'data-presence="gone"' not in main
    assert second.data["dossier"]["kept"] == 2
    assert second.data["dossier"]["found"] == len(EXPECTED["articles"]) - 2 + 2


def test_the_history_page_and_feed_list_the_five_events(second: Built, builds) -> None:
    page = (second.output / "historique/index.html").read_text(encoding="utf-8")
    assert "<h1>Historique du dossier</h1>" in page
    assert page.count('<li data-kind="') == 5
    feed = feedparser.parse((second.output / "historique/atom.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert len(feed.entries) == 5
    start = builds["start"]
    history = from_json(json.loads((builds["base"] / "cache/history.json").read_text("utf-8")))
    assert {e.id for e in feed.entries} == {event_id(start, e) for e in history.events}
    kinds = sorted(t.term for e in feed.entries for t in e.tags)
    assert kinds == ["changed", "gone", "new", "new", "removed"]


def test_nothing_changed_then_offline_then_a_deleted_history(
    builds, second: Built, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    base, start, extra = builds["base"], builds["start"], builds["extra"]
    monkeypatch.setenv("PYTHONPATH", guarded_env()["PYTHONPATH"])  # the child's network guard
    overrides = {
        "DOSSIER_START_URL": start,
        "DOSSIER_ALLOWED_HOSTS": ["127.0.0.1"],
        "DOSSIER_CACHE_PATH": str(base / "cache"),
        "DOSSIER_PROGRESS": False,
        "SITEURL": SITEURL,
        **extra,
    }
    args = [f"{k}={json.dumps(v)}" for k, v in overrides.items()]
    conf, output = str(ROOT / "pelicanconf.py"), str(base / "third")
    status = update.main(["-s", conf, "-o", output, "-e", *args])
    assert status == update.UNCHANGED == 3
    assert "aucun changement" in capsys.readouterr().out
    third = Built(base / "third")

    def unchanged(data: dict) -> list[dict]:  # the fetch status moves from fetched to 304
        return [{k: v for k, v in a.items() if k != "status"} for a in data["articles"]]

    assert unchanged(third.data) == unchanged(second.data)
    assert third.data["history"] == second.data["history"]
    assert (base / "third/historique/atom.xml").read_bytes() == (
        second.output / "historique/atom.xml"
    ).read_bytes()

    build_site(base / "offline", base / "cache", start, DOSSIER_OFFLINE=True, **extra)
    offline = Built(base / "offline")
    keep = ("path", "presence", "new", "changed_at", "left_at")
    assert [{k: a[k] for k in keep} for a in offline.data["articles"]] == [
        {k: a[k] for k in keep} for a in second.data["articles"]
    ]
    assert offline.data["history"] == second.data["history"]

    (base / "cache/history.json").unlink()
    build_site(base / "again", base / "cache", start, **extra)
    again = Built(base / "again")
    assert again.data["history"]["events"] == []
    assert not any(a["new"] for a in again.data["articles"])
    assert len(again.data["articles"]) == len(EXPECTED["articles"]) + 1  # 16 - 2 + 2 + gone
