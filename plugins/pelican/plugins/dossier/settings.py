"""DOSSIER_* settings: defaults in one place, read and validated once at start-up.

Deep code never reads Pelican's settings dict: it receives a frozen ``Settings``.
A bad value raises ``SettingsError`` naming the setting and what is wrong; the
plugin turns it into a build-stopping error.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CEREMA_HOSTS = ("cerema.fr", "www.cerema.fr", "boutique.cerema.fr", "doc.cerema.fr")

DEFAULTS: dict[str, Any] = {
    "DOSSIER_START_URL": "https://www.cerema.fr/fr/node/4279",
    "DOSSIER_ALLOWED_HOSTS": list(CEREMA_HOSTS),
    "DOSSIER_CACHE_PATH": ".cache/dossier",
    "DOSSIER_OFFLINE": False,
    "DOSSIER_STRICT": False,
    "DOSSIER_TIMEOUT": (5.0, 20.0),  # (connect, read) seconds, between two bytes
    # Whole seconds one response may take, headers and body, however it trickles in:
    # 60 s lets the largest body allowed (DOSSIER_MAX_BYTES) through a 1 Mbit/s link.
    "DOSSIER_RESPONSE_DEADLINE": 60.0,
    "DOSSIER_MAX_BYTES": 5 * 1024 * 1024,
    "DOSSIER_MAX_REDIRECTS": 5,
    "DOSSIER_RETRIES": 3,
    "DOSSIER_BACKOFF": 0.5,  # seconds, doubled on each retry, with jitter
    "DOSSIER_RETRY_AFTER_CAP": 30.0,  # longest Retry-After or Crawl-delay we honour, seconds
    "DOSSIER_HOST_CONCURRENCY": 4,
    "DOSSIER_HOST_DELAY": 0.0,  # minimum seconds between two requests to one host
    # Seconds the whole build may spend waiting because a server asked (Retry-After,
    # Crawl-delay) or a retry backs off, counted once however many threads wait together;
    # once spent, a source that would have to wait keeps its previous copy (stale).
    "DOSSIER_WAIT_BUDGET": 120.0,
    "DOSSIER_OBEY_ROBOTS": True,
    "DOSSIER_MAX_PAGES": 50,  # listing pages followed at most
    "DOSSIER_MAX_ARTICLES": 10000,
    # Discovery's way from the start page to the articles (discover/links.py): the text
    # followed by the link to the dossier, and the text of the link to its listing (group 1:
    # the announced count). Loose on purpose, to find a link on whichever page the start URL
    # is. Not the cleaner's [markers] of clean/rules/default.toml: those are per host, cut
    # the whole phrase out of every article's text and keep it as metadata, so they span the
    # phrase and name their count group; change both when a dossier words these otherwise.
    "DOSSIER_DOSSIER_LINK_TEXT": r"Cet article fait partie du dossier",
    "DOSSIER_LISTING_LINK_TEXT": r"Voir\s+les\s+(\d+)\s+actualit",
    # Links in the listing that are never articles (regular expressions on the URL path).
    "DOSSIER_EXCLUDE_PATTERNS": [r"/dossiers?/", r"/(?:user|search|recherche|node/add)\b"],
    "DOSSIER_TAXONOMY": "content/themes.toml",
    "DOSSIER_DATA": "content/dossier.toml",
    "DOSSIER_RULES_PATH": "",  # extra folder of per-host rules, besides the shipped ones
    "DOSSIER_FEED_CONTENT": "full",  # "full" text or "summary" in feeds
    "DOSSIER_PROGRESS": True,
    "DOSSIER_SEARCH": True,  # build the Pagefind full-text index after the site
    # Worker processes that clean new pages beside the build when there are many;
    # 0 cleans in the build process itself; None: one per CPU, less one for the build.
    "DOSSIER_WORKERS": None,
    # Change tracking between builds (history.py): days an article keeps its « Nouveau »
    # mark; whether articles that left the dossier, or that the source says are gone
    # (404/410), stay published from their last good copy with a notice.
    "DOSSIER_NEW_DAYS": 30,
    "DOSSIER_KEEP_REMOVED": True,
    # RSS/Atom feeds read besides the listing: an entry whose page carries the dossier
    # marker joins the dossier (sources.py).
    "DOSSIER_FEEDS": [],
    # The plaquette's document (its PDF), kept on the site and rendered page by page.
    "DOSSIER_DOCUMENT_MAX_BYTES": 50 * 1024 * 1024,  # largest PDF downloaded
    "DOSSIER_DOCUMENT_MAX_PAGES": 200,  # more pages: the document is not rendered
    "DOSSIER_DOCUMENT_MAX_PIXELS": 4_000_000,  # largest image of one page (width × height)
    "DOSSIER_DOCUMENT_RENDER_TIMEOUT": 120.0,  # seconds for the whole document, then stopped
    "DOSSIER_DOCUMENT_WIDTHS": [320, 640, 1280],  # widths of the page images, in pixels
    # Article images (figures, lead images), fetched, kept and resized on our site.
    "DOSSIER_IMAGE_MAX_BYTES": 10 * 1024 * 1024,  # largest image downloaded
    # Largest image decoded (width × height): beyond it (or a decompression bomb) it is refused.
    "DOSSIER_IMAGE_MAX_PIXELS": 40_000_000,
    "DOSSIER_IMAGE_RENDER_TIMEOUT": 120.0,  # seconds for one batch of images, then stopped
    "DOSSIER_IMAGE_WIDTHS": [320, 640, 1280],  # widths made of each image, never enlarged
}


FEED_CONTENT = ("full", "summary")

# Upper bounds: beyond them a value is a mistake (or an overflow waiting to happen), not
# a choice. Seconds unless said otherwise.
MAX_TIMEOUT = 300.0
MAX_DEADLINE = 3600.0
MAX_WAIT = 3600.0  # DOSSIER_RETRY_AFTER_CAP, DOSSIER_HOST_DELAY
MAX_BACKOFF = 60.0
MAX_WAIT_BUDGET = 86400.0
MAX_BODY = 1024**3  # bytes
MAX_REDIRECTS = 30
MAX_RETRIES = 10
MAX_CONCURRENCY = 64
MAX_PAGES = 10_000
MAX_ARTICLES = 1_000_000
MAX_WORKERS = 256
MAX_IMAGE_PIXELS = 500_000_000  # DOSSIER_IMAGE_MAX_PIXELS: 1.5 GB of RGB, past any photo


class SettingsError(ValueError):
    """A DOSSIER_* setting has a bad value."""


@dataclass(frozen=True)
class Settings:
    start_url: str
    allowed_hosts: tuple[str, ...]
    cache_path: Path
    offline: bool
    strict: bool
    timeout: tuple[float, float]
    response_deadline: float
    max_bytes: int
    max_redirects: int
    retries: int
    backoff: float
    retry_after_cap: float
    host_concurrency: int
    host_delay: float
    wait_budget: float
    obey_robots: bool
    max_pages: int
    max_articles: int
    dossier_link_text: str
    listing_link_text: str
    exclude_patterns: tuple[str, ...]
    taxonomy: Path
    data: Path
    rules_path: Path | None
    feed_content: str
    progress: bool
    search: bool
    workers: int | None
    document_max_bytes: int
    document_max_pages: int
    document_max_pixels: int
    document_render_timeout: float
    document_widths: tuple[int, ...]
    image_max_bytes: int = DEFAULTS["DOSSIER_IMAGE_MAX_BYTES"]
    image_max_pixels: int = DEFAULTS["DOSSIER_IMAGE_MAX_PIXELS"]
    image_render_timeout: float = DEFAULTS["DOSSIER_IMAGE_RENDER_TIMEOUT"]
    image_widths: tuple[int, ...] = tuple(DEFAULTS["DOSSIER_IMAGE_WIDTHS"])
    new_days: int = 30
    keep_removed: bool = True
    feeds: tuple[str, ...] = ()


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise SettingsError(f"{name} must be True or False, not {value!r}")


def _number(
    name: str,
    value: Any,
    *,
    minimum: float = 0,
    maximum: float = math.inf,
    integer: bool = False,
) -> Any:
    """A finite number within [minimum, maximum], or SettingsError naming the setting."""
    kinds = (int,) if integer else (int, float)
    good = not isinstance(value, bool) and isinstance(value, kinds)
    # An int is always finite (and math.isfinite cannot take one past 1e308).
    finite = good and (isinstance(value, int) or math.isfinite(value))
    if not finite or not minimum <= value <= maximum:
        kind = "an integer" if integer else "a number"
        upper = f" and <= {maximum:g}" if math.isfinite(maximum) else ""
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "…"
        raise SettingsError(f"{name} must be {kind} >= {minimum:g}{upper}, not {shown}")
    return value


def _seconds(name: str, value: Any, maximum: float, minimum: float = 0) -> float:
    return float(_number(name, value, minimum=minimum, maximum=maximum))


def _optional_count(name: str, value: Any) -> int | None:
    if value is None:
        return None
    return _number(name, value, integer=True, maximum=MAX_WORKERS)


def _url(name: str, value: Any) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if not parts or parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{name} must be an absolute http(s) URL, not {value!r}")
    return value


def _strings(name: str, value: Any, *, empty: bool = True) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise SettingsError(f"{name} must be a list of strings, not {value!r}")
    if not value and not empty:
        raise SettingsError(f"{name} is empty: list at least one host, or nothing is fetched")
    if not all(isinstance(v, str) and v for v in value):
        raise SettingsError(f"{name} must hold only non-empty strings, not {value!r}")
    return tuple(value)


def _path(base: Path, value: Any, name: str) -> Path:
    if not isinstance(value, str | Path) or not str(value):
        raise SettingsError(f"{name} must be a path, not {value!r}")
    path = Path(value)
    return path if path.is_absolute() else base / path


def _folder(path: Path, name: str) -> Path:
    """A folder path: absent (made on first use) or a folder, never a file or a device."""
    if path.exists() and not path.is_dir():
        raise SettingsError(f"{name} must be a folder, but {path} exists and is not one")
    return path


def _timeout(name: str, value: Any) -> tuple[float, float]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = (value, value)
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise SettingsError(f"{name} must be a number or a (connect, read) pair, not {value!r}")
    connect, read = (_number(name, v, minimum=0.001, maximum=MAX_TIMEOUT) for v in value)
    return float(connect), float(read)


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


# Earlier names of settings, still read: a site configured with them keeps working.
RENAMED = {
    "DOSSIER_DOSSIER_MARKER": "DOSSIER_DOSSIER_LINK_TEXT",
    "DOSSIER_LISTING_PATTERN": "DOSSIER_LISTING_LINK_TEXT",
}


def _current_names(pelican_settings: dict[str, Any]) -> dict[str, Any]:
    """The DOSSIER_* values under their current names (an earlier name gives way to the
    current one when both are set)."""
    values = {k: v for k, v in pelican_settings.items() if k.startswith("DOSSIER_")}
    for old, new in RENAMED.items():
        if old in values:
            value = values.pop(old)
            values.setdefault(new, value)
    return values


def read_settings(pelican_settings: dict[str, Any], base: Path | None = None) -> Settings:
    """Merge DOSSIER_* values over the defaults and validate them once."""
    given = _current_names(pelican_settings)
    unknown = sorted(k for k in given if k not in DEFAULTS)
    if unknown:
        raise SettingsError(f"unknown setting {unknown[0]} (known: {', '.join(sorted(DEFAULTS))})")
    raw = {**DEFAULTS, **given}
    if base is None:
        base = Path(pelican_settings.get("PATH", ".")).resolve().parent
    hosts = tuple(
        h.lower()
        for h in _strings("DOSSIER_ALLOWED_HOSTS", raw["DOSSIER_ALLOWED_HOSTS"], empty=False)
    )
    rules = raw["DOSSIER_RULES_PATH"]
    values = Settings(
        start_url=_url("DOSSIER_START_URL", raw["DOSSIER_START_URL"]),
        allowed_hosts=hosts,
        cache_path=_folder(
            _path(base, raw["DOSSIER_CACHE_PATH"], "DOSSIER_CACHE_PATH"), "DOSSIER_CACHE_PATH"
        ),
        offline=_bool("DOSSIER_OFFLINE", raw["DOSSIER_OFFLINE"]),
        strict=_bool("DOSSIER_STRICT", raw["DOSSIER_STRICT"]),
        timeout=_timeout("DOSSIER_TIMEOUT", raw["DOSSIER_TIMEOUT"]),
        response_deadline=_seconds(
            "DOSSIER_RESPONSE_DEADLINE", raw["DOSSIER_RESPONSE_DEADLINE"], MAX_DEADLINE, 0.1
        ),
        **_counts(raw),
        backoff=_seconds("DOSSIER_BACKOFF", raw["DOSSIER_BACKOFF"], MAX_BACKOFF),
        retry_after_cap=_seconds(
            "DOSSIER_RETRY_AFTER_CAP", raw["DOSSIER_RETRY_AFTER_CAP"], MAX_WAIT
        ),
        host_delay=_seconds("DOSSIER_HOST_DELAY", raw["DOSSIER_HOST_DELAY"], MAX_WAIT),
        wait_budget=_seconds("DOSSIER_WAIT_BUDGET", raw["DOSSIER_WAIT_BUDGET"], MAX_WAIT_BUDGET),
        obey_robots=_bool("DOSSIER_OBEY_ROBOTS", raw["DOSSIER_OBEY_ROBOTS"]),
        dossier_link_text=_regex("DOSSIER_DOSSIER_LINK_TEXT", raw["DOSSIER_DOSSIER_LINK_TEXT"]),
        listing_link_text=_regex("DOSSIER_LISTING_LINK_TEXT", raw["DOSSIER_LISTING_LINK_TEXT"]),
        exclude_patterns=tuple(
            _regex("DOSSIER_EXCLUDE_PATTERNS", p)
            for p in _strings("DOSSIER_EXCLUDE_PATTERNS", raw["DOSSIER_EXCLUDE_PATTERNS"])
        ),
        taxonomy=_path(base, raw["DOSSIER_TAXONOMY"], "DOSSIER_TAXONOMY"),
        data=_path(base, raw["DOSSIER_DATA"], "DOSSIER_DATA"),
        rules_path=_path(base, rules, "DOSSIER_RULES_PATH") if rules else None,
        feed_content=_choice("DOSSIER_FEED_CONTENT", raw["DOSSIER_FEED_CONTENT"], FEED_CONTENT),
        progress=_bool("DOSSIER_PROGRESS", raw["DOSSIER_PROGRESS"]),
        search=_bool("DOSSIER_SEARCH", raw["DOSSIER_SEARCH"]),
        workers=_optional_count("DOSSIER_WORKERS", raw["DOSSIER_WORKERS"]),
        new_days=_number("DOSSIER_NEW_DAYS", raw["DOSSIER_NEW_DAYS"], integer=True),
        keep_removed=_bool("DOSSIER_KEEP_REMOVED", raw["DOSSIER_KEEP_REMOVED"]),
        feeds=tuple(_url("DOSSIER_FEEDS", u) for u in _feed_list(raw["DOSSIER_FEEDS"])),
        **_document_settings(raw),
        **_image_settings(raw),
    )
    return values


def _feed_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple) and not value:
        return ()
    return _strings("DOSSIER_FEEDS", value)


# (setting, minimum, maximum) of the integer settings, keyed by their Settings field.
COUNTS = {
    "max_bytes": ("DOSSIER_MAX_BYTES", 1, MAX_BODY),
    "max_redirects": ("DOSSIER_MAX_REDIRECTS", 0, MAX_REDIRECTS),
    "retries": ("DOSSIER_RETRIES", 0, MAX_RETRIES),
    "host_concurrency": ("DOSSIER_HOST_CONCURRENCY", 1, MAX_CONCURRENCY),
    "max_pages": ("DOSSIER_MAX_PAGES", 1, MAX_PAGES),
    "max_articles": ("DOSSIER_MAX_ARTICLES", 1, MAX_ARTICLES),
}


def _counts(raw: dict[str, Any]) -> dict[str, int]:
    return {
        field: _number(name, raw[name], minimum=low, maximum=high, integer=True)
        for field, (name, low, high) in COUNTS.items()
    }


def _document_settings(raw: dict[str, Any]) -> dict[str, Any]:
    """The DOSSIER_DOCUMENT_* limits, validated."""

    def count(name: str, minimum: int = 1) -> int:
        return _number(name, raw[name], minimum=minimum, integer=True)

    return {
        "document_max_bytes": count("DOSSIER_DOCUMENT_MAX_BYTES"),
        "document_max_pages": count("DOSSIER_DOCUMENT_MAX_PAGES"),
        "document_max_pixels": count("DOSSIER_DOCUMENT_MAX_PIXELS", 10_000),
        "document_render_timeout": float(
            _number(
                "DOSSIER_DOCUMENT_RENDER_TIMEOUT",
                raw["DOSSIER_DOCUMENT_RENDER_TIMEOUT"],
                minimum=0.001,
            )
        ),
        "document_widths": _widths("DOSSIER_DOCUMENT_WIDTHS", raw["DOSSIER_DOCUMENT_WIDTHS"]),
    }


def _image_settings(raw: dict[str, Any]) -> dict[str, Any]:
    """The DOSSIER_IMAGE_* limits, validated."""
    timeout = "DOSSIER_IMAGE_RENDER_TIMEOUT"
    return {
        "image_max_bytes": _number(
            "DOSSIER_IMAGE_MAX_BYTES",
            raw["DOSSIER_IMAGE_MAX_BYTES"],
            minimum=1,
            maximum=MAX_BODY,
            integer=True,
        ),
        "image_max_pixels": _number(
            "DOSSIER_IMAGE_MAX_PIXELS",
            raw["DOSSIER_IMAGE_MAX_PIXELS"],
            minimum=10_000,
            maximum=MAX_IMAGE_PIXELS,
            integer=True,
        ),
        "image_render_timeout": float(
            _number(timeout, raw[timeout], minimum=0.001, maximum=MAX_DEADLINE)
        ),
        "image_widths": _widths("DOSSIER_IMAGE_WIDTHS", raw["DOSSIER_IMAGE_WIDTHS"]),
    }


def _widths(name: str, value: Any) -> tuple[int, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        raise SettingsError(f"{name} must be a non-empty list of widths in pixels, not {value!r}")
    widths = tuple(_number(name, v, minimum=16, integer=True) for v in value)
    if max(widths) > 4096:
        raise SettingsError(f"{name} must hold widths of at most 4096 pixels, not {value!r}")
    return tuple(sorted(set(widths)))


def _regex(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise SettingsError(f"{name} must be a regular expression, not {value!r}")
    try:
        re.compile(value)
    except re.error as exc:
        raise SettingsError(f"{name} is not a valid regular expression: {exc}") from exc
    return value
