"""A PDF's pages as images and text, rendered in a worker process that cannot take the build down.

pypdfium2 (PDFium, Chromium's PDF engine, built without JavaScript) draws each page
once at the largest width asked, Pillow scales it down and encodes WebP and a JPEG
fallback; the text layer of each page comes with it. Everything runs in a fresh
spawned process: a PDF that hangs the engine is killed at the time limit, one that
crashes it only ends that process, and the limits on page count and pixel area are
checked before any bitmap is made. Failures come back as ``RenderError`` with a
reason that names the setting to change. Neither library is imported by the build
process itself.
"""

from __future__ import annotations

import io
import logging
import math
import multiprocessing
import re
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

RENDERER_VERSION = "1"  # part of the render cache key: bump when the output changes
FORMATS: dict[str, dict[str, Any]] = {
    "webp": {"quality": 80, "method": 4},
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
}
MAX_TEXT = 20_000  # characters of text kept per page; a real page holds a few thousand
MEMORY_LIMIT = 3 * 1024**3  # address space of the worker, bytes (Linux); bitmaps are far less
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\ufff9-\uffff]")


class RenderError(Exception):
    """The document cannot be rendered within our limits; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    """What one rendering may cost (from the DOSSIER_DOCUMENT_* settings)."""

    max_pages: int
    max_pixels: int
    timeout: float
    widths: tuple[int, ...]


@dataclass(frozen=True)
class Picture:
    """One page at one width in one format."""

    width: int
    height: int
    format: str
    data: bytes


@dataclass(frozen=True)
class RenderedPage:
    """A page's pictures and the text of its text layer."""

    number: int
    text: str
    pictures: tuple[Picture, ...]


def check_structure(data: bytes) -> None:
    """Refuse what is not a complete PDF before any engine reads it."""
    if b"%PDF-" not in data[:1024]:
        raise RenderError("not a PDF: no %PDF- header at its start")
    if b"%%EOF" not in data[-1024:]:
        raise RenderError("damaged PDF: no %%EOF marker at its end (truncated?)")


def render(data: bytes, limits: Limits) -> list[RenderedPage]:
    """Every page of a PDF, rendered in a separate process stopped after ``limits.timeout``."""
    check_structure(data)
    started = time.monotonic()
    pages = isolated(_work, (data, limits), limits.timeout, "DOSSIER_DOCUMENT_RENDER_TIMEOUT")
    logger.debug("rendered %d pages in %.2f s", len(pages), time.monotonic() - started)
    return pages


def isolated(work: Any, args: tuple, timeout: float, setting: str) -> Any:
    """``work(send, *args)`` in a fresh spawned process, stopped after ``timeout`` seconds
    (``setting`` names where that limit comes from); its answer, or RenderError."""
    _plugin_importable()
    context = multiprocessing.get_context("spawn")  # never fork a threaded build
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=work, args=(send, *args), daemon=True)
    process.start()
    send.close()
    try:
        kind, value = _answer(receive, process, timeout, setting)
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receive.close()
    if kind != "ok":
        raise RenderError(value)
    return value


def _answer(receive: Connection, process: Any, timeout: float, setting: str) -> tuple[str, Any]:
    if not receive.poll(timeout):
        raise RenderError(f"rendering took more than {setting} ({timeout:g} s); stopped")
    try:
        return receive.recv()
    except EOFError:
        process.join(5)
        raise RenderError(
            f"the renderer stopped without an answer (exit code {process.exitcode})"
        ) from None


def _plugin_importable() -> None:
    """A spawned process starts from our sys.path: make sure it finds this package."""
    plugins = str(Path(__file__).resolve().parent.parent)
    if plugins not in sys.path:
        sys.path.append(plugins)


def _work(send: Connection, data: bytes, limits: Limits) -> None:
    """The worker's whole life: render, answer once, exit."""
    import pypdfium2

    limit_memory()
    try:
        answer: tuple[str, Any] = ("ok", render_here(data, limits))
    except RenderError as exc:
        answer = ("error", exc.reason)
    except pypdfium2.PdfiumError as exc:
        answer = ("error", f"damaged PDF: {exc}")
    except MemoryError:
        answer = ("error", f"out of memory (over {MEMORY_LIMIT // 1024**2} MiB)")
    except (OSError, ValueError) as exc:  # Pillow refusing a bitmap
        answer = ("error", f"cannot encode a page: {exc}")
    send.send(answer)
    send.close()


def limit_memory() -> None:
    """Cap the worker's address space (Unix), so a hostile file ends in MemoryError."""
    try:
        import resource
    except ImportError:  # not Unix: the time limit still applies
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > MEMORY_LIMIT:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def render_here(data: bytes, limits: Limits) -> list[RenderedPage]:
    """Render in this process (the worker calls it; tests may too)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        count = len(document)
        if count == 0:
            raise RenderError("the PDF has no page")
        if count > limits.max_pages:
            raise RenderError(
                f"{count} pages, over DOSSIER_DOCUMENT_MAX_PAGES ({limits.max_pages})"
            )
        return [_page(document, index, limits) for index in range(count)]
    finally:
        document.close()


def _page(document: Any, index: int, limits: Limits) -> RenderedPage:
    page = document[index]
    try:
        top = max(limits.widths)
        scale = _scale(index + 1, page.get_size(), top, limits.max_pixels)
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
        image = bitmap.to_pil().convert("RGB")
        text = page_text(page.get_textpage().get_text_bounded())
    finally:
        page.close()
    return RenderedPage(index + 1, text, tuple(_encode(image, limits.widths)))


def _scale(number: int, size: tuple[float, float], width: int, max_pixels: int) -> float:
    """The scale that makes the page ``width`` pixels wide, if its area stays allowed."""
    points_wide, points_high = size
    if not (points_wide > 0 and points_high > 0):
        raise RenderError(f"page {number} has an empty page box")
    scale = width / points_wide
    height = math.ceil(points_high * scale)
    if width * height > max_pixels:
        raise RenderError(
            f"page {number} would be {width} × {height} pixels,"
            f" over DOSSIER_DOCUMENT_MAX_PIXELS ({max_pixels})"
        )
    return scale


def _encode(image: Any, widths: tuple[int, ...]) -> list[Picture]:
    from PIL import Image

    pictures = []
    for width in sorted(widths):
        height = max(1, round(image.height * width / image.width))
        sized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        for name, options in FORMATS.items():
            buffer = io.BytesIO()
            sized.save(buffer, name.upper(), **options)
            pictures.append(Picture(width, sized.height, name, buffer.getvalue()))
    return pictures


def page_text(raw: str) -> str:
    """A page's text layer as plain lines: no control characters, spaces collapsed."""
    raw = raw.replace("\x02\r\n", "")  # PDFium marks a word hyphenated at a line end
    text = _CONTROL.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    text = "\n".join(line for line in lines if line)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
