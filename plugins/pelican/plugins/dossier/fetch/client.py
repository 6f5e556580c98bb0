"""The HTTP client: the only module that imports requests.

One ``requests.Session`` with our User-Agent and headers, connect/read timeouts,
redirects followed one hop at a time (each hop checked against the host allowlist
and the private-address rules), retries with backoff, per-host gates, and a body
size cap enforced while streaming. Everything above it takes a ``Reply``.
It is imported only when a build goes to the network: offline builds skip the
cost of loading requests.
"""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin

import requests

from ..settings import Settings
from ..urls import WebURL
from .deadline import Deadline, DeadlineAdapter
from .encoding import media_type
from .netsafety import UnsafeURL, check_url, system_resolver
from .transport import (
    PERMANENT_REDIRECTS,
    REDIRECT_STATUSES,
    Clock,
    FetchError,
    Gates,
    SystemClock,
    WaitBudget,
    backoff_delay,
    content_length,
    status_error,
)

logger = logging.getLogger(__name__)

PROJECT_URL = "https://github.com/dossier-hub/dossier-hub"
CHUNK = 64 * 1024
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")
_LASTING = re.compile(r"Name or service not known|Connection refused|Failed to resolve")


def user_agent() -> str:
    """Our User-Agent: project name, version and URL."""
    try:
        number = version("dossier-hub")
    except PackageNotFoundError:
        number = "0.1.0"
    return f"dossier-hub/{number} (+{PROJECT_URL})"


HEADERS = {
    "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5",
}


