"""Pelican's two settings files as users expect them.

pelicanconf.py (``make html``): relative links, so the site works from disk and from
``make serve``; its feeds still need absolute links and point where ``make serve``
serves it. publishconf.py (``make publish``): pages still link relatively (the hub's
weight does not depend on SITEURL), feeds and the OPML are absolute on SITEURL.
"""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import urlopen

import feedparser
import lxml.html
import pytest
from lxml import etree
from mirror import MirrorServer
from pelican import Pelican
from pelican.settings import read_settings
from support import EXPECTED, ROOT, http_server, pelican_cli

PUBLIC = "https://dossier.example.org/villes"
HUB_BUDGET = 60_000  # bytes of HTML, CSS and JavaScript (see tests/test_theme_site.py)


def _mirror_overrides(mirror: MirrorServer, cache: Path) -> dict[str, object]:
    return {
        "DOSSIER_START_URL": mirror.url(EXPECTED["start_path"]),
        "DOSSIER_ALLOWED_HOSTS": ["127.0.0.1"],
        "DOSSIER_CACHE_PATH": str(cache),
        "DOSSIER_PROGRESS": False,
    }


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The sample mirror built with pelicanconf.py as is, then with publishconf.py."""
    base = tmp_path_factory.mktemp("settings-files")
    with MirrorServer() as mirror:
        overrides = _mirror_overrides(mirror, base / "cache")
        local = {"OUTPUT_PATH": str(base / "local"), **overrides}
        Pelican(read_settings(str(ROOT / "pelicanconf.py"), override=local)).run()
        pairs = [f"{k}={_json(v)}" for k, v in {**overrides, "SITEURL": PUBLIC}.items()]
        done = pelican_cli(base / "public", "-e", *pairs, settings="publishconf.py", timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    yield {"local": base / "local", "public": base / "public"}


def _json(value: object) -> str:
    return json.dumps(value)


def _links(page: Path) -> list[str]:
    tree = lxml.html.fromstring(page.read_bytes())
    return [v for e in tree.iter() for k, v in e.attrib.items() if k in ("href", "src", "action")]


def _target(output: Path, page: Path, link: str) -> Path:
    """The file a relative link of ``page`` opens from disk."""
    here = posixpath.dirname(page.relative_to(output).as_posix())
    link_path = unquote(urlsplit(link).path)
    path = output / posixpath.normpath(posixpath.join(here, link_path))
    return path / "index.html" if link_path.endswith("/") or path.is_dir() else path


def test_a_local_build_links_relatively_to_files_that_exist(sites: dict[str, Path]) -> None:
    output = sites["local"]
    pages = sorted(output.rglob("*.html"))
    checked = set()
    for page in pages:
        for link in _links(page):
            if urlsplit(link).scheme or link.startswith(("#", "data:", "mailto:")):
                continue
            assert not link.startswith("/"), (page, link)  # root-relative breaks from disk
            target = _target(output, page, link)
            assert target.is_file(), (str(page.relative_to(output)), link)
            checked.add(target)
    assert len(checked) > 40
    hub = (output / "index.html").read_text(encoding="utf-8")
    assert 'href="./theme/css/site.css"' in hub and "127.0.0.1:8000/articles" not in hub


def test_a_local_build_keeps_absolute_urls_where_they_are_needed(sites: dict[str, Path]) -> None:
    output = sites["local"]
    article = next((output / "articles").glob("*/index.html")).read_text(encoding="utf-8")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', article)
    assert canonical and canonical.group(1).startswith("http://127.0.0.1:")  # the source's
    feed = feedparser.parse((output / "feeds/all.atom.xml").read_bytes())
    assert feed.bozo == 0 and len(feed.entries) == len(EXPECTED["articles"])
    assert all(e.link.startswith("http://127.0.0.1:8000/articles/") for e in feed.entries)
    opml = etree.fromstring((output / "feeds/dossier.opml").read_bytes())
    urls = [o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl")]
    assert len(urls) == 13 and all(u.startswith("http://127.0.0.1:8000/feeds/") for u in urls)


def test_a_local_build_works_from_a_web_server_process(sites: dict[str, Path]) -> None:
    with http_server(sites["local"]) as url:
        for path in ("", "articles/", "themes/donnees/"):
            page = sites["local"] / path / "index.html" if path != "articles/" else None
            if page is None:
                page = next((sites["local"] / "articles").glob("*/index.html"))
                path = page.parent.relative_to(sites["local"]).as_posix() + "/"
            for link in _links(page):
                if urlsplit(link).scheme or link.startswith(("#", "data:")):
                    continue
                with urlopen(urljoin(f"{url}/{path}", link), timeout=10) as response:
                    assert response.status == 200, (path, link)


def test_a_published_build_links_pages_relatively_and_feeds_on_siteurl(
    sites: dict[str, Path],
) -> None:
    output = sites["public"]
    hub = (output / "index.html").read_text(encoding="utf-8")
    assert 'href="./theme/css/site.css"' in hub
    internal = [link for link in _links(output / "index.html") if not link.startswith("#")]
    relative = [link for link in internal if not urlsplit(link).scheme]
    assert len(relative) > 20 and all(link.startswith("./") for link in relative)
    # the pages' feed autodiscovery, the feeds and the OPML: absolute on SITEURL
    assert f'type="application/atom+xml" title="Tout le dossier (Atom)" href="{PUBLIC}/' in hub
    feed = feedparser.parse((output / "feeds/all.atom.xml").read_bytes())
    assert feed.feed.links[0].href == f"{PUBLIC}/feeds/all.atom.xml"
    assert all(e.link.startswith(f"{PUBLIC}/articles/") for e in feed.entries)
    opml = etree.fromstring((output / "feeds/dossier.opml").read_bytes())
    assert {
        o.get("xmlUrl").rsplit("/feeds/", 1)[0] for o in opml.iter("outline") if o.get("xmlUrl")
    } == {PUBLIC}


def test_the_published_hub_stays_in_budget_whatever_the_address(
    sites: dict[str, Path],
) -> None:
    for kind in ("local", "public"):
        output = sites[kind]
        own = ("index.html", "theme/css/site.css", "theme/js/commun.js", "theme/js/filtres.js")
        total = sum((output / name).stat().st_size for name in own)
        print(f"{kind} hub: {total} bytes")
        assert total < HUB_BUDGET, kind


def test_make_publish_builds_with_publishconf() -> None:
    done = subprocess.run(
        # --no-print-directory: under `make test`, make's « Entering directory » lines
        ["make", "--no-print-directory", "-n", "publish", f"SITEURL={PUBLIC}", "OUTPUT=/tmp/x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    [command] = [line for line in done.stdout.splitlines() if "publishconf.py" in line]
    assert "content -s publishconf.py -o /tmp/x" in command
    assert f"-e 'SITEURL=\"{PUBLIC}\"'" in command
