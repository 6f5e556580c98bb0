"""The end-of-build report goes through Pelican's logging: `pelican -q` silences it."""

from __future__ import annotations

from pathlib import Path

from support import pelican_cli


def _pelican(tmp_path: Path, *flags: str) -> str:
    run = pelican_cli(
        tmp_path / "out",
        *flags,
        "-e",
        'DOSSIER_START_URL="http://127.0.0.1:9/fr/node/4279"',
        'DOSSIER_ALLOWED_HOSTS=["127.0.0.1"]',
        f'DOSSIER_CACHE_PATH="{tmp_path / "cache"}"',
        "DOSSIER_OFFLINE=true",
        "DOSSIER_SEARCH=false",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout + run.stderr


def test_the_report_is_logged_and_quiet_silences_it(tmp_path: Path) -> None:
    loud = _pelican(tmp_path / "loud")
    assert "Dossier sources" in loud and "fetch: 0 fetched" in loud
    quiet = _pelican(tmp_path / "quiet", "-q")
    assert "Dossier sources" not in quiet and "fetch:" not in quiet
