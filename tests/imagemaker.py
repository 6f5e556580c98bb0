"""Pictures for the sample mirror, drawn at start-up with Pillow (no binary fixtures).

A route of ``_routes.toml`` with ``image = { width = …, height = …, seed = … }`` is
served the picture drawn here, in the format its path names (.jpg, .png, .gif, .webp).
``style = "photo"`` adds grain so that the file weighs what a photograph weighs;
``style = "flat"`` draws flat shapes, like a screenshot or a diagram. The same
description always gives the same bytes (its own seeded random numbers), so the
mirror's ETag is stable across runs.
"""

from __future__ import annotations

import io
import random
from typing import Any

from PIL import Image, ImageDraw

FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}


def draw(width: int, height: int, seed: int = 0, style: str = "photo") -> Image.Image:
    """A deterministic picture: a colour gradient, shapes, and grain for a photo."""
    rng = random.Random(seed)
    top = tuple(rng.randrange(40, 220) for _ in range(3))
    bottom = tuple(rng.randrange(40, 220) for _ in range(3))
    ramp = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(
        Image.new("RGB", (width, height), bottom), Image.new("RGB", (width, height), top), ramp
    )
    pen = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(max(2, width // 20), max(3, width // 5))
        colour = tuple(rng.randrange(256) for _ in range(3))
        pen.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    if style == "photo":
        grain = Image.frombytes("L", (width, height), rng.randbytes(width * height))
        image = Image.blend(image, Image.merge("RGB", (grain, grain, grain)), 0.18)
    return image


def make(path: str, spec: dict[str, Any]) -> bytes:
    """The bytes served at ``path`` for a route's ``image`` description."""
    suffix = path[path.rfind(".") :].lower()
    image = draw(
        int(spec["width"]),
        int(spec["height"]),
        int(spec.get("seed", 0)),
        str(spec.get("style", "photo")),
    )
    buffer = io.BytesIO()
    options = {"quality": 85} if FORMATS[suffix] in ("JPEG", "WEBP") else {}
    image.save(buffer, FORMATS[suffix], **options)
    return buffer.getvalue()
