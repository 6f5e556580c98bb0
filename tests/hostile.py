"""Harness for the hostile-source tests: a sample mirror with attacks, a build in a
subprocess with a deadline, and a scan of everything published for executable content.

The server serves the project's own sample mirror (tests/fixtures/site/) except for the
paths an attack takes over. The build runs as `pelican` would for a user, in a child
process whose network guard (tests/guard/sitecustomize.py) refuses any address outside
127.0.0.0/8 before our code runs, so that its exit code and its duration can be asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path
from typing import Any

from lxml import etree, html
from mirror import SITE_ROOT, MirrorServer, _Handler

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
EXPECTED = tomllib.loads((SITE_ROOT / "expected.toml").read_text(encoding="utf-8"))
SITEURL = "http://127.0.0.1:9"

# A responder takes over one request: it writes status, headers and body itself.
Responder = Callable[[_Handler], None]


class _HostileHandler(_Handler):
    def _serve(self, send_body: bool) -> None:
        path = self.path.split("?", 1)[0]
        responder = self.server.overrides.get(self.path) or self.server.overrides.get(path)  # type: ignore[attr-defined]
        self.server.seen.append(self.path)  # type: ignore[attr-defined]
        if responder is None:
            super()._serve(send_body)
        else:
            responder(self)


class HostileServer(MirrorServer):
    """The sample mirror, with some paths answered by attack responders."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__(host=host, handler=_HostileHandler)
        self._httpd.overrides = {}  # type: ignore[attr-defined]
        self._httpd.seen = []  # type: ignore[attr-defined]

    @property
    def seen(self) -> list[str]:
        """Every request target received, in order."""
        return self._httpd.seen  # type: ignore[attr-defined]

    def override(self, path: str, responder: Responder) -> None:
        """Answer ``path`` (with or without its query) with ``responder`` from now on."""
        self._httpd.overrides[path] = responder  # type: ignore[attr-defined]

    def restore(self, path: str) -> None:
        """Serve ``path`` from the sample mirror again."""
        self._httpd.overrides.pop(path, None)  # type: ignore[attr-defined]

    def page(self, path: str) -> bytes:
        """The sample mirror's bytes for a page path."""
        return (SITE_ROOT / (path.strip("/") + ".html")).read_bytes()


def respond(
    status: int = 200, body: bytes = b"", headers: dict[str, str] | None = None
) -> Responder:
    """A responder that sends one complete response."""

    def send(handler: _Handler) -> None:
        handler.send_response(status)
        merged = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        for name, value in merged.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)

    return send


