"""The plaquette's document, piece by piece: finding it, storing it, rendering it, showing it."""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path

import pdfmaker
import pytest
from pelican.plugins.dossier.assets import AssetError, AssetStore, asset_name
from pelican.plugins.dossier.document.find import offered_link
from pelican.plugins.dossier.document.plaquette import DocPage, Document
from pelican.plugins.dossier.document.render import (
    Limits,
    RenderError,
    check_structure,
    page_text,
    render,
    render_here,
)
from pelican.plugins.dossier.publish.docview import cover, reading
from pelican.plugins.dossier.settings import SettingsError, read_settings

BASE = "http://127.0.0.1/boutique/produit"
LIMITS = Limits(max_pages=50, max_pixels=4_000_000, timeout=60.0, widths=(320, 640))
PAGES = [
    ["Première page", "Une ligne avec « guillemets » et des accents : é è à ç œ."],
    ["Deuxième page", "Le mot réverbère n’est que sur cette page."],
    ["Troisième page", "Parenthèses (et barre \\ oblique) gardées."],
]


def shop(links: str) -> str:
    return f"<html><body><nav><a href='/cgv.pdf'>CGV (PDF)</a></nav><main>{links}</main></body>"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # typed PDF beats a .pdf path and a « Télécharger » text
        (
            shop(
                "<a href='/a.pdf'>Fiche</a><a href='/dl?id=3'>Télécharger</a>"
                "<a href='/get/7' type='application/pdf'>La plaquette</a>"
            ),
            ("http://127.0.0.1/get/7", "La plaquette"),
        ),
        # « Télécharger » beats a mere .pdf path; accents optional, any case
        (
            shop("<a href='/b.pdf'>Bon de commande</a><a href='/dl/9'>TELECHARGER le PDF</a>"),
            ("http://127.0.0.1/dl/9", "TELECHARGER le PDF"),
        ),
        # a .pdf path alone; outside <main>, the footer's CGV is never taken
        (
            shop("<a href='x/plaquette.PDF'>La plaquette</a>"),
            (f"{BASE[:-7]}x/plaquette.PDF", "La plaquette"),
        ),
        # the words may sit in a title attribute
        (
            shop("<a href='/f/1' title='Télécharger la fiche'>↓</a>"),
            ("http://127.0.0.1/f/1", "↓ Télécharger la fiche"),
        ),
        # nothing that looks like a document; scripts and self-links never count
        (
            shop(
                "<a href='/panier'>Commander</a><a href='javascript:telecharger()'>Télécharger</a>"
            ),
            None,
        ),
        (shop(f"<a href='{BASE}#haut'>Télécharger</a>"), None),
    ],
)
def test_offered_link_takes_the_surest_document(html: str, expected: tuple | None) -> None:
    assert offered_link(html, BASE) == expected


def test_asset_names_are_content_addressed_and_stored_once(tmp_path: Path) -> None:
    store = AssetStore(tmp_path)
    name = store.put(b"%PDF-1.4 bytes", "documents", ".pdf")
    assert name == asset_name(b"%PDF-1.4 bytes", "documents", ".pdf")
    assert name.startswith("documents/") and len(name) == len("documents/") + 24 + 4
    first = store.path(name).stat().st_mtime_ns
    assert store.put(b"%PDF-1.4 bytes", "documents", ".pdf") == name
    assert store.path(name).stat().st_mtime_ns == first  # not rewritten
    assert stat.S_IMODE(store.path(name).stat().st_mode) == 0o644  # a web server may read it
    assert store.put(b"other", "documents", ".pdf") != name


def test_asset_store_copies_and_prunes_only_its_folder(tmp_path: Path) -> None:
    cache, site = AssetStore(tmp_path / "cache"), AssetStore(tmp_path / "site")
    keep = cache.put(b"new", "documents", ".pdf")
    old = site.put(b"old", "documents", ".pdf")
    (tmp_path / "site" / "index.html").write_text("hub", encoding="utf-8")
    assert cache.copy_into(site, [keep]) == 1
    assert cache.copy_into(site, [keep]) == 0
    assert site.prune("documents", [keep]) == [old]
    assert site.has(keep) and not site.has(old) and (tmp_path / "site" / "index.html").exists()


@pytest.mark.parametrize(
    ("folder", "suffix", "name"),
    [("../up", ".pdf", None), ("documents", ".p/df", None), (None, None, "documents/../x.pdf")],
)
def test_asset_store_refuses_names_that_could_escape(
    tmp_path: Path, folder: str | None, suffix: str | None, name: str | None
) -> None:
    store = AssetStore(tmp_path)
    with pytest.raises(AssetError):
        if name is None:
            store.put(b"x", folder, suffix)
        else:
            store.path(name)


def test_every_page_becomes_images_at_each_width_and_its_text() -> None:
    pages = render_here(pdfmaker.make_pdf(PAGES, title="Essai"), LIMITS)
    assert [p.number for p in pages] == [1, 2, 3]
    for page in pages:
        sizes = sorted((p.format, p.width, p.height) for p in page.pictures)
        assert sizes == [
            ("jpeg", 320, 454),
            ("jpeg", 640, 907),
            ("webp", 320, 454),
            ("webp", 640, 907),
        ]
        webp = next(p for p in page.pictures if p.format == "webp")
        assert webp.data[:4] == b"RIFF" and webp.data[8:12] == b"WEBP"
    assert pages[0].text == PAGES[0][0] + "\n" + PAGES[0][1]
    assert "réverbère" in pages[1].text and "réverbère" not in pages[0].text + pages[2].text
    assert pages[2].text.endswith("Parenthèses (et barre \\ oblique) gardées.")


