"""URLs: one strict parse for every address we fetch or publish, and comparison keys.

``parse_web_url`` is the only reading of an address that counts: the safety checks
(netsafety.py) look at its host and port, and the HTTP client connects to the string
``WebURL.text`` rebuilt from that same parse, so what was checked is what is reached.
It refuses what two URL parsers could read differently (urllib.parse against urllib3,
or either against a browser): backslashes, user info (``@``) in the authority,
control characters and whitespace, empty or out-of-range ports, percent signs or
odd characters in the host, numeric hosts that are not a plain dotted IPv4 address.
Non-ASCII host names are IDNA-encoded, so the rebuilt string is plain ASCII.
``public_url`` is the scheme allowlist for every URL written into a page or a feed.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

logger = logging.getLogger(__name__)

# Query keys that only track a visit and never change the page.
TRACKING_PREFIXES = ("utm_", "xtor", "at_", "fbclid", "gclid", "mc_")

WEB_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_URL_LENGTH = 8192
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_HOST_PORT = re.compile(
    r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[^:\[\]]+))(?::(?P<port>\d{1,5}))?"
)
_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?")
_NUMERIC_LABEL = re.compile(r"(0x[0-9a-f]*|[0-9]+)")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/%:@!$&'()*+,;=~"
_QUERY_SAFE = _PATH_SAFE + "?"
# Unicode categories never meaningful in an address: controls (tab and line breaks
# included, which urllib.parse silently deletes), format, surrogates, unassigned, line
# separators. Spaces are refused in the host (not a label) and encoded in path and query.
_BAD_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


class BadURL(ValueError):
    """An address we will neither fetch nor publish; the message names it and says why."""


@dataclass(frozen=True)
class WebURL:
    """An http(s) address after the one strict parse; ``text`` is what gets connected to."""

    scheme: str  # "http" or "https"
    host: str  # lower-case ASCII name, dotted IPv4, or IPv6 (without brackets)
    port: int | None  # only when not the scheme's default
    path: str  # starts with "/", ASCII, percent-encoded
    query: str = ""  # without "?", ASCII, percent-encoded

    @property
    def netloc(self) -> str:
        """Host (IPv6 in brackets) and the port when it is not the default."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.port is not None else host

    @property
    def effective_port(self) -> int:
        """The TCP port the connection uses."""
        return self.port if self.port is not None else DEFAULT_PORTS[self.scheme]

    @property
    def origin(self) -> str:
        """``scheme://host[:port]``, e.g. for a Content-Security-Policy source."""
        return f"{self.scheme}://{self.netloc}"

    @property
    def text(self) -> str:
        """The address rebuilt from the parse, without fragment."""
        return f"{self.origin}{self.path}" + (f"?{self.query}" if self.query else "")


def parse_web_url(url: str) -> WebURL:
    """Parse an absolute http(s) URL strictly; BadURL for anything ambiguous."""
    if not isinstance(url, str) or not url:
        raise BadURL(f"not an address: {url!r}")
    if len(url) > MAX_URL_LENGTH:
        raise BadURL(f"address longer than {MAX_URL_LENGTH} characters: {url[:80]!r}…")
    _refuse_odd_characters(url)
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    if scheme not in WEB_SCHEMES:
        raise BadURL(f"scheme {scheme or '(none)'!r} not allowed: {url}")
    rest = url[match.end() :]  # type: ignore[union-attr]  (scheme checked just above)
    if not rest.startswith("//"):
        raise BadURL(f"no '//' after the scheme: {url!r}")
    rest = rest[2:]
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    host, port = _authority(rest[:end], url)
    path, query = _path_query(rest[end:])
    return WebURL(scheme, host, None if port == DEFAULT_PORTS[scheme] else port, path, query)


def _refuse_odd_characters(url: str) -> None:
    for char in url:
        if char == "\\" or unicodedata.category(char) in _BAD_CATEGORIES:
            raise BadURL(f"backslash or control character {char!r} in address {url!r}")


def _authority(authority: str, url: str) -> tuple[str, int | None]:
    if "@" in authority:
        raise BadURL(f"user info ('@') in the address is not accepted: {url!r}")
    match = _HOST_PORT.fullmatch(authority)
    if match is None:
        raise BadURL(f"unreadable host or port {authority!r} in {url!r}")
    port = int(match["port"]) if match["port"] else None
    if port is not None and not 0 < port < 65536:
        raise BadURL(f"port {port} out of range in {url!r}")
    if match["v6"]:
        return _ipv6(match["v6"], url), port
    return _host_name(match["name"], url), port


def _ipv6(text: str, url: str) -> str:
    try:
        return ipaddress.IPv6Address(text).compressed
    except ValueError as exc:
        raise BadURL(f"bad IPv6 address {text!r} in {url!r}") from exc


def _host_name(name: str, url: str) -> str:
    try:
        host = name.encode("idna").decode("ascii").lower() if not name.isascii() else name.lower()
    except UnicodeError as exc:
        raise BadURL(f"host {name!r} cannot be IDNA-encoded in {url!r}") from exc
    host = host[:-1] if host.endswith(".") else host
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise BadURL(f"invalid host name {name!r} in {url!r}")
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        _dotted_ipv4(host, url)
    return host


def _dotted_ipv4(host: str, url: str) -> None:
    """A host ending in a number must be a plain dotted IPv4 (no 0x7f.1, 2130706433, 010…)."""
    try:
        canonical = str(ipaddress.IPv4Address(host)) == host
    except ValueError:
        canonical = False
    if not canonical:
        raise BadURL(f"numeric host {host!r} is not a dotted IPv4 address in {url!r}")


def _path_query(rest: str) -> tuple[str, str]:
    rest = rest.split("#", 1)[0]
    path, _, query = rest.partition("?")
    path = quote(_BAD_PERCENT.sub("%25", path), safe=_PATH_SAFE) or "/"
    if not path.startswith("/"):
        path = "/" + path
    return path, quote(_BAD_PERCENT.sub("%25", query), safe=_QUERY_SAFE)


def web_url(url: str | None) -> WebURL | None:
    """``parse_web_url`` that answers None (logged at debug) instead of raising."""
    if not url:
        return None
    try:
        return parse_web_url(url)
    except BadURL as exc:
        logger.debug("address refused: %s", exc)
        return None


def public_url(url: str | None, *, mailto: bool = False) -> str | None:
    """The form of ``url`` we may publish, or None: the one scheme allowlist for pages
    and feeds. http(s) addresses come back rebuilt by ``parse_web_url``; ``mailto:`` is
    kept only where asked (links in article bodies); every other scheme is refused."""
    if not url:
        return None
    url = url.strip()
    if mailto and url[:7].lower() == "mailto:":
        return url if _plain(url) else None
    parsed = web_url(url)
    return parsed.text if parsed else None


def _plain(url: str) -> bool:
    try:
        _refuse_odd_characters(url)
    except BadURL:
        return False
    return True


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
    """Resolve an href against a page URL into an address we may fetch; None for non-web
    links and for addresses ``parse_web_url`` refuses."""
    if not href:
        return None
    href = href.strip()
    if href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    try:
        joined = urljoin(base, href)
    except ValueError:  # « http://[::1 »: a broken IPv6 literal
        return None
    parsed = web_url(joined)
    return parsed.text if parsed else None


def host_of(url: str) -> str:
    """The lower-case host name of a URL ('' when it is not an address we accept)."""
    parsed = web_url(url)
    return parsed.host if parsed else ""
