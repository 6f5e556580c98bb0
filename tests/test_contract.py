"""The contract command of issue 2, run exactly as other tools will run it.

A subprocess `pelican … -e …` against the mirror, with `--fatal warnings`, then the
same from the cache alone: the files the contract names must be there.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from mirror import MirrorServer
from pelican.plugins.dossier.themes.taxonomy import SLUGS
from support import EXPECTED, pelican_cli


def contract(port: int, out: Path, cache: Path, *extra: str) -> subprocess.CompletedProcess:
    return pelican_cli(
        out,
        "--fatal",
        "warnings",
        "-e",
        f'DOSSIER_START_URL="http://127.0.0.1:{port}/fr/node/4279"',
        'DOSSIER_ALLOWED_HOSTS=["127.0.0.1"]',
        f'DOSSIER_CACHE_PATH="{cache}"',
        'SITEURL="http://127.0.0.1:9"',
        *extra,
    )


def check_output(out: Path) -> dict:
    for name in ("index.html", "feeds/all.atom.xml", "feeds/all.rss.xml", "dossier.json"):
        assert (out / name).is_file(), name
    for slug in SLUGS:
        assert (out / "themes" / slug / "index.html").is_file(), slug
        assert (out / "feeds" / "themes" / f"{slug}.atom.xml").is_file(), slug
        assert (out / "feeds" / "themes" / f"{slug}.rss.xml").is_file(), slug
    return json.loads((out / "dossier.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mirror():
    with MirrorServer() as server:
        yield server


def test_contract_command_online_then_offline(mirror, tmp_path: Path) -> None:
    port = int(mirror.base_url.rsplit(":", 1)[1])
    online = contract(port, tmp_path / "on", tmp_path / "cache", "DOSSIER_SEARCH=false")
    assert online.returncode == 0, online.stdout + online.stderr
    data = check_output(tmp_path / "on")
    assert set(data) == {"dossier", "articles", "themes", "history"}  # history: issue 16
    assert set(data["dossier"]) == {"title", "url", "announced", "found", "kept"}
    assert data["dossier"]["announced"] == EXPECTED["announced"]
    assert data["dossier"]["found"] == len(EXPECTED["articles"])
    keys = {"source_url", "canonical_url", "title", "date", "themes", "status", "path", "plaquette"}
    assert all(keys <= set(a) for a in data["articles"])
    assert all(set(t) == {"slug", "label", "count"} for t in data["themes"])

    mirror.reset_stats()
    offline = contract(
        port, tmp_path / "off", tmp_path / "cache", "DOSSIER_OFFLINE=true", "DOSSIER_SEARCH=false"
    )
    assert offline.returncode == 0, offline.stdout + offline.stderr
    assert mirror.stats.requests == 0
    again = check_output(tmp_path / "off")
    assert {a["status"] for a in again["articles"]} == {"cached"}
    assert again["dossier"] == data["dossier"]
