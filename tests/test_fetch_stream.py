"""iter_pages: pages in input order, as they come, with no text kept by the fetcher."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pelican.plugins.dossier.fetch.fetcher import Fetcher
from scripted import GOOD, Reply, Script, make_settings, page, serve


@pytest.fixture
def server() -> Iterator[Script]:
    with serve() as script:
        yield script


def test_iter_pages_yields_in_order_and_keeps_no_text(server: Script, tmp_path: Path) -> None:
    urls = [server.route(f"/a{i}", page("article.html", delay=0.05 * (3 - i))) for i in range(3)]
    gone = server.route("/gone", Reply(status=404))
    with Fetcher(make_settings(tmp_path)) as fetcher:
        pages = list(fetcher.iter_pages([*urls, gone, urls[0]]))
        outcomes = fetcher.outcomes
    assert [(p.url, p.status, p.text) for p in pages] == [
        *((u, "fetched", GOOD) for u in urls),
        (gone, "failed", None),
    ]
    assert [(o.url, o.status, o.text) for o in outcomes] == [
        *((u, "fetched", None) for u in urls),
        (gone, "failed", None),
    ]
