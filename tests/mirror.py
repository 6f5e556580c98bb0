"""A local HTTP mirror of the sample dossier site, for tests, benchmarks and ``make demo``.

URL ``/a/b`` serves ``<root>/a/b.html``; ``/a/b?page=2`` serves ``<root>/a/b@page=2.html``
(other query keys such as ``utm_*`` are ignored, ``page=0`` is the first page); a path
whose last segment has a known extension is served as-is. ``<root>/_routes.toml`` declares
redirects, per-path headers, error statuses (``status = 410`` without ``redirect``) and
bodies generated at start-up (the plaquette's PDF, made by ``pdfmaker`` from a TOML
description of its pages; article images, drawn by ``imagemaker``). Every 200 carries an
``ETag`` and a ``Last-Modified`` and conditional requests get a 304, like a real server.
Nothing is logged.
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import logging
import socket
import sys
import threading
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType, TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

import imagemaker
import pdfmaker

logger = logging.getLogger(__name__)

SITE_ROOT = Path(__file__).resolve().parent / "fixtures" / "site"
DEFAULT_LAST_MODIFIED = "Mon, 02 Jun 2025 08:00:00 GMT"
HTML_TYPE = "text/html; charset=utf-8"
MEDIA_TYPES = MappingProxyType(
    {
        ".html": HTML_TYPE,
        ".txt": "text/plain; charset=utf-8",
        ".xml": "application/xml",
        ".json": "application/json",
        ".css": "text/css; charset=utf-8",
        ".pdf": "application/pdf",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".gif": "image/gif",
        ".svg": "image/svg+xml",
    }
)
NOT_FOUND_BODY = (
    b'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>Page introuvable'
    b"</title></head><body><h1>Page introuvable</h1><p>La page demand\xc3\xa9e n'existe pas."
    b"</p></body></html>\n"
)


@dataclass(frozen=True)
class Route:
    """What ``_routes.toml`` says about one URL path."""

    redirect: str | None = None
    status: int = 301
    headers: tuple[tuple[str, str], ...] = ()
    last_modified: str | None = None
    generated: str | None = None  # a PDF description under the root, made into the body
    image: tuple[tuple[str, object], ...] = ()  # a picture drawn at start-up (imagemaker)


@dataclass
class Stats:
    """Thread-safe counters of what the mirror served."""

    requests: int = 0
    body_bytes: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    paths: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, path: str, status: int, body_bytes: int) -> None:
        """Count one response."""
        with self._lock:
            self.requests += 1
            self.body_bytes += body_bytes
            self.statuses[status] += 1
            self.paths.append(path)

    def reset(self) -> None:
        """Set every counter back to zero."""
        with self._lock:
            self.requests = 0
            self.body_bytes = 0
            self.statuses.clear()
            self.paths.clear()


@dataclass(frozen=True)
class Response:
    """A response about to be written."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""


def load_routes(root: Path) -> dict[str, Route]:
    """Read ``<root>/_routes.toml`` (a ``[routes."/path"]`` table per path), if any."""
    path = root / "_routes.toml"
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    routes = {}
    for url_path, spec in data.get("routes", {}).items():
        headers = tuple((str(k), str(v)) for k, v in spec.get("headers", {}).items())
        routes[url_path] = Route(
            redirect=spec.get("redirect"),
            status=int(spec.get("status", 301)),
            headers=headers,
            last_modified=spec.get("last_modified"),
            generated=spec.get("generated"),
            image=tuple(sorted(spec.get("image", {}).items())),
        )
    return routes


def resolve_file(root: Path, url_path: str, query: str) -> Path | None:
    """Map a URL path and query to a file under ``root``, or None when there is none."""
    segments = [s for s in unquote(url_path).split("/") if s]
    if any(s.startswith((".", "_")) for s in segments):
        return None  # hidden files, routes and generator sources are not part of the site
    if not segments:
        candidate = root / "index.html"
    elif Path(segments[-1]).suffix.lower() in MEDIA_TYPES:
        candidate = root.joinpath(*segments)
    else:
        page = parse_qs(query).get("page", ["0"])[0]
        if not page.isdigit():
            return None
        suffix = "" if page == "0" else f"@page={page}"
        candidate = root.joinpath(*segments[:-1], f"{segments[-1]}{suffix}.html")
    return candidate if candidate.is_file() else None


def media_type(path: Path) -> str:
    """The default Content-Type of a served file."""
    return MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")


def is_not_modified(request_headers: dict[str, str], etag: str, last_modified: str) -> bool:
    """Whether conditional request headers match the current representation."""
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = request_headers.get("if-modified-since")
    if if_modified_since is None:
        return False
    try:
        since = email.utils.parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:  # "-0000" parses to a naive datetime
        since = since.replace(tzinfo=UTC)
    return email.utils.parsedate_to_datetime(last_modified) <= since


