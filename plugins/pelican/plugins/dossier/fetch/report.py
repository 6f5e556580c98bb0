"""What people see of the build: a progress bar, a summary table, a closing summary.

Everything goes through Pelican's console, the one its « Generating... » spinner runs
on, so that rich prints our lines above the spinner instead of onto it, and keeps quiet
under ``pelican -q``; the summary line goes through Pelican's logging.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.errors import LiveError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..model import Fetched
from .reasons import is_network
from .transport import BUDGET_SETTING

logger = logging.getLogger(__name__)

# Report order and labels of the statuses.
LABELS = {
    "fetched": "fetched",
    "not-modified": "not modified",
    "cached": "from cache",
    "stale": "stale",
    "failed": "failed",
}
PROBLEMS = ("stale", "failed")
COUNTS_NOTE = (
    "articles: one per article of dossier.json, the start page included; other pages: the "
    "dossier's listing pages and links that turned out to duplicate an article. The progress "
    "bar counted the article links of the listing besides the start page, duplicates included."
)
SERVE_URL = "http://127.0.0.1:8000/"
NO_NETWORK_HINT = (
    "No network? `make demo` builds and serves the sample dossier from a local mirror; "
    "`DOSSIER_OFFLINE=true make html` publishes what the cache holds without trying the network."
)


def counts(outcomes: Sequence[Fetched]) -> dict[str, int]:
    """Number of outcomes per status, every status present, in report order."""
    found = Counter(o.status for o in outcomes)
    return {status: found[status] for status in LABELS}


def summary_line(outcomes: Sequence[Fetched]) -> str:
    """One line: 'fetch: 3 fetched, 0 not modified, 0 from cache, 1 stale, 0 failed'."""
    numbers = counts(outcomes)
    return "fetch: " + ", ".join(f"{numbers[s]} {label}" for s, label in LABELS.items())


def render_report(
    outcomes: Sequence[Fetched],
    console: Console | None = None,
    articles: Collection[str] | None = None,
) -> None:
    """Print the counts table, then every stale or failed source, and log a line.

    With ``articles`` (the source URLs dossier.json lists), the table tells article
    pages apart from the dossier's own pages, so its numbers match dossier.json's.
    """
    problems = [o for o in outcomes if o.status in PROBLEMS]
    if not quieted():
        _print_report(console or default_console(), outcomes, articles, problems)
    if problems:
        logger.warning("%s", summary_line(outcomes))
    else:
        logger.info("%s", summary_line(outcomes))
    skipped = [o.url for o in outcomes if BUDGET_SETTING in o.reason]
    if skipped:
        logger.warning(
            "wait budget spent (%s): %d source(s) not fetched fresh: %s",
            BUDGET_SETTING,
            len(skipped),
            ", ".join(skipped),
        )


def _print_report(
    console: Console,
    outcomes: Sequence[Fetched],
    articles: Collection[str] | None,
    problems: Sequence[Fetched],
) -> None:
    console.print(_counts_table(outcomes, articles))
    if articles is not None:
        _line(console, COUNTS_NOTE)
    if problems:
        console.print(f"Sources not fetched fresh ({len(problems)}):", style="bold")
        for outcome in problems:  # whole lines: a URL is never cut or folded
            _line(console, f"  {outcome.status:<6} {outcome.url}")
            _line(console, f"         {outcome.reason}")


def quieted() -> bool:
    """True under ``pelican -q``: Pelican's logging then lets no warning through, and
    our console output (tables, progress, closing summary) keeps quiet with it."""
    return not logger.isEnabledFor(logging.WARNING)


def default_console() -> Console:
    """Pelican's console: printed above its « Generating... » spinner, never onto it."""
    from pelican.log import console

    return console


def _line(console: Console, text: str) -> None:
    console.print(text, soft_wrap=True, markup=False, highlight=False)


