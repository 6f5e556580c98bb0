"""The derived-results cache: cleaned articles and tags are reused, and invalidated exactly.

Unit tests of ``dossier.derived``, then whole pipeline runs against the sample mirror
that count the calls to ``clean`` and ``tag`` (monkeypatched in ``dossier.pipeline``).
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from mirror import SITE_ROOT, MirrorServer
from pelican.plugins.dossier import pipeline
from pelican.plugins.dossier.clean import workers
from pelican.plugins.dossier.clean.cleaner import load_rules
from pelican.plugins.dossier.derived import (
    BATCH,
    FILENAME,
    DerivedCache,
    cleaned_from_json,
    cleaned_to_json,
    fingerprint,
    themes_from_json,
    themes_to_json,
)
from pelican.plugins.dossier.model import Attachment, Cleaned, ThemeMatch
from support import START_PATH, build_dossier

ROOT = Path(__file__).resolve().parent.parent
EDITED = "fr/actualites/eclairage-public-intelligent-sobriete.html"


def _cleaned() -> Cleaned:
    return Cleaned(
        title="Éclairage public",
        html="<p>Texte</p>",
        text="Texte",
        summary="Résumé",
        published=datetime(2023, 3, 14, 9, 0, tzinfo=UTC),
        attachments=(Attachment("http://127.0.0.1/doc.pdf", "Guide", "application/pdf", 1234),),
    )


def test_cleaned_and_themes_survive_json() -> None:
    cleaned = _cleaned()
    assert cleaned_from_json(cleaned_to_json(cleaned)) == cleaned
    matches = (ThemeMatch("energie", 4.5, ("éclairage public", "led")), ThemeMatch("sobriete", 3.0))
    assert themes_from_json(themes_to_json(matches)) == matches


def test_values_persist_across_opens(tmp_path: Path) -> None:
    with DerivedCache(tmp_path) as cache:
        cache.put("k", {"a": [1, "é"]})
        assert cache.get("k") == {"a": [1, "é"]}  # pending values are readable
    with DerivedCache(tmp_path) as cache:
        assert cache.get("k") == {"a": [1, "é"]}
        assert cache.get("absent") is None


def test_writes_go_out_in_batches(tmp_path: Path) -> None:
    cache = DerivedCache(tmp_path)
    for n in range(BATCH + 1):
        cache.put(f"k{n}", n)
    with sqlite3.connect(tmp_path / FILENAME) as other:
        assert other.execute("SELECT count(*) FROM results").fetchone() == (BATCH,)
    cache.close()
    with sqlite3.connect(tmp_path / FILENAME) as other:
        assert other.execute("SELECT count(*) FROM results").fetchone() == (BATCH + 1,)


def test_corrupt_database_is_moved_aside(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    garbage = b"this is not a database, just bytes " * 200
    (tmp_path / FILENAME).write_bytes(garbage)
    with (
        caplog.at_level(logging.WARNING, logger="pelican.plugins.dossier.derived"),
        DerivedCache(tmp_path) as cache,
    ):
        assert cache.get("k") is None
        cache.put("k", "v")
    assert (tmp_path / "derived.corrupt").read_bytes() == garbage
    assert any("unreadable" in r.getMessage() for r in caplog.records)
    with DerivedCache(tmp_path) as cache:
        assert cache.get("k") == "v"


def test_unparsable_value_is_a_miss(tmp_path: Path) -> None:
    with DerivedCache(tmp_path) as cache:
        cache.put("k", "v")
    with sqlite3.connect(tmp_path / FILENAME) as db:
        db.execute("UPDATE results SET value = '{broken' WHERE key = 'k'")
    with DerivedCache(tmp_path) as cache:
        assert cache.get("k") is None


def test_rule_fingerprint_is_stable_and_shows_selectors() -> None:
    first = load_rules().for_url("https://www.cerema.fr/fr/actualites/x")
    second = load_rules().for_url("https://www.cerema.fr/fr/actualites/x")
    assert repr(first) != repr(second)  # lxml's CSSSelector repr holds its address
    assert fingerprint(first) == fingerprint(second)
    assert "css('article.node--type-actualite .node__content')" in fingerprint(first)
    assert fingerprint(first) != fingerprint(load_rules().for_url("http://127.0.0.1/x"))


# --- the pipeline: what is re-cleaned and re-tagged --------------------------------------


class Calls:
    """Counts calls to pipeline.clean and pipeline.tag (which still do their work)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.clean: Counter[str] = Counter()
        self.tag = 0
        self.related = 0
        real_clean, real_tag, real_related = pipeline.clean, pipeline.tag, pipeline.related

        def clean(html: str, url: str, rules: object = None) -> Cleaned:
            self.clean[url] += 1
            return real_clean(html, url, rules)

        def tag(*args: object) -> tuple[ThemeMatch, ...]:
            self.tag += 1
            return real_tag(*args)

        def related(*args: object, **kwargs: object) -> dict[str, tuple[str, ...]]:
            self.related += 1
            return real_related(*args, **kwargs)

        monkeypatch.setattr(pipeline, "clean", clean)
        monkeypatch.setattr(workers, "clean", clean)
        monkeypatch.setattr(pipeline, "tag", tag)
        monkeypatch.setattr(pipeline, "related", related)

    def reset(self) -> None:
        self.clean.clear()
        self.tag = 0
        self.related = 0


