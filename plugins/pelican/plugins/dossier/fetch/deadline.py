"""A total deadline for one HTTP response, however slowly its bytes trickle in.

A read timeout only bounds the silence between two bytes: a server sending one byte a
second never trips it, in the status line, the headers or the body. So each response
gets a ``Deadline``: a timer that, when the time is up, shuts the response's socket
down. The blocked read then returns at once, whatever it was waiting for, and the
client reports the response as too slow.

The connection classes below tell the deadline of the calling thread which connection
carries its request; ``DeadlineAdapter`` makes requests use them. Only ``client``
imports this module (it needs urllib3, like requests itself).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current = threading.local()  # the Deadline of the request this thread is making


class Deadline:
    """``seconds`` from now, after which the watched connections are cut."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False  # the timer fired: what was read may be cut short
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        """Seconds left (0 when past)."""
        return max(0.0, self.ends - time.monotonic())

    def passed(self) -> bool:
        """True once the deadline is reached, whether or not the timer has fired yet."""
        return self.expired or time.monotonic() >= self.ends

    def timeouts(self, connect: float, read: float) -> tuple[float, float]:
        """Socket timeouts no longer than the time left."""
        left = max(0.001, self.remaining())
        return min(connect, left), min(read, left)

    def watch(self, sock: socket.socket) -> None:
        """Cut this socket when the deadline passes (at once if it has)."""
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _cut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _cut(sock)

    def __enter__(self) -> Deadline:
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._timer.cancel()
        _current.deadline = None


def _cut(sock: socket.socket) -> None:
    """Shut a socket down: a read blocked on it returns at once.

    shutdown() and not close(): the reading thread still owns the file descriptor, and
    closing it under that thread could let a new socket reuse the number.
    """
    with contextlib.suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watched:
    """A urllib3 connection that puts its socket under the calling thread's deadline.

    The socket itself is watched, not the connection: http.client lets go of the
    connection's socket once a response that ends at close has its headers, while the
    body is still read from it.
    """

    sock: socket.socket | None

    def _watch(self) -> None:
        deadline = getattr(_current, "deadline", None)
        if deadline is not None and self.sock is not None:
            deadline.watch(self.sock)

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self._watch()

    def request(self, *args: Any, **kwargs: Any) -> None:
        self._watch()  # a pooled connection is reused without connect()
        super().request(*args, **kwargs)  # type: ignore[misc]


class WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter, with connections that a ``Deadline`` can cut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": WatchedHTTPPool,
            "https": WatchedHTTPSPool,
        }
