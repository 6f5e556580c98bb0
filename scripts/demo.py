"""Build the complete site from the project's own sample mirror, with no internet.

Starts the mirror (tests/fixtures/site/) on 127.0.0.1, runs Pelican against it
with the same overrides as the contract command, then stops the mirror.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from mirror import MirrorServer  # noqa: E402

START_PATH = "/fr/node/4279"


def pelican_command(base_url: str, cache: str, output: str, siteurl: str) -> list[str]:
    """The contract command, pointed at a mirror."""
    return [
        str(ROOT / ".venv" / "bin" / "pelican"),
        "content",
        "-s",
        "pelicanconf.py",
        "-o",
        output,
        "--fatal",
        "warnings",
        "-e",
        f'DOSSIER_START_URL="{base_url}{START_PATH}"',
        'DOSSIER_ALLOWED_HOSTS=["127.0.0.1"]',
        f'DOSSIER_CACHE_PATH="{cache}"',
        f'SITEURL="{siteurl}"',
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--cache", default=".cache/demo")
    parser.add_argument("--output", default="output")
    parser.add_argument("--siteurl", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    with MirrorServer(port=args.port) as server:
        command = pelican_command(server.base_url, args.cache, args.output, args.siteurl)
        return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
