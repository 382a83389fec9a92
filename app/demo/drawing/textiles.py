"""Textile photos: a hand-woven swatch in the product's colours, an embroidered shoulder bag."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from app.demo.drawing.canvas import (
    RGB,
    WIDTH,
    Canvas,
    frange,
    linen,
    shade,
    shadow,
)

# ---- textiles --------------------------------------------------------------------------------------

TEXTILE_PALETTES: dict[str, tuple[RGB, RGB, RGB, RGB]] = {
    # ground, then three yarn colours of the pattern
    "indigo": ((34, 50, 102), (214, 178, 92), (236, 230, 214), (160, 42, 52)),
    "natural": ((232, 221, 196), (122, 72, 42), (44, 64, 108), (182, 64, 52)),
    "red": ((148, 30, 42), (232, 192, 96), (32, 30, 36), (242, 232, 212)),
    "gold": ((214, 162, 44), (112, 32, 42), (38, 84, 64), (250, 242, 222)),
    "black": ((30, 28, 32), (204, 52, 62), (232, 182, 64), (92, 152, 142)),
    "green": ((38, 98, 70), (232, 202, 122), (152, 40, 62), (242, 236, 222)),
}


def _band_diamonds(c: Canvas, y: float, h: float, cols: Sequence[RGB], rng: random.Random) -> None:
    w = h * 0.95
    x = -w / 2 + rng.uniform(0, w / 2)
    while x < WIDTH + w:
        mx, my = x + w / 2, y + h / 2
        c.polygon([(mx, y), (x + w, my), (mx, y + h), (x, my)], cols[0])
        c.polygon([(mx, y + h * 0.22), (x + w * 0.78, my), (mx, y + h * 0.78), (x + w * 0.22, my)], cols[1])
        c.ellipse(mx, my, h * 0.07, h * 0.07, fill=cols[2])
        x += w


def _band_hooks(c: Canvas, y: float, h: float, cols: Sequence[RGB], rng: random.Random) -> None:
    step = h * 0.8
    pts = [(x, y + h * (0.2 if i % 2 else 0.8)) for i, x in enumerate(frange(-step, WIDTH + step, step))]
    c.line(pts, cols[0], h * 0.14)
    for i, (x, py) in enumerate(pts):
        d = -1 if i % 2 else 1
        c.line([(x, py), (x + step * 0.25, py), (x + step * 0.25, py + d * h * 0.18)], cols[1], h * 0.07)


def _band_naga(c: Canvas, y: float, h: float, cols: Sequence[RGB], rng: random.Random) -> None:
    period, phase = h * 3.2, rng.uniform(0, 6.28)
    mid = y + h / 2
    pts = [(x, mid + h * 0.28 * math.sin(x / period * 6.28 + phase)) for x in frange(-20, WIDTH + 20, 8)]
    c.line(pts, cols[0], h * 0.2)
    for x, py in pts[::6]:
        c.polygon([(x, py - h * 0.07), (x + h * 0.07, py), (x, py + h * 0.07), (x - h * 0.07, py)], cols[1])
    for x in frange(period / 4, WIDTH, period / 2):
        c.ellipse(x, y + h * 0.12, h * 0.05, h * 0.05, fill=cols[2])
        c.ellipse(x + period / 4, y + h * 0.88, h * 0.05, h * 0.05, fill=cols[2])


def _band_stripes(c: Canvas, y: float, h: float, cols: Sequence[RGB], rng: random.Random) -> None:
    yy = y
    while yy < y + h:
        t = rng.choice((4, 6, 10, 16))
        c.rect(0, yy, WIDTH, min(y + h, yy + t), fill=rng.choice(cols))
        yy += t + rng.choice((4, 8, 12))


def _band_ikat(c: Canvas, y: float, h: float, cols: Sequence[RGB], rng: random.Random) -> None:
    w = h * 1.1
    for x in frange(-w, WIDTH + w, w):
        j = lambda v: v + rng.uniform(-h * 0.05, h * 0.05)  # noqa: E731 - ikat yarns bleed: ragged edges
        c.polygon([(j(x), j(y + h * 0.1)), (j(x + w / 2), j(y + h / 2)), (j(x), j(y + h * 0.9)),
                   (j(x + w * 0.3), j(y + h / 2))], cols[0])  # fmt: skip
        c.ellipse(x + w * 0.72, y + h / 2, h * 0.1, h * 0.22, fill=cols[1])


_BANDS = (_band_diamonds, _band_hooks, _band_naga, _band_stripes, _band_ikat)


def draw_weave(c: Canvas, rng: random.Random, tint: str) -> None:
    """A hand-woven swatch lying on a table: pattern bands across the cloth, a hem and a fringe."""
    ground, *yarns = TEXTILE_PALETTES[tint]
    linen(c, (226, 214, 192))
    cloth_bottom = 760
    c.rect(0, 0, WIDTH, cloth_bottom, fill=ground)
    y = rng.uniform(30, 60)
    while y < cloth_bottom - 90:
        h = rng.choice((70, 90, 110))
        cols = rng.sample(yarns, 3)
        rng.choice(_BANDS)(c, y, min(h, cloth_bottom - 40 - y), cols, rng)
        y += h
        c.rect(0, y + 8, WIDTH, y + 14, fill=yarns[0])
        y += rng.choice((26, 40, 56))
    for x in range(0, WIDTH, 5):  # the warp and weft show through
        c.line([(x, 0), (x, cloth_bottom)], (255, 255, 255, 16), 1)
    for yy in range(0, cloth_bottom, 5):
        c.line([(0, yy), (WIDTH, yy)], (0, 0, 0, 16), 1)
    c.rect(0, cloth_bottom - 22, WIDTH, cloth_bottom, fill=yarns[0])
    for x in frange(5, WIDTH, 8):
        length = rng.uniform(55, 95)
        c.line([(x, cloth_bottom), (x + rng.uniform(-7, 7), cloth_bottom + length)], shade(ground, 0.92), 3)
    for x in frange(14, WIDTH, 32):
        c.ellipse(x, cloth_bottom + 10, 9, 7, fill=shade(ground, 0.8))


def draw_embroidery(c: Canvas, rng: random.Random, tint: str) -> None:
    """A shoulder bag with a Hmong-style embroidered panel: borders of triangles and a cross-stitch star."""
    ground = TEXTILE_PALETTES[tint][0]
    linen(c, (240, 232, 218))
    bright = [(232, 64, 120), (250, 200, 40), (62, 170, 92), (250, 250, 246), (48, 126, 222), (240, 120, 40)]
    rng.shuffle(bright)
    c.line([(330, 270), (380, 120), (600, 40), (820, 120), (870, 270)], shade(ground, 0.7), 34)
    shadow(c, 600, 840, 330, 30)
    c.rect(300, 240, 900, 830, fill=ground, radius=40)
    c.rect(360, 300, 840, 780, fill=shade(ground, 0.8), radius=10)
    for k, inset in enumerate((0, 26, 52)):  # saw-tooth borders
        x0, y0, x1, y1 = 360 + inset, 300 + inset, 840 - inset, 780 - inset
        col = bright[k]
        for x in frange(x0, x1 - 24, 24):
            c.polygon([(x, y0), (x + 12, y0 + 20), (x + 24, y0)], col)
            c.polygon([(x, y1), (x + 12, y1 - 20), (x + 24, y1)], col)
        for yy in frange(y0, y1 - 24, 24):
            c.polygon([(x0, yy), (x0 + 20, yy + 12), (x0, yy + 24)], col)
            c.polygon([(x1, yy), (x1 - 20, yy + 12), (x1, yy + 24)], col)
    cells, size = 15, 22
    ox, oy = 600 - cells * size / 2, 540 - cells * size / 2
    half = cells // 2
    on = {(i, j) for i in range(half + 1) for j in range(i + 1) if rng.random() < 0.55}
    for i in range(cells):
        for j in range(cells):
            a, b = sorted((abs(i - half), abs(j - half)))
            if (b, a) in on or (a, b) in on:
                col = bright[3 + (max(a, b) % 3)]
                x, y = ox + i * size, oy + j * size
                c.line([(x + 3, y + 3), (x + size - 3, y + size - 3)], col, 5)
                c.line([(x + size - 3, y + 3), (x + 3, y + size - 3)], col, 5)
    spiral = [(600 + 6 * t * math.cos(t), 540 + 6 * t * math.sin(t)) for t in frange(0, 4 * math.pi, 0.2)]
    c.line(spiral, bright[1], 8)


MOTIFS = {
    "weave": (tuple(TEXTILE_PALETTES), draw_weave),
    "embroidery": (("indigo", "black", "red", "green"), draw_embroidery),
}
