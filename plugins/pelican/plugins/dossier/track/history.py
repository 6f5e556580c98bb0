"""Change tracking between builds, as pure functions over plain data.

``advance(previous, seen, now, complete)`` takes what the dossier held at the last
build (a ``History``, or None for a first build) and what this build saw (one
``Seen`` per article), and returns the next ``History``: one ``Record`` per article
ever published and the dated ``Event`` list (new, changed, removed, gone, back).
A first build, or one whose history was deleted, is a baseline: it records every
article and calls nothing new. ``to_json``/``from_json`` give the stored form;
``tracking`` reads and writes the file and feeds this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any, Literal

Presence = Literal["current", "removed", "gone"]
Kind = Literal["new", "changed", "removed", "gone", "back"]

FORMAT_VERSION = 1
MAX_EVENTS = 1000  # the oldest events are dropped past this many
MAX_BUILDS = 100
KINDS: tuple[Kind, ...] = ("new", "back", "changed", "removed", "gone")
PRESENCES: tuple[Presence, ...] = ("current", "removed", "gone")


class HistoryError(ValueError):
    """The stored history does not have the expected shape."""


@dataclass(frozen=True)
class Seen:
    """One article as this build saw it."""

    key: str  # urls.url_key of the source URL
    url: str
    title: str
    digest: str | None  # content hash; None when no copy could be read
    listed: bool  # named this build by the listing, a feed or the hand list
    gone: bool = False  # the source answered 404/410 this build
    fresh: bool = True  # read from the source this build (200 or 304), not a kept copy


@dataclass(frozen=True)
class Record:
    """What the dossier holds about one article, from build to build."""

    url: str
    title: str
    digest: str | None
    presence: Presence
    first_seen: datetime
    added: bool  # arrived after the baseline: it may carry « Nouveau »
    changed_at: datetime | None = None  # last time its content changed
    since: datetime | None = None  # when it became removed or gone


@dataclass(frozen=True)
class Event:
    """One dated change of the dossier."""

    at: datetime
    kind: Kind
    key: str
    url: str
    title: str


@dataclass(frozen=True)
class Build:
    """One build: when, and how many events it gave (a baseline gives none)."""

    at: datetime
    events: int
    baseline: bool = False


@dataclass(frozen=True)
class History:
    """Every article ever published, the events, and the recent builds."""

    baseline_at: datetime
    records: Mapping[str, Record]
    events: tuple[Event, ...] = ()  # oldest first
    builds: tuple[Build, ...] = ()

    @property
    def last_build(self) -> Build | None:
        return self.builds[-1] if self.builds else None

    def events_of(self, build: Build) -> list[Event]:
        """The events a build gave: the last ``build.events`` of its second (two builds
        in the same second share a timestamp; events are kept in build order)."""
        same = [e for e in self.events if e.at == build.at]
        return same[len(same) - build.events :] if build.events else []


def advance(
    previous: History | None, seen: Iterable[Seen], now: datetime, complete: bool
) -> History:
    """The history after this build; ``complete``: the listing was read in full, so an
    article it no longer names has really left the dossier."""
    seen = list(seen)
    if previous is None:
        return _baseline(seen, now)
    records = dict(previous.records)
    events: list[Event] = []
    for item in seen:
        record, found = _step(records.get(item.key), item, now, complete)
        if record is not None:
            records[item.key] = record
        events += [Event(now, kind, item.key, item.url, item.title) for kind in found]
    if complete:
        named = {item.key for item in seen}
        for key, record in list(records.items()):
            if key not in named and record.presence == "current":
                records[key] = replace(record, presence="removed", since=now)
                events.append(Event(now, "removed", key, record.url, record.title))
    events.sort(key=lambda e: (KINDS.index(e.kind), e.title, e.key))
    return History(
        previous.baseline_at,
        MappingProxyType(dict(sorted(records.items()))),
        (*previous.events, *events)[-MAX_EVENTS:],
        (*previous.builds, Build(now, len(events)))[-MAX_BUILDS:],
    )


def _baseline(seen: list[Seen], now: datetime) -> History:
    records = {
        item.key: Record(
            item.url,
            item.title,
            item.digest,
            "gone" if item.gone else ("current" if item.listed else "removed"),
            now,
            added=False,
            since=None if item.listed and not item.gone else now,
        )
        for item in seen
        if item.digest is not None
    }
    return History(now, MappingProxyType(dict(sorted(records.items()))), (), (Build(now, 0, True),))


def _step(
    old: Record | None, item: Seen, now: datetime, complete: bool
) -> tuple[Record | None, list[Kind]]:
    """One article's next record and the events it gives."""
    if old is None:
        if item.digest is None or not item.listed:
            return None, []  # nothing to publish, or not part of the dossier
        presence: Presence = "gone" if item.gone else "current"
        record = Record(item.url, item.title, item.digest, presence, now, added=True)
        return record, ["new"] if presence == "current" else ["new", "gone"]
    presence = _presence(old, item, complete)
    kinds: list[Kind] = []
    if presence != old.presence:
        kinds.append("back" if presence == "current" else presence)
    changed = item.digest is not None and old.digest is not None and item.digest != old.digest
    if changed:
        kinds.append("changed")
    record = replace(
        old,
        url=item.url,
        title=item.title or old.title,
        digest=item.digest or old.digest,
        presence=presence,
        changed_at=now if changed else old.changed_at,
        since=old.since if presence == old.presence else (None if presence == "current" else now),
    )
    return record, kinds


