"""Images, piece by piece: settings, recognising bodies, the renderer, the rewrite, the
published sanitiser."""

from __future__ import annotations

import io

import pytest
from pelican.plugins.dossier.clean.sanitize import sanitize
from pelican.plugins.dossier.document.imagerender import (
    ImageLimits,
    check_header,
    render_here,
    render_images,
)
from pelican.plugins.dossier.document.images import rewrite
from pelican.plugins.dossier.fetch.docfetch import IMAGE
from pelican.plugins.dossier.model import ImageCopy
from pelican.plugins.dossier.settings import SettingsError
from PIL import Image
from support import get_dossier_settings

LIMITS = ImageLimits(max_pixels=4_000_000, timeout=60.0, widths=(320, 640, 1280))
HASH = "0123456789abcdef01234567"


def encoded(size: tuple[int, int], mode: str = "RGB", form: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 120, 200, 128)[: len(mode)] if mode != "L" else 9).save(buffer, form)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DOSSIER_IMAGE_MAX_PIXELS", 10, "DOSSIER_IMAGE_MAX_PIXELS must be an integer >= 10000"),
        ("DOSSIER_IMAGE_MAX_PIXELS", 10**12, "and <= 5e+08"),
        ("DOSSIER_IMAGE_MAX_BYTES", 0, "DOSSIER_IMAGE_MAX_BYTES must be an integer >= 1"),
        ("DOSSIER_IMAGE_WIDTHS", [], "DOSSIER_IMAGE_WIDTHS must be a non-empty list"),
        ("DOSSIER_IMAGE_WIDTHS", [320, 9000], "at most 4096 pixels"),
        ("DOSSIER_IMAGE_RENDER_TIMEOUT", 0, "DOSSIER_IMAGE_RENDER_TIMEOUT must be a number"),
    ],
)
def test_image_settings_are_validated(tmp_path, name: str, value: object, message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("+", r"\+")):
        get_dossier_settings(tmp_path, **{name: value})


def test_image_settings_defaults(tmp_path) -> None:
    settings = get_dossier_settings(tmp_path, DOSSIER_IMAGE_WIDTHS=[640, 320, 640])
    assert settings.image_widths == (320, 640)
    assert settings.image_max_pixels == 40_000_000


@pytest.mark.parametrize(
    ("kind", "body", "problem"),
    [
        ("image/png", encoded((4, 4)), None),
        ("application/octet-stream", encoded((4, 4), form="JPEG"), None),
        ("image/svg+xml", b"\x89PNG\r\n\x1a\n", "SVG image refused"),
        ("image/png", b'<?xml version="1.0"?><svg xmlns="x"/>', "SVG image refused"),
        ("image/png", b"  <svg onload=alert(1)>", "SVG image refused"),
        ("image/png", b"<html>not found</html>", "not a raster image (image/png)"),
    ],
)
def test_only_raster_bodies_are_images(kind: str, body: bytes, problem: str | None) -> None:
    found = IMAGE.recognise(kind, body)
    assert found == problem if problem is None else problem in (found or "")


def test_header_check_refuses_huge_dimensions_before_decoding() -> None:
    reason = check_header(encoded((3000, 2000), "L"), 1_000_000)
    assert reason is not None and "DOSSIER_IMAGE_MAX_PIXELS" in reason
    assert check_header(encoded((900, 900), "L"), 1_000_000) is None
    assert check_header(encoded((9, 9))[:30], 1_000_000) is not None  # cut in its header


def test_renditions_never_enlarge_and_keep_transparency() -> None:
    photo = render_here(encoded((900, 600), form="JPEG"), LIMITS)
    assert (photo.width, photo.height, photo.fallback) == (900, 600, "jpeg")
    assert sorted({(p.width, p.format) for p in photo.pictures}) == [
        (320, "jpeg"),
        (320, "webp"),
        (640, "jpeg"),
        (640, "webp"),
        (900, "jpeg"),
        (900, "webp"),
    ]
    clear = render_here(encoded((200, 100), "RGBA"), LIMITS)
    assert clear.fallback == "png" and [p.width for p in clear.pictures] == [200, 200]
    with Image.open(io.BytesIO(clear.pictures[1].data)) as image:
        assert image.format == "PNG" and image.mode == "RGBA"