@dataclass(frozen=True)
class Reply:
    """The last hop's answer: status, headers and (maybe) the complete body."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes | None
    moved: bool = False  # every hop was a permanent redirect (301/308)


class Http:
    """A requests.Session with our limits: allowlist per hop, gates, retries, size cap."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent(), **HEADERS})
        pool = max(10, settings.host_concurrency)
        adapter = DeadlineAdapter(pool_connections=pool, pool_maxsize=pool, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.budget = WaitBudget(settings.wait_budget, self.clock)  # shared by every fetch thread
        self.gates = Gates(settings.host_concurrency, settings.host_delay, self.budget, self.clock)
        self._resolved: dict[str, list[str]] = {}

    def get(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        *,
        method: str = "GET",
        want_body: Callable[[str | None], bool] = lambda _type: True,
        cap: int | None = None,
    ) -> Reply:
        """One request with retries; a 2xx or 304 Reply, or FetchError."""
        attempt = 0
        while True:
            try:
                return self._attempt(url, dict(headers or {}), method, want_body, cap)
            except FetchError as exc:
                if not exc.retry or attempt >= self.settings.retries:
                    raise
                wait = exc.retry_after
                if wait is None:
                    wait = backoff_delay(attempt, self.settings.backoff)
                if not self.budget.grant(wait):
                    raise self.budget.refusal(wait, exc.reason, exc.http_status) from exc
                logger.info("%s: %s, retrying in %.2f s", url, exc.reason, wait)
                self.clock.sleep(wait)
                attempt += 1

    def _attempt(
        self,
        url: str,
        headers: dict[str, str],
        method: str,
        want_body: Callable[[str | None], bool],
        cap: int | None,
    ) -> Reply:
        visited = [url]
        current = url
        permanent = True
        while True:
            # One parse per hop: the host checked is the host of the string we send.
            checked = self._check(current)
            current = checked.text
            with self.gates.slot(checked.host), self._deadline() as deadline:
                response = self._send(method, current, headers, deadline)
                with response:
                    target = self._redirect_target(response, current)
                    if target is None:
                        reply = self._finish(
                            url, current, response, (method, want_body, cap), deadline
                        )
                        if deadline.expired:  # the body may have been cut short
                            raise self._too_slow()
                        return replace(reply, moved=permanent and len(visited) > 1)
                    permanent = permanent and response.status_code in PERMANENT_REDIRECTS
            if target in visited:
                raise FetchError(f"redirect loop at {target}")
            if len(visited) > self.settings.max_redirects:
                raise FetchError(f"too many redirects (more than {self.settings.max_redirects})")
            visited.append(target)
            current = target

    def _check(self, url: str) -> WebURL:
        try:
            return check_url(url, self.settings.allowed_hosts, self._resolve)
        except UnsafeURL as exc:
            raise FetchError(f"refused: {exc}") from exc

    def _resolve(self, host: str) -> list[str]:
        if host not in self._resolved:
            self._resolved[host] = system_resolver(host)
        return self._resolved[host]

    @contextmanager
    def _deadline(self) -> Iterator[Deadline]:
        """The whole-response deadline of one hop; a failure past it is reported as such."""
        with Deadline(self.settings.response_deadline) as deadline:
            try:
                yield deadline
            except FetchError as exc:
                if deadline.passed() and not exc.budget:
                    raise self._too_slow() from exc
                raise

    def _too_slow(self) -> FetchError:
        limit = self.settings.response_deadline
        # Not retried: a server this slow once is likely to be as slow again, and each
        # retry would cost another full deadline.
        return FetchError(
            f"timed out: response not complete within {limit:g} s (DOSSIER_RESPONSE_DEADLINE)"
        )

    def _send(
        self, method: str, url: str, headers: dict[str, str], deadline: Deadline
    ) -> requests.Response:
        try:
            return self.session.request(
                method,
                url,
                headers=headers,
                stream=True,
                allow_redirects=False,
                timeout=deadline.timeouts(*self.settings.timeout),
            )
        except requests.RequestException as exc:
            raise _network_error(exc) from exc

    def _redirect_target(self, response: requests.Response, url: str) -> str | None:
        if response.status_code not in REDIRECT_STATUSES:
            return None
        location = response.headers.get("Location")
        if not location:
            raise FetchError(f"HTTP {response.status_code} without Location")
        return urljoin(url, location)

    def _finish(
        self,
        url: str,
        final_url: str,
        response: requests.Response,
        wanted_body: tuple[str, Callable[[str | None], bool], int | None],
        deadline: Deadline,
    ) -> Reply:
        method, want_body, cap = wanted_body
        status = response.status_code
        if status != 304 and not 200 <= status < 300:
            retry_after = response.headers.get("Retry-After")
            raise status_error(status, retry_after, self.settings.retry_after_cap)
        body = None
        wanted = want_body(media_type(response.headers.get("Content-Type")))
        if method == "GET" and status != 304 and wanted:
            self._check_coding(response)
            body = _read_body(response, cap or self.settings.max_bytes, deadline)
        return Reply(url, final_url, status, dict(response.headers), body)

    def _check_coding(self, response: requests.Response) -> None:
        """Refuse a body in a Content-Encoding we did not ask for: urllib3 would hand us
        its bytes undecoded (zstd, say), to be stored as if they were the page."""
        asked = {c.strip() for c in self.session.headers["Accept-Encoding"].lower().split(",")}
        sent = response.headers.get("Content-Encoding", "").lower()
        unknown = [c.strip() for c in sent.split(",") if c.strip() not in asked | {"identity", ""}]
        if unknown:
            raise FetchError(f"unsupported Content-Encoding {', '.join(unknown)!r}")

    def close(self) -> None:
        """Close the session's connections."""
        self.session.close()


def _network_error(exc: requests.RequestException) -> FetchError:
    text = str(exc)
    if isinstance(exc, requests.Timeout) or "timed out" in text:
        return FetchError(f"timed out ({type(exc).__name__})", retry=True)
    if isinstance(exc, requests.ConnectionError):
        # A name that does not resolve or a port nobody listens on stays so for the few
        # seconds of a retry: retrying only makes a build without network slow.
        lasting = _lasting_failure(exc) or _LASTING.search(text) is not None
        return FetchError(f"connection failed ({_short(text)})", retry=not lasting)
    return FetchError(f"request failed ({_short(text)})")


def _lasting_failure(exc: BaseException) -> bool:
    """True when the cause under requests' and urllib3's wrappers is DNS or a refusal."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        current = todo.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, socket.gaierror | ConnectionRefusedError):
            return True
        todo += [current.__cause__, current.__context__, getattr(current, "reason", None)]
        todo += list(current.args)
    return False


def _short(text: str, limit: int = 120) -> str:
    """The OS error inside urllib3's long message ('Connection refused'), else the text."""
    match = _ERRNO.search(text)
    if match:
        return match.group(1).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _read_body(response: requests.Response, cap: int, deadline: Deadline) -> bytes:
    """Read a streamed body, refusing more than ``cap`` bytes, a short one or a late one."""
    announced = content_length(response.headers)
    if announced is None and response.headers.get("Content-Length", "").strip().isdigit():
        # More than 18 digits: more than any cap; refused at once instead of being read
        # until the server gives up.
        raise FetchError("body too large (Content-Length of more than 18 digits)")
    if announced is not None and announced > cap:
        raise FetchError(f"body too large (Content-Length {announced} > {cap} bytes)")
    chunks: list[bytes] = []
    received = 0
    try:
        for chunk in response.iter_content(CHUNK):
            received += len(chunk)
            if received > cap:
                raise FetchError(f"body too large (more than {cap} bytes)")
            if deadline.passed():
                raise FetchError("response deadline passed")  # reported by Http._deadline
            chunks.append(chunk)
    except requests.exceptions.ContentDecodingError as exc:
        coding = response.headers.get("Content-Encoding")
        raise FetchError(f"body does not decode as its Content-Encoding {coding!r}") from exc
    except requests.RequestException as exc:
        error = _network_error(exc)
        if "timed out" in error.reason:
            raise error from exc
        raise FetchError(f"truncated body ({received} bytes received)", retry=True) from exc
    plain = "Content-Encoding" not in response.headers
    if plain and announced is not None and received < announced:
        raise FetchError(f"truncated body ({received} of {announced} bytes)", retry=True)
    return b"".join(chunks)
