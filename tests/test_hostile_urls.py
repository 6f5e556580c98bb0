"""Hostile addresses: a listing link or a redirect that tries to write into the page's
security policy, to reach another host than the one checked, or to publish a link
that runs script.

Each attack runs a real build (tests/hostile.py) against the sample mirror on
127.0.0.1 with the cache of a clean baseline build, and asserts what matters: the
exit code and a bounded time, every good article still published (and again in a
following offline build), nothing executable in any page, feed or data file, and
for the SSRF cases no connection at all to the forbidden loopback alias 127.0.0.2,
where a canary server listens and records every request.
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hostile import (
    CSP_PAYLOAD,
    EXPECTED,
    LISTING,
    PAYLOAD_TITLE,
    BuildRun,
    HostileServer,
    Responder,
    article_copy,
    good_build,
    listing_with,
    respond,
    run_build,
    scan_output,
)

MAX_SECONDS = 60.0
GOOD_PATHS = sorted(a["path"] for a in EXPECTED["articles"])
PLAQUETTE = EXPECTED["plaquette_path"]
FORBIDDEN = "127.0.0.2"  # stands for a private or metadata address


@dataclass
class Mirror:
    """The module's hostile mirror, its canary on the forbidden alias, and a good cache."""

    server: HostileServer
    canary: HostileServer
    cache: Path

    def fresh_cache(self, where: Path) -> Path:
        """A private copy of the baseline cache: one test's damage never leaks."""
        return Path(shutil.copytree(self.cache, where / "cache"))

    def build(self, where: Path, cache: Path, **kw: object) -> BuildRun:
        start = self.server.url(EXPECTED["start_path"])
        return run_build(where / "out", cache, start, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mirror]:
    base = tmp_path_factory.mktemp("hostile-urls")
    with HostileServer() as server, HostileServer(host=FORBIDDEN) as canary:
        baseline = good_build(server, base)
        assert published_paths(baseline) == GOOD_PATHS
        canary.seen.clear()
        yield Mirror(server, canary, base / "cache")


@pytest.fixture
def attack(mirror: Mirror) -> Iterator[Mirror]:
    """The mirror for one test: overrides and the canary's log are reset afterwards."""
    yield mirror
    mirror.server._httpd.overrides.clear()  # type: ignore[attr-defined]
    mirror.canary._httpd.overrides.clear()  # type: ignore[attr-defined]
    mirror.canary.seen.clear()


def published_paths(run: BuildRun) -> list[str]:
    """Root-relative canonical paths of the published articles, sorted."""
    paths = []
    for item in run.data["articles"]:
        if item["path"]:
            assert (run.output / item["path"] / "index.html").is_file()
            paths.append(urlsplit(item["canonical_url"]).path.rstrip("/"))
    return sorted(paths)


def assert_held(mirror: Mirror, run: BuildRun, where: Path, cache: Path) -> None:
    """Exit 0 in bounded time, every good article published, nothing executable; the
    same in a following offline build; and the forbidden host never reached."""
    assert run.returncode == 0, run.log
    assert run.seconds < MAX_SECONDS
    assert published_paths(run) == GOOD_PATHS
    assert scan_output(run.output) == []
    offline = run_build(
        where / "offline", cache, mirror.server.url(EXPECTED["start_path"]), offline=True
    )
    assert offline.returncode == 0, offline.log
    assert published_paths(offline) == GOOD_PATHS
    assert scan_output(offline.output) == []
    assert mirror.canary.seen == []


def test_listing_link_cannot_write_into_the_security_policy(attack: Mirror, tmp_path: Path) -> None:
    copy = "/fr/actualites/copie-politique"
    host = attack.server.base_url.split("://", 1)[1]
    attack.server.override(copy, article_copy(attack.server, copy))
    hostile = CSP_PAYLOAD.format(host=host, path=copy)
    attack.server.override(LISTING, listing_with(attack.server, hostile))
    cache = attack.fresh_cache(tmp_path)
    run = attack.build(tmp_path, cache)
    assert_held(attack, run, tmp_path, cache)
    assert copy not in attack.server.seen  # refused at discovery: never even requested
    for page in run.output.glob("articles/*/index.html"):
        text = page.read_text(encoding="utf-8")
        assert "unsafe-inline" not in text and PAYLOAD_TITLE not in text, page


