"""Hostile copies: a good copy is only replaced by a better one, an article cannot take
another's place, and one bad page fails alone, in this build and every later one.

Each attack runs against the sample mirror on 127.0.0.1 after a good build whose cache is
shared by the module (each test works on its own copy of it). Every test asserts the three
things that matter: the exit code within a bounded time, the good copy still published (in
the attacked build and in a following offline build), and nothing executable published.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import (
    EXPECTED,
    ROOT,
    SITEURL,
    BuildRun,
    HostileServer,
    good_build,
    respond,
    run_build,
    scan_output,
)
from pelican import Pelican
from pelican.settings import read_settings
from support import shows

BUILD_SECONDS = 60.0  # a build of the sample mirror takes 2-4 s; an attack may not hang it
VICTIM = "/fr/actualites/eclairage-public-intelligent-sobriete"
OTHER = "/fr/actualites/reseaux-eau-potable-capteurs-fuites"
ARTICLES = {a["path"]: a for a in EXPECTED["articles"]}


def _error_page(title: str, sentences: str) -> bytes:
    page = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1>"
        f"<p>{sentences}</p></main></body></html>"
    )
    return page.encode("utf-8")


# A 200 carrying a short outage notice: long enough (over 250 characters, in a paragraph)
# for the bare prose check, in the words real servers use.
UNAVAILABLE = _error_page(
    "Service indisponible",
    "Le service est momentanément indisponible en raison d’une opération de maintenance "
    "sur nos serveurs. Nos équipes mettent tout en œuvre pour rétablir l’accès au site "
    "dans les meilleurs délais. Merci de votre compréhension et veuillez réessayer "
    "ultérieurement, nous vous prions de nous excuser pour la gêne occasionnée.",
)
# The same notice under the article's own title: only its words give it away.
DISGUISED = _error_page(
    ARTICLES[VICTIM]["title"],
    "Une erreur est survenue lors du chargement de cette page et le contenu demandé est "
    "temporairement indisponible. Le site fait l’objet d’une opération de maintenance "
    "programmée et sera de nouveau accessible dans quelques heures. Veuillez réessayer "
    "plus tard ; nous vous prions de nous excuser pour la gêne occasionnée.",
)

NOTICE = "gêne occasionnée"  # in both notices' text, never in a reason we publish


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer() as mirror:
        yield mirror


@pytest.fixture(scope="module")
def good_cache(server: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache of one good build of the whole sample mirror."""
    root = tmp_path_factory.mktemp("good")
    good_build(server, root)
    return root / "cache"


@pytest.fixture
def attacked(server: HostileServer) -> Iterator[HostileServer]:
    """The module's server; every attack set by the test is removed afterwards."""
    yield server
    for path in list(server._httpd.overrides):  # type: ignore[attr-defined]
        server.restore(path)


@pytest.fixture
def cache(good_cache: Path, tmp_path: Path) -> Path:
    """This test's own copy of the good cache."""
    return Path(shutil.copytree(good_cache, tmp_path / "cache"))


def build(server: HostileServer, tmp_path: Path, cache: Path, name: str, **settings) -> BuildRun:
    run = run_build(tmp_path / name, cache, server.url(EXPECTED["start_path"]), **settings)
    assert run.returncode == 0, run.log
    assert run.seconds < BUILD_SECONDS
    assert scan_output(run.output, SITEURL) == []
    return run


def by_path(run: BuildRun) -> dict[str, dict]:
    """dossier.json's sources by the path of their source URL."""
    return {"/" + a["source_url"].split("/", 3)[3]: a for a in run.data["articles"]}


def published_text(run: BuildRun, path: str) -> str:
    article = by_path(run)[path]
    assert article["path"], article
    return (run.output / article["path"] / "index.html").read_text(encoding="utf-8")


