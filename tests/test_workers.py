"""Cleaning in worker processes gives exactly what cleaning in-thread gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mirror import MirrorServer
from pelican.plugins.dossier import pipeline
from pelican.plugins.dossier.clean import workers
from pelican.plugins.dossier.clean.cleaner import clean, load_rules
from support import START_PATH, build_dossier

ROOT = Path(__file__).resolve().parent.parent


def _build(base_url: str, cache: Path, processes: int) -> pipeline.DossierResult:
    return build_dossier(cache, base_url + START_PATH, DOSSIER_WORKERS=processes)


def test_worker_processes_clean_like_the_calling_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    real_expect = workers.PageCleaner.expect

    def expect(self: workers.PageCleaner, pages: int) -> None:
        real_expect(self, pages)
        started.append(self.workers if self._pool is not None else 0)

    monkeypatch.setattr(workers.PageCleaner, "expect", expect)
    with MirrorServer() as server:
        alone = _build(server.base_url, tmp_path / "one", processes=0)
        monkeypatch.setattr(workers, "POOL_THRESHOLD", 1)
        pooled = _build(server.base_url, tmp_path / "two", processes=2)
    assert started == [0, 2]  # the second build really ran a pool of two processes
    assert len(pooled.entries) == len(alone.entries) > 10
    assert [e.cleaned for e in pooled.entries] == [e.cleaned for e in alone.entries]
    assert [e.themes for e in pooled.entries] == [e.themes for e in alone.entries]


def test_worker_count_none_means_one_per_cpu_less_the_build() -> None:
    assert workers.worker_count(3) == 3
    assert workers.worker_count(0) == 0
    assert workers.worker_count(None) == len(os.sched_getaffinity(0)) - 1


def test_a_worker_process_cleans_with_the_extra_rules_of_its_path(tmp_path: Path) -> None:
    page = (ROOT / "tests" / "fixtures" / "pages" / "blog-sans-regle.html").read_text("utf-8")
    url = "https://carnet-quartiers.example/a"
    (tmp_path / "carnet.toml").write_text(
        'hosts = ["carnet-quartiers.example"]\nstrip = ["blockquote"]\n', "utf-8"
    )
    rules = load_rules(tmp_path)
    with workers.PageCleaner(rules, tmp_path, workers=1) as cleaner:
        cleaner.expect(workers.POOL_THRESHOLD)
        assert cleaner._pool is not None  # the page is cleaned in a worker process
        assert cleaner(page, url) is None
        pooled = cleaner.take(page, url)
    assert pooled == clean(page, url, rules)
    assert pooled is not None and "blockquote" not in pooled.html
    assert "blockquote" in clean(page, url).html  # the host's rule changed something
