"""The security-policy injection of tests/test_hostile_urls.py, checked in Chromium: a
listing link built to close the CSP <meta> and add an inline handler runs nothing on
any article page of the attacked build.

A control page (one built article page with the injection the old template wrote,
made by hand) proves that this browser set-up does see the payload when it is there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import (
    CSP_PAYLOAD,
    EXPECTED,
    LISTING,
    PAYLOAD_TITLE,
    HostileServer,
    article_copy,
    listing_with,
    run_build,
    scan_output,
)
from playwright.sync_api import Browser, Page
from support import serve_folder

pytestmark = pytest.mark.browser

COPY = "/fr/actualites/copie-politique"
# What the old template wrote into img-src for that listing link (its origin, unescaped).
OLD_INJECTION = (
    "; script-src 'unsafe-inline' ; img-src \"><img src=x "
    f"onerror=document.title='{PAYLOAD_TITLE}';alert(1)>; script-src 'self'"
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """An empty output folder, served on 127.0.0.1 while the test runs."""
    output = tmp_path / "out"
    output.mkdir()
    with serve_folder(output) as url:
        yield output, url


def payload_effects(page: Page, url: str) -> list[str]:
    """Open ``url``; what the payload would leave: a dialog, the title it writes."""
    seen: list[str] = []
    page.on("dialog", lambda dialog: (seen.append(f"dialog {dialog.message}"), dialog.dismiss()))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(150)  # an <img src=x> error fires right after load
    if page.title() == PAYLOAD_TITLE:
        seen.append("title written")
    page.close()
    return seen


def test_csp_injection_runs_nothing_in_chromium(
    browser: Browser, served: tuple[Path, str], tmp_path: Path
) -> None:
    output, siteurl = served
    with HostileServer() as mirror:
        host = mirror.base_url.split("://", 1)[1]
        mirror.override(COPY, article_copy(mirror, COPY))
        mirror.override(LISTING, listing_with(mirror, CSP_PAYLOAD.format(host=host, path=COPY)))
        start = mirror.url(EXPECTED["start_path"])
        run = run_build(output, tmp_path / "cache", start, siteurl=siteurl)
        assert run.returncode == 0, run.log
        paths = [a["path"] for a in run.data["articles"] if a["path"]]
        control = output / "controle" / "index.html"
        control.parent.mkdir()
        built = (output / paths[0] / "index.html").read_text(encoding="utf-8")
        assert "; script-src 'self'" in built
        control.write_text(built.replace("; script-src 'self'", OLD_INJECTION, 1), "utf-8")

        context = browser.new_context()  # the site's own policy applies: no bypass_csp
        try:
            effects = {p: payload_effects(context.new_page(), f"{siteurl}/{p}") for p in paths}
            control_effects = payload_effects(context.new_page(), f"{siteurl}/controle/")
        finally:
            context.close()
    assert control_effects == ["dialog 1", "title written"]  # the set-up sees a payload
    assert {p: e for p, e in effects.items() if e} == {}
    assert len(paths) == len(EXPECTED["articles"])  # the good ones, not the hostile copy
    (output / "controle" / "index.html").unlink()
    assert scan_output(output, siteurl) == []
