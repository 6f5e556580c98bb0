"""The hostile-source harness itself: a clean build passes its scan, and the scan does fail
on each kind of executable content it looks for (so that a passing attack test means
something)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hostile import (
    SITEURL,
    HostileServer,
    good_build,
    guarded_env,
    html_problems,
    scan_output,
    xml_problems,
)

BAD_HTML = [
    "<script>alert(1)</script>",
    '<script src="http://127.0.0.2/x.js"></script>',
    '<img src="x" onerror="alert(1)">',
    '<a href=" JaVa&#x09;script:alert(1)">x</a>',
    '<img srcset="a.png 1x, javascript:alert(1) 2x">',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<iframe src='http://127.0.0.2/'></iframe>",
    '<object data="x.swf"></object>',
    '<base href="http://127.0.0.2/">',
    '<form action="http://127.0.0.2/"><input></form>',
    '<meta http-equiv="refresh" content="0;url=http://127.0.0.2/">',
    "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self' 'unsafe-inline'\">",
    '<meta http-equiv="Content-Security-Policy" '
    "content=\"img-src x; script-src 'self'; script-src *\">",
]


@pytest.mark.parametrize("fragment", BAD_HTML)
def test_scan_finds_executable_html(fragment: str) -> None:
    assert html_problems(f"<div>{fragment}</div>")


def test_scan_finds_executable_feed_content() -> None:
    feed = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        b'<link rel="related" href="javascript:alert(1)"/>'
        b'<content type="html">&lt;img src=x onerror=alert(1)&gt;</content></entry></feed>'
    )
    assert len(xml_problems(feed)) == 2


def test_clean_build_scans_clean(tmp_path: Path) -> None:
    with HostileServer() as server:
        run = good_build(server, tmp_path)
    assert scan_output(run.output, SITEURL) == []


def test_build_processes_have_the_network_guard() -> None:
    """The child process refuses a documentation address (TEST-NET-1) before any packet."""
    code = "import socket; socket.create_connection(('192.0.2.1', 80), timeout=0.1)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=guarded_env(), capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "NetworkAccessError" in done.stderr
