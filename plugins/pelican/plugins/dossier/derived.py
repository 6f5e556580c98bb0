"""Derived-results cache: cleaned articles and their themes, keyed by content hash.

An article whose fetched text, cleaning rules and cleaner code are unchanged is
not cleaned again; one whose cleaned text and taxonomy are unchanged is not
tagged again. Keys include a version of each input, so changing a rule file,
the taxonomy or the code invalidates exactly the results that depended on it.

Layout: ``<DOSSIER_CACHE_PATH>/derived.sqlite3``, one table ``results(key, value)``
where value is JSON. Writes are batched: one transaction per ``BATCH`` new values
and one at ``close()``, so a big cold build does not hold every result in memory
twice. A damaged database (found when opened or later) is reported with its path, moved
aside and started afresh (its content is only derived: it is recomputed); a folder that
cannot be written gives a read-only cache that saves nothing, with a warning naming
DOSSIER_CACHE_PATH. Never a crash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
from dataclasses import fields, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .model import Attachment, Cleaned, ThemeMatch

logger = logging.getLogger(__name__)

FILENAME = "derived.sqlite3"
BATCH = 200


def digest(*parts: str) -> str:
    """A short stable hash of some strings."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


PACKAGE = Path(__file__).parent


class MissingSource(LookupError):
    """A module or sub-package named for versioning is not in the package."""


def source_version(*names: str) -> str:
    """A hash of the source of this package's modules a result depends on.

    Names are dotted and relative to the package: ``"discover.links"`` is one module,
    ``"clean"`` every module of that sub-package. A name that is not there raises
    MissingSource: a result keyed on code that was not hashed would never be refreshed.
    """
    return digest(*(path.read_text(encoding="utf-8") for path in source_files(names)))


def source_files(names: tuple[str, ...]) -> list[Path]:
    """The source files behind dotted module or sub-package names, in a stable order."""
    files: list[Path] = []
    for name in names:
        path = PACKAGE.joinpath(*name.split("."))
        if path.is_dir():
            files += sorted(path.glob("*.py"))
        elif path.with_suffix(".py").is_file():
            files.append(path.with_suffix(".py"))
        else:
            raise MissingSource(f"{name!r}: no such module or sub-package in {PACKAGE}")
    return files


def fingerprint(value: object) -> str:
    """Like repr(), but stable across runs: no memory address (lxml's CSSSelector shows one)."""
    if is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(f"{f.name}={fingerprint(getattr(value, f.name))}" for f in fields(value))
        return f"{type(value).__name__}({inner})"
    if isinstance(value, tuple | list):
        return "(" + ", ".join(fingerprint(v) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {fingerprint(v)}" for k, v in value.items()) + "}"
    if isinstance(value, re.Pattern):
        return f"re({value.pattern!r}, {value.flags})"
    css = getattr(value, "css", None)
    if isinstance(css, str):
        return f"css({css!r})"
    return repr(value)


def cleaned_to_json(cleaned: Cleaned) -> dict[str, Any]:
    """A JSON-ready dict of a Cleaned."""
    # vars() and not asdict(): asdict deep-copies every field, a third of the cost here
    data = dict(vars(cleaned))
    for name in ("published", "updated"):
        data[name] = data[name].isoformat() if data[name] else None
    data["attachments"] = [dict(vars(a)) for a in cleaned.attachments]
    return data


def cleaned_from_json(data: dict[str, Any]) -> Cleaned:
    """The Cleaned a dict from cleaned_to_json describes."""
    data = dict(data)
    for name in ("published", "updated"):
        data[name] = datetime.fromisoformat(data[name]) if data[name] else None
    data["attachments"] = tuple(Attachment(**a) for a in data["attachments"])
    known = {f.name for f in fields(Cleaned)}
    return Cleaned(**{k: v for k, v in data.items() if k in known})


def themes_to_json(matches: tuple[ThemeMatch, ...]) -> list[dict[str, Any]]:
    """A JSON-ready list of theme matches."""
    return [{**vars(m), "terms": list(m.terms)} for m in matches]


