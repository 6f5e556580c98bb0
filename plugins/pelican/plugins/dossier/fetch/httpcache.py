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
date does not match is dropped (deleted) with a warning. A database SQLite finds damaged,
when opened or later, is reported with its path, moved aside to ``fetch.sqlite3.corrupt``
and rebuilt from every entry that can still be read (a table scan from each end). A
folder that cannot be written stops an online build with a ``CacheError`` naming
DOSSIER_CACHE_PATH; an offline build reads the database as it is (``immutable``).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
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


class CacheError(OSError):
    """The cache folder cannot be used; the message names DOSSIER_CACHE_PATH and the path."""


def cache_folder(directory: Path) -> None:
    """Make the cache folder, or raise CacheError saying what is wrong with it."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CacheError(
            f"DOSSIER_CACHE_PATH {directory}: cannot create the cache folder "
            f"({exc.strerror or exc}); choose a folder that can be created and written"
        ) from exc


class CacheStore:
    """Thread-safe access to the cache database.

    ``read_only``: an offline build, which only reads; it may use a cache it cannot write.
    """

    def __init__(self, directory: Path, *, read_only: bool = False) -> None:
        cache_folder(directory)
        self.path = directory / FILENAME
        self.read_only = read_only
        self._lock = threading.Lock()
        self._rebuilt = False
        self._immutable = False  # opened as it is on disk: nothing can be repaired
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            return _connect(self.path)
        except sqlite3.OperationalError as exc:  # read-only, locked: the file may be fine
            if self.read_only:
                return self._open_unwritable(exc)
            raise CacheError(
                f"DOSSIER_CACHE_PATH {self.path.parent}: cannot write the cache {self.path} "
                f"({exc}); make the folder writable, set DOSSIER_CACHE_PATH to another "
                "folder, or build with DOSSIER_OFFLINE=True to only read this one"
            ) from exc
        except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"
            return self._rebuild(exc)

    def _open_unwritable(self, problem: sqlite3.Error) -> sqlite3.Connection:
        """An offline build from a cache it cannot write: read the file as it is."""
        logger.warning(
            "DOSSIER_CACHE_PATH %s cannot be written (%s): building from it read-only",
            self.path.parent,
            problem,
        )
        self._immutable = True
        if not self.path.is_file():
            return _connect(Path(":memory:"))
        try:
            return _connect_read_only(self.path)
        except sqlite3.DatabaseError as exc:
            logger.warning("cache %s is damaged and cannot be repaired here: %s", self.path, exc)
            return _connect(Path(":memory:"))

    def _rebuild(self, problem: sqlite3.Error) -> sqlite3.Connection:
        """Move the damaged file aside and start a new one with every entry still readable."""
        aside = self.path.with_name(FILENAME + ".corrupt")
        logger.warning(
            "cache %s is unreadable or damaged (%s): moved to %s and rebuilt from what is readable",
            self.path,
            problem,
            aside,
        )
        os.replace(self.path, aside)
        for suffix in ("-wal", "-shm"):  # the journal of the broken file, if any
            self.path.with_name(FILENAME + suffix).unlink(missing_ok=True)
        db = _connect(self.path)
        kept = _salvage(aside, db)
        logger.warning("cache %s rebuilt with %d entries read from %s", self.path, kept, aside)
        self._rebuilt = True
        return db

    def _damaged(self, problem: sqlite3.DatabaseError) -> None:
        """Damage found while reading or writing (caller holds the lock): rebuild once."""
        if isinstance(problem, sqlite3.OperationalError) or self._rebuilt or self._immutable:
            return
        self._db.close()
        self._db = self._rebuild(problem)

    def get(self, url: str) -> CachedCopy | None:
        """The entry for an URL, or None; a damaged entry is dropped with a warning."""
        with self._lock:
            try:
                row = self._db.execute(
                    f"SELECT {', '.join(_COLUMNS)} FROM entries WHERE url = ?", (url,)
                ).fetchone()
            except sqlite3.DatabaseError as exc:
                logger.warning("cannot read the cache entry for %s in %s: %s", url, self.path, exc)
                self._damaged(exc)
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
        with self._lock:
            try:
                with self._db:
                    self._db.execute(f"INSERT OR REPLACE INTO entries VALUES ({marks})", values)
            except sqlite3.DatabaseError as exc:  # the page is still used for this build
                logger.warning("cannot write the cache entry for %s: %s", entry.url, exc)
                self._damaged(exc)

    def delete(self, url: str) -> None:
        """Forget an URL."""
        with self._lock:
            try:
                with self._db:
                    self._db.execute("DELETE FROM entries WHERE url = ?", (url,))
            except sqlite3.DatabaseError as exc:
                logger.warning("cannot drop the cache entry for %s: %s", url, exc)
                self._damaged(exc)

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


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """The database as it is on disk, without locks or journal (a folder we cannot write)."""
    db = sqlite3.connect(
        f"{path.resolve().as_uri()}?immutable=1", uri=True, check_same_thread=False
    )
    try:
        present = {row[1] for row in db.execute("PRAGMA table_info(entries)")}
        if set(_COLUMNS) - present:
            raise sqlite3.DatabaseError("written by an older version; cannot upgrade it read-only")
        db.execute("SELECT count(*) FROM entries").fetchone()
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def _salvage(damaged: Path, db: sqlite3.Connection) -> int:
    """Copy every row SQLite can still read from a damaged file; the number copied.

    The scan runs on a copy padded to the size its header announces: a file cut short
    is otherwise unreadable as a whole, while the rows before the cut are intact.
    """
    copy = damaged.with_name(damaged.name + ".salvage")
    rows: dict[str, tuple] = {}
    try:
        _padded_copy(damaged, copy)
        old = sqlite3.connect(f"{copy.resolve().as_uri()}?immutable=1", uri=True)
        try:
            present = {row[1] for row in old.execute("PRAGMA table_info(entries)")}
            columns = ", ".join(c if c in present else "0" for c in _COLUMNS)
            for rowid in _rowids(old):  # one by one: a row with a damaged page stays behind
                _scan(old, f"SELECT {columns} FROM entries WHERE rowid = {rowid:d}", rows)
        finally:
            old.close()
    except (OSError, sqlite3.DatabaseError) as exc:
        logger.debug("nothing to salvage from %s: %s", damaged, exc)
    finally:
        copy.unlink(missing_ok=True)
    marks = ", ".join("?" for _ in _COLUMNS)
    with db:
        db.executemany(f"INSERT OR REPLACE INTO entries VALUES ({marks})", rows.values())
    return len(rows)


def _padded_copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    with source.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100:
        return
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size  # the header's way to write 64 KiB
    announced = page_size * int.from_bytes(header[28:32], "big")
    if target.stat().st_size < announced <= 64 * 1024**3:
        os.truncate(target, announced)  # extends with zeros (sparse)


def _rowids(db: sqlite3.Connection) -> set[int]:
    """Every rowid readable from each end of the table, up to the damage."""
    found: list[tuple] = []
    for order in ("ASC", "DESC"):
        with contextlib.suppress(sqlite3.DatabaseError):
            for row in db.execute(f"SELECT rowid FROM entries ORDER BY rowid {order}"):
                found.append(row)
    return {row[0] for row in found}


def _scan(db: sqlite3.Connection, query: str, rows: dict[str, tuple]) -> None:
    try:
        for row in db.execute(query):
            rows.setdefault(row[0], row)
    except sqlite3.DatabaseError as exc:
        logger.debug("salvage stopped: %s", exc)


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
