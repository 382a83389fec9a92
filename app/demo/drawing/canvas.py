"""The canvas the motifs are drawn on, and the shapes, colours and backgrounds they share.

Shapes are drawn at twice the size and reduced, which smooths their edges (Pillow does not antialias).
Coordinates are in a 1200 × 900 drawing space; the photo itself is PHOTO_SIZE.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 900  # the drawing space, 4:3 like a phone photo
# The stored photo. At 800 px the pipeline encodes two WebP renditions (320 and 800, which the "1600" entry
# shares since it never upscales): a third of the work of a 1200-px photo, which matters for `make run`
# and the tests. Raise it for sharper zooms.
PHOTO_SIZE = (800, 600)
_SUPERSAMPLE = 2
_SCALE = _SUPERSAMPLE * PHOTO_SIZE[0] / WIDTH

RGB = tuple[int, int, int]
Colour = tuple[int, ...]
Point = tuple[float, float]


# ---- a canvas in final-pixel coordinates ---------------------------------------------------------


class Canvas:
    """Drawing primitives in final-pixel coordinates on a supersampled image (RGB, or L for masks)."""

    def __init__(self, mode: str = "RGB", background: Colour | int = (255, 255, 255)) -> None:
        size = (PHOTO_SIZE[0] * _SUPERSAMPLE, PHOTO_SIZE[1] * _SUPERSAMPLE)
        self.image = Image.new(mode, size, background)  # type: ignore[arg-type]
        self.draw = ImageDraw.Draw(self.image, "RGBA" if mode == "RGB" else None)

    @staticmethod
    def _xy(points: Sequence[Point]) -> list[tuple[float, float]]:
        return [(x * _SCALE, y * _SCALE) for x, y in points]

    def polygon(self, points: Sequence[Point], fill: Colour | int, outline: Colour | None = None, width: float = 0):
        self.draw.polygon(self._xy(points), fill=fill)  # type: ignore[arg-type]
        if outline is not None and width:
            self.line([*points, points[0]], outline, width)

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, fill: Colour | int | None = None,
                outline: Colour | None = None, width: float = 0) -> None:  # fmt: skip
        box = [(cx - rx) * _SCALE, (cy - ry) * _SCALE, (cx + rx) * _SCALE, (cy + ry) * _SCALE]
        self.draw.ellipse(box, fill=fill, outline=outline, width=round(width * _SCALE))  # type: ignore[arg-type]

    def line(self, points: Sequence[Point], fill: Colour | int, width: float) -> None:
        self.draw.line(self._xy(points), fill=fill, width=max(1, round(width * _SCALE)), joint="curve")  # type: ignore[arg-type]

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Colour | int | None,
             radius: float = 0, outline: Colour | None = None, width: float = 0) -> None:  # fmt: skip
        box = [x0 * _SCALE, y0 * _SCALE, x1 * _SCALE, y1 * _SCALE]
        self.draw.rounded_rectangle(box, radius=radius * _SCALE, fill=fill, outline=outline,  # type: ignore[arg-type]
                                    width=round(width * _SCALE))  # fmt: skip

    def gradient(self, top: RGB, bottom: RGB) -> None:
        """A vertical gradient over the whole canvas."""
        mask = Image.linear_gradient("L").resize(self.image.size)
        self.image.paste(Image.composite(Image.new("RGB", self.image.size, bottom),
                                         Image.new("RGB", self.image.size, top), mask))  # fmt: skip
        self.draw = ImageDraw.Draw(self.image, "RGBA")

    def fill_shape(self, shape: Callable[[Canvas], None], pattern: Callable[[Canvas], None], base: RGB) -> None:
        """Paint `pattern` (on a `base` colour) inside whatever `shape` draws on a mask."""
        mask = Canvas("L", 0)
        shape(mask)
        layer = Canvas("RGB", base)
        pattern(layer)
        self.image.paste(layer.image, (0, 0), mask.image)

    def finish(self) -> Image.Image:
        return self.image.reduce(_SUPERSAMPLE)


# ---- geometry and colour helpers -----------------------------------------------------------------


def rotate(points: Sequence[Point], degrees: float, cx: float, cy: float) -> list[Point]:
    a = math.radians(degrees)
    cos, sin = math.cos(a), math.sin(a)
    return [(cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos) for x, y in points]


def oval(cx: float, cy: float, rx: float, ry: float, degrees: float = 0, n: int = 40) -> list[Point]:
    pts = [(cx + rx * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n)) for i in range(n)]
    return rotate(pts, degrees, cx, cy)


def leaf(cx: float, cy: float, length: float, width: float, degrees: float) -> list[Point]:
    """A pointed leaf (or pod) centred on (cx, cy)."""
    n = 16
    top = [(cx - length / 2 + length * i / n, cy - width / 2 * math.sin(math.pi * i / n) ** 0.8) for i in range(n + 1)]
    bottom = [(x, 2 * cy - y) for x, y in reversed(top[1:-1])]
    return rotate(top + bottom, degrees, cx, cy)


def rounded_box(cx: float, cy: float, w: float, h: float, r: float, degrees: float) -> list[Point]:
    """A rounded rectangle as a polygon, so that it can be rotated."""
    pts: list[Point] = []
    corners = ((cx + w / 2 - r, cy + h / 2 - r, 0), (cx - w / 2 + r, cy + h / 2 - r, 90),
               (cx - w / 2 + r, cy - h / 2 + r, 180), (cx + w / 2 - r, cy - h / 2 + r, 270))  # fmt: skip
    for x, y, start in corners:
        pts += [(x + r * math.cos(math.radians(start + a)), y + r * math.sin(math.radians(start + a)))
                for a in range(0, 91, 15)]  # fmt: skip
    return rotate(pts, degrees, cx, cy)


def lathe(cx: float, profile: Sequence[tuple[float, float]]) -> list[Point]:
    """A turned shape (jar, bowl, cup) from (y, radius) pairs, top to bottom."""
    return [(cx - r, y) for y, r in profile] + [(cx + r, y) for y, r in reversed(profile)]


def radius_at(profile: Sequence[tuple[float, float]], y: float) -> float:
    for (y0, r0), (y1, r1) in itertools.pairwise(profile):
        if y0 <= y <= y1:
            return r0 + (r1 - r0) * (y - y0) / ((y1 - y0) or 1)
    return 0.0


def shade(colour: RGB, factor: float) -> RGB:
    return tuple(max(0, min(255, round(c * factor))) for c in colour)  # type: ignore[return-value]


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def alpha(colour: RGB, value: int) -> Colour:
    return (*colour, value)


def shadow(c: Canvas, cx: float, cy: float, rx: float, ry: float, strength: int = 60) -> None:
    """A soft contact shadow: stacked translucent ellipses."""
    for k in range(4):
        c.ellipse(cx, cy, rx * (1.15 - 0.08 * k), ry * (1.15 - 0.08 * k), fill=(0, 0, 0, strength // 4))


def wood_grain(c: Canvas, rng: random.Random, colour: RGB, y0: float = 0, y1: float = HEIGHT, step: float = 14) -> None:
    c.rect(0, y0, WIDTH, y1, fill=colour)
    y = y0
    while y < y1:
        amp, period, phase = rng.uniform(2, 9), rng.uniform(180, 420), rng.uniform(0, 6.3)
        pts = [(x, y + amp * math.sin(x / period * 6.28 + phase)) for x in range(0, WIDTH + 20, 20)]
        c.line(pts, alpha(shade(colour, rng.uniform(0.7, 0.9)), 90), rng.uniform(1.5, 4))
        y += step * rng.uniform(0.6, 1.6)


def linen(c: Canvas, colour: RGB) -> None:
    c.rect(0, 0, WIDTH, HEIGHT, fill=colour)
    for x in range(0, WIDTH, 6):
        c.line([(x, 0), (x, HEIGHT)], alpha(shade(colour, 0.9), 40), 1)
    for y in range(0, HEIGHT, 6):
        c.line([(0, y), (WIDTH, y)], alpha(shade(colour, 1.08), 50), 1)


def frange(start: float, stop: float, step: float) -> list[float]:
    return [start + i * step for i in range(int((stop - start) / step) + 1)]
