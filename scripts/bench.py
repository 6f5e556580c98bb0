"""Speed and scale: the dossier plugin side by side with plain Pelican (``make bench``).

Usage: .venv/bin/python scripts/bench.py [--sizes 16,1000,5000] [--latency 0] [--quick]
       [--search] [--keep DIR]

For each N, ``scripts/benchgen.py`` writes a generated dossier of N French articles
(mirror layout, served on 127.0.0.1 by ``tests/mirror.py`` with ETag/Last-Modified
and 304s) and the same articles as Markdown. Four builds run, each in its own
``pelican`` subprocess (so peak RSS is per build, read with ``os.wait4``):

- cold:    empty cache; fetch + clean + tag + render;
- warm:    same cache, conditional requests, nothing changed upstream;
- offline: same cache, ``DOSSIER_OFFLINE=true``;
- plain:   plain Pelican on the Markdown files, same theme and pelicanconf, plugin off
           (a stub plugin registers the theme's Jinja filters and sets ``dossier`` to None:
           the templates fail on an undefined ``dossier``).

Prints one line per build as it ends, then the table and the issue's goal checks.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from benchgen import PER_PAGE, START_PATH, make_articles, write_markdown, write_site  # noqa: E402
from mirror import MirrorServer, Stats  # noqa: E402
from pelican.plugins.dossier.settings import DEFAULTS  # noqa: E402
from pelican.plugins.dossier.themes.taxonomy import load_taxonomy  # noqa: E402

PELICAN = ROOT / ".venv" / "bin" / "pelican"
SITEURL = "http://127.0.0.1:9"
PLAIN_PLUGIN = '''"""Plain-Pelican stand-in: only the theme's Jinja filters, no dossier."""

from pelican import signals


def _filters(pelican):
    from pelican.plugins.dossier.publish.filters import FILTERS

    pelican.settings["JINJA_FILTERS"] = {**FILTERS, **pelican.settings.get("JINJA_FILTERS", {})}


def _no_dossier(generator):
    generator.context.setdefault("dossier", None)  # the theme expects the name to exist


def register():
    signals.initialized.connect(_filters)
    signals.article_generator_init.connect(_no_dossier)