def themes_from_json(data: list[dict[str, Any]]) -> tuple[ThemeMatch, ...]:
    """The theme matches a list from themes_to_json describes."""
    return tuple(ThemeMatch(m["slug"], m["score"], tuple(m["terms"]), m["corrected"]) for m in data)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False)
    try:
        db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("SELECT count(*) FROM results").fetchone()
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


class DerivedCache:
    """Key → JSON value, read on demand, written in batched transactions."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILENAME
        self._pending: dict[str, str] = {}
        self._reset = False
        self._writable = True
        self._db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return _connect(self.path)
        except sqlite3.OperationalError as exc:  # read-only folder or file, locked
            return self._read_only(exc)
        except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"
            return self._afresh(exc)
        except OSError as exc:
            logger.warning("derived cache disabled (DOSSIER_CACHE_PATH %s): %s", self.path, exc)
            return None

    def _read_only(self, problem: Exception) -> sqlite3.Connection | None:
        logger.warning(
            "derived cache %s cannot be written (%s): nothing cleaned will be saved "
            "(DOSSIER_CACHE_PATH)",
            self.path,
            problem,
        )
        self._writable = False
        if not self.path.is_file():
            return None
        try:
            uri = f"{self.path.resolve().as_uri()}?immutable=1"
            db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            db.execute("SELECT count(*) FROM results").fetchone()
            return db
        except sqlite3.DatabaseError as exc:
            logger.warning("derived cache %s unreadable as well: %s", self.path, exc)
            return None

    def _afresh(self, problem: Exception) -> sqlite3.Connection | None:
        """Move a damaged database aside and start a new one."""
        aside = self.path.with_suffix(".corrupt")
        logger.warning(
            "derived cache %s is unreadable or damaged (%s): moved to %s and started afresh",
            self.path,
            problem,
            aside,
        )
        try:
            self.path.replace(aside)
            return _connect(self.path)
        except (OSError, sqlite3.Error) as exc:
            logger.warning("derived cache disabled: %s", exc)
            return None

    def _damaged(self, problem: sqlite3.DatabaseError) -> None:
        """Damage found after opening: rebuild once, so later builds do not meet it again."""
        if isinstance(problem, sqlite3.OperationalError) or self._db is None or self._reset:
            return
        self._reset = True
        self._db.close()
        self._db = self._afresh(problem)

    def get(self, key: str) -> Any | None:
        """The stored value, or None when absent or unreadable."""
        if key in self._pending:
            return json.loads(self._pending[key])
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            logger.warning("derived cache %s: entry %s unreadable: %s", self.path, key[:12], exc)
            self._damaged(exc)
            return None
        try:
            return json.loads(row[0]) if row else None
        except (TypeError, json.JSONDecodeError) as exc:  # dropped now, rewritten when recomputed
            logger.warning("derived cache %s: entry %s dropped: %s", self.path, key[:12], exc)
            self._drop(key)
            return None

    def _drop(self, key: str) -> None:
        try:
            with self._db:  # type: ignore[union-attr]
                self._db.execute("DELETE FROM results WHERE key = ?", (key,))  # type: ignore[union-attr]
        except sqlite3.DatabaseError as exc:
            logger.debug("derived cache entry %s not deleted: %s", key[:12], exc)

    def put(self, key: str, value: Any) -> None:
        """Remember a value; written with the next batch or at close()."""
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        try:
            text.encode("utf-8")  # one value SQLite cannot store must not sink the batch
        except UnicodeEncodeError as exc:
            logger.warning("derived cache entry %s not kept: %s", key[:12], exc)
            return
        self._pending[key] = text
        if len(self._pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write pending values in one transaction."""
        if self._db is None or not self._writable:
            self._pending.clear()
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)",
                    sorted(self._pending.items()),
                )
        except sqlite3.OperationalError as exc:  # read-only: said once, not at every batch
            logger.warning("derived cache %s not saved (DOSSIER_CACHE_PATH): %s", self.path, exc)
            self._writable = False
        except sqlite3.DatabaseError as exc:
            logger.warning("derived cache %s not saved: %s", self.path, exc)
            self._damaged(exc)
        finally:
            self._pending.clear()

    def close(self) -> None:
        """Write pending values and close the database."""
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> DerivedCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
