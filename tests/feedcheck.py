"""Reading our feeds the way readers do: date formats and newsboat."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

NEWSBOAT = shutil.which("newsboat")
ATOM_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
RSS_DATE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r" \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})$"
)


def newsboat_unread(url: str, home: Path) -> int:
    """Let newsboat fetch one feed into a fresh cache; return the unread count it prints."""
    home.mkdir(parents=True)
    (home / "urls").write_text(url + "\n", encoding="utf-8")
    (home / "config").write_text("", encoding="utf-8")
    command = [NEWSBOAT, "-u", "urls", "-c", "cache.db", "-C", "config", "-x", "reload"]
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    result = subprocess.run(
        [*command, "print-unread"], cwd=home, env=env, capture_output=True, text=True, timeout=60
    )
    found = re.search(r"^(\d+) unread articles?$", result.stdout, re.MULTILINE)
    assert result.returncode == 0 and found, (url, result.stdout, result.stderr)
    return int(found.group(1))
