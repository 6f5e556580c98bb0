"""`make update`: rebuild the site with the publishing settings and say what changed.

Runs `pelican` (publishconf.py by default) in a child process, then reads the history the
build left beside the cache (the plugin's track/tracking.py) and prints this build's changes.
The exit status tells cron or CI whether to deploy:

    0  the dossier changed, or this build set the baseline (first build): deploy
    3  nothing changed in the dossier since the last build: nothing to deploy
    1  the build failed, or it left no history
    2  bad usage (argparse)

Extra `-e KEY=JSON` settings are passed to pelican as they are, like `pelican -e`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from pelican import ParseOverrides
from pelican.settings import read_settings as pelican_settings

ROOT = Path(__file__).resolve().parent.parent

from pelican.plugins.dossier.publish.changes import LABELS  # noqa: E402
from pelican.plugins.dossier.settings import read_settings  # noqa: E402
from pelican.plugins.dossier.track.history import History  # noqa: E402
from pelican.plugins.dossier.track.tracking import load_history  # noqa: E402

CHANGED, FAILED, UNCHANGED = 0, 1, 3


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-s", "--settings", default=str(ROOT / "publishconf.py"))
    parser.add_argument("-o", "--output", default=str(ROOT / "output"))
    parser.add_argument("-e", "--extra-settings", dest="overrides", default={}, nargs="*",
                        action=ParseOverrides, metavar="KEY=JSON")  # fmt: skip
    return parser.parse_args(argv)


def summary(history: History) -> tuple[int, list[str]]:
    """The exit status and the lines to print for the history's last build."""
    build = history.last_build
    if build is None:
        return FAILED, ["Dossier : aucune construction enregistrée."]
    if build.baseline:
        count = sum(1 for r in history.records.values() if r.presence == "current")
        return CHANGED, [f"Dossier : première construction, {count} articles pris pour référence."]
    events = history.events_of(build)
    if not events:
        return UNCHANGED, ["Dossier : aucun changement depuis la dernière construction."]
    lines = [f"Dossier : {len(events)} changement{'s' if len(events) > 1 else ''}."]
    lines += [f"  {LABELS[e.kind]} : {e.title}" for e in events]
    return CHANGED, lines


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    extra = [f"{k}={json.dumps(v)}" for k, v in args.overrides.items()]
    command = [sys.executable, "-m", "pelican", str(ROOT / "content"), "-s", args.settings]
    command += ["-o", args.output] + (["-e", *extra] if extra else [])
    started = datetime.now(UTC).replace(microsecond=0)
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        print("Dossier : la construction a échoué.", file=sys.stderr)
        return FAILED
    settings = pelican_settings(args.settings, override=dict(args.overrides))
    history = load_history(read_settings(settings).cache_path)
    if history is None or history.last_build is None or history.last_build.at < started:
        print("Dossier : la construction n’a pas laissé d’historique.", file=sys.stderr)
        return FAILED
    status, lines = summary(history)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