def _counts_table(outcomes: Sequence[Fetched], articles: Collection[str] | None) -> Table:
    if articles is None:
        table = Table(title="Dossier sources")
        table.add_column("status")
        table.add_column("count", justify="right")
        for status, number in counts(outcomes).items():
            table.add_row(LABELS[status], str(number))
        return table
    mine = [o for o in outcomes if o.url in articles]
    other = [o for o in outcomes if o.url not in articles]
    table = Table(title="Dossier sources")
    table.add_column("status")
    for name in ("articles", "other pages", "total"):
        table.add_column(name, justify="right")
    for status, number in counts(outcomes).items():
        row = (counts(mine)[status], counts(other)[status], number)
        table.add_row(LABELS[status], *map(str, row))
    table.add_row("all", str(len(mine)), str(len(other)), str(len(outcomes)), style="bold")
    return table


@contextmanager
def progress_bar(total: int, enabled: bool) -> Iterator[Callable[[], None]]:
    """A progress bar of the article links when enabled on a terminal; yields advance()."""
    console = default_console()
    if not enabled or quieted() or not console.is_terminal:
        yield lambda: None
        return
    columns = (
        TextColumn("fetching article links"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    progress = Progress(*columns, console=console, transient=True)
    try:
        progress.start()
    except LiveError:  # rich before 14.1 cannot nest it in Pelican's spinner
        yield lambda: None
        return
    try:
        task = progress.add_task("fetch", total=total)
        yield lambda: progress.advance(task)
    finally:
        progress.stop()


@dataclass(frozen=True)
class BuildSummary:
    """What the closing summary tells: what was published, what was not fetched fresh."""

    published: int
    announced: int | None
    themes: int
    outcomes: tuple[Fetched, ...]
    offline: bool = False
    serve_url: str = SERVE_URL  # where `make serve` shows a local build
    siteurl: str = ""  # the public address of a build with absolute URLs (make publish)


def render_closing(summary: BuildSummary, output: Path, console: Console | None = None) -> None:
    """The last lines of a build: published, failed and why, where, and what to run next."""
    if quieted():
        return
    console = console or default_console()
    for line in closing_lines(summary, output):
        _line(console, line)


def closing_lines(summary: BuildSummary, output: Path) -> list[str]:
    """The closing summary as plain lines (URLs and paths never cut)."""
    announced = "" if summary.announced is None else f" ({summary.announced} announced)"
    lines = [
        f"Published {summary.published} articles{announced}, {summary.themes} theme pages, "
        "Atom and RSS feeds (feeds/dossier.opml lists them) and dossier.json.",
        f"Sources: {summary_line(summary.outcomes).removeprefix('fetch: ')}.",
        *_failure_lines(summary.outcomes),
        f"Site written to {output.resolve()}",
        _next_line(summary, output),
    ]
    problems = [o for o in summary.outcomes if o.status in PROBLEMS]
    if not summary.offline and any(is_network(o.reason) for o in problems):
        lines.append(NO_NETWORK_HINT)
    return lines


def _next_line(summary: BuildSummary, output: Path) -> str:
    if summary.siteurl:
        return (
            f"Next: copy the content of {output.resolve()} to the host serving "
            f"{summary.siteurl} (README: « Putting the site online »)"
        )
    return f"Next: {serve_command(output)}, then open {summary.serve_url}"


def _failure_lines(outcomes: Sequence[Fetched]) -> list[str]:
    problems = [o for o in outcomes if o.status in PROBLEMS]
    if not problems:
        return []
    numbers = counts(problems)
    lines = [
        f"Not fetched fresh: {numbers['stale']} stale (their last good copy is published), "
        f"{numbers['failed']} failed (not published). Why:"
    ]
    for reason, number in Counter(o.reason or "unknown" for o in problems).most_common():
        lines.append(f"  {number} × {reason}")
    return lines


def serve_command(output: Path) -> str:
    """The make command that serves ``output`` (the Makefile's default is ./output)."""
    here = Path.cwd().resolve()
    target = output.resolve()
    if target == here / "output":
        return "make serve"
    shown = target.relative_to(here) if target.is_relative_to(here) else target
    return f"make serve OUTPUT={shown}"
