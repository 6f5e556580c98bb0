"""URL normalisation: one key per article whatever form a link takes."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query keys that only track a visit and never change the page.
TRACKING_PREFIXES = ("utm_", "xtor", "at_", "fbclid", "gclid", "mc_")


def strip_tracking(url: str) -> str:
    """Drop the fragment and tracking query keys; keep everything else as given."""
    parts = urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))


def url_key(url: str) -> str:
    """A comparison key: http/https, www., trailing slash, fragments and tracking ignored."""
    parts = urlsplit(strip_tracking(url))
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/") or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port}{path}{query}"


def absolute(base: str, href: str | None) -> str | None:
    """Resolve an href against a page URL; None for non-web links."""
    if not href:
        return None
    href = href.strip()
    if href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    url = urljoin(base, href)
    return url if urlsplit(url).scheme in ("http", "https") else None


def host_of(url: str) -> str:
    """Lower-case host name (or IP literal) of a URL, '' when it has none or is malformed."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
