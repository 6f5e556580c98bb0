"""The fetcher's persistent cache: the last *good* copy of every URL, in SQLite.

Why not requests-cache: it stores whatever response arrives, and it reads the
whole body into memory when it saves one (``CachedResponse.from_response`` takes
``response.content``), which defeats a size cap enforced while streaming. Our
rule is the opposite: a body is stored only after the fetcher accepted it
(complete, within the cap, decodable, and passing ``validate`` when asked), so a
failed or suspicious fetch can never replace a good copy. That policy is simplest
as a small table of our own.

On-disk layout: one SQLite database, ``<DOSSIER_CACHE_PATH>/fetch.sqlite3``, with
one table ``entries`` keyed by the requested URL (robots.txt files are entries
like pages)::

    url            TEXT PRIMARY KEY  the URL as requested (before redirects)
    final_url      TEXT              where the redirects ended
    http_status    INTEGER           status of the response the body came with
    content_type   TEXT              Content-Type header as received
    etag           TEXT              validator for If-None-Match
    last_modified  TEXT              validator for If-Modified-Since
    body           BLOB              raw body bytes (NULL: attachment probe, headers only)
    size           INTEGER           body length, or Content-Length for a probe
    sha256         TEXT              hex digest of body, checked on every read
    fetched_at     TEXT              ISO 8601 UTC time the body was received
    checked_at     TEXT              ISO 8601 UTC time of the last successful revalidation
    moved          INTEGER           1 when url reached final_url by permanent redirects only
                                     (301/308): later runs revalidate final_url directly

Every write is one SQLite transaction, so it is atomic; the database runs in WAL mode
(``fetch.sqlite3-wal`` and ``-shm`` sit beside it while it is open). A row whose checksum or
date does not match is dropped with a warning; a database SQLite cannot read is
moved aside to ``fetch.sqlite3.corrupt`` with a warning and a fresh one started.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger(__name__)

FILENAME = "fetch.sqlite3"
_COLUMNS = (
    "url",
    "final_url",
    "http_status",
    "content_type",
    "etag",
    "last_modified",
    "body",
    "size",
    "sha256",
    "fetched_at",
    "checked_at",
    "moved",
)
_SCHEMA = f"CREATE TABLE IF NOT EXISTS entries ({', '.join(_COLUMNS)}, PRIMARY KEY (url))"


@dataclass(frozen=True)
class CachedCopy:
    """One cached response: a good body with its validators, or a probe's headers."""

    url: str
    final_url: str
    http_status: int
    content_type: str | None
    etag: str | None
    last_modified: str | None
    body: bytes | None
    size: int | None
    fetched_at: datetime
    checked_at: datetime
    moved: bool = False

    def validators(self) -> dict[str, str]:
        """Conditional request headers for revalidating this entry."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def now() -> datetime:
    """The current time in UTC, to the second (stored and compared as text)."""
    return datetime.now(UTC).replace(microsecond=0)


class CacheStore:
    """Thread-safe access to the cache database."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / FILENAME
        self._lock = threading.Lock()
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            return _connect(self.path)
        except sqlite3.OperationalError:
            raise  # locked, read-only, missing folder: the file may be fine, leave it alone
        except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"
            aside = self.path.with_name(FILENAME + ".corrupt")
            logger.warning("cache %s is unreadable (%s); moved to %s", self.path, exc, aside)
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):  # the journal of the broken file, if any
                self.path.with_name(FILENAME + suffix).unlink(missing_ok=True)
            return _connect(self.path)

    def get(self, url: str) -> CachedCopy | None:
        """The entry for an URL, or None; a damaged entry is dropped with a warning."""
        try:
            with self._lock:
                row = self._db.execute(
                    f"SELECT {', '.join(_COLUMNS)} FROM entries WHERE url = ?", (url,)
                ).fetchone()
        except sqlite3.DatabaseError as exc:
            logger.warning("cannot read the cache entry for %s: %s", url, exc)
            return None
        if row is None:
            return None
        try:
            return _entry(row)
        except (ValueError, TypeError) as exc:
            logger.warning("dropping damaged cache entry for %s: %s", url, exc)
            self.delete(url)
            return None

    def put(self, entry: CachedCopy) -> None:
        """Insert or replace an entry, atomically."""
        body = entry.body
        digest = hashlib.sha256(body).hexdigest() if body is not None else None
        values = (
            entry.url,
            entry.final_url,
            entry.http_status,
            entry.content_type,
            entry.etag,
            entry.last_modified,
            body,
            entry.size,
            digest,
            entry.fetched_at.isoformat(),
            entry.checked_at.isoformat(),
            int(entry.moved),
        )
        marks = ", ".join("?" for _ in _COLUMNS)
        try:
            with self._lock, self._db:
                self._db.execute(f"INSERT OR REPLACE INTO entries VALUES ({marks})", values)
        except sqlite3.DatabaseError as exc:  # the page is still used for this build
            logger.warning("cannot write the cache entry for %s: %s", entry.url, exc)

    def delete(self, url: str) -> None:
        """Forget an URL."""
        try:
            with self._lock, self._db:
                self._db.execute("DELETE FROM entries WHERE url = ?", (url,))
        except sqlite3.DatabaseError as exc:
            logger.warning("cannot drop the cache entry for %s: %s", url, exc)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, isolation_level="DEFERRED")
    try:
        # Write-ahead log, synced at checkpoints only: a commit costs ~0.1 ms instead of
        # an fsync (~1 ms), and a crash can lose the last commits but never corrupt the file.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(_SCHEMA)
        _add_missing_columns(db)
        db.execute("SELECT count(*) FROM entries").fetchone()
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def _entry(row: tuple) -> CachedCopy:
    values = dict(zip(_COLUMNS, row, strict=True))
    body = values["body"]
    if body is not None and hashlib.sha256(body).hexdigest() != values["sha256"]:
        raise ValueError("body does not match its checksum")
    return CachedCopy(
        url=values["url"],
        final_url=values["final_url"],
        http_status=int(values["http_status"]),
        content_type=values["content_type"],
        etag=values["etag"],
        last_modified=values["last_modified"],
        body=bytes(body) if body is not None else None,
        size=values["size"],
        fetched_at=datetime.fromisoformat(values["fetched_at"]),
        checked_at=datetime.fromisoformat(values["checked_at"]),
        moved=bool(values["moved"]),
    )


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """Bring a cache written by an older version up to the current columns, keeping its rows."""
    present = {row[1] for row in db.execute("PRAGMA table_info(entries)")}
    if "moved" not in present:
        with db:
            db.execute("ALTER TABLE entries ADD COLUMN moved INTEGER NOT NULL DEFAULT 0")