def test_the_worker_reports_each_bad_image_and_renders_the_good_ones() -> None:
    results = render_images([encoded((50, 40)), b"\x89PNG\r\n\x1a\n broken"], LIMITS)
    assert results[0].width == 50 and results[0].height == 40
    assert isinstance(results[1], str) and results[1]


def _copy(url: str, width: int = 640, height: int = 400) -> ImageCopy:
    return ImageCopy(
        url,
        "fetched",
        width=width,
        height=height,
        webp=((320, f"images/{HASH[:-1]}a.webp"), (width, f"images/{HASH}.webp")),
        fallback=((320, f"images/{HASH[:-1]}a.jpg"), (width, f"images/{HASH}.jpg")),
    )


def test_rewrite_makes_sized_pictures_lazy_after_the_first_and_drops_the_rest() -> None:
    body = (
        '<p>Avant</p><figure><img src="https://s/a.png" alt="A &amp; B"><figcaption>Un'
        '</figcaption></figure><p><img src="https://s/gone.png" alt="x"> reste</p>'
        '<p><img src="https://s/b.png" alt=""></p>'
    )
    images = {
        "https://s/a.png": _copy("https://s/a.png"),
        "https://s/gone.png": ImageCopy("https://s/gone.png", "failed", "HTTP 404"),
        "https://s/b.png": _copy("https://s/b.png", 1280, 640),
    }
    out = rewrite(body, images)
    assert "gone.png" not in out and "<p> reste</p>" in out
    assert "<figcaption>Un</figcaption>" in out and 'alt="A &amp; B"' in out
    first, second = out.split("<picture>")[1:]
    assert 'loading="lazy"' not in first and 'loading="lazy"' in second
    # The src is the fallback nearest the 640 px column: 320 of (320, 1280) for the second.
    assert 'width="640" height="400"' in first and 'width="320" height="160"' in second
    assert rewrite("<p>sans image</p>", images) == "<p>sans image</p>"


def test_rewrite_keeps_a_deeply_nested_body_whole() -> None:
    depth = 300  # libxml2 drops, silently, whatever sits past 256 levels by default
    body = (
        '<p><img src="https://s/a.png" alt="a"></p>'
        + "<div>" * depth
        + "<p>au fond</p>"
        + "</div>" * depth
        + "<p>la fin</p>"
    )
    out = rewrite(body, {"https://s/a.png": _copy("https://s/a.png")})
    assert "<picture>" in out and "au fond" in out and out.endswith("<p>la fin</p>")
    assert out.count("<div>") == depth


def test_published_sanitiser_keeps_our_pictures_under_siteurl_only() -> None:
    ours = rewrite('<img src="https://s/a.png" alt="a">', {"https://s/a.png": _copy("x")})
    kept = sanitize(ours, site="..")
    assert f'src="../images/{HASH}.jpg"' in kept and f"../images/{HASH}.webp 640w" in kept
    assert '<source type="image/webp"' in kept and 'width="640"' in kept
    hostile = (
        '<picture><source type="text/html" srcset="https://evil/x.webp 1w">'
        f'<img src="https://evil/i.png" srcset="images/{HASH}.jpg 1w, //evil/j.png 2w" '
        'loading="x" sizes="<b>" width="9e9" alt="a"></picture>'
        f'<img src="images/../{HASH}.jpg">'
    )
    cleaned = sanitize(hostile, site="https://site")
    assert "evil" not in cleaned and "text/html" not in cleaned and "loading" not in cleaned
    assert "sizes" not in cleaned and "width" not in cleaned and "srcset" not in cleaned
    assert "<picture>" not in sanitize(ours)  # the clean-time mode keeps no picture
