"""A scripted HTTP server on 127.0.0.1 for the fetch tests, and their shared settings.

Each path has a list of ``Reply``; every request takes the next one and the last
one repeats. The server records every request (method, path, headers, time),
counts the body bytes it sends, and tracks how many requests were in flight at
once. A path with no script answers 404 (so robots.txt is "missing" unless given).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from pelican.plugins.dossier.settings import Settings, read_settings

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "fetch"
HTML = "text/html; charset=utf-8"


def fixture(name: str) -> bytes:
    """The bytes of a file in tests/fixtures/fetch."""
    return (FIXTURES / name).read_bytes()


@dataclass(frozen=True)
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = HTML
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0  # seconds before answering
    length: int | None = None  # Content-Length to announce (default: the real length)
    chunked: bool = False  # send with Transfer-Encoding: chunked, no Content-Length
    etag: str | None = None  # answer 304 when If-None-Match matches


def page(name: str, etag: str | None = None, **kwargs: object) -> Reply:
    """A 200 reply carrying a fixture file."""
    return Reply(body=fixture(name), etag=etag, **kwargs)  # type: ignore[arg-type]


def redirect(location: str, status: int = 302) -> Reply:
    """A redirect reply."""
    return Reply(status=status, content_type=None, headers=(("Location", location),))


@dataclass
class Seen:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class Script:
    """The routes and everything the server observed."""

    routes: dict[str, list[Reply]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    body_bytes: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    def route(self, path: str, *replies: Reply) -> str:
        """Script a path; returns its absolute URL."""
        self.routes[path] = list(replies)
        return self.base + path

    def next_reply(self, path: str) -> Reply | None:
        with self.lock:
            replies = self.routes.get(path)
            if not replies:
                return None
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def paths(self, method: str = "GET") -> list[str]:
        """Paths requested with a method, in order."""
        return [s.path for s in self.seen if s.method == method]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    script: Script

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            self.close_connection = True  # the client hung up (timeouts, refused bodies)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default stderr log."""

    def _answer(self, send_body: bool) -> None:
        script = self.script
        path = urlsplit(self.path).path
        with script.lock:
            script.seen.append(Seen(self.command, path, dict(self.headers), time.monotonic()))
            script.in_flight += 1
            script.max_in_flight = max(script.max_in_flight, script.in_flight)
        try:
            reply = script.next_reply(path) or Reply(status=404, body=b"introuvable")
            time.sleep(reply.delay)
            self._send(reply, send_body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            with script.lock:
                script.in_flight -= 1

    def _send(self, reply: Reply, send_body: bool) -> None:
        if reply.etag and self.headers.get("If-None-Match") == reply.etag:
            self.send_response(304)
            self.send_header("ETag", reply.etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(reply.status)
        for name, value in self._headers(reply):
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self._write(reply)
        if reply.length is not None and reply.length > len(reply.body):
            self.close_connection = True  # the client sees the body end early

    def _headers(self, reply: Reply) -> list[tuple[str, str]]:
        headers = list(reply.headers)
        if reply.content_type:
            headers.append(("Content-Type", reply.content_type))
        if reply.etag:
            headers.append(("ETag", reply.etag))
        if reply.chunked:
            headers.append(("Transfer-Encoding", "chunked"))
        else:
            length = len(reply.body) if reply.length is None else reply.length
            headers.append(("Content-Length", str(length)))
        return headers

    def _write(self, reply: Reply) -> None:
        if not reply.chunked:
            self.wfile.write(reply.body)
        else:
            for start in range(0, len(reply.body), 1024):
                chunk = reply.body[start : start + 1024]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        with self.script.lock:
            self.script.body_bytes += len(reply.body)


@contextmanager
def serve() -> Iterator[Script]:
    """Run a scripted server on 127.0.0.1 for the duration of the block."""
    script = Script()
    handler = type("ScriptedHandler", (Handler,), {"script": script})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    script.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield script
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# For the fetch tests: a good page, and the settings they run with.

GOOD = fixture("article.html").decode("utf-8")
MAX_BYTES = 4000


def has_article(text: str, url: str, previous: str | None = None) -> str | None:
    """Stand-in for the clean stage's check: the page holds an <article>."""
    return None if "<article>" in text else "no extractable article"


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values = {
        "DOSSIER_ALLOWED_HOSTS": ["127.0.0.1"],
        "DOSSIER_CACHE_PATH": str(tmp_path / "cache"),
        "DOSSIER_TIMEOUT": (1.0, 0.25),
        "DOSSIER_RETRIES": 2,
        "DOSSIER_BACKOFF": 0.01,
        "DOSSIER_MAX_BYTES": MAX_BYTES,
        "DOSSIER_PROGRESS": False,
        **{f"DOSSIER_{k.upper()}": v for k, v in overrides.items()},
    }
    return read_settings(values, base=tmp_path)
