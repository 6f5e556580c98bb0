"""Article images decoded and resized in a worker process that cannot take the build down.

Pillow opens each body (JPEG, PNG, GIF or WebP only: SVG never reaches it), checks its
dimensions against DOSSIER_IMAGE_MAX_PIXELS before any pixel is decoded (a decompression
bomb warning is an error too), turns it upright (EXIF), and encodes WebP plus a fallback
(JPEG, or PNG when it has transparency) at each width of DOSSIER_IMAGE_WIDTHS not wider
than the original. A batch runs in one spawned process with a memory cap, stopped at
DOSSIER_IMAGE_RENDER_TIMEOUT; when a batch fails as a whole (killed, crashed), each image
is tried alone, so one hostile file fails only itself. ``check_header`` is the one call
made in the build process: it reads the header only, to refuse a bad body before it
replaces a good cached copy.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from .render import MEMORY_LIMIT, Picture, RenderError, isolated, limit_memory

logger = logging.getLogger(__name__)

IMAGE_RENDERER_VERSION = "1"  # part of the rendition cache key: bump when the output changes
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")  # what Pillow may open; never SVG, never anything else
ENCODE: dict[str, dict[str, Any]] = {
    "webp": {"quality": 78, "method": 4},
    "jpeg": {"quality": 80, "optimize": True, "progressive": True},
    "png": {"optimize": True},
}
PIXELS_SETTING = "DOSSIER_IMAGE_MAX_PIXELS"
TIMEOUT_SETTING = "DOSSIER_IMAGE_RENDER_TIMEOUT"


@dataclass(frozen=True)
class ImageLimits:
    """What decoding one image may cost (from the DOSSIER_IMAGE_* settings)."""

    max_pixels: int
    timeout: float
    widths: tuple[int, ...]


@dataclass(frozen=True)
class RenderedImage:
    """One image at every width: WebP and its fallback (``fallback`` is jpeg or png)."""

    width: int
    height: int
    fallback: str
    pictures: tuple[Picture, ...]


def _open(data: bytes, max_pixels: int) -> Any:
    """The image, header read only; RenderError naming the setting when it is too big."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise RenderError(f"decompression bomb refused ({exc}); see {PIXELS_SETTING}") from None
    except UnidentifiedImageError:
        raise RenderError("not an image Pillow may open (JPEG, PNG, GIF, WebP)") from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > max_pixels:
        raise RenderError(
            f"image of {width} × {height} pixels, over {PIXELS_SETTING} ({max_pixels})"
        )
    return image


def check_header(data: bytes, max_pixels: int) -> str | None:
    """Why a new body must not replace the good copy (from its header alone), or None."""
    try:
        _open(data, max_pixels).close()
    except RenderError as exc:
        return exc.reason
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow's header parsers
        return f"damaged image header: {exc}"
    return None


def render_here(data: bytes, limits: ImageLimits) -> RenderedImage:
    """Decode and resize in this process (the worker calls it; tests may too)."""
    from PIL import Image, ImageOps

    image = _open(data, limits.max_pixels)
    top = min(max(limits.widths), image.width)
    if image.format == "JPEG":
        image.draft("RGB", (top, max(1, image.height * top // image.width)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image.load()
    image = ImageOps.exif_transpose(image)
    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if alpha else "RGB")
    fallback = "png" if alpha else "jpeg"
    widths = sorted({w for w in limits.widths if w < image.width} | {min(top, image.width)})
    pictures = [p for w in widths for p in _encode(image, w, fallback)]
    biggest = pictures[-1]
    return RenderedImage(biggest.width, biggest.height, fallback, tuple(pictures))


def _encode(image: Any, width: int, fallback: str) -> list[Picture]:
    from PIL import Image

    height = max(1, round(image.height * width / image.width))
    sized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
    pictures = []
    for name in ("webp", fallback):
        buffer = io.BytesIO()
        sized.save(buffer, name.upper(), **ENCODE[name])
        pictures.append(Picture(width, sized.height, name, buffer.getvalue()))
    return pictures


def _one(data: bytes, limits: ImageLimits) -> RenderedImage | str:
    """An image's renditions, or why it cannot be published."""
    try:
        return render_here(data, limits)
    except RenderError as exc:
        return exc.reason
    except MemoryError:
        return f"out of memory decoding the image (over {MEMORY_LIMIT // 1024**2} MiB)"
    except (OSError, ValueError, SyntaxError, EOFError) as exc:  # Pillow's decoders
        return f"cannot decode the image: {exc}"


def _work(send: Connection, bodies: list[bytes], limits: ImageLimits) -> None:
    """The worker's whole life: render every body, answer once, exit."""
    limit_memory()
    send.send(("ok", [_one(data, limits) for data in bodies]))
    send.close()


def render_images(bodies: list[bytes], limits: ImageLimits) -> list[RenderedImage | str]:
    """Every body's renditions (or the reason it has none), rendered in a worker process."""
    if not bodies:
        return []
    try:
        return isolated(_work, (bodies, limits), limits.timeout, TIMEOUT_SETTING)
    except RenderError as exc:
        if len(bodies) == 1:
            return [exc.reason]
        logger.info("images: the batch of %d failed (%s); each alone", len(bodies), exc.reason)
        return [render_images([data], limits)[0] for data in bodies]
