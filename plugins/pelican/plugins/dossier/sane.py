"""Values read from a page, made safe where they are read: text and counts.

Every fetched byte is hostile, and a value that cannot be written (a lone surrogate
from a JSON ``\\ud800`` escape, a control character XML refuses) or converted (a
5,000-digit count) must never reach the caches, the templates or the feeds. The
readers (encoding, metadata, markers, links) pass what they take from a page through
these functions; dates have their own range check where they are parsed (``dates``).
"""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)

# Lone surrogates cannot be encoded as UTF-8 (SQLite, files); C0 controls other than
# tab, newline and carriage return, and U+FFFE/U+FFFF, are not allowed in XML 1.0.
_INVALID = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
REPLACEMENT = "\ufffd"

COUNT_MAX = 100_000  # more articles than any dossier announces: such a count is a lie
_DIGITS = re.compile(r"\d{1,9}")


def valid_text(text: str) -> str:
    """``text`` with every character UTF-8 or XML cannot hold replaced by U+FFFD."""
    return _INVALID.sub(REPLACEMENT, text)


def valid_tree(value: object) -> object:
    """A JSON value (from ``json.loads``) with every string in it made valid."""
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, list):
        return [valid_tree(item) for item in value]
    if isinstance(value, dict):
        return {valid_text(str(k)): valid_tree(v) for k, v in value.items()}
    return value


def parse_count(digits: str | None, limit: int = COUNT_MAX) -> int | None:
    """A count written on a page (« Voir les 16 actualités »), or None when it is not a
    plain number between 0 and ``limit``; never converts more than nine digits."""
    text = (digits or "").strip()
    if not _DIGITS.fullmatch(text):
        if text:
            logger.debug("ignoring count %r…: not a number up to %d", text[:20], limit)
        return None
    value = int(text)
    if value > limit:
        logger.debug("ignoring count %d: more than %d", value, limit)
        return None
    return value
