"""An offline build does not pay for loading the HTTP stack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys
from pelican.plugins.dossier.fetch.fetcher import Fetcher
from pelican.plugins.dossier.settings import read_settings
from pathlib import Path
settings = read_settings({{"DOSSIER_OFFLINE": True, "DOSSIER_CACHE_PATH": {cache!r}}})
with Fetcher(settings) as fetcher:
    page = fetcher.fetch_page("https://www.cerema.fr/fr/node/4279")
print(page.status, "requests" in sys.modules)
"""


def test_offline_fetcher_never_imports_requests(tmp_path: Path) -> None:
    code = SCRIPT.format(cache=str(tmp_path))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["failed", "False"]


BUILD = """
import sys
from pelican.plugins.dossier.pipeline import build_dossier, load_config
from pelican.plugins.dossier.settings import read_settings
from pathlib import Path
raw = {{"DOSSIER_START_URL": {start!r}, "DOSSIER_ALLOWED_HOSTS": ["127.0.0.1"],
        "DOSSIER_CACHE_PATH": {cache!r}, "DOSSIER_PROGRESS": False, "DOSSIER_OFFLINE": {off}}}
result = build_dossier(load_config(read_settings(raw, base=Path({root!r}))))
print(sum(1 for e in result.entries if e.cleaned), "bs4" in sys.modules, "requests" in sys.modules)
"""


def test_an_unchanged_offline_rebuild_loads_neither_requests_nor_beautifulsoup(
    tmp_path: Path,
) -> None:
    from mirror import MirrorServer

    def run(start: str, offline: bool) -> list[str]:
        code = BUILD.format(
            root=str(ROOT),
            start=start,
            cache=str(tmp_path),
            off=offline,
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    with MirrorServer() as server:
        start = server.url("/fr/node/4279")
        assert run(start, offline=False) == ["16", "True", "True"]
    assert run(start, offline=True) == ["16", "False", "False"]