def _presence(old: Record, item: Seen, complete: bool) -> Presence:
    """Gone when the source says so; removed when a complete listing no longer names it;
    a gone article comes back only when the source serves it again."""
    if item.gone:
        return "gone"
    if not item.listed:
        return "removed" if complete else old.presence
    if old.presence == "gone" and not item.fresh:
        return "gone"
    return "current"


def is_new(record: Record, now: datetime, days: int) -> bool:
    """« Nouveau »: arrived after the baseline, at most ``days`` days ago."""
    return record.added and now - record.first_seen <= timedelta(days=days)


def recent(history: History, now: datetime, days: int) -> list[Event]:
    """The events of the last ``days`` days, newest first."""
    return [e for e in reversed(history.events) if now - e.at <= timedelta(days=days)]


def _date(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _parse(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise HistoryError(f"{where}: expected a date, got {value!r}")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise HistoryError(f"{where}: {exc}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def to_json(history: History) -> dict[str, Any]:
    """The stored form: plain JSON, sorted, dates in UTC to the second."""
    return {
        "version": FORMAT_VERSION,
        "baseline_at": _date(history.baseline_at),
        "articles": {
            key: {
                "url": r.url,
                "title": r.title,
                "digest": r.digest,
                "presence": r.presence,
                "first_seen": _date(r.first_seen),
                "added": r.added,
                "changed_at": _date(r.changed_at),
                "since": _date(r.since),
            }
            for key, r in history.records.items()
        },
        "events": [
            {"at": _date(e.at), "kind": e.kind, "key": e.key, "url": e.url, "title": e.title}
            for e in history.events
        ],
        "builds": [
            {"at": _date(b.at), "events": b.events, "baseline": b.baseline} for b in history.builds
        ],
    }


def from_json(data: Any) -> History:
    """Read the stored form back; HistoryError names what is wrong."""
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        raise HistoryError(f"not a version {FORMAT_VERSION} history")
    try:
        records = {key: _record(key, value) for key, value in data["articles"].items()}
        events = tuple(_event(i, value) for i, value in enumerate(data["events"]))
        builds = tuple(
            Build(_parse(b["at"], f"build #{i}"), int(b["events"]), bool(b["baseline"]))
            for i, b in enumerate(data["builds"])
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, HistoryError):
            raise
        raise HistoryError(f"malformed history: {exc!r}") from exc
    baseline = _parse(data.get("baseline_at"), "baseline_at")
    return History(baseline, MappingProxyType(records), events, builds)


def _record(key: str, value: dict[str, Any]) -> Record:
    if value["presence"] not in PRESENCES:
        raise HistoryError(f"article {key}: unknown presence {value['presence']!r}")
    optional = {
        name: _parse(value[name], f"article {key}: {name}") if value.get(name) else None
        for name in ("changed_at", "since")
    }
    return Record(
        url=str(value["url"]),
        title=str(value["title"]),
        digest=value["digest"],
        presence=value["presence"],
        first_seen=_parse(value["first_seen"], f"article {key}: first_seen"),
        added=bool(value["added"]),
        **optional,
    )


def _event(index: int, value: dict[str, Any]) -> Event:
    if value["kind"] not in KINDS:
        raise HistoryError(f"event #{index}: unknown kind {value['kind']!r}")
    at = _parse(value["at"], f"event #{index}")
    return Event(at, value["kind"], str(value["key"]), str(value["url"]), str(value["title"]))
