"""The built site as real software meets it: a web server process, then a feed reader.

The sample mirror is built with SITEURL pointing at a ``python -m http.server`` process
that serves the output folder, so the absolute URLs in the feeds and the OPML lead back
to it. The server fetches every file (each must be readable: modes from the umask, as
Pelican's own output), then newsboat imports the OPML and fetches every feed into one
cache, where an entry id shared between two feeds would keep only one of the items.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

import pytest
from feedcheck import NEWSBOAT
from mirror import MirrorServer
from pelican.plugins.dossier.atomic import write_atomic
from support import EXPECTED, ROOT, build_site, http_server

UMASK = 0o022  # the usual one; the build runs under it whatever the test runner's is
THEME_STATIC = ROOT / "theme" / "static"


@contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The sample mirror built under UMASK with SITEURL = the server that serves it."""
    output = tmp_path_factory.mktemp("served") / "output"
    output.mkdir()
    cache = tmp_path_factory.mktemp("served-cache")
    with MirrorServer() as mirror, http_server(output) as url:
        with umask(UMASK):
            build_site(output, cache, mirror.url(EXPECTED["start_path"]), SITEURL=url)
        yield output, url


def _files(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*") if p.is_file())


def _expected_mode(output: Path, path: Path) -> int:
    """0o666 less the umask; a theme file Pelican copies keeps its source's mode."""
    relative = path.relative_to(output)
    if relative.parts[0] == "theme":
        return stat.S_IMODE(THEME_STATIC.joinpath(*relative.parts[1:]).stat().st_mode)
    return 0o666 & ~UMASK


def test_every_output_file_has_the_mode_the_umask_gives(served: tuple[Path, str]) -> None:
    output, _url = served
    files = _files(output)
    ours = ["dossier.json", "feeds/all.atom.xml", "feeds/dossier.opml", "index.html"]
    assert set(ours) <= {str(p.relative_to(output)) for p in files}
    wrong = {
        str(p.relative_to(output)): oct(stat.S_IMODE(p.stat().st_mode))
        for p in files
        if stat.S_IMODE(p.stat().st_mode) != _expected_mode(output, p)
    }
    assert wrong == {}
    folders = [p for p in output.rglob("*") if p.is_dir()]
    assert {stat.S_IMODE(p.stat().st_mode) for p in folders} == {0o777 & ~UMASK}
    assert not [p for p in files if p.name.endswith(".tmp")]


def test_a_web_server_process_serves_every_file(served: tuple[Path, str]) -> None:
    output, url = served
    files = _files(output)
    assert len(files) > 50
    for path in files:
        relative = path.relative_to(output).as_posix()
        with urlopen(f"{url}/{quote(relative)}", timeout=10) as response:
            assert (response.status, response.read()) == (200, path.read_bytes()), relative


def test_the_atomic_writer_follows_any_umask(tmp_path: Path) -> None:
    for mask, mode in ((0o027, 0o640), (0o002, 0o664), (0o077, 0o600)):
        target = tmp_path / f"{mask:o}" / "file.json"
        with umask(mask):
            write_atomic(target, b"{}\n")
            write_atomic(target, b"[]\n")  # replacing keeps following the umask
        assert stat.S_IMODE(target.stat().st_mode) == mode
        assert target.read_bytes() == b"[]\n"
        assert [p.name for p in target.parent.iterdir()] == ["file.json"]


def newsboat_counts(opml: Path, home: Path) -> dict[str, int]:
    """Import the OPML into a fresh newsboat, fetch every feed; items per feed in its cache."""
    home.mkdir()
    (home / "config").write_text("", encoding="utf-8")
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    base = [NEWSBOAT, "-u", "urls", "-c", "cache.db", "-C", "config"]
    for extra in (["-i", str(opml)], ["-x", "reload"]):
        result = subprocess.run(
            [*base, *extra], cwd=home, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, (extra, result.stdout, result.stderr)
    query = (
        "SELECT f.rssurl, (SELECT count(*) FROM rss_item i WHERE i.feedurl = f.rssurl) "
        "FROM rss_feed f"
    )
    with sqlite3.connect(home / "cache.db") as db:
        return dict(db.execute(query).fetchall())


@pytest.mark.newsboat
@pytest.mark.skipif(NEWSBOAT is None, reason="newsboat is not installed (apt-get install newsboat)")
def test_newsboat_subscribed_to_the_opml_gets_every_feed_in_full(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    output, url = served
    data = json.loads((output / "dossier.json").read_text(encoding="utf-8"))
    expected = {f"{url}/feeds/all.atom.xml": data["dossier"]["found"]}
    expected |= {f"{url}/feeds/themes/{t['slug']}.atom.xml": t["count"] for t in data["themes"]}
    assert len(expected) == 13 and data["dossier"]["found"] == len(EXPECTED["articles"])
    assert newsboat_counts(output / "feeds" / "dossier.opml", tmp_path / "home") == expected