'''


class ByStatus(Stats):
    """Mirror statistics that also sum body bytes per status class (2xx, 3xx…)."""

    def __init__(self) -> None:
        super().__init__()
        self.bytes_by_class: Counter[str] = Counter()
        self._class_lock = threading.Lock()

    def record(self, path: str, status: int, body_bytes: int) -> None:
        """Count one response, and its bytes under its status class."""
        super().record(path, status, body_bytes)
        with self._class_lock:
            self.bytes_by_class[f"{status // 100}xx"] += body_bytes

    def reset(self) -> None:
        """Zero every counter."""
        super().reset()
        with self._class_lock:
            self.bytes_by_class.clear()


@dataclass
class Run:
    """One build's figures."""

    n: int
    case: str
    seconds: float
    rss_mb: float
    written: int
    requests: int = 0
    body_bytes: int = 0
    by_class: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants now, in kB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text(encoding="utf-8")
            total += int(
                next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmRSS"))
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text(encoding="utf-8").split()]
        except (OSError, StopIteration, ValueError):
            continue  # the process ended meanwhile
    return total


class TreeMemory(threading.Thread):
    """Samples the summed RSS of a process tree (worker processes included) every 20 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))


def timed(command: list[str], log: Path) -> tuple[float, float]:
    """Run a command; (wall seconds, peak RSS in MB of the process and its workers together).

    ru_maxrss only knows one process at a time, so worker processes are summed by
    sampling /proc; the larger of the two readings is kept.
    """
    with log.open("w", encoding="utf-8") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeMemory(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8")[-3000:]
        raise SystemExit(f"build failed ({proc.returncode}): {' '.join(command)}\n{tail}")
    return elapsed, max(usage.ru_maxrss, sampler.peak_kb) / 1024  # Linux reports kilobytes


def dossier_command(
    output: Path,
    cache: Path,
    start: str,
    pages: int,
    offline: bool,
    search: bool,
    extra: tuple[str, ...] = (),
) -> list[str]:
    """The contract command, quiet, with a listing page budget large enough for N.

    The full-text search index is left out unless asked (plain Pelican builds none).
    """
    command = [
        str(PELICAN),
        "content",
        "-s",
        "pelicanconf.py",
        "-o",
        str(output),
        "-e",
        f"DOSSIER_START_URL={json.dumps(start)}",
        'DOSSIER_ALLOWED_HOSTS=["127.0.0.1"]',
        f"DOSSIER_CACHE_PATH={json.dumps(str(cache))}",
        f"SITEURL={json.dumps(SITEURL)}",
        "DOSSIER_PROGRESS=false",
        f"DOSSIER_MAX_PAGES={pages + 5}",
    ]
    if "DOSSIER_SEARCH" in DEFAULTS:
        command.append(f"DOSSIER_SEARCH={json.dumps(search)}")
    return command + list(extra) + (["DOSSIER_OFFLINE=true"] if offline else [])


def plain_command(content: Path, output: Path, plugins: Path) -> list[str]:
    """Plain Pelican on the Markdown folder, same pelicanconf and theme, no dossier."""
    return [
        str(PELICAN),
        str(content),
        "-s",
        "pelicanconf.py",
        "-o",
        str(output),
        "-e",
        f"SITEURL={json.dumps(SITEURL)}",
        f"PLUGIN_PATHS={json.dumps([str(plugins)])}",
        'PLUGINS=["benchplain"]',
        'ARTICLE_PATHS=["articles"]',
        "READERS={}",
    ]


def written(output: Path) -> int:
    """Article pages written."""
    folder = output / "articles"
    return sum(1 for _ in folder.glob("*/index.html")) if folder.is_dir() else 0


def bench_size(
    n: int,
    latency: float,
    search: bool,
    work: Path,
    report: list[Run],
    extra: tuple[str, ...] = (),
) -> None:
    """Generate a dossier of n articles and run the four builds."""
    taxonomy = load_taxonomy(ROOT / "content" / "themes.toml")
    articles = make_articles(n, taxonomy)
    site, content = work / f"site-{n}", work / f"md-{n}"
    write_site(site, articles)
    write_markdown(content / "articles", articles)
    (work / "plugins").mkdir(exist_ok=True)
    (work / "plugins" / "benchplain.py").write_text(PLAIN_PLUGIN, encoding="utf-8")
    pages = -(-n // PER_PAGE)
    cache, output = work / f"cache-{n}", work / f"out-{n}"
    for folder in (cache, output, work / f"plain-{n}"):
        shutil.rmtree(folder, ignore_errors=True)  # cold means cold, even with --keep
    server = MirrorServer(site, latency=latency)
    server.mirror.stats = ByStatus()
    with server:
        start = server.url(START_PATH)
        for case, offline in (("cold", False), ("warm", False), ("offline", True)):
            server.reset_stats()
            command = dossier_command(output, cache, start, pages, offline, search, extra)
            seconds, rss = timed(command, work / f"{case}-{n}.log")
            stats = server.stats
            run = Run(n, case, seconds, rss, written(output), stats.requests, stats.body_bytes)
            run.by_class = dict(sorted(stats.bytes_by_class.items()))  # type: ignore[attr-defined]
            run.statuses = dict(sorted(stats.statuses.items()))
            _show(run)
            report.append(run)
    plain_out = work / f"plain-{n}"
    seconds, rss = timed(
        plain_command(content, plain_out, work / "plugins"), work / f"plain-{n}.log"
    )
    run = Run(n, "plain", seconds, rss, written(plain_out))
    _show(run)
    report.append(run)


def _show(run: Run) -> None:
    extra = ""
    if run.case != "plain":
        extra = (
            f" requests={run.requests} statuses={run.statuses}"
            f" body_bytes={run.body_bytes} {run.by_class}"
        )
    print(
        f"# N={run.n} {run.case}: {run.seconds:.2f} s, {run.rss_mb:.0f} MB, "
        f"{run.written} article pages{extra}",
        flush=True,
    )


def table(report: list[Run]) -> list[str]:
    """The figures, one row per build, with the ratio to plain Pelican for that N."""
    plain = {r.n: r.seconds for r in report if r.case == "plain"}
    lines = [
        f"{'N':>6}  {'case':<8} {'seconds':>8} {'peak RSS MB':>12} {'× plain':>8} {'pages':>6}"
    ]
    for r in report:
        ratio = r.seconds / plain[r.n] if r.n in plain else float("nan")
        lines.append(
            f"{r.n:>6}  {r.case:<8} {r.seconds:>8.2f} {r.rss_mb:>12.0f} {ratio:>8.2f}"
            f" {r.written:>6}"
        )
    return lines


def goals(report: list[Run]) -> list[str]:
    """The issue's goal checks for the sizes that were measured."""
    by = {(r.n, r.case): r for r in report}
    checks: list[str] = []

    def check(label: str, ok: bool, figure: str) -> None:
        checks.append(f"[{'met' if ok else 'MISSED'}] {label}: {figure}")

    for n in (16, 1000):
        if (n, "offline") in by and (n, "plain") in by:
            ratio = by[n, "offline"].seconds / by[n, "plain"].seconds
            check(f"offline N={n} <= 1.25 x plain", ratio <= 1.25, f"{ratio:.2f}")
    if (1000, "warm") in by and (1000, "plain") in by:
        warm = by[1000, "warm"]
        ratio = warm.seconds / by[1000, "plain"].seconds
        check(
            "warm N=1000: 0 body bytes (2xx)", warm.by_class.get("2xx", 0) == 0, str(warm.by_class)
        )
        check("warm N=1000 <= 1.5 x plain", ratio <= 1.5, f"{ratio:.2f}")
    if (5000, "cold") in by and (5000, "plain") in by:
        cold = by[5000, "cold"]
        ratio = cold.seconds / by[5000, "plain"].seconds
        check("cold N=5000 <= 2.5 x plain", ratio <= 2.5, f"{ratio:.2f}")
        check("cold N=5000 peak RSS <= 400 MB", cold.rss_mb <= 400, f"{cold.rss_mb:.0f} MB")
        if (1000, "cold") in by:
            growth = cold.seconds / by[1000, "cold"].seconds
            check("cold time(5000)/time(1000) <= 5.5", growth <= 5.5, f"{growth:.2f}")
    return checks


def main() -> None:
    """Parse the flags, run every size, print the table and the goals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="16,1000,5000", help="comma-separated N")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per response")
    parser.add_argument("--quick", action="store_true", help="N = 16 and 200 only")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--search", action="store_true", help="also build the search index")
    parser.add_argument(
        "--set", action="append", default=[], help="extra -e KEY=VALUE for the dossier builds"
    )
    args = parser.parse_args()
    sizes = [16, 200] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    report: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print(
            f"# sizes={sizes} latency={args.latency}s search={args.search} work={work}"
            f" load={os.getloadavg()}"
        )
        for n in sizes:
            bench_size(n, args.latency, args.search, work, report, tuple(args.set))
    print("\n".join(table(report)))
    print("\n".join(goals(report)))


if __name__ == "__main__":
    main()
