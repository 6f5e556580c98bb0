"""Change tracking between builds: the pure functions of dossier.history."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from pelican.plugins.dossier.track.history import (
    MAX_EVENTS,
    HistoryError,
    Seen,
    advance,
    from_json,
    is_new,
    recent,
    to_json,
)

T0 = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=1)
T2 = T0 + timedelta(days=2)


def seen(key: str, digest: str | None = "h", **kw: object) -> Seen:
    values = {"url": f"https://example.org/{key}", "title": key.title(), "listed": True, **kw}
    return Seen(key=key, digest=digest, **values)  # type: ignore[arg-type]


def kinds(history, at: datetime = T1) -> list[tuple[str, str]]:
    return [(e.kind, e.key) for e in history.events if e.at == at]


def test_a_first_build_is_a_baseline_and_calls_nothing_new() -> None:
    history = advance(None, [seen("a"), seen("b"), seen("c", digest=None)], T0, True)
    assert history.events == ()
    assert sorted(history.records) == ["a", "b"]  # no copy, nothing to remember
    assert not any(is_new(r, T0, 30) for r in history.records.values())
    assert history.last_build.baseline and history.last_build.events == 0


def test_each_kind_of_change_gives_its_event() -> None:
    first = advance(None, [seen("a"), seen("b"), seen("c"), seen("d")], T0, True)
    now = [
        seen("a"),  # unchanged
        seen("b", digest="h2"),  # text changed
        seen("c", gone=True, fresh=False),  # 410, kept copy
        seen("e"),  # new
    ]  # d: no longer named by the complete listing
    second = advance(first, now, T1, True)
    assert kinds(second) == [("new", "e"), ("changed", "b"), ("removed", "d"), ("gone", "c")]
    records = second.records
    assert records["b"].changed_at == T1 and records["a"].changed_at is None
    assert (records["c"].presence, records["c"].since) == ("gone", T1)
    assert (records["d"].presence, records["d"].since) == ("removed", T1)
    assert is_new(records["e"], T1, 30) and not is_new(records["a"], T1, 30)
    assert not is_new(records["e"], T1 + timedelta(days=31), 30)
    assert second.last_build.events == 4


def test_a_kept_copy_of_a_removed_article_stays_removed_without_a_new_event() -> None:
    first = advance(None, [seen("a"), seen("b")], T0, True)
    second = advance(first, [seen("a"), seen("b", listed=False, fresh=False)], T1, True)
    third = advance(second, [seen("a"), seen("b", listed=False, fresh=False)], T2, True)
    assert kinds(second) == [("removed", "b")]
    assert kinds(third, T2) == [] and third.records["b"].since == T1


def test_back_again_after_removal_and_after_gone() -> None:
    first = advance(None, [seen("a"), seen("b")], T0, True)
    second = advance(first, [seen("a", gone=True, fresh=False)], T1, True)
    third = advance(second, [seen("a"), seen("b")], T2, True)
    assert kinds(third, T2) == [("back", "a"), ("back", "b")]
    assert third.records["a"].presence == "current" and third.records["a"].since is None


def test_a_gone_article_is_not_back_on_a_cached_copy_alone() -> None:
    first = advance(None, [seen("a")], T0, True)
    second = advance(first, [seen("a", gone=True, fresh=False)], T1, True)
    offline = advance(second, [seen("a", fresh=False)], T2, True)
    assert kinds(offline, T2) == [] and offline.records["a"].presence == "gone"


def test_an_incomplete_listing_removes_nothing() -> None:
    first = advance(None, [seen("a"), seen("b")], T0, True)
    second = advance(first, [seen("a")], T1, complete=False)
    assert kinds(second) == [] and second.records["b"].presence == "current"


def test_nothing_changed_gives_no_event_but_records_the_build() -> None:
    first = advance(None, [seen("a")], T0, True)
    second = advance(first, [seen("a", fresh=False)], T1, True)
    assert kinds(second) == [] and second.records == first.records
    assert [b.events for b in second.builds] == [0, 0]


def test_recent_is_newest_first_and_bounded_by_days() -> None:
    first = advance(None, [seen("a")], T0, True)
    second = advance(first, [seen("a"), seen("b")], T1, True)
    third = advance(second, [seen("a"), seen("b"), seen("c")], T1 + timedelta(days=40), True)
    assert [e.key for e in recent(third, T1 + timedelta(days=40), 30)] == ["c"]
    assert [e.key for e in recent(third, T1 + timedelta(days=40), 60)] == ["c", "b"]


def test_events_are_capped_oldest_dropped() -> None:
    history = advance(None, [], T0, True)
    for day in range(1, 4):
        batch = [seen(f"k{day}-{i}") for i in range(MAX_EVENTS // 2)]
        history = advance(history, batch, T0 + timedelta(days=day), False)
    assert len(history.events) == MAX_EVENTS
    assert history.events[0].key.startswith("k2-") and history.events[-1].key.startswith("k3-")


def test_the_stored_form_round_trips_through_json() -> None:
    first = advance(None, [seen("a"), seen("b")], T0, True)
    second = advance(first, [seen("a", digest="x"), seen("c")], T1, True)
    text = json.dumps(to_json(second), sort_keys=True)
    assert from_json(json.loads(text)) == second
    assert json.dumps(to_json(from_json(json.loads(text))), sort_keys=True) == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": 99}, "not a version 1 history"),
        ([], "not a version 1 history"),
        ({"version": 1, "articles": {}}, "malformed history"),
        (
            {"version": 1, "articles": {}, "builds": [], "baseline_at": "2025-01-01T00:00:00Z"}
            | {"events": [{"at": "x", "kind": "new", "key": "k", "url": "u", "title": "t"}]},
            "event #0",
        ),
        (
            {"version": 1, "events": [], "builds": [], "baseline_at": "2025-01-01T00:00:00Z"}
            | {"articles": {"k": {"presence": "lost"}}},
            "unknown presence",
        ),
    ],
)
def test_a_damaged_history_is_refused_with_a_message(data: object, message: str) -> None:
    with pytest.raises(HistoryError, match=message):
        from_json(data)


def test_the_events_of_a_build_are_its_own_when_two_builds_share_a_second() -> None:
    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    first = advance(None, [seen("a")], now, complete=True)
    second = advance(first, [seen("a"), seen("b")], now, complete=True)
    third = advance(second, [seen("a"), seen("b")], now, complete=True)  # same second
    assert [e.kind for e in second.events_of(second.last_build)] == ["new"]
    assert third.events_of(third.last_build) == []