SSRF_LINKS = [
    # urllib.parse reads the host after "@" (allowed), urllib3 connects to the one before;
    # the last one is plain user info, refused before too.
    "http://{forbidden}:{port}\\@{host}{path}",
    "http://{forbidden}:{port}\\\\@{host}{path}",
    "http://{forbidden}:{port}\t@{host}{path}",
    "http://{forbidden}:{port}%5C@{host}{path}",
    "http://{host}@{forbidden}:{port}{path}",
]
# Articles the listing links directly, one per redirect payload.
VICTIMS = [
    "/fr/actualites/eclairage-public-intelligent-sobriete",
    "/fr/actualites/sobriete-numerique-territoires-frugaux",
    "/fr/actualites/souverainete-numerique-logiciels-libres-collectivites",
    "/fr/actualites/stationnement-connecte-ville-moyenne-bilan",
    "/fr/actualites/achats-publics-ville-intelligente-cout-global",
]


def ssrf_address(pattern: str, mirror: Mirror, path: str) -> str:
    host = mirror.server.base_url.split("://", 1)[1]
    port = mirror.canary.base_url.rsplit(":", 1)[1]
    return pattern.format(forbidden=FORBIDDEN, port=port, host=host, path=path)


def test_listing_links_cannot_reach_another_host(attack: Mirror, tmp_path: Path) -> None:
    """One listing carries every payload, each naming its own copy of an article."""
    copies = [f"/fr/actualites/copie-canari-{n}" for n in range(len(SSRF_LINKS))]
    for copy in copies:
        for server in (attack.server, attack.canary):
            server.override(copy, article_copy(server, copy))
    links = [ssrf_address(p, attack, c) for p, c in zip(SSRF_LINKS, copies, strict=True)]
    attack.server.override(LISTING, listing_with(attack.server, *links))
    cache = attack.fresh_cache(tmp_path)
    run = attack.build(tmp_path, cache)
    assert_held(attack, run, tmp_path, cache)
    assert not any("copie-canari" in (a["canonical_url"] or "") for a in run.data["articles"])


def test_redirects_cannot_reach_another_host(attack: Mirror, tmp_path: Path) -> None:
    """Each victim answers 302 to one payload; the canary serves a copy of it."""
    for pattern, victim in zip(SSRF_LINKS, VICTIMS, strict=True):
        location = ssrf_address(pattern, attack, victim)
        attack.server.override(victim, respond(302, headers={"Location": location}))
        attack.canary.override(victim, article_copy(attack.canary, victim))
    cache = attack.fresh_cache(tmp_path)
    run = attack.build(tmp_path, cache)
    assert_held(attack, run, tmp_path, cache)
    for victim in VICTIMS:  # each keeps its good copy, with the refusal as the reason
        item = next(a for a in run.data["articles"] if a["source_url"].endswith(victim))
        assert (item["status"], item["reason"][:8]) == ("stale", "refused:"), item


EXECUTABLE_LINKS = [
    "javascript:alert(document.domain)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
]


def plaquette_with(server: HostileServer, href: str) -> Responder:
    """The plaquette page whose canonical link and download link both carry ``href``."""
    page = server.page(PLAQUETTE).decode("utf-8")
    link = html.escape(href, quote=True)
    page = page.replace(f'rel="canonical" href="{PLAQUETTE}"', f'rel="canonical" href="{link}"')
    page = page.replace(f'href="{EXPECTED["shop_path"]}"', f'href="{link}"')
    assert page.count(link) == 2
    return respond(body=page.encode("utf-8"))


@pytest.mark.parametrize("href", EXECUTABLE_LINKS)
def test_executable_canonical_and_attachment_links_are_not_published(
    attack: Mirror, tmp_path: Path, href: str
) -> None:
    attack.server.override(PLAQUETTE, plaquette_with(attack.server, href))
    cache = attack.fresh_cache(tmp_path)
    run = attack.build(tmp_path, cache)
    assert_held(attack, run, tmp_path, cache)
    plaquette = next(a for a in run.data["articles"] if a["plaquette"])
    assert plaquette["canonical_url"] == attack.server.url(PLAQUETTE)  # its own address
    page = (run.output / plaquette["path"] / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{attack.server.url(PLAQUETTE)}">' in page
    feeds = [p.read_text(encoding="utf-8") for p in run.output.glob("feeds/**/*.xml")]
    assert feeds and not any("script:" in f or "data:text" in f for f in feeds)
    data = json.dumps(run.data)
    assert "script:" not in data and "data:text" not in data
