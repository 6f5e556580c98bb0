"""Full-text search: run the Pagefind indexer over the written site.

Pagefind reads the built HTML (only elements marked ``data-pagefind-body``, i.e.
the article pages), detects French from ``<html lang="fr">`` and writes a static
index under ``<output>/pagefind/`` that the browser queries with no server and no
third party. We run its command-line binary (found through the ``pagefind``
package) rather than its asyncio service API: the service surfaces failures as a
bare ``Exception`` and waits forever if the binary dies mid-run, while a
subprocess gives an exit status, a timeout and the binary's own message.

Pagefind 1.5 splits French elisions at a plain apostrophe (« d'éclairage » is found
by « éclairage ») but not at the typographic one our pages use (« d’éclairage »), so
it indexes a copy of the article pages where ’ is written ' (recherche.js puts ’ back
in what it shows).

Search is an extra: when the binary is missing or fails, the site is still
built, the index folder is absent, and the hub keeps its search box hidden.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

INDEX_DIR = "pagefind"
BODY_MARK = "data-pagefind-body"  # only the article pages carry it
APOSTROPHE = "\u2019"
ENTRY_FILE = "pagefind-entry.json"
LANGUAGE = "fr"
TIMEOUT = 900.0  # seconds; 5,000 articles index in well under a minute
HOW_TO_FIX = (
    "install it with `.venv/bin/pip install -e '.[search]'` (or point PAGEFIND_BINARY_PATH "
    "at a pagefind binary), or set DOSSIER_SEARCH = False to build without search"
)


class SearchError(RuntimeError):
    """The Pagefind indexer could not be found or did not produce an index."""


@dataclass(frozen=True)
class SearchIndex:
    """What one indexing run produced."""

    folder: Path
    pages: int
    languages: tuple[str, ...]
    size: int  # bytes under the index folder
    seconds: float


def find_binary() -> Path:
    """The pagefind binary shipped by ``pagefind[bin]`` (or PAGEFIND_BINARY_PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise SearchError("the pagefind package is not installed") from exc
    binary = get_executable()
    if binary is None or not binary.is_file():
        raise SearchError(f"no pagefind binary found ({binary or 'none on PATH'})")
    return binary


def pagefind_command(binary: Path, pages: Path, index: Path) -> list[str]:
    """The indexer's command line: read ``pages``, write the index to ``index``."""
    return [str(binary), "--site", str(pages), "--output-path", str(index)]


def copy_for_index(site: Path, work: Path) -> int:
    """Copy the site's article pages (data-pagefind-body) with ’ made '; return how many."""
    copied = 0
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site)
        html = page.read_text(encoding="utf-8")
        if relative.parts[0] == INDEX_DIR or BODY_MARK not in html:
            continue
        target = work / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html.replace(APOSTROPHE, "'"), encoding="utf-8")
        copied += 1
    return copied


def folder_size(folder: Path) -> int:
    """Bytes of every file under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def indexed_pages(output: str) -> int | None:
    """The page count from the indexer's summary (« Indexed 16 pages »)."""
    found = re.search(r"Indexed (\d+) pages?", output)
    return int(found.group(1)) if found else None


def _run(command: list[str], timeout: float) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except OSError as exc:
        raise SearchError(f"could not run {command[0]}: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        raise SearchError(f"pagefind took longer than {timeout:.0f} s") from exc
    output = done.stdout + done.stderr
    logger.debug("pagefind output:\n%s", output)
    if done.returncode != 0:
        last = output.strip().splitlines()[-1:] or ["no output"]
        raise SearchError(f"pagefind exited with status {done.returncode}: {last[0]}")
    return output


def _languages(folder: Path) -> tuple[str, ...]:
    try:
        entry = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SearchError(f"pagefind wrote no readable {ENTRY_FILE}: {exc}") from exc
    return tuple(sorted(entry.get("languages", {})))


def index_site(site: Path, binary: Path | None = None, timeout: float = TIMEOUT) -> SearchIndex:
    """Index the built site at ``site`` into ``site/pagefind``; raise SearchError on failure."""
    folder = site / INDEX_DIR
    shutil.rmtree(folder, ignore_errors=True)  # never serve an index of an older build
    binary = binary or find_binary()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dossier-search-") as work:
        if copy_for_index(site, Path(work)) == 0:  # nothing fetched: no index, box stays hidden
            return SearchIndex(folder, 0, (), 0, time.perf_counter() - start)
        output = _run(pagefind_command(binary, Path(work), folder.resolve()), timeout)
    seconds = time.perf_counter() - start
    languages = _languages(folder)
    pages = indexed_pages(output)
    if pages is None:
        raise SearchError("pagefind did not say how many pages it indexed")
    return SearchIndex(folder, pages, languages, folder_size(folder), seconds)


def build_search(site: Path, enabled: bool) -> SearchIndex | None:
    """Index the site when search is on; on failure warn with the fix and go on."""
    if not enabled:
        logger.info("search: off (DOSSIER_SEARCH = False)")
        return None
    try:
        index = index_site(site)
    except SearchError as exc:
        shutil.rmtree(site / INDEX_DIR, ignore_errors=True)
        logger.warning("search: no search index for this build: %s; %s", exc, HOW_TO_FIX)
        return None
    if index.pages == 0:
        logger.info("search: no article page to index")
        return index
    if LANGUAGE not in index.languages:
        logger.warning(
            "search: pages indexed as %s, not French: check <html lang> in the theme",
            ", ".join(index.languages) or "no language",
        )
    logger.info(
        "search: %d pages indexed in %.2f s, %d bytes in %s",
        index.pages,
        index.seconds,
        index.size,
        index.folder,
    )
    return index
