"""An offline build does not pay for loading the HTTP stack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys
sys.path.insert(0, {plugins!r})
from dossier.fetch import Fetcher
from dossier.settings import read_settings
settings = read_settings({{"DOSSIER_OFFLINE": True, "DOSSIER_CACHE_PATH": {cache!r}}})
with Fetcher(settings) as fetcher:
    page = fetcher.fetch_page("https://www.cerema.fr/fr/node/4279")
print(page.status, "requests" in sys.modules)
"""


def test_offline_fetcher_never_imports_requests(tmp_path: Path) -> None:
    code = SCRIPT.format(plugins=str(ROOT / "plugins"), cache=str(tmp_path))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["failed", "False"]
