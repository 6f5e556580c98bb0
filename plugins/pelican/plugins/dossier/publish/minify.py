"""The theme's stylesheets and scripts, minified where the site serves them.

The theme keeps readable, commented sources; readers download them without comments
and indentation. Pelican copies the theme's static files into the output; this step
rewrites the copies of ``.css`` and ``.js`` files in place, once the site is written.
The minifiers (rcssmin, rjsmin) only drop comments and spaces and never rename
anything, so the result behaves as the source does; minifying a minified file gives
it back unchanged, so a rebuild rewrites nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import rcssmin
import rjsmin

from ..atomic import write_atomic

logger = logging.getLogger(__name__)

MINIFIERS: dict[str, Callable[[str], str]] = {
    ".css": rcssmin.cssmin,
    ".js": rjsmin.jsmin,
}


def minify_text(text: str, suffix: str) -> str:
    """``text`` minified as the kind of file ``suffix`` names (``.css`` or ``.js``)."""
    minified = MINIFIERS[suffix](text).strip()
    return minified + "\n" if minified else ""


def minify_theme(static_root: Path) -> int:
    """Minify every stylesheet and script under ``static_root``; return the bytes saved."""
    saved = 0
    if not static_root.is_dir():
        return saved
    for path in sorted(static_root.rglob("*")):
        if path.suffix in MINIFIERS and path.is_file() and not path.is_symlink():
            saved += _minify_file(path)
    return saved


def _minify_file(path: Path) -> int:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        logger.warning("dossier: %s is not UTF-8 text; served as it is", path)
        return 0
    minified = minify_text(text, path.suffix).encode("utf-8")
    if minified != data:
        write_atomic(path, minified)
    return len(data) - len(minified)