def test_page_text_keeps_lines_and_drops_control_characters() -> None:
    raw = "Titre\r\n\r\nune ville intel\x02\r\nligente\x00\x07 \u202eà  lire\ufffe\r\n"
    assert page_text(raw) == "Titre\nune ville intelligente à lire"
    assert len(page_text("mot " * 10_000)) == 20_000


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (pdfmaker.truncated(pdfmaker.make_pdf(PAGES)), "no %%EOF marker at its end (truncated?)"),
        (b"<html>not a pdf</html>", "not a PDF: no %PDF- header"),
        (
            pdfmaker.huge_page_box(),
            "page 1 would be 640 × 9216000 pixels, over DOSSIER_DOCUMENT_MAX_PIXELS",
        ),
        (pdfmaker.many_pages(5000), "5000 pages, over DOSSIER_DOCUMENT_MAX_PAGES (50)"),
        (pdfmaker.page_tree_loop(), "damaged PDF: Failed to load document"),
    ],
    ids=["truncated", "not-pdf", "huge-page-box", "many-pages", "page-tree-loop"],
)
def test_damaged_or_hostile_pdfs_are_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(RenderError) as caught:
        render(data, LIMITS)  # in the worker process, as the build does
    assert reason in caught.value.reason


def test_structure_check_accepts_a_whole_pdf() -> None:
    check_structure(pdfmaker.make_pdf(PAGES))


def test_a_renderer_past_its_time_is_killed_and_reported() -> None:
    slow = Limits(max_pages=50, max_pixels=4_000_000, timeout=0.001, widths=(320,))
    with pytest.raises(RenderError, match=r"more than DOSSIER_DOCUMENT_RENDER_TIMEOUT \(0.001 s\)"):
        render(pdfmaker.make_pdf(PAGES), slow)
    assert multiprocessing.active_children() == []  # the worker was stopped, not left running


def _document(text: str) -> Document:
    page = DocPage(
        1,
        640,
        907,
        text,
        ((320, "documents/a.webp"), (640, "documents/b.webp")),
        ((320, "documents/a.jpg"), (640, "documents/b.jpg")),
    )
    return Document(
        "http://127.0.0.1/p.pdf",
        None,
        "Titre <i>",
        "application/pdf",
        10,
        "fetched",
        "",
        None,
        "documents/c.pdf",
        (page,),
    )


def test_reading_section_escapes_every_word_of_the_document() -> None:
    html = str(
        reading(_document('<script>alert(1)</script>\n"onerror=x" & co'), "http://s", "T <b>")
    )
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<p>&#34;onerror=x&#34; &amp; co</p>" in html
    alt = "Page 1 sur 1 de la plaquette «\u00a0T &lt;b&gt;\u00a0»\u00a0; son texte suit l’image."
    assert f'alt="{alt}"' in html  # escaped, with French spacing
    assert "<figcaption>Page 1 sur 1</figcaption>" in html
    assert 'loading="lazy"' in html and 'width="640" height="907"' in html
    assert 'srcset="http://s/documents/a.webp 320w, http://s/documents/b.webp 640w"' in html


def test_cover_is_loaded_at_once_with_a_french_alt_text() -> None:
    html = str(cover(_document("x"), "http://s", ""))
    assert 'alt="Couverture de la plaquette «\u00a0Titre &lt;i&gt;\u00a0»"' in html
    assert "loading=" not in html
    assert 'src="http://s/documents/a.jpg"' in html and 'width="320" height="454"' in html


def test_document_limits_have_defaults_and_bad_values_name_their_setting(tmp_path: Path) -> None:
    settings = read_settings({}, base=tmp_path)
    assert (settings.document_max_bytes, settings.document_max_pages) == (50 * 1024**2, 200)
    assert (settings.document_max_pixels, settings.document_render_timeout) == (4_000_000, 120.0)
    assert settings.document_widths == (320, 640, 1280)
    assert read_settings(
        {"DOSSIER_DOCUMENT_WIDTHS": [640, 320, 640]}, base=tmp_path
    ).document_widths == (320, 640)
    for name, value, message in [
        ("DOSSIER_DOCUMENT_WIDTHS", [], "must be a non-empty list of widths in pixels"),
        ("DOSSIER_DOCUMENT_WIDTHS", [8000], "must hold widths of at most 4096 pixels"),
        ("DOSSIER_DOCUMENT_MAX_PAGES", 0, "must be an integer >= 1"),
        ("DOSSIER_DOCUMENT_MAX_BYTES", "5 Mo", "must be an integer >= 1"),
        ("DOSSIER_DOCUMENT_RENDER_TIMEOUT", 0, "must be a number >= 0.001"),
    ]:
        with pytest.raises(SettingsError, match=f"^{name} {message}"):
            read_settings({name: value}, base=tmp_path)