def assert_good_copy(run: BuildRun, path: str = VICTIM) -> None:
    """The source's good copy is on the site: its title and a sentence of its own."""
    expected = ARTICLES[path]
    got = by_path(run)[path]
    assert got["title"] == expected["title"], got
    assert shows(published_text(run, path), expected["keep"])
    assert len([a for a in run.data["articles"] if a["path"]]) == EXPECTED["announced"]


def assert_kept_offline(server: HostileServer, tmp_path: Path, cache: Path) -> BuildRun:
    """A following offline build still publishes the victim's good copy."""
    run = build(server, tmp_path, cache, "offline", offline=True)
    assert_good_copy(run)
    return run


# --- 3. a good copy is only replaced by a better one ----------------------------------------


@pytest.mark.parametrize("body", [UNAVAILABLE, DISGUISED], ids=["status-title", "own-title"])
def test_error_page_with_200_keeps_the_good_copy(
    attacked: HostileServer, cache: Path, tmp_path: Path, body: bytes
) -> None:
    attacked.override(VICTIM, respond(200, body))
    run = build(attacked, tmp_path, cache, "online")
    assert_good_copy(run)
    victim = by_path(run)[VICTIM]
    assert victim["status"] == "stale"
    assert victim["reason"].startswith("suspicious:"), victim
    assert NOTICE not in published_text(run, VICTIM)
    assert_kept_offline(attacked, tmp_path, cache)


def test_error_page_without_a_previous_copy_publishes_nothing(
    attacked: HostileServer, tmp_path: Path
) -> None:
    attacked.override(VICTIM, respond(200, UNAVAILABLE))
    run = build(attacked, tmp_path, tmp_path / "fresh-cache", "online")
    victim = by_path(run)[VICTIM]
    assert (victim["status"], victim["path"]) == ("failed", None)
    assert victim["reason"].startswith("suspicious:"), victim
    assert len([a for a in run.data["articles"] if a["path"]]) == EXPECTED["announced"] - 1
    assert not any(NOTICE in p.read_text("utf-8") for p in run.output.rglob("*.html"))


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("zstd", "page"),  # an article's bytes, announced in a coding we never asked for
        ("gzip", os.urandom(4000)),  # garbage announced as gzip
        ("br, gzip", os.urandom(4000)),
    ],
    ids=["zstd", "garbage-gzip", "stacked"],
)
def test_body_in_an_unsupported_coding_keeps_the_good_copy(
    attacked: HostileServer, cache: Path, tmp_path: Path, encoding: str, body: bytes | str
) -> None:
    raw = attacked.page(OTHER).replace(b"fuites", b"FUITES-PIEGE") if body == "page" else body
    attacked.override(VICTIM, respond(200, raw, {"Content-Encoding": encoding}))
    run = build(attacked, tmp_path, cache, "online")
    assert_good_copy(run)
    victim = by_path(run)[VICTIM]
    assert victim["status"] == "stale", victim
    assert "FUITES-PIEGE" not in published_text(run, VICTIM)
    assert_kept_offline(attacked, tmp_path, cache)


# --- 4. an article cannot take another's place ---------------------------------------------


