"""The plaquette's document through whole builds of the sample mirror.

One mirror copy is built again and again with the same cache: a cold build, a warm
one with nothing changed, then builds where the mirror serves a damaged or hostile
PDF in place of the good one. Other builds use a mirror whose download line links
the PDF directly, and a render time limit too short to finish.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfmaker
import pytest
from markupsafe import escape
from mirror import SITE_ROOT, MirrorServer
from pelican.plugins.dossier.fetch.reasons import reason_fr
from pelican.plugins.dossier.publish.search import INDEX_DIR
from support import EXPECTED, SITEURL, fragments
from support import build_site as build

PDF_PATH = EXPECTED["pdf_path"]
PLAQUETTE_PAGE = "fr/actualites/villes-intelligentes-tous-concernes-village-metropole.html"
BAD = {
    "truncated": (
        lambda good: pdfmaker.truncated(good),
        "no %%EOF marker at its end (truncated?)",
    ),
    "huge-page-box": (
        lambda _good: pdfmaker.huge_page_box(),
        "pixels, over DOSSIER_DOCUMENT_MAX_PIXELS (4000000)",
    ),
    "page-tree-loop": (lambda _good: pdfmaker.page_tree_loop(), "damaged PDF"),
    "many-pages": (
        lambda _good: pdfmaker.many_pages(5000),
        "5000 pages, over DOSSIER_DOCUMENT_MAX_PAGES (200)",
    ),
}


@dataclass
class Built:
    """One build: its folder, dossier.json, warnings, and what the mirror served."""

    output: Path
    data: dict
    warnings: list[str]
    body_bytes: int
    paths: list[str]
    statuses: dict[int, int]

    @property
    def document(self) -> dict | None:
        return next(a for a in self.data["articles"] if a["plaquette"])["document"]

    @property
    def plaquette_html(self) -> str:
        path = next(a for a in self.data["articles"] if a["plaquette"])["path"]
        return (self.output / path / "index.html").read_text(encoding="utf-8")


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run(mirror: MirrorServer, output: Path, cache: Path, **extra: object) -> Built:
    """Build once against ``mirror`` and record what happened."""
    handler = _Warnings()
    logging.getLogger().addHandler(handler)
    mirror.reset_stats()
    try:
        build(output, cache, mirror.url(EXPECTED["start_path"]), **extra)
    finally:
        logging.getLogger().removeHandler(handler)
    stats = mirror.stats
    data = json.loads((output / "dossier.json").read_text(encoding="utf-8"))
    return Built(
        output, data, handler.messages, stats.body_bytes, list(stats.paths), dict(stats.statuses)
    )


def mirror_copy(base: Path, direct: bool = False) -> Path:
    """A copy of the sample mirror; ``direct``: its download line links the PDF itself."""
    root = base / "site"
    shutil.copytree(SITE_ROOT, root)
    if direct:
        page = root / PLAQUETTE_PAGE
        html = page.read_text(encoding="utf-8")
        page.write_text(html.replace(f'"{EXPECTED["shop_path"]}"', f'"{PDF_PATH}"'), "utf-8")
    return root


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Built]]:
    base = tmp_path_factory.mktemp("document-story")
    cache = base / "cache"
    builds: dict[str, Built] = {}
    with MirrorServer(mirror_copy(base)) as mirror:
        good = mirror.mirror.generated[PDF_PATH]
        builds["cold"] = run(mirror, base / "cold", cache)
        builds["warm"] = run(mirror, base / "warm", cache)
        for name, (make, _reason) in BAD.items():
            mirror.mirror.generated[PDF_PATH] = make(good)
            builds[name] = run(mirror, base / name, cache)
        mirror.mirror.generated[PDF_PATH] = good
        builds["good-again"] = run(mirror, base / "cold", cache)  # into the first folder
    yield builds


def test_the_document_is_found_through_the_shop_page(story: dict[str, Built]) -> None:
    document = story["cold"].document
    assert document is not None
    assert document["url"].endswith(PDF_PATH)
    assert document["found_on"].endswith(EXPECTED["shop_path"])
    assert (document["media_type"], document["status"], document["reason"]) == (
        "application/pdf",
        "fetched",
        None,
    )
    assert document["pages"] == EXPECTED["pdf_pages"]
    assert story["cold"].warnings == []


def test_our_copy_is_the_pdf_byte_for_byte_under_a_content_name(story: dict[str, Built]) -> None:
    cold = story["cold"]
    copy = cold.output / cold.document["copy"]
    body = pdfmaker.from_toml(SITE_ROOT / "_plaquette.toml")
    assert copy.read_bytes() == body
    assert cold.document["size"] == len(body)
    assert cold.document["copy"].startswith("documents/") and copy.suffix == ".pdf"
    hub = (cold.output / "index.html").read_text(encoding="utf-8")
    assert f'<a class="button" href="{SITEURL}/{cold.document["copy"]}">' in hub
    assert f'href="{SITEURL}/{cold.document["copy"]}">' in cold.plaquette_html
    assert f'<a href="{cold.document["url"]}">' in cold.plaquette_html  # the original, as source


def test_every_page_is_rendered_once_per_width_and_format(story: dict[str, Built]) -> None:
    cold = story["cold"]
    files = sorted(p.name for p in (cold.output / "documents").iterdir())
    pages, widths = EXPECTED["pdf_pages"], 3
    assert len(files) == 1 + pages * widths * 2  # the PDF, then WebP and JPEG per width
    html = cold.plaquette_html
    for number in range(1, pages + 1):
        assert f'<li id="page-{number}"><figure><picture>' in html
        assert f"<figcaption>Page {number} sur {pages}</figcaption>" in html
    assert html.count('loading="lazy"') == pages
    assert EXPECTED["pdf_only_word"] in html
    hub = (cold.output / "index.html").read_text(encoding="utf-8")
    cover = "Couverture de la plaquette «\u00a0Villes intelligentes\u00a0: tous concernés"
    assert f'alt="{cover}' in hub  # with French spacing


def test_a_warm_rebuild_transfers_no_document_body(story: dict[str, Built]) -> None:
    warm = story["warm"]
    assert warm.body_bytes == 0  # no page, no shop page, no PDF: only 304s and HEADs
    assert warm.paths.count(PDF_PATH) == 2  # the probe (HEAD) and the conditional GET
    assert warm.statuses[200] == 2  # the HEAD probes of the shop page and the PDF; GETs: 304
    assert warm.document == {**story["cold"].document, "status": "not-modified"}
    assert warm.warnings == []


@pytest.mark.parametrize("name", list(BAD))
def test_a_damaged_or_hostile_pdf_is_reported_and_the_good_copy_kept(
    story: dict[str, Built], name: str
) -> None:
    built, cold = story[name], story["cold"]
    reason = BAD[name][1]
    assert built.document["status"] == "stale"
    assert reason in built.document["reason"]
    assert built.document["copy"] == cold.document["copy"]  # the good copy, still published
    assert (built.output / built.document["copy"]).read_bytes() == (
        cold.output / cold.document["copy"]
    ).read_bytes()
    assert built.document["pages"] == EXPECTED["pdf_pages"]
    [warning] = [w for w in built.warnings if reason in w]
    assert warning.startswith(f"dossier: document {built.document['url']}: ")
    assert "; keeping the copy fetched on " in warning
    hub = (built.output / "index.html").read_text(encoding="utf-8")
    problem = reason_fr(warning.removeprefix("dossier: "))  # listed among the problems, in French
    assert problem.startswith("le document de la plaquette n’a pas pu être actualisé : ")
    assert str(escape(problem)) in hub


def test_the_good_pdf_again_is_not_modified_and_nothing_old_lingers(
    story: dict[str, Built],
) -> None:
    again, cold = story["good-again"], story["cold"]
    assert again.document["status"] in ("not-modified", "fetched")
    assert again.document["copy"] == cold.document["copy"]
    assert len(list((again.output / "documents").iterdir())) == 1 + EXPECTED["pdf_pages"] * 6


def test_search_finds_a_word_that_only_the_pdf_holds(story: dict[str, Built]) -> None:
    records = fragments(story["cold"].output / INDEX_DIR)
    holding = [r["url"] for r in records if EXPECTED["pdf_only_word"] in r["content"]]
    plaquette = next(a for a in story["cold"].data["articles"] if a["plaquette"])["path"]
    assert holding == ["/" + plaquette]


def test_a_direct_link_gives_the_same_document(tmp_path: Path) -> None:
    with MirrorServer(mirror_copy(tmp_path, direct=True)) as mirror:
        built = run(mirror, tmp_path / "out", tmp_path / "cache")
    document = built.document
    assert document["url"].endswith(PDF_PATH) and document["found_on"] is None
    assert document["pages"] == EXPECTED["pdf_pages"] and document["status"] == "fetched"
    assert EXPECTED["shop_path"] not in built.paths
    assert built.warnings == []


def test_a_renderer_out_of_time_is_stopped_and_the_build_goes_on(tmp_path: Path) -> None:
    with MirrorServer(mirror_copy(tmp_path)) as mirror:
        built = run(
            mirror, tmp_path / "out", tmp_path / "cache", DOSSIER_DOCUMENT_RENDER_TIMEOUT=0.001
        )
    assert built.document is None  # no good copy to fall back on: published without it
    assert not (tmp_path / "out" / "documents").exists() or not any(
        (tmp_path / "out" / "documents").iterdir()
    )
    assert any("DOSSIER_DOCUMENT_RENDER_TIMEOUT (0.001 s)" in w for w in built.warnings)
    assert built.data["dossier"]["found"] == len(EXPECTED["articles"])
    assert 'class="card lead"' in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
