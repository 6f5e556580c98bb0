"""Score our extractor, trafilatura and readability-lxml side by side on the benchmark.

Each extractor runs in its own ``evaluate.py`` process (same pages, same scorer), one
after the other, and a table of the last lines is printed. Usage::

    .venv/bin/python scripts/bench_extract.py [--data DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import logging
import re
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "extraction"
HERE = Path(__file__).resolve()
EXTRACTORS = {
    "dossier (ours)": "pelican.plugins.dossier.clean.cleaner:extract_text",
    "trafilatura": f"{HERE}:trafilatura_text",
    "readability-lxml": f"{HERE}:readability_text",
}
SUMMARY = re.compile(
    r"F1 (?P<f1>[\d.]+)\s+P (?P<p>[\d.]+)\s+R (?P<r>[\d.]+)\s+"
    r"docs/s (?P<dps>[\d.inf]+)\s+n=(?P<n>\d+)"
)


def trafilatura_text(html: str, url: str) -> str:
    """trafilatura with comments excluded, as in the issue."""
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False) or ""


def readability_text(html: str, url: str) -> str:
    """readability-lxml's summary HTML, reduced to its text (text nodes joined by spaces)."""
    import lxml.html
    from readability import Document

    summary = Document(html).summary()
    return " ".join(lxml.html.fromstring(summary).itertext()) if summary.strip() else ""


def run_one(spec: str, data: Path, limit: int) -> dict[str, str]:
    """Run evaluate.py for one extractor and parse its summary line."""
    cmd = [
        sys.executable,
        str(data / "evaluate.py"),
        "--extractor",
        spec,
        "--sys-path",
        str(ROOT / "plugins"),
        "--data",
        str(data),
        "--quiet",
    ]
    if limit:
        cmd += ["--limit", str(limit)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    match = SUMMARY.search(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "")
    if done.returncode != 0 or match is None:
        raise SystemExit(f"{spec} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return match.groupdict()


def main(argv: list[str] | None = None) -> int:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args(argv)
    if not (args.data / "evaluate.py").is_file():
        raise SystemExit(f"no evaluate.py in {args.data}: pass --data")
    results = {name: run_one(spec, args.data, args.limit) for name, spec in EXTRACTORS.items()}
    print(f"{'extractor':<18} {'F1':>6} {'P':>6} {'R':>6} {'docs/s':>8} {'n':>5}")
    for name, row in results.items():
        print(
            f"{name:<18} {row['f1']:>6} {row['p']:>6} {row['r']:>6} {row['dps']:>8} {row['n']:>5}"
        )
    ours, traf = results["dossier (ours)"], results["trafilatura"]
    ratio = float(ours["dps"]) / float(traf["dps"])
    print(f"speed vs trafilatura: {ratio:.2f}x (goal >= 1.50x); F1 goal >= 0.965")
    return 0


if __name__ == "__main__":
    sys.exit(main())