@pytest.mark.parametrize(
    "claim",
    ["{base}" + OTHER, "http://127.0.0.2:{port}/elsewhere"],
    ids=["another-listed-article", "another-host"],
)
def test_canonical_claim_on_another_article_is_ignored(
    attacked: HostileServer,
    cache: Path,
    tmp_path: Path,
    claim: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # one log record per line, URLs unbroken
    target = claim.format(base=attacked.base_url, port=attacked.base_url.rsplit(":", 1)[1])
    page = attacked.page(VICTIM).decode("utf-8")
    page = re.sub(
        r'<link rel="canonical" href="[^"]*">', f'<link rel="canonical" href="{target}">', page
    )
    attacked.override(VICTIM, respond(200, page.encode("utf-8")))
    run = build(attacked, tmp_path, cache, "online")
    for path in (VICTIM, OTHER):
        got = by_path(run)[path]
        assert got["canonical_url"] == attacked.url(path), got
        assert shows(published_text(run, path), ARTICLES[path]["keep"])
    paths = [a["path"] for a in run.data["articles"]]
    assert len(set(paths)) == len(paths) == EXPECTED["announced"]
    warning = next(line for line in run.log.splitlines() if "claims the canonical" in line)
    assert target in warning and attacked.url(VICTIM) in warning
    offline = build(attacked, tmp_path, cache, "offline", offline=True)
    assert by_path(offline)[VICTIM]["path"] == by_path(run)[VICTIM]["path"]
    assert by_path(offline)[OTHER]["path"] == by_path(run)[OTHER]["path"]


# --- 5. one page cannot stop this build or any later one -----------------------------------


def _with_head(path: str, server: HostileServer, extra: str) -> bytes:
    return server.page(path).replace(b"</head>", extra.encode("utf-8") + b"</head>", 1)


def test_lone_surrogate_in_json_ld_author(
    attacked: HostileServer, cache: Path, tmp_path: Path
) -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": "A\\ud800B"}'
    attacked.override(VICTIM, respond(200, _with_head(VICTIM, attacked, ld + "</script>")))
    run = build(attacked, tmp_path, cache, "online")
    assert_good_copy(run)
    assert "A\ufffdB" in published_text(run, VICTIM)
    assert_kept_offline(attacked, tmp_path, cache)


def test_year_one_date_with_a_far_offset(
    attacked: HostileServer, cache: Path, tmp_path: Path
) -> None:
    page = attacked.page(VICTIM).replace(b"2023-03-14T09:00:00+01:00", b"0001-01-01T00:00:00+14:00")
    attacked.override(VICTIM, respond(200, page))
    run = build(attacked, tmp_path, cache, "online")
    assert_good_copy(run)
    assert not (by_path(run)[VICTIM]["date"] or "2").startswith("0")
    assert_kept_offline(attacked, tmp_path, cache)


def test_five_thousand_digit_count(attacked: HostileServer, cache: Path, tmp_path: Path) -> None:
    lead = EXPECTED["plaquette_path"]
    page = attacked.page(lead)
    assert b"Voir les 16 actualit" in page
    attacked.override(lead, respond(200, page.replace(b"Voir les 16", b"Voir les " + b"9" * 5000)))
    run = build(attacked, tmp_path, cache, "online")
    assert_good_copy(run)
    assert run.data["dossier"]["announced"] in (None, EXPECTED["announced"])
    assert_kept_offline(attacked, tmp_path, cache)


# --- isolation per source: an unexpected error fails one source, never the build -----------


def _raise_for(path: str, real):
    """``real`` that raises for the page at ``path`` (found by its URL or its title), as a
    bug in our own code would."""
    marks = (path, ARTICLES[path]["title"])

    def wrapped(*args, **kwargs):
        texts = [a if isinstance(a, str) else getattr(a, "source_url", "") for a in args]
        if any(t.endswith(marks) for t in texts):
            raise RuntimeError(f"unexpected failure on {path}")
        return real(*args, **kwargs)

    return wrapped


def _build_in_process(server: HostileServer, output: Path, cache: Path, **extra: object) -> float:
    """Pelican in this process (so that a stage can be made to fail); returns seconds."""
    override = {
        "OUTPUT_PATH": str(output),
        "DOSSIER_START_URL": server.url(EXPECTED["start_path"]),
        "DOSSIER_ALLOWED_HOSTS": ["127.0.0.1"],
        "DOSSIER_CACHE_PATH": str(cache),
        "DOSSIER_PROGRESS": False,
        "DOSSIER_SEARCH": False,
        "SITEURL": SITEURL,
        "RELATIVE_URLS": False,  # absolute links everywhere: the strictest to check
        **extra,
    }
    started = time.monotonic()
    Pelican(read_settings(str(ROOT / "pelicanconf.py"), override=override)).run()
    return time.monotonic() - started


@pytest.mark.parametrize(
    ("stage", "module", "name"),
    [
        ("cleaning", "pelican.plugins.dossier.pipeline", "clean"),
        ("tagging", "pelican.plugins.dossier.pipeline", "tag"),
        ("publishing", "pelican.plugins.dossier.publish.articles", "make_article"),
    ],
    ids=["clean", "tag", "publish"],
)
def test_unexpected_error_fails_one_source_only(
    attacked: HostileServer,
    cache: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stage: str,
    module: str,
    name: str,
) -> None:
    (cache / "derived.sqlite3").unlink()  # every page is cleaned and tagged afresh
    target = importlib.import_module(module)
    monkeypatch.setattr(target, name, _raise_for(VICTIM, getattr(target, name)))
    output = tmp_path / "online"
    assert _build_in_process(attacked, output, cache) < BUILD_SECONDS
    data = json.loads((output / "dossier.json").read_text(encoding="utf-8"))
    victim = next(a for a in data["articles"] if a["source_url"].endswith(VICTIM))
    assert victim["status"] == "failed" and victim["path"] is None, victim
    assert victim["reason"].startswith(f"{stage} failed (RuntimeError: unexpected failure on")
    published = [a for a in data["articles"] if a["path"]]
    assert len(published) == EXPECTED["announced"] - 1
    assert all(a["status"] != "failed" for a in published)
    assert scan_output(output, SITEURL) == []
    monkeypatch.undo()  # the bug is fixed: the next build publishes the good copy again
    assert_kept_offline(attacked, tmp_path, cache)


def test_strict_mode_stops_on_a_source_that_fails_while_published(
    attacked: HostileServer, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pelican.plugins.dossier.pipeline import DossierError
    from pelican.plugins.dossier.publish import articles

    monkeypatch.setattr(articles, "make_article", _raise_for(VICTIM, articles.make_article))
    with pytest.raises(DossierError, match="DOSSIER_STRICT is on") as stopped:
        _build_in_process(attacked, tmp_path / "strict", cache, DOSSIER_STRICT=True)
    assert VICTIM in str(stopped.value) and "publishing failed" in str(stopped.value)


def test_unexpected_error_checking_a_new_body_keeps_the_good_copy(
    attacked: HostileServer, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The article check cannot clean a new body: it is refused, the good copy stays."""
    from pelican.plugins.dossier.clean import workers

    monkeypatch.setattr(workers, "clean", _raise_for(VICTIM, workers.clean))
    changed = attacked.page(VICTIM).replace(b"Un diagnostic simple", b"Un diagnostic rapide")
    attacked.override(VICTIM, respond(200, changed))  # no validator: a new body comes
    output = tmp_path / "online"
    assert _build_in_process(attacked, output, cache) < BUILD_SECONDS
    data = json.loads((output / "dossier.json").read_text(encoding="utf-8"))
    victim = next(a for a in data["articles"] if a["source_url"].endswith(VICTIM))
    assert victim["status"] == "stale", victim
    assert victim["reason"].startswith("suspicious: cannot be cleaned (RuntimeError"), victim
    assert len([a for a in data["articles"] if a["path"]]) == EXPECTED["announced"]
    assert scan_output(output, SITEURL) == []
    monkeypatch.undo()
    assert_kept_offline(attacked, tmp_path, cache)


def test_five_thousand_digit_content_length_of_an_attachment(
    attacked: HostileServer, cache: Path, tmp_path: Path
) -> None:
    def send(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/pdf")
        handler.send_header("Content-Length", "9" * 5000)
        handler.end_headers()

    attacked.override(EXPECTED["pdf_path"], send)
    run = build(attacked, tmp_path, cache, "online")
    assert_good_copy(run)
    assert_kept_offline(attacked, tmp_path, cache)