def _build(base_url: str, cache: Path, **extra: object) -> pipeline.DossierResult:
    return build_dossier(cache, base_url + START_PATH, **extra)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A private copy of the sample site, which a test may edit."""
    root = tmp_path / "site"
    shutil.copytree(SITE_ROOT, root)
    return root


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    return Calls(monkeypatch)


def _published(result: pipeline.DossierResult) -> int:
    return sum(1 for e in result.entries if e.cleaned)


def test_unchanged_pages_are_not_cleaned_or_tagged_again(
    site: Path, tmp_path: Path, calls: Calls
) -> None:
    with MirrorServer(site) as server:
        first = _build(server.base_url, tmp_path / "cache")
        cleaned_once = sum(calls.clean.values())
        assert set(calls.clean.values()) == {1}
        assert cleaned_once >= _published(first) > 10
        assert calls.tag == _published(first)
        assert calls.related == 1
        calls.reset()
        warm = _build(server.base_url, tmp_path / "cache")
        assert (sum(calls.clean.values()), calls.tag, calls.related) == (0, 0, 0)
        assert [e.related for e in warm.entries] == [e.related for e in first.entries]
        assert [(e.cleaned, e.themes) for e in warm.entries] == [
            (e.cleaned, e.themes) for e in first.entries
        ]
        calls.reset()
        server.reset_stats()
        offline = _build(server.base_url, tmp_path / "cache", DOSSIER_OFFLINE=True)
        assert server.stats.requests == 0
    assert (sum(calls.clean.values()), calls.tag) == (0, 0)
    assert [e.cleaned for e in offline.entries] == [e.cleaned for e in first.entries]


def test_an_edited_page_alone_is_cleaned_and_tagged_again(
    site: Path, tmp_path: Path, calls: Calls
) -> None:
    with MirrorServer(site) as server:
        _build(server.base_url, tmp_path / "cache")
        page = site / EDITED
        page.write_text(
            page.read_text(encoding="utf-8").replace("<p>Avant d", "<p>Mise à jour : avant d"),
            "utf-8",
        )
        calls.reset()
        result = _build(server.base_url, tmp_path / "cache")
    assert list(calls.clean) == [server.base_url + "/" + EDITED.removesuffix(".html")]
    assert calls.tag == 1
    assert calls.related == 1  # one text changed: « À lire aussi » is worked out again
    edited = [e for e in result.entries if e.source_url in calls.clean]
    assert len(edited) == 1 and "Mise à jour : " in edited[0].cleaned.html


def test_a_taxonomy_change_retags_everything_and_recleans_nothing(
    site: Path, tmp_path: Path, calls: Calls
) -> None:
    taxonomy = tmp_path / "themes.toml"
    source = (ROOT / "content" / "themes.toml").read_text(encoding="utf-8")
    taxonomy.write_text(source, encoding="utf-8")
    with MirrorServer(site) as server:
        first = _build(server.base_url, tmp_path / "cache", DOSSIER_TAXONOMY=str(taxonomy))
        calls.reset()
        taxonomy.write_text(source + "\n# une ligne de plus\n", encoding="utf-8")
        _build(server.base_url, tmp_path / "cache", DOSSIER_TAXONOMY=str(taxonomy))
    assert (sum(calls.clean.values()), calls.tag) == (0, _published(first))


def test_a_rule_change_recleans_its_host_only_and_retags_only_changed_text(
    site: Path, tmp_path: Path, calls: Calls
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    with MirrorServer(site) as server:
        first = _build(server.base_url, tmp_path / "cache", DOSSIER_RULES_PATH=str(rules))
        cleaned_once = sum(calls.clean.values())
        calls.reset()
        # a rule for another host changes nothing here
        (rules / "ailleurs.toml").write_text('hosts = ["ailleurs.example"]\n', "utf-8")
        _build(server.base_url, tmp_path / "cache", DOSSIER_RULES_PATH=str(rules))
        assert (sum(calls.clean.values()), calls.tag) == (0, 0)
        # a rule for the mirror's host that strips nothing: every page is cleaned again,
        # the cleaned text is the same, so nothing is tagged again
        (rules / "mirror.toml").write_text(
            'hosts = ["127.0.0.1"]\nstrip = [".aucun-element"]\n', "utf-8"
        )
        _build(server.base_url, tmp_path / "cache", DOSSIER_RULES_PATH=str(rules))
        assert (sum(calls.clean.values()), calls.tag) == (cleaned_once, 0)
        calls.reset()
        # a rule that drops every <h2>: the texts change, so they are tagged again
        (rules / "mirror.toml").write_text('hosts = ["127.0.0.1"]\nstrip = ["h2"]\n', "utf-8")
        _build(server.base_url, tmp_path / "cache", DOSSIER_RULES_PATH=str(rules))
    assert sum(calls.clean.values()) == cleaned_once
    assert 0 < calls.tag <= _published(first)


def test_a_cleaner_code_change_recleans_everything(
    site: Path, tmp_path: Path, calls: Calls, monkeypatch: pytest.MonkeyPatch
) -> None:
    with MirrorServer(site) as server:
        _build(server.base_url, tmp_path / "cache")
        cleaned_once = sum(calls.clean.values())
        calls.reset()
        # the cleaner's code now includes one more module: its version changes
        monkeypatch.setattr(pipeline, "CLEAN_MODULES", (*pipeline.CLEAN_MODULES, "atomic"))
        _build(server.base_url, tmp_path / "cache")
    assert (sum(calls.clean.values()), calls.tag) == (cleaned_once, 0)


def test_stems_are_kept_between_builds(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pelican.plugins.dossier import textnorm

    missing: list[str] = []
    real_missing = textnorm._StemMemo.__missing__

    def counted(self: textnorm._StemMemo, word: str) -> str:
        missing.append(word)
        return real_missing(self, word)

    monkeypatch.setattr(textnorm._StemMemo, "__missing__", counted)
    with MirrorServer(site) as server:
        _build(server.base_url, tmp_path / "cache")
        first = len(missing)
        # each build reads its configuration afresh: a new Stemmer, as in a new process
        _build(server.base_url, tmp_path / "cache", DOSSIER_OFFLINE=True)
    assert first > 1000  # the taxonomy and sixteen articles
    assert len(missing) == first  # the second build stemmed no word again
