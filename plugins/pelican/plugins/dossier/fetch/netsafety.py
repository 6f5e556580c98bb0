"""Which URLs the fetcher may request: scheme, host allowlist and address ranges.

Pure checks, no HTTP. Every request and every redirect hop goes through
``check_url``, which reads the address with the one strict parse of urls.py and
returns it: the client connects to that parse's rebuilt text, never to the string it
was given. A refusal is an ``UnsafeURL`` whose message is the reason reported for
the source.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable, Iterable

from ..urls import BadURL, WebURL, parse_web_url, web_url

logger = logging.getLogger(__name__)

Resolver = Callable[[str], Iterable[str]]


class UnsafeURL(ValueError):
    """The URL may not be requested; the message says why."""


def is_allowed(url: str, allowed_hosts: Iterable[str]) -> bool:
    """True for an http(s) URL that parses strictly and whose host is in the allowlist."""
    parsed = web_url(url)
    return parsed is not None and parsed.host in set(allowed_hosts)


def check_allowed(url: str, allowed_hosts: Iterable[str]) -> WebURL:
    """The one parse of ``url``; UnsafeURL unless it is strict http(s) on an allowed host."""
    try:
        parsed = parse_web_url(url)
    except BadURL as exc:
        raise UnsafeURL(str(exc)) from exc
    if parsed.host not in set(allowed_hosts):
        raise UnsafeURL(f"host {parsed.host!r} is not in DOSSIER_ALLOWED_HOSTS")
    return parsed


def system_resolver(host: str) -> list[str]:
    """Every address the system resolver gives for a host (empty when it cannot resolve)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        logger.debug("cannot resolve %s: %s", host, exc)
        return []
    return sorted({str(info[4][0]) for info in infos})


def is_public(address: str) -> bool:
    """False for private, loopback, link-local, reserved, multicast or unspecified addresses."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def check_address(host: str, allowed_hosts: Iterable[str], resolve: Resolver) -> None:
    """Raise UnsafeURL when the host has a non-public address that is not itself allowed.

    An allowed *name* does not vouch for where DNS points it: a name resolving to
    a private or loopback address passes only when that address is listed too
    (tests list "127.0.0.1" and request it by that literal).
    """
    allowed = set(allowed_hosts)
    addresses = _addresses(host, resolve)
    for address in addresses:
        if not is_public(address) and address not in allowed:
            raise UnsafeURL(f"host {host!r} resolves to non-public address {address}")


def _addresses(host: str, resolve: Resolver) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        return list(resolve(host))


def check_url(url: str, allowed_hosts: Iterable[str], resolve: Resolver) -> WebURL:
    """Every check for one request (parse, scheme, host allowlist, then addresses); the
    parse it returns is what the client must connect to (``WebURL.text``)."""
    allowed = tuple(allowed_hosts)
    parsed = check_allowed(url, allowed)
    check_address(parsed.host, allowed, resolve)
    return parsed
