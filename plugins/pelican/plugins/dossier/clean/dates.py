"""Date parsing for article metadata: ISO 8601 values and French dates written out.

Every result is timezone-aware and sane: between ``EARLIEST`` and a day from now, and
convertible to UTC and to Paris time (a page saying year 1 at +14:00 gets no date, not
a crash when the date is written). A value without a time zone (« 16 août 2018 »,
``2018-08-16``, ``2018-08-16T10:00``) is read as Europe/Paris local time, since the
dossier's sources are French; a date alone becomes midnight in Paris.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

from ..model import PARIS

logger = logging.getLogger(__name__)

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # before the web: no article of ours is older
AHEAD = timedelta(days=1)  # a clock or time zone slightly ahead is not a lie
MONTHS = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
FRENCH_DATE = re.compile(
    rf"\b(?P<day>1er|[0-3]?\d)\s+(?P<month>{_MONTH_RE})\s+(?P<year>(?:19|20)\d\d)"
    r"(?:\s*(?:à|,|-)?\s*(?P<hour>[0-2]?\d)\s*[h:]\s*(?P<minute>[0-5]\d)?)?",
    re.IGNORECASE,
)
NUMERIC_DATE = re.compile(r"\b(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>(?:19|20)\d\d)\b")
PUBLISHED_TEXT = re.compile(r"\b(?:publié|mis en ligne|paru)\s+le\s*:?\s*", re.IGNORECASE)
UPDATED_TEXT = re.compile(
    r"\b(?:mis à jour|mise à jour|modifié|actualisé|dernière modification)\s+le\s*:?\s*",
    re.IGNORECASE,
)


def sane(value: datetime | None) -> datetime | None:
    """``value`` made aware (Paris when it says nothing), or None when out of range."""
    if value is None:
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=PARIS)
    try:
        utc = aware.astimezone(UTC)
        aware.astimezone(PARIS)
    except (OverflowError, ValueError):
        logger.debug("ignoring date %r: cannot be converted", value)
        return None
    if not EARLIEST <= utc <= datetime.now(UTC) + AHEAD:
        logger.debug("ignoring date %s: out of range", value.isoformat())
        return None
    return aware


def parse_iso(value: str) -> datetime | None:
    """Parse an ISO 8601 date or date-time (``Z`` and offsets allowed)."""
    text = value.strip()
    if not text:
        return None
    try:
        return sane(datetime.fromisoformat(text))
    except ValueError:
        pass
    head = re.match(r"\d{4}-\d\d-\d\d", text)
    if head is None:
        return None
    try:
        return sane(datetime.fromisoformat(head.group(0)))
    except ValueError:
        return None


def _build(
    year: str, month: int, day: str, hour: str | None, minute: str | None
) -> datetime | None:
    try:
        return sane(
            datetime(
                int(year),
                month,
                1 if day.lower() == "1er" else int(day),
                int(hour or 0),
                int(minute or 0),
                tzinfo=PARIS,
            )
        )
    except ValueError:
        return None


def parse_french(text: str) -> datetime | None:
    """The first date in ``text``: « 16 août 2018 », « 1er mars 2022 à 14h30 », « 03/05/2021 »."""
    match = FRENCH_DATE.search(text)
    if match is not None:
        month = MONTHS[match["month"].lower()]
        return _build(match["year"], month, match["day"], match["hour"], match["minute"])
    match = NUMERIC_DATE.search(text)
    if match is not None:
        return _build(match["year"], int(match["month"]), match["day"], None, None)
    return None


def parse_any(text: str) -> datetime | None:
    """ISO first, then a French date anywhere in the text."""
    return parse_iso(text) or parse_french(text)


def dates_in_text(text: str) -> tuple[datetime | None, datetime | None]:
    """« Publié le … » and « Mis à jour le … » dates found in running text."""
    return _after(PUBLISHED_TEXT, text), _after(UPDATED_TEXT, text)


def _after(label: re.Pattern[str], text: str) -> datetime | None:
    for match in label.finditer(text):
        found = parse_any(text[match.end() : match.end() + 60])
        if found is not None:
            return found
    return None
