"""Score our extractor, trafilatura and readability-lxml side by side on three suites.

1. The project's 181 pages (``../shared/benchmarks/extraction``): each extractor in its
   own ``evaluate.py`` process, one after the other, and a table of their last lines.
2. trafilatura's evaluation corpus and 3. Mozilla's Readability test pages
   (``../shared/benchmarks/peers``): that folder's ``evaluate.py --compare`` runs ours and
   both peers interleaved page by page; its table is printed as it is, plus a row for
   ``clean()`` (what is published) and, for suite 2, the French pages alone; suite 3
   also scores metadata. Usage::

    .venv/bin/python scripts/bench_extract.py [--data DIR] [--peers DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "extraction"
DEFAULT_PEERS = ROOT.parent / "shared" / "benchmarks" / "peers"
FRENCH_WORDS = frozenset(
    [
        *("le", "la", "les", "des", "du", "une", "et", "est", "dans"),
        *("pour", "que", "qui", "sur", "pas", "avec", "sont", "au", "aux"),
    ]
)
FRENCH_SHARE = 0.15  # share of French function words in a page's expected snippets
HERE = Path(__file__).resolve()
EXTRACTORS = {
    "dossier (ours)": "pelican.plugins.dossier.clean.cleaner:extract_text",
    "dossier clean()": f"{HERE}:clean_text",
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


def clean_text(html: str, url: str | None) -> str:
    """The text of what is published: ``clean()`` keeps captions and figures."""
    from pelican.plugins.dossier.clean.cleaner import clean

    return clean(html, url or "https://example.org/").text


def clean_meta(html: str, url: str | None) -> dict[str, str | None]:
    """``clean()``'s metadata in the keys the peers' ``evaluate.py --metadata`` reads."""
    from pelican.plugins.dossier.clean.cleaner import clean

    found = clean(html, url or "https://example.org/")
    published = found.published.isoformat() if found.published else None
    return {
        "title": found.title,
        "author": found.author,
        "date": published,
        "lang": found.lang,
        "summary": found.summary,
    }


def french_ids(peers: Path) -> list[str]:
    """Pages of trafilatura's corpus whose expected snippets are French."""
    truth = json.loads((peers / "trafilatura-eval" / "truth.json").read_text(encoding="utf-8"))
    found = []
    for entry in truth.values():
        words = re.findall(r"\w+", " ".join(entry["with"]).lower())
        if words and sum(w in FRENCH_WORDS for w in words) / len(words) >= FRENCH_SHARE:
            found.append(entry["file"])
    return found


def run_peers(peers: Path, suite: str, extractor: str, extra: list[str]) -> str:
    """One ``evaluate.py`` run on a peer suite; its tables (worst pages left out)."""
    cmd = [sys.executable, str(peers / "evaluate.py"), "--suite", suite, "--extractor", extractor]
    cmd += ["--sys-path", str(ROOT / "plugins"), "--worst", "0", *extra]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{suite} suite failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout.rstrip()


def peer_suites(peers: Path, limit: int) -> None:
    """Print suites 2 and 3: ours, clean() and both peers, French pages, metadata."""
    extra = ["--limit", str(limit)] if limit else []
    ours, published = "pelican.plugins.dossier.clean.cleaner:extract_text", f"{HERE}:clean_text"
    print("\n## trafilatura evaluation corpus")
    print(run_peers(peers, "trafilatura", ours, ["--compare", *extra]))
    print(run_peers(peers, "trafilatura", published, extra).splitlines()[-1])
    french = ",".join(french_ids(peers))
    print("\n## same corpus, French pages only")
    print(run_peers(peers, "trafilatura", ours, ["--compare", "--pages", french]))
    print("\n## Mozilla Readability test pages (text and metadata)")
    meta = ["--metadata", f"{HERE}:clean_meta"]
    print(run_peers(peers, "readability", ours, ["--compare", *meta, *extra]))
    print(run_peers(peers, "readability", published, extra).splitlines()[-1])


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
    parser.add_argument("--peers", type=Path, default=DEFAULT_PEERS, help="peer suites folder")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args(argv)
    if not (args.data / "evaluate.py").is_file():
        raise SystemExit(f"no evaluate.py in {args.data}: pass --data")
    results = {name: run_one(spec, args.data, args.limit) for name, spec in EXTRACTORS.items()}
    print("## project benchmark (181 pages)")
    print(f"{'extractor':<18} {'F1':>6} {'P':>6} {'R':>6} {'docs/s':>8} {'n':>5}")
    for name, row in results.items():
        print(
            f"{name:<18} {row['f1']:>6} {row['p']:>6} {row['r']:>6} {row['dps']:>8} {row['n']:>5}"
        )
    ours, traf = results["dossier (ours)"], results["trafilatura"]
    ratio = float(ours["dps"]) / float(traf["dps"])
    print(f"speed vs trafilatura: {ratio:.2f}x (goal >= 1.50x); F1 goal >= 0.970")
    if (args.peers / "evaluate.py").is_file():
        peer_suites(args.peers, args.limit)
    else:
        print(f"(no peer suites in {args.peers}: pass --peers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
