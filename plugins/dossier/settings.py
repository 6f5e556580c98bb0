"""DOSSIER_* settings: defaults in one place, read and validated once at start-up.

Deep code never reads Pelican's settings dict: it receives a frozen ``Settings``.
A bad value raises ``SettingsError`` naming the setting and what is wrong; the
plugin turns it into a build-stopping error.
"""

from __future__ import annotations

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
    "DOSSIER_TIMEOUT": (5.0, 20.0),  # (connect, read) seconds
    "DOSSIER_MAX_BYTES": 5 * 1024 * 1024,
    "DOSSIER_MAX_REDIRECTS": 5,
    "DOSSIER_RETRIES": 3,
    "DOSSIER_BACKOFF": 0.5,  # seconds, doubled on each retry, with jitter
    "DOSSIER_RETRY_AFTER_CAP": 30.0,  # longest Retry-After or Crawl-delay we honour, seconds
    "DOSSIER_HOST_CONCURRENCY": 4,
    "DOSSIER_HOST_DELAY": 0.0,  # minimum seconds between two requests to one host
    "DOSSIER_OBEY_ROBOTS": True,
    "DOSSIER_MAX_PAGES": 50,  # listing pages followed at most
    "DOSSIER_MAX_ARTICLES": 10000,
    # Link texts that mark the dossier on an article page, and the listing link.
    "DOSSIER_DOSSIER_MARKER": r"Cet article fait partie du dossier",
    "DOSSIER_LISTING_PATTERN": r"Voir\s+les\s+(\d+)\s+actualit",
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
    # The plaquette's document (its PDF), kept on the site and rendered page by page.
    "DOSSIER_DOCUMENT_MAX_BYTES": 50 * 1024 * 1024,  # largest PDF downloaded
    "DOSSIER_DOCUMENT_MAX_PAGES": 200,  # more pages: the document is not rendered
    "DOSSIER_DOCUMENT_MAX_PIXELS": 4_000_000,  # largest image of one page (width × height)
    "DOSSIER_DOCUMENT_RENDER_TIMEOUT": 120.0,  # seconds for the whole document, then stopped
    "DOSSIER_DOCUMENT_WIDTHS": [320, 640, 1280],  # widths of the page images, in pixels
}


FEED_CONTENT = ("full", "summary")


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
    max_bytes: int
    max_redirects: int
    retries: int
    backoff: float
    retry_after_cap: float
    host_concurrency: int
    host_delay: float
    obey_robots: bool
    max_pages: int
    max_articles: int
    dossier_marker: str
    listing_pattern: str
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


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise SettingsError(f"{name} must be True or False, not {value!r}")


def _number(name: str, value: Any, *, minimum: float = 0, integer: bool = False) -> Any:
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or value < minimum:
        kind = "an integer" if integer else "a number"
        raise SettingsError(f"{name} must be {kind} >= {minimum}, not {value!r}")
    return value


def _optional_count(name: str, value: Any) -> int | None:
    if value is None:
        return None
    return _number(name, value, integer=True)


def _url(name: str, value: Any) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if not parts or parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{name} must be an absolute http(s) URL, not {value!r}")
    return value


def _strings(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise SettingsError(f"{name} must be a list of strings, not {value!r}")
    if not all(isinstance(v, str) and v for v in value):
        raise SettingsError(f"{name} must hold only non-empty strings, not {value!r}")
    return tuple(value)


def _path(base: Path, value: Any, name: str) -> Path:
    if not isinstance(value, str | Path) or not str(value):
        raise SettingsError(f"{name} must be a path, not {value!r}")
    path = Path(value)
    return path if path.is_absolute() else base / path


def _timeout(name: str, value: Any) -> tuple[float, float]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = (value, value)
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise SettingsError(f"{name} must be a number or a (connect, read) pair, not {value!r}")
    connect, read = (_number(name, v, minimum=0.001) for v in value)
    return float(connect), float(read)


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def read_settings(pelican_settings: dict[str, Any], base: Path | None = None) -> Settings:
    """Merge DOSSIER_* values over the defaults and validate them once."""
    unknown = sorted(k for k in pelican_settings if k.startswith("DOSSIER_") and k not in DEFAULTS)
    if unknown:
        raise SettingsError(f"unknown setting {unknown[0]} (known: {', '.join(sorted(DEFAULTS))})")
    raw = {**DEFAULTS, **{k: v for k, v in pelican_settings.items() if k in DEFAULTS}}
    if base is None:
        base = Path(pelican_settings.get("PATH", ".")).resolve().parent
    hosts = tuple(
        h.lower() for h in _strings("DOSSIER_ALLOWED_HOSTS", raw["DOSSIER_ALLOWED_HOSTS"])
    )
    rules = raw["DOSSIER_RULES_PATH"]
    values = Settings(
        start_url=_url("DOSSIER_START_URL", raw["DOSSIER_START_URL"]),
        allowed_hosts=hosts,
        cache_path=_path(base, raw["DOSSIER_CACHE_PATH"], "DOSSIER_CACHE_PATH"),
        offline=_bool("DOSSIER_OFFLINE", raw["DOSSIER_OFFLINE"]),
        strict=_bool("DOSSIER_STRICT", raw["DOSSIER_STRICT"]),
        timeout=_timeout("DOSSIER_TIMEOUT", raw["DOSSIER_TIMEOUT"]),
        max_bytes=_number("DOSSIER_MAX_BYTES", raw["DOSSIER_MAX_BYTES"], minimum=1, integer=True),
        max_redirects=_number("DOSSIER_MAX_REDIRECTS", raw["DOSSIER_MAX_REDIRECTS"], integer=True),
        retries=_number("DOSSIER_RETRIES", raw["DOSSIER_RETRIES"], integer=True),
        backoff=float(_number("DOSSIER_BACKOFF", raw["DOSSIER_BACKOFF"])),
        retry_after_cap=float(_number("DOSSIER_RETRY_AFTER_CAP", raw["DOSSIER_RETRY_AFTER_CAP"])),
        host_concurrency=_number(
            "DOSSIER_HOST_CONCURRENCY", raw["DOSSIER_HOST_CONCURRENCY"], minimum=1, integer=True
        ),
        host_delay=float(_number("DOSSIER_HOST_DELAY", raw["DOSSIER_HOST_DELAY"])),
        obey_robots=_bool("DOSSIER_OBEY_ROBOTS", raw["DOSSIER_OBEY_ROBOTS"]),
        max_pages=_number("DOSSIER_MAX_PAGES", raw["DOSSIER_MAX_PAGES"], minimum=1, integer=True),
        max_articles=_number(
            "DOSSIER_MAX_ARTICLES", raw["DOSSIER_MAX_ARTICLES"], minimum=1, integer=True
        ),
        dossier_marker=_regex("DOSSIER_DOSSIER_MARKER", raw["DOSSIER_DOSSIER_MARKER"]),
        listing_pattern=_regex("DOSSIER_LISTING_PATTERN", raw["DOSSIER_LISTING_PATTERN"]),
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
        **_document_settings(raw),
    )
    return values


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
