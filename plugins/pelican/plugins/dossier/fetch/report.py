"""What people see of the fetch stage: a progress bar, then a summary table.

Both go through Pelican's console and the summary line through its logging, so that
``pelican -q`` silences them and ``--log-handler`` receives the line, as for Pelican's
own messages.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from pelican.log import console as pelican_console
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..model import Fetched
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


def counts(outcomes: Sequence[Fetched]) -> dict[str, int]:
    """Number of outcomes per status, every status present, in report order."""
    found = Counter(o.status for o in outcomes)
    return {status: found[status] for status in LABELS}


def summary_line(outcomes: Sequence[Fetched]) -> str:
    """One line: 'fetch: 3 fetched, 0 not modified, 0 from cache, 1 stale, 0 failed'."""
    numbers = counts(outcomes)
    return "fetch: " + ", ".join(f"{numbers[s]} {label}" for s, label in LABELS.items())


def render_report(outcomes: Sequence[Fetched], console: Console | None = None) -> None:
    """Print the summary tables on Pelican's console (the counts, then every stale or failed
    source) unless ``pelican -q`` silenced the build, and log the summary line.

    The line is a warning when a source is stale or failed (``--fatal warnings`` stops
    there), information otherwise.
    """
    problems = [o for o in outcomes if o.status in PROBLEMS]
    if logger.isEnabledFor(logging.WARNING):
        console = console or pelican_console
        console.print(_counts_table(outcomes))
        if problems:
            console.print(_problems_table(problems))
    logger.log(logging.WARNING if problems else logging.INFO, "%s", summary_line(outcomes))
    skipped = [o.url for o in outcomes if BUDGET_SETTING in o.reason]
    if skipped:
        logger.warning(
            "wait budget spent (%s): %d source(s) not fetched fresh: %s",
            BUDGET_SETTING,
            len(skipped),
            ", ".join(skipped),
        )


def _counts_table(outcomes: Sequence[Fetched]) -> Table:
    table = Table(title="Dossier sources")
    table.add_column("status")
    table.add_column("count", justify="right")
    for status, number in counts(outcomes).items():
        table.add_row(LABELS[status], str(number))
    return table


def _problems_table(problems: Sequence[Fetched]) -> Table:
    table = Table(title="Sources not fetched fresh")
    table.add_column("status")
    table.add_column("url", overflow="fold")
    table.add_column("reason", overflow="fold")
    for outcome in problems:
        table.add_row(outcome.status, outcome.url, outcome.reason)
    return table


@contextmanager
def progress_bar(total: int, enabled: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on Pelican's console when enabled, shown on a terminal and not quieted
    (``pelican -q``); yields advance()."""
    if not enabled or not logger.isEnabledFor(logging.INFO) or not _on_terminal():
        yield lambda: None
        return
    columns = (
        TextColumn("fetching"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=pelican_console, transient=True) as progress:
        task = progress.add_task("fetch", total=total)
        yield lambda: progress.advance(task)


def _on_terminal() -> bool:
    return pelican_console.is_terminal and sys.stderr.isatty()
