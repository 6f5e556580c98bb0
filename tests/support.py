"""What the tests share: the project's paths, one settings factory and one site build.

In the spirit of Pelican's own ``tests/support.py``: a test asks for settings or a build
with only the overrides it is about, and everything else is the project's pelicanconf.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from mirror import SITE_ROOT
from pelican import Pelican
from pelican.plugins.dossier import pipeline
from pelican.plugins.dossier.clean.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from pelican.plugins.dossier.publish.typo import NBSP, typo_fr
from pelican.plugins.dossier.settings import Settings
from pelican.plugins.dossier.settings import read_settings as dossier_settings
from pelican.settings import read_settings

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
PELICAN = ROOT / ".venv" / "bin" / "pelican"
SITEURL = "http://127.0.0.1:9"  # nothing listens there: a link that leaks is a dead link
START_PATH = "/fr/node/4279"  # the start page of the sample mirror
# What the sample mirror holds: its start path, articles, counts (tests/fixtures/site/).
EXPECTED = tomllib.loads((SITE_ROOT / "expected.toml").read_text(encoding="utf-8"))


def get_settings(output: Path, cache: Path, start_url: str | None = None, **overrides: Any) -> dict:
    """The site's Pelican settings, writing to ``output`` with the dossier cache in ``cache``.

    ``start_url`` points the plugin at a mirror (its host, 127.0.0.1, is then allowed).
    """
    override: dict[str, Any] = {
        "OUTPUT_PATH": str(output),
        "DOSSIER_CACHE_PATH": str(cache),
        "DOSSIER_PROGRESS": False,
        "SITEURL": SITEURL,
        "RELATIVE_URLS": False,  # absolute links everywhere: the strictest to check
    }
    if start_url is not None:
        override |= {"DOSSIER_START_URL": start_url, "DOSSIER_ALLOWED_HOSTS": ["127.0.0.1"]}
    return read_settings(str(ROOT / "pelicanconf.py"), override=override | overrides)


def shows(page: str, phrase: str) -> bool:
    """True when the HTML ``page`` shows ``phrase`` as the site prints French text: with
    its no-break spaces (« 30 % »), which the page may write as ``&nbsp;``."""
    return typo_fr(phrase) in page.replace("&nbsp;", NBSP)


def build_site(output: Path, cache: Path, start_url: str | None = None, **overrides: Any) -> Path:
    """Run Pelican in-process with ``get_settings``; return the output folder."""
    Pelican(get_settings(output, cache, start_url, **overrides)).run()
    return output


def pelican_cli(
    output: Path, *args: str, settings: str = "pelicanconf.py", timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """The ``pelican`` command on the project's content, as a user runs it; never raises."""
    command = [str(PELICAN), "content", "-s", settings, "-o", str(output), *args]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def get_dossier_settings(cache: Path, start_url: str | None = None, **raw: Any) -> Settings:
    """The plugin's validated settings, paths relative to the project."""
    values: dict[str, Any] = {"DOSSIER_CACHE_PATH": str(cache), "DOSSIER_PROGRESS": False}
    if start_url is not None:
        values |= {"DOSSIER_START_URL": start_url, "DOSSIER_ALLOWED_HOSTS": ["127.0.0.1"]}
    return dossier_settings(values | raw, base=ROOT)


def build_dossier(cache: Path, start_url: str, **raw: Any) -> pipeline.DossierResult:
    """Run the pipeline alone (no Pelican) against a mirror."""
    return pipeline.build_dossier(
        pipeline.load_config(get_dossier_settings(cache, start_url, **raw))
    )


# What the sanitiser must never let through (the XSS and property tests share it).

WRAPPERS = {"html", "body"}
SCHEMES = {"http", "https", "mailto"}


def _scheme_ok(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in SCHEMES


def problems(fragment: str) -> list[str]:
    """Everything in ``fragment`` that the allowlist should have removed."""
    found = []
    if "<script" in fragment.lower():
        found.append("literal <script")
    parser = etree.HTMLParser()
    root = etree.fromstring(f"<html><body>{fragment}</body></html>", parser)
    for el in root.iter():
        if not isinstance(el.tag, str):
            found.append(f"non-element node {el!r}")
            continue
        if el.tag not in ALLOWED_TAGS and el.tag not in WRAPPERS:
            found.append(f"tag {el.tag}")
        found += _attribute_problems(el)
    return found


def _attribute_problems(el: etree._Element) -> list[str]:
    found = []
    allowed = ALLOWED_ATTRIBUTES.get(el.tag, set()) | ({"rel"} if el.tag == "a" else set())
    allowed |= ALLOWED_ATTRIBUTES.get("*", set())
    for name, value in el.attrib.items():
        if name not in allowed:
            found.append(f"attribute {el.tag}@{name}")
        elif name in ("href", "src") and not _scheme_ok(value):
            found.append(f"url {el.tag}@{name}={value!r}")
        elif name == "srcset":
            urls = [c.split()[0] for c in value.split(",") if c.split()]
            if not all(_scheme_ok(u) and not u.lower().startswith("mailto:") for u in urls):
                found.append(f"srcset {value!r}")
        elif name == "rel" and value != "noopener noreferrer":
            found.append(f"rel {value!r}")
    return found


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.debug(format, *args)


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 from a background thread; yield its base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()


# A real web server in its own process, as a site is served once published.


@contextmanager
def http_server(directory: Path) -> Iterator[str]:
    """``python -m http.server`` on 127.0.0.1 (a port of its choosing) in a subprocess."""
    command = [sys.executable, "-u", "-m", "http.server", "--bind", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--directory", str(directory), "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()  # "Serving HTTP on 127.0.0.1 port 41234 (...) ..."
        assert " port " in line, f"http.server did not start: {line!r}"
        yield f"http://127.0.0.1:{line.split(' port ', 1)[1].split()[0]}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


FRAGMENT_MAGIC = b"pagefind_dcd"


def fragments(index: Path) -> list[dict[str, Any]]:
    """Every page record of a Pagefind index (gzip-compressed JSON after a magic prefix)."""
    records = []
    for path in sorted((index / "fragment").iterdir()):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(FRAGMENT_MAGIC)
        records.append(json.loads(raw[len(FRAGMENT_MAGIC) :]))
    return sorted(records, key=lambda r: r["url"])
