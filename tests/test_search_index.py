"""Full-text search: the Pagefind index of the built site, and failures that must not stop it."""

from __future__ import annotations

import json
import logging
import stat
import tomllib
from pathlib import Path

import pytest
from mirror import SITE_ROOT, MirrorServer
from pelican.plugins.dossier.publish.search import (
    HOW_TO_FIX,
    INDEX_DIR,
    SearchError,
    build_search,
    copy_for_index,
    index_site,
    indexed_pages,
    pagefind_command,
)
from pelican.plugins.dossier.settings import SettingsError, read_settings
from support import SITEURL, START_PATH, build_site, fragments

ROOT = Path(__file__).resolve().parent.parent

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav>Menu du site</nav>
<article data-pagefind-body><h1>{title}</h1><p>{text}</p>
<a data-pagefind-filter="theme:{theme}" href="#">thème</a>
<p data-pagefind-ignore>Texte à ne pas indexer</p></article></body></html>
"""


def write_page(site: Path, path: str, title: str, text: str, theme: str) -> None:
    target = site / path / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(PAGE.format(title=title, text=text, theme=theme), encoding="utf-8")


def small_site(root: Path) -> Path:
    """Two article pages and a hub without data-pagefind-body."""
    site = root / "site"
    write_page(
        site, "articles/lampadaires", "Lampadaires", "Les lampadaires consomment.", "reseaux"
    )
    write_page(site, "articles/cantine", "Cantine", "Inscription à la cantine.", "libertes")
    (site / "index.html").write_text(
        '<!DOCTYPE html><html lang="fr"><body><p>Le hub</p></body></html>', encoding="utf-8"
    )
    return site


def fake_binary(folder: Path, script: str) -> Path:
    path = folder / "pagefind"
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_search_setting_defaults_on_and_must_be_a_boolean(tmp_path: Path) -> None:
    assert read_settings({}, base=tmp_path).search is True
    assert read_settings({"DOSSIER_SEARCH": False}, base=tmp_path).search is False
    with pytest.raises(SettingsError, match="DOSSIER_SEARCH must be True or False, not 'no'"):
        read_settings({"DOSSIER_SEARCH": "no"}, base=tmp_path)


def test_indexed_pages_reads_the_summary() -> None:
    assert indexed_pages("Total:\n  Indexed 1 language\n  Indexed 16 pages\n") == 16
    assert indexed_pages("Indexed 1 page\n") == 1
    assert indexed_pages("Error: nothing") is None


def test_command_reads_the_copy_and_writes_into_the_site(tmp_path: Path) -> None:
    binary, work, index = tmp_path / "pagefind", tmp_path / "work", tmp_path / "out" / "pagefind"
    assert pagefind_command(binary, work, index) == [
        str(binary),
        "--site",
        str(work),
        "--output-path",
        str(index),
    ]


def test_copy_keeps_article_pages_with_plain_apostrophes(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    write_page(site, "articles/eau", "L’eau", "Le réseau d’éclairage et d’eau.", "reseaux")
    (site / INDEX_DIR).mkdir()
    (site / INDEX_DIR / "x.html").write_text(PAGE, encoding="utf-8")
    work = tmp_path / "work"
    assert copy_for_index(site, work) == 3
    assert sorted(p.relative_to(work).as_posix() for p in work.rglob("*.html")) == [
        "articles/cantine/index.html",
        "articles/eau/index.html",
        "articles/lampadaires/index.html",
    ]
    copied = (work / "articles/eau/index.html").read_text(encoding="utf-8")
    assert "<h1>L'eau</h1><p>Le réseau d'éclairage et d'eau.</p>" in copied
    assert "’" not in copied
    assert "’" in (site / "articles/eau/index.html").read_text(encoding="utf-8")


def test_index_keeps_only_marked_pages_in_french(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    index = index_site(site)
    assert (index.pages, index.languages, index.folder) == (2, ("fr",), site / INDEX_DIR)
    assert index.size == sum(p.stat().st_size for p in index.folder.rglob("*") if p.is_file())
    assert (index.folder / "pagefind.js").is_file()
    records = fragments(index.folder)
    assert [(r["url"], r["filters"], r["meta"]["title"]) for r in records] == [
        ("/articles/cantine/", {"theme": ["libertes"]}, "Cantine"),
        ("/articles/lampadaires/", {"theme": ["reseaux"]}, "Lampadaires"),
    ]
    # the chip's own text is content; the data-pagefind-ignore paragraph is not
    assert records[1]["content"] == "Lampadaires. Les lampadaires consomment. thème"


def test_index_replaces_an_older_index(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    (site / INDEX_DIR).mkdir()
    (site / INDEX_DIR / "fr_old.pf_fragment").write_bytes(b"stale")
    index_site(site)
    assert not (site / INDEX_DIR / "fr_old.pf_fragment").exists()


def test_a_site_without_articles_gets_no_index_and_no_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html lang=fr><body>Rien</body></html>", encoding="utf-8")
    (site / INDEX_DIR).mkdir()
    with caplog.at_level(logging.INFO, logger="pelican.plugins.dossier.publish.search"):
        index = build_search(site, enabled=True)
    assert index is not None and index.pages == 0
    assert not (site / INDEX_DIR).exists()
    assert [r.getMessage() for r in caplog.records] == ["search: no article page to index"]


def test_search_off_writes_nothing(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    assert build_search(site, enabled=False) is None
    assert not (site / INDEX_DIR).exists()


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        (None, "no pagefind binary found"),
        ("echo 'Error: disk full' >&2; exit 3", "pagefind exited with status 3: Error: disk full"),
        ("exit 0", "pagefind wrote no readable pagefind-entry.json"),
    ],
)
def test_a_missing_or_failing_indexer_warns_and_leaves_no_index(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    script: str | None,
    reason: str,
) -> None:
    site = small_site(tmp_path)
    (site / INDEX_DIR).mkdir()  # an index from an earlier build must not survive
    binary = fake_binary(tmp_path, script) if script else tmp_path / "absent"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
    with caplog.at_level(logging.WARNING, logger="pelican.plugins.dossier.publish.search"):
        assert build_search(site, enabled=True) is None
    assert not (site / INDEX_DIR).exists()
    [record] = caplog.records
    assert record.levelname == "WARNING"
    assert reason in record.getMessage()
    assert record.getMessage().endswith(HOW_TO_FIX)
    with pytest.raises(SearchError):
        index_site(site)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with MirrorServer() as mirror:
        base = tmp_path_factory.mktemp("search-site")
        return build_site(base / "out", base / "cache", mirror.url(START_PATH))


def test_the_build_indexes_every_article_and_nothing_else(built: Path) -> None:
    data = json.loads((built / "dossier.json").read_text(encoding="utf-8"))
    articles = {"/" + a["path"]: a for a in data["articles"] if a["path"]}
    entry = json.loads((built / INDEX_DIR / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["fr"]
    assert entry["languages"]["fr"]["page_count"] == len(articles) == 16
    records = fragments(built / INDEX_DIR)
    assert [r["url"] for r in records] == sorted(articles)
    for record in records:
        article = articles[record["url"]]
        assert sorted(record["filters"]["theme"]) == sorted(article["themes"])
        title = record["meta"]["title"].replace("\u00a0", " ")
        assert title == article["title"].replace("’", "'")


def test_indexed_text_is_the_article_without_chrome(built: Path) -> None:
    expected = tomllib.loads((SITE_ROOT / "expected.toml").read_text(encoding="utf-8"))
    by_slug = {r["url"].split("/")[2]: r for r in fragments(built / INDEX_DIR)}
    for article in expected["articles"]:
        record = by_slug.get(article["path"].rsplit("/", 1)[1])
        if record is None or "keep" not in article:
            continue
        assert article["keep"].replace("’", "'") in record["content"]
        assert "’" not in record["content"]
        for chrome in ("Pourquoi ce thème", "Source :", "Tout le dossier", "S’abonner"):
            assert chrome not in record["content"], (record["url"], chrome)
    assert len(by_slug) == 16


def test_hub_search_box_is_hidden_until_a_script_shows_it(built: Path) -> None:
    hub = (built / "index.html").read_text(encoding="utf-8")
    assert (
        f'<form class="search" id="recherche" role="search" action="{SITEURL}/" method="get"'
        f' data-base="{SITEURL}/" data-index="{SITEURL}/pagefind/"'
        f' data-script="{SITEURL}/theme/js/recherche.js" hidden>'
    ) in hub
    assert '<label for="recherche-q">Chercher un mot dans le texte des articles</label>' in hub
    assert '<div class="results" id="resultats" hidden>' in hub


def test_search_off_leaves_no_box_and_no_index(tmp_path: Path) -> None:
    with MirrorServer() as mirror:
        out = build_site(
            tmp_path / "out", tmp_path / "cache", mirror.url(START_PATH), DOSSIER_SEARCH=False
        )
    assert not (out / INDEX_DIR).exists()
    assert 'id="recherche"' not in (out / "index.html").read_text(encoding="utf-8")
