"""What "looks like an article" means: the one decision on whether a new body may become,
or replace, the copy of an article that we publish.

A server can answer 200 with anything: an outage notice, a login wall, bytes in a coding
we cannot read. Such a body must never replace a good copy (the fetcher keeps the old one,
``stale`` with the reason given here), nor be published as a first copy (``failed``).
The signals, each cheap and each explained in the reason it gives:

- the body decodes to text (not mostly replacement characters);
- the cleaned page holds enough prose, in paragraphs;
- its title is not a status notice (« Service indisponible », « Erreur 503 »);
- it is not a short page written in outage words (« indisponible », « maintenance »…);
- compared with the previous good copy, when there is one: it still names its dossier
  if that copy did, and it did not shrink to a fraction of it while sharing little of
  its text.

The vocabulary is data, in ``errorpages.toml``.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from ..model import Cleaned
from ..textnorm import normalise, words

VOCABULARY = Path(__file__).with_name("errorpages.toml")

MIN_ARTICLE_CHARS = 250  # less prose than this is a teaser, a menu or a notice
SHORT_PAGE = 1500  # characters of text under which outage words give a page away
ERROR_WORDS_SHORT = 2  # outage words that make a short page an error page
SHRINK = 0.5  # a new copy under this share of the previous one's length has shrunk…
KINSHIP = 0.5  # …and is refused if less than this share of it comes from the previous one
UNDECODABLE = 0.02  # share of U+FFFD in a decoded body above which it is undecodable
UNDECODABLE_MIN = 16  # … counting at least this many (a stray one is harmless)
STATUS_CODE = re.compile(r"[45]\d\d")


@cache
def _vocabulary() -> dict[str, frozenset[str] | re.Pattern[str]]:
    data = tomllib.loads(VOCABULARY.read_text(encoding="utf-8"))
    phrases = "|".join(re.escape(p) for p in data["status_phrases"])
    return {
        "phrases": re.compile(rf"\b(?:{phrases})\b"),
        "title_words": frozenset(data["status_words"]),
        "error_words": frozenset(data["error_words"]),
    }


def text_problem(text: str) -> str | None:
    """Why a decoded body is not text at all (mostly U+FFFD), or None."""
    bad = text.count("\ufffd")
    if bad >= UNDECODABLE_MIN and bad > UNDECODABLE * len(text):
        return f"undecodable body ({bad} of {len(text)} characters unreadable)"
    return None


def article_problem(cleaned: Cleaned, previous: Cleaned | None = None) -> str | None:
    """Why ``cleaned`` does not look like an article (or like a worse copy of
    ``previous``, the good copy we hold), or None when it does."""
    problem = thin(cleaned) or status_title(cleaned.title) or error_page(cleaned.text)
    if problem is None and previous is not None and thin(previous) is None:
        problem = regression(cleaned, previous)
    return problem


def thin(cleaned: Cleaned) -> str | None:
    """Not enough prose, or no paragraph at all."""
    if len(cleaned.text) < MIN_ARTICLE_CHARS or "<p" not in cleaned.html:
        return "no extractable article"
    return None


def status_title(title: str) -> str | None:
    """A title that reads like a status notice: a status phrase, or nothing but status
    words and 4xx/5xx numbers."""
    folded = normalise(title)
    vocabulary = _vocabulary()
    tokens = words(title)
    codes = [t for t in tokens if STATUS_CODE.fullmatch(t)]
    plain = [t for t in tokens if t not in codes]
    only_status = tokens and all(t in vocabulary["title_words"] for t in plain)
    meaningful = codes or set(plain) & vocabulary["error_words"]
    if vocabulary["phrases"].search(folded) or (only_status and meaningful):
        return f"title reads like an error page ({title[:80]!r})"
    return None


def error_page(text: str) -> str | None:
    """A short page that uses several outage words."""
    if len(text) >= SHORT_PAGE:
        return None
    found = outage_words(text)
    if len(found) >= ERROR_WORDS_SHORT:
        return f"short page in error-page words ({', '.join(sorted(set(found)))})"
    return None


def outage_words(text: str) -> list[str]:
    """Every outage word of ``text``, folded, in order."""
    vocabulary = _vocabulary()["error_words"]
    return [w for w in words(text) if w in vocabulary]


def regression(new: Cleaned, old: Cleaned) -> str | None:
    """A worse copy than the good one we hold: its dossier gone, or shrunk and foreign."""
    if old.dossier_url and not new.dossier_url:
        return "no longer names its dossier (the previous copy did)"
    if len(new.text) >= SHRINK * len(old.text):
        return None
    shrunk = f"shrank from {len(old.text)} to {len(new.text)} characters"
    if outage_words(new.text):
        return f"{shrunk}, in error-page words"
    if kinship(new.text, old.text) < KINSHIP:
        return f"{shrunk} and shares little with the previous copy"
    return None


def kinship(new: str, old: str) -> float:
    """The share of ``new``'s three-word sequences found in ``old`` (1.0 when ``new`` is
    a cut of ``old``, near 0 for an unrelated text)."""
    mine, theirs = _shingles(new), _shingles(old)
    return len(mine & theirs) / len(mine) if mine else 0.0


def _shingles(text: str) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + 3]) for i in range(max(len(tokens) - 2, 0))}