class Mirror:
    """The request-independent part: routes, files and stats."""

    def __init__(self, root: Path, latency: float) -> None:
        self.root = root
        self.latency = latency
        self.routes = load_routes(root)
        self.stats = Stats()
        self.generated = {
            path: pdfmaker.from_toml(root / route.generated)
            for path, route in self.routes.items()
            if route.generated
        }
        self.generated.update(
            (path, imagemaker.make(path, dict(route.image)))
            for path, route in self.routes.items()
            if route.image
        )

    def respond(self, target: str, request_headers: dict[str, str]) -> Response:
        """Build the response for a GET or HEAD on ``target`` (path and query)."""
        parts = urlsplit(target)
        route = self.routes.get(parts.path) or self.routes.get(parts.path.rstrip("/")) or Route()
        if route.redirect is not None:
            return _redirect(route)
        if route.status >= 400:  # a page the site no longer serves (404, 410)
            return Response(route.status, (("Content-Type", HTML_TYPE),), NOT_FOUND_BODY)
        found = self.body(parts.path, parts.query)
        if found is None:
            return Response(404, (("Content-Type", HTML_TYPE),), NOT_FOUND_BODY)
        body, content_type = found
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        last_modified = route.last_modified or DEFAULT_LAST_MODIFIED
        validators = (("ETag", etag), ("Last-Modified", last_modified))
        if is_not_modified(request_headers, etag, last_modified):
            return Response(304, validators)
        headers = dict((("Content-Type", content_type), *route.headers))
        return Response(200, (*headers.items(), *validators), body)

    def body(self, path: str, query: str = "") -> tuple[bytes, str] | None:
        """The bytes served at a path and their default type: generated, or from a file."""
        if path in self.generated:
            return self.generated[path], media_type(Path(path))
        file = resolve_file(self.root, path, query)
        return (file.read_bytes(), media_type(file)) if file is not None else None


def _redirect(route: Route) -> Response:
    location = route.redirect or "/"
    body = f'<!DOCTYPE html>\n<p>Déplacé vers <a href="{location}">{location}</a></p>\n'
    headers = (("Location", location), ("Content-Type", HTML_TYPE), *route.headers)
    return Response(route.status, headers, body.encode("utf-8"))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MirrorServer/1.0"
    # Headers and body go out in two sends: without this, Nagle waits for the client's
    # delayed ACK and every response costs ~40 ms.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        mirror = self.server.mirror
        if mirror.latency > 0:
            time.sleep(mirror.latency)
        headers = {k.lower(): v for k, v in self.headers.items()}
        response = mirror.respond(self.path, headers)
        body = response.body if send_body else b""
        # Count before replying, so a client that has its reply also sees it counted.
        mirror.stats.record(self.path, response.status, len(body))
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.status != 304:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: tests and the demo read stdout/stderr."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], mirror: Mirror, handler: type[_Handler] | None = None
    ) -> None:
        self.mirror = mirror
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, handler or _Handler)

    def process_request(self, request: socket.socket, client_address: tuple[str, int]) -> None:
        """Track the connection so that stopping the mirror also ends kept-alive ones."""
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:
        """Forget a finished connection."""
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End every open connection: a stopped mirror must look unreachable."""
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                logger.debug("mirror: connection already closed")

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """Log client disconnects at debug level instead of printing a traceback."""
        logger.debug("mirror: error while serving %s", client_address, exc_info=True)


class MirrorServer:
    """Serve a mirror root on 127.0.0.1 in a background thread (a context manager)."""

    def __init__(
        self,
        root: Path = SITE_ROOT,
        latency: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
        handler: type[_Handler] | None = None,
    ) -> None:
        self.mirror = Mirror(root, latency)
        self._httpd = _Server((host, port), self.mirror, handler)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``, without a trailing slash."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def stats(self) -> Stats:
        """Counters of the responses served so far."""
        return self.mirror.stats

    def url(self, path: str) -> str:
        """The absolute URL of a root-relative path."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def reset_stats(self) -> None:
        """Zero the counters (between a cold and a warm build, say)."""
        self.mirror.stats.reset()

    def start(self) -> MirrorServer:
        """Start serving in a daemon thread."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the current thread until interrupted, then release the port."""
        try:
            self._httpd.serve_forever()
        except KeyboardInterrupt:
            logger.debug("mirror: interrupted")
        finally:
            self._httpd.server_close()

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd.close_connections()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """Serve the mirror until interrupted; print the base URL first."""
    parser = argparse.ArgumentParser(description="Serve the sample dossier mirror locally.")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each reply")
    parser.add_argument("--root", type=Path, default=SITE_ROOT, help="folder to serve")
    args = parser.parse_args(argv)
    server = MirrorServer(args.root, args.latency, port=args.port)
    print(server.base_url, flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