def drip(chunk: bytes, every: float, total: float = 600.0) -> Responder:
    """A responder that sends ``chunk`` every ``every`` seconds, for ``total`` seconds at most."""

    def send(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.end_headers()
        deadline = time.monotonic() + total
        try:
            while time.monotonic() < deadline:
                handler.wfile.write(chunk)
                handler.wfile.flush()
                time.sleep(every)
        except OSError:
            return  # the client gave up, as it should

    return send


@dataclass
class BuildRun:
    """What a build subprocess did."""

    returncode: int
    seconds: float
    output: Path
    log: str

    @property
    def data(self) -> dict[str, Any]:
        """The dossier.json it wrote."""
        return json.loads((self.output / "dossier.json").read_text(encoding="utf-8"))


def guarded_env() -> dict[str, str]:
    """The environment of a child Python process whose network guard is on from the start."""
    paths = os.pathsep.join([str(TESTS / "guard"), str(TESTS)])
    # COLUMNS: the log's messages on one line each, so that tests can read them whole.
    return {**os.environ, "PYTHONPATH": paths, "COLUMNS": "1000"}


def run_build(
    output: Path,
    cache: Path,
    start_url: str,
    *,
    timeout: float = 120.0,
    allowed: tuple[str, ...] = ("127.0.0.1",),
    siteurl: str = SITEURL,
    prefix: tuple[str, ...] = (),
    **settings: Any,
) -> BuildRun:
    """Build the site with `pelican` in a child process, as a user would; kill it at ``timeout``.

    ``prefix``: a command the build runs under (say, one that mounts the cache read-only).
    """
    overrides = {
        "DOSSIER_START_URL": start_url,
        "DOSSIER_ALLOWED_HOSTS": list(allowed),
        "DOSSIER_CACHE_PATH": str(cache),
        "DOSSIER_PROGRESS": False,
        "DOSSIER_SEARCH": False,
        "SITEURL": siteurl,
        "RELATIVE_URLS": False,  # absolute links everywhere: the strictest to check
        **{f"DOSSIER_{k.upper()}": v for k, v in settings.items()},
    }
    pairs = [f"{k}={json.dumps(v)}" for k, v in overrides.items()]
    command = [*prefix, sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py"]
    command += ["-o", str(output), "-e", *pairs]
    started = time.monotonic()
    done = subprocess.run(
        command,
        cwd=ROOT,
        env=guarded_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.monotonic() - started
    return BuildRun(done.returncode, seconds, output, done.stdout + done.stderr)


def good_build(server: HostileServer, where: Path) -> BuildRun:
    """A build of the untouched sample mirror into ``where``: it succeeds and publishes
    every article, so its cache (``where / "cache"``) holds the good copy of every page."""
    run = run_build(where / "out", where / "cache", server.url(EXPECTED["start_path"]))
    assert run.returncode == 0, run.log
    assert len(run.data["articles"]) == EXPECTED["announced"]
    return run


# --- what "nothing executable" means, checked on every file we publish --------------------

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "cite", "background", "data")
URL_ATTRIBUTES += ("xlink:href", "longdesc", "usemap", "manifest", "ping", "icon", "codebase")
FORBIDDEN_TAGS = ("iframe", "object", "embed", "base", "frame", "frameset", "applet")
SAFE_SCHEMES = ("http:", "https:", "mailto:")
EXECUTABLE_SCHEMES = ("javascript:", "vbscript:", "data:")
# The theme's own elements that the generic rules would otherwise flag.
THEME_FAVICON = "data:,"


def _scheme(url: str) -> str:
    compact = "".join(ch for ch in url if ch > " ").lower()
    head = compact.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return head[: head.index(":") + 1] if ":" in head else ""


def _url_problem(url: str) -> str | None:
    scheme = _scheme(url)
    if scheme and scheme not in SAFE_SCHEMES:
        return f"URL with scheme {scheme!r}: {url[:80]!r}"
    return None


def _srcset_urls(value: str) -> Iterator[str]:
    for candidate in value.split(","):
        words = candidate.split()
        if words:
            yield words[0]


def _element_problems(element: Any, siteurl: str) -> Iterator[str]:
    tag = element.tag if isinstance(element.tag, str) else ""
    tag = tag.rsplit("}", 1)[-1].lower()
    yield from _tag_problem(element, tag, siteurl)
    for name, value in element.attrib.items():
        local = name.rsplit("}", 1)[-1].lower()
        if local.startswith("on"):
            yield f"<{tag} {local}=…> event handler"
        if local in ("srcset", "imagesrcset"):
            yield from filter(None, map(_url_problem, _srcset_urls(value)))
        elif local in URL_ATTRIBUTES and not (tag == "link" and value == THEME_FAVICON):
            problem = _url_problem(value)
            if problem:
                yield f"<{tag} {local}>: {problem}"


def _tag_problem(element: Any, tag: str, siteurl: str) -> Iterator[str]:
    if tag == "script":
        src = element.get("src") or ""
        if not src.startswith(f"{siteurl}/theme/") or (element.text or "").strip():
            yield f"<script> not from the theme: src={src[:80]!r}"
    elif tag == "meta":
        yield from _meta_problem(element, siteurl)
    elif tag in FORBIDDEN_TAGS:
        yield f"<{tag}> element"
    elif tag == "form" and element.get("id") != "recherche":
        yield "<form> element that is not the theme's search form"


def _meta_problem(element: Any, siteurl: str) -> Iterator[str]:
    equiv = (element.get("http-equiv") or "").lower()
    if equiv == "refresh":
        yield "<meta http-equiv=refresh>"
    if equiv == "content-security-policy":
        yield from csp_problems(element.get("content") or "", siteurl)


def csp_problems(policy: str, siteurl: str) -> Iterator[str]:
    """A CSP whose script-src allows more than our own files, or with markup in it."""
    if any(ch in policy for ch in '<>"\n'):
        yield f"CSP holds markup: {policy[:120]!r}"
    directives = [d.split() for d in policy.split(";") if d.split()]
    scripts = [d[1:] for d in directives if d[0].lower() == "script-src"]
    if len(scripts) != 1:
        yield f"CSP with {len(scripts)} script-src directives: {policy[:160]!r}"
        return
    allowed = {"'self'", "'wasm-unsafe-eval'", siteurl.rstrip("/")}
    extra = [s for s in scripts[0] if s not in allowed]
    if extra:
        yield f"CSP script-src allows {extra}"
    for words in directives:
        for word in words[1:]:
            if any(ch in word for ch in '<>"') or (word.count("'") not in (0, 2)):
                yield f"CSP source with markup: {word[:80]!r}"


def html_problems(text: str, siteurl: str = SITEURL) -> list[str]:
    """Every executable thing in one HTML document (or fragment)."""
    if not text.strip():
        return []
    root = html.fromstring(text)
    found = []
    for element in root.iter():
        if isinstance(element.tag, str):
            found.extend(_element_problems(element, siteurl))
    metas = [m for m in root.iter("meta") if (m.get("http-equiv") or "").lower()]
    found.extend(f"<meta http-equiv={m.get('http-equiv')!r}>" for m in metas[1:])
    return found


def xml_problems(text: bytes, siteurl: str = SITEURL) -> list[str]:
    """Executable things in a feed or OPML: URL attributes and links, and embedded HTML."""
    root = etree.fromstring(text, parser=etree.XMLParser(resolve_entities=False))
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = element.tag.rsplit("}", 1)[-1]
        for name in ("href", "url", "xmlUrl", "htmlUrl", "src"):
            problem = _url_problem(element.get(name) or "")
            if problem:
                found.append(f"<{local} {name}>: {problem}")
        text = (element.text or "").strip()
        if local in ("link", "comments", "url", "docs") and _url_problem(text):
            found.append(f"<{local}>: {_url_problem(text)}")
        if local in ("id", "guid") and _scheme(text) in EXECUTABLE_SCHEMES:
            found.append(f"<{local}>: {text[:80]!r}")
        if local in ("content", "summary", "description", "encoded", "title") and element.text:
            embedded = html_problems(f"<div>{element.text}</div>", siteurl)
            found.extend(f"<{local}> HTML: {p}" for p in embedded)
    return found


def json_problems(value: Any, where: str = "$") -> list[str]:
    """URL-looking strings in dossier.json with a scheme outside the allowlist."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in json_problems(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in json_problems(v, f"{where}[{i}]")]
    if isinstance(value, str) and _scheme(value) in EXECUTABLE_SCHEMES:
        return [f"{where}: {_url_problem(value)}"]
    return []


def scan_output(output: Path, siteurl: str = SITEURL) -> list[str]:
    """Every executable thing in every page, feed and data file of a built site."""
    found: list[str] = []
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output)
        if relative.parts[0] in ("theme", "pagefind") or not path.is_file():
            continue
        if path.suffix == ".html":
            problems = html_problems(path.read_text(encoding="utf-8"), siteurl)
        elif path.suffix in (".xml", ".opml"):
            problems = xml_problems(path.read_bytes(), siteurl)
        elif path.suffix == ".json":
            problems = json_problems(json.loads(path.read_text(encoding="utf-8")))
        else:
            continue
        found.extend(f"{relative}: {p}" for p in problems)
    return found


# Attacks shared by the hostile-address tests and the browser test that runs their payload.

LISTING = EXPECTED["listing_path"]
# A real article of the mirror, copied to a new address that only the hostile link names.
MODEL_PATH = "/fr/actualites/plateforme-donnees-territoriale-gouvernance"
# Written by the CSP payload when it runs; the browser test looks for both.
PAYLOAD_TITLE = "INJECTED"
CSP_PAYLOAD = (
    "http://x; script-src 'unsafe-inline' ; img-src \"><img src=x "
    f"onerror=document.title='{PAYLOAD_TITLE}';alert(1)>@{{host}}{{path}}"
)


def listing_with(server: HostileServer, *hrefs: str) -> Responder:
    """The listing's first page with one more teaser per link of ``hrefs``."""
    page = server.page(LISTING).decode("utf-8")
    teasers = "".join(
        '<div class="views-row"><article class="node node--type-actualite">'
        f'<h3 class="node__title"><a href="{html_escape(href, quote=True)}" rel="bookmark">'
        f"Un article de plus pour le dossier, numéro {n}</a></h3></article></div>"
        for n, href in enumerate(hrefs, 1)
    )
    anchor = '<div class="view-content">'
    assert anchor in page
    changed = respond(body=page.replace(anchor, anchor + teasers, 1).encode("utf-8"))

    def first_page_only(handler: _Handler) -> None:  # ?page=1 and 2 stay the mirror's
        if handler.path == LISTING:
            changed(handler)
        else:
            _Handler._serve(handler, send_body=handler.command != "HEAD")

    return first_page_only


def article_copy(server: HostileServer, path: str) -> Responder:
    """A real article of the mirror, claiming ``path`` as its canonical address."""
    page = server.page(MODEL_PATH).decode("utf-8")
    page = page.replace(f'href="{MODEL_PATH}"', f'href="{path}"')
    return respond(body=page.encode("utf-8"))
