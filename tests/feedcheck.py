"""Reading our feeds the way readers do: date formats, a local server, newsboat."""

from __future__ import annotations

import contextlib
import functools
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

NEWSBOAT = shutil.which("newsboat")
ATOM_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
RSS_DATE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r" \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})$"
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Serve silently."""


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 from a background thread; yield its base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()


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
