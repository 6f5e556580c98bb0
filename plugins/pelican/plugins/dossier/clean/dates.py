"""Date parsing for article metadata: ISO 8601 values, dates written out, dates in URLs.

Every result is timezone-aware and sane: between ``EARLIEST`` and a day from now, and
convertible to UTC and to Paris time (a page saying year 1 at +14:00 gets no date, not
a crash when the date is written). A value without a time zone (« 16 août 2018 »,
``2018-08-16``, ``2018-08-16T10:00``) is read as Europe/Paris local time, since the
dossier's sources are French; a date alone becomes midnight in Paris.

Written dates (``written_date``) are read in French first, then English: month names
come from Babel's French and English calendars (wide and abbreviated, with or without
accents and the abbreviation's dot), « 12 sept. 2023 », « 1er mars 2022 »,
« September 12, 2023 », « 12/09/2023 ». A numeric date is day first, as in French;
on a page in English, a numeric date that reads both ways (« 03/04/2021 ») is refused.
A date in a URL's path (``url_date``) needs the day: ``/2023/09/12/``, ``/2023-09-12-``,
``/20230912/``; a path that names only a year and a month gives none, since the day
shown on the site would be made up.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from babel.dates import get_month_names

from ..model import PARIS

logger = logging.getLogger(__name__)
MAX_STAMP = 64  # characters of a metadata date-time; longer is prose

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


def parse_stamp(value: str) -> datetime | None:
    """A date-time as metadata writes it when not in ISO 8601: RFC 2822 (« Tue, 19 Nov
    2019 08:02:00 GMT », « 20 Nov 2019 08:02 GMT ») or a written date alone (« November
    19, 2019 »). Only short values: metadata, not prose."""
    text = value.strip()
    if not text or len(text) > MAX_STAMP:
        return None
    if found := parse_iso(text):
        return found
    try:
        stamp = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        stamp = None
    if stamp is not None:
        return sane(stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC))
    written = written_date(text)
    return written[0] if written is not None else None


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


def _fold(word: str) -> str:
    """« février » → « fevrier »: accents are often left out on the web."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _month_names(*locales: str) -> dict[str, int]:
    """Month names of ``locales`` (wide and abbreviated), lower-cased, dot-less and folded."""
    names: dict[str, int] = {}
    for locale in locales:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                word = name.lower().rstrip(".")
                names.setdefault(word, number)
                names.setdefault(_fold(word), number)
    return names


WRITTEN_MONTHS = _month_names("fr", "en") | {"sept": 9}  # « Sept. 12 » in English too
_WRITTEN_RE = "|".join(sorted(map(re.escape, WRITTEN_MONTHS), key=len, reverse=True))
_DAY = r"(?P<day>1er|[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
WRITTEN_DATES = (
    # « 12 septembre 2023 », « 12 sept. 2023 », « 12th September, 2023 »
    re.compile(
        rf"\b{_DAY}\.?\s+(?:de\s+)?(?P<month>{_WRITTEN_RE})\b\.?,?\s+(?:de\s+)?{_YEAR}", re.I
    ),
    # « September 12, 2023 », « Sep. 12 2023 »
    re.compile(rf"\b(?P<month>{_WRITTEN_RE})\b\.?\s+{_DAY},?\s+{_YEAR}", re.I),
)
NUMERIC_DATES = (
    re.compile(r"(?<![\d/.-])(?P<day>[0-3]?\d)([/.-])(?P<month>[0-3]?\d)\2" + _YEAR),
    re.compile(r"(?<![\d/.-])(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
)


def written_date(text: str, lang: str | None = None) -> tuple[datetime, int] | None:
    """The first sane date written in ``text`` and where it starts, or None.

    ``lang`` is the page's language: on a page in English, a numeric date whose day
    and month could be swapped is ambiguous and refused.
    """
    found = [hit for hit in _written_hits(text, lang) if hit is not None]
    return min(found, key=lambda hit: hit[1]) if found else None


def _written_hits(text: str, lang: str | None) -> Iterator[tuple[datetime, int] | None]:
    for pattern in WRITTEN_DATES:
        yield _first(pattern, text, lambda m: (m["day"], WRITTEN_MONTHS[m["month"].lower()]))
    english = (lang or "").lower().startswith("en")
    yield _first(NUMERIC_DATES[0], text, lambda m: _day_month(m, english))
    yield _first(NUMERIC_DATES[1], text, lambda m: (m["day"], int(m["month"])))


DayMonth = tuple[str, int] | None


def _first(
    pattern: re.Pattern[str], text: str, day_month: Callable[[re.Match[str]], DayMonth]
) -> tuple[datetime, int] | None:
    for match in pattern.finditer(text):
        parts = day_month(match)
        found = _build(match["year"], parts[1], parts[0], None, None) if parts else None
        if found is not None:
            return found, match.start()
    return None


def _day_month(match: re.Match[str], english: bool) -> DayMonth:
    """Day first (« 12/09/2023 »); on an English page month first when only that reads
    (« 09/25/2023 »), and nothing when both read (« 03/04/2021 »)."""
    first, second = int(match["day"]), int(match["month"])
    if not english or first > 12:
        return match["day"], second
    if second > 12:
        return match["month"], first
    return (match["day"], second) if first == second else None


URL_DATES = (
    # /2023/09/12/slug, /2023/9/12
    re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)(?=$|[/._-])"),
    # /2023-09-12-slug, /news/slug-2023-09-12.html, /2023_09_12/
    re.compile(
        r"[/_-](?P<year>(?:19|20)\d\d)([-_])(?P<month>[01]\d)\2(?P<day>[0-3]\d)(?=$|[/._-])"
    ),
    # /20230912/, /20230912-slug, /slug-20230912/
    re.compile(r"[/_-](?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?=$|[/._-])"),
)


def url_date(url: str | None) -> datetime | None:
    """The publication day a URL's path spells out, or None (see the module docstring)."""
    try:
        path = urlsplit(url or "").path
    except ValueError:
        return None
    for pattern in URL_DATES:
        for match in pattern.finditer(path):
            found = _build(match["year"], int(match["month"]), match["day"], None, None)
            if found is not None:
                return found
    return None
