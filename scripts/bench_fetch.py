"""Benchmark the fetch stage against a slow local server.

A server on 127.0.0.1 adds 200 ms of latency to every response and serves a
generated 16-article dossier (with ETags, answering 304 to If-None-Match). The
script times a cold ``iter_pages`` (what the pipeline calls) of the 16 articles
(goal: under 1.5 s), then a warm rebuild, which must send only conditional
requests and receive 0 body bytes (counted on the server side).

    .venv/bin/python scripts/bench_fetch.py [--latency 0.2] [--articles 16]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from pelican.plugins.dossier.fetch.fetcher import Fetcher  # noqa: E402
from pelican.plugins.dossier.settings import read_settings  # noqa: E402

GOAL = 1.5


def article(number: int) -> bytes:
    """A small French article page."""
    paragraphs = "".join(
        f"<p>Paragraphe {p} : la commune n°{number} partage ses données de mobilité, "
        "d’énergie et d’éclairage avec ses voisines.</p>"
        for p in range(1, 9)
    )
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>Territoire intelligent n°{number}</title></head><body><main><article>"
        f"<h1>Territoire intelligent n°{number}</h1>{paragraphs}</article></main></body></html>"
    ).encode()


class Site:
    """The pages, and what the server counted."""

    def __init__(self, articles: int, latency: float) -> None:
        self.latency = latency
        self.pages = {f"/actualites/article-{n}": article(n) for n in range(1, articles + 1)}
        self.pages["/robots.txt"] = b"User-agent: *\nDisallow: /admin/\n"
        self.lock = threading.Lock()
        self.body_bytes = 0
        self.statuses: Counter[int] = Counter()
        self.conditional = 0

    def reset(self) -> None:
        with self.lock:
            self.body_bytes, self.conditional = 0, 0
            self.statuses.clear()


def handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            time.sleep(site.latency)
            body = site.pages.get(self.path)
            if body is None:
                self._reply(404, b"", None)
                return
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            asked = self.headers.get("If-None-Match")
            with site.lock:
                site.conditional += asked is not None
            if asked == etag:
                self._reply(304, b"", etag)
            else:
                self._reply(200, body, etag)

        def _reply(self, status: int, body: bytes, etag: str | None) -> None:
            self.send_response(status)
            kind = "text/plain" if self.path.endswith(".txt") else "text/html; charset=utf-8"
            self.send_header("Content-Type", kind)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            with site.lock:
                site.body_bytes += len(body)
                site.statuses[status] += 1

        def log_message(self, format: str, *args: object) -> None:
            """Keep the benchmark output clean."""

    return Handler


def _has_article(text: str, url: str, previous: str | None) -> str | None:
    return None if "<article>" in text else "no article"


def run(fetcher_settings: object, urls: list[str]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    with Fetcher(fetcher_settings, validate=_has_article) as fetcher:
        results = list(fetcher.iter_pages(urls))
    return time.perf_counter() - start, [r.status for r in results]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--articles", type=int, default=16)
    args = parser.parse_args()
    site = Site(args.articles, args.latency)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls = [base + path for path in site.pages if path.startswith("/actualites/")]
    with tempfile.TemporaryDirectory() as cache:
        settings = read_settings(
            {
                "DOSSIER_ALLOWED_HOSTS": ["127.0.0.1"],
                "DOSSIER_CACHE_PATH": cache,
                "DOSSIER_PROGRESS": False,
            },
            base=Path(cache),
        )
        cold, cold_status = run(settings, urls)
        cold_bytes, cold_codes = site.body_bytes, dict(site.statuses)
        site.reset()
        warm, warm_status = run(settings, urls)
    server.shutdown()
    verdict = "under" if cold < GOAL else "OVER"
    print(
        f"latency per response: {args.latency * 1000:.0f} ms, articles: {len(urls)}, "
        f"host concurrency: {settings.host_concurrency}"
    )
    print(
        f"cold fetch: {cold:.3f} s wall ({verdict} the {GOAL} s goal), "
        f"{dict(Counter(cold_status))}, HTTP {cold_codes}, {cold_bytes} body bytes sent"
    )
    print(
        f"warm rebuild: {warm:.3f} s wall, {dict(Counter(warm_status))}, "
        f"HTTP {dict(site.statuses)}, {site.conditional} conditional requests, "
        f"{site.body_bytes} body bytes sent"
    )
    ok = cold < GOAL and site.body_bytes == 0 and set(warm_status) == {"not-modified"}
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
