"""Cleaning in worker processes gives exactly what cleaning in-thread gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mirror import MirrorServer
from pelican.plugins.dossier import pipeline
from pelican.plugins.dossier.clean import workers
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
