"""Herbal photos: balm tins among herbs, bars of soap, incense, candles and agarwood."""

from __future__ import annotations

import math
import random

from app.demo.drawing.canvas import (
    RGB,
    Canvas,
    alpha,
    frange,
    lathe,
    leaf,
    linen,
    rounded_box,
    shade,
    shadow,
    wood_grain,
)

_LIDS: dict[str, RGB] = {"green": (40, 120, 70), "yellow": (220, 170, 40), "red": (180, 40, 40)}


def _tin(c: Canvas, cx: float, cy: float, r: float, lid: RGB) -> None:
    shadow(c, cx + 8, cy + 12, r, r)
    c.ellipse(cx, cy, r, r, fill=(196, 198, 200))
    c.ellipse(cx - 4, cy - 4, r * 0.96, r * 0.96, fill=(226, 228, 230))
    c.ellipse(cx, cy, r * 0.9, r * 0.9, fill=lid)
    c.ellipse(cx, cy, r * 0.66, r * 0.66, fill=(246, 238, 214))
    c.polygon(leaf(cx, cy, r * 0.8, r * 0.36, -35), lid)
    c.line([(cx - r * 0.3, cy + r * 0.22), (cx + r * 0.3, cy - r * 0.2)], (246, 238, 214), 4)


def draw_balm(c: Canvas, rng: random.Random, tint: str) -> None:
    """Herbal balm tins among fresh herbs (with a cloth compress ball for the yellow one)."""
    linen(c, (236, 230, 216))
    lid = _LIDS[tint]
    for _ in range(7):
        x, y = rng.uniform(80, 1120), rng.choice((rng.uniform(60, 200), rng.uniform(700, 860)))
        c.polygon(
            leaf(x, y, rng.uniform(120, 190), 60, rng.uniform(0, 180)), rng.choice([(70, 130, 60), (96, 150, 72)])
        )
    for k in range(3):
        x, y = 1000 + k * 40, 380 + k * 70
        c.ellipse(x, y, 42, 30, fill=(214, 130, 40))
        c.ellipse(x + 40, y + 10, 30, 22, fill=(200, 118, 36))
    if tint == "yellow":
        shadow(c, 420, 520, 230, 200)
        c.ellipse(420, 480, 220, 200, fill=(236, 226, 200))
        c.ellipse(400, 460, 180, 150, fill=(226, 200, 150, 120))
        c.polygon([(360, 270), (420, 200), (480, 270)], (236, 226, 200))
        c.line([(340, 290), (500, 290)], (120, 80, 50), 14)
        _tin(c, 800, 560, 150, lid)
    else:
        _tin(c, 460, 450, 230, lid)
        c.ellipse(830, 560, 170, 170, fill=(196, 198, 200))
        c.ellipse(830, 560, 150, 150, fill=(214, 226, 170) if tint == "green" else (236, 200, 150))
        for k in range(4):
            c.ellipse(830, 560, 120 - k * 28, 100 - k * 24, outline=(255, 255, 255, 90), width=4)


_SOAPS: dict[str, RGB] = {"turmeric": (232, 160, 40), "charcoal": (64, 64, 66), "honey": (220, 150, 50),
                          "lemongrass": (200, 214, 140), "cream": (244, 236, 214)}  # fmt: skip


def draw_soap(c: Canvas, rng: random.Random, tint: str) -> None:
    """Three bars of handmade soap stamped with a leaf, with the herb they are made from."""
    wood_grain(c, rng, (176, 136, 96))
    colour = _SOAPS[tint]
    for k, (x, y, deg) in enumerate(((380, 560, -14), (640, 430, 8), (860, 620, -4))):
        c.polygon(rounded_box(x + 12, y + 16, 300, 200, 40, deg), (0, 0, 0, 60))
        c.polygon(rounded_box(x, y, 300, 200, 40, deg), shade(colour, 0.9 + k * 0.05))
        c.polygon(rounded_box(x - 6, y - 8, 260, 160, 34, deg), shade(colour, 1.06))
        c.polygon(leaf(x - 6, y - 8, 150, 60, deg - 20), alpha(shade(colour, 0.8), 160))
    if tint == "cream":
        for k in range(5):
            x, y = 180 + k * 60, 220 + (k % 2) * 50
            c.ellipse(x, y, 40, 26, fill=(250, 248, 240), outline=(220, 214, 200), width=3)
    else:
        for k in range(4):
            c.polygon(leaf(980 + k * 30, 200 + k * 40, 200, 60, 120 + k * 10), (80 + k * 10, 140, 70))


def draw_incense(c: Canvas, rng: random.Random, tint: str) -> None:
    """Incense sticks with curling smoke, beeswax candles, or agarwood chips in a brass holder."""
    c.gradient((52, 40, 38), (20, 16, 16))
    if tint == "candle":
        for k, (x, h) in enumerate(((360, 420), (600, 520), (840, 360))):
            for g in range(6, 0, -1):
                c.ellipse(x, 780 - h - 40, 40 + g * 22, 50 + g * 24, fill=(255, 200, 100, 10))
            c.rect(x - 80, 780 - h, x + 80, 800, fill=(224, 178, 80) if k != 1 else (236, 196, 100), radius=14)
            for yy in frange(800 - h, 780, 40):
                c.line([(x - 76, yy), (x + 76, yy)], (190, 140, 60, 120), 3)
            c.line([(x, 780 - h), (x, 760 - h)], (40, 30, 20), 5)
            c.polygon(leaf(x, 730 - h, 80, 34, 90), (255, 190, 70))
            c.polygon(leaf(x, 738 - h, 44, 16, 90), (255, 246, 210))
        return
    if tint == "holder":
        shadow(c, 600, 760, 300, 40)
        c.ellipse(600, 640, 300, 80, fill=(176, 130, 50))
        c.polygon(lathe(600, [(640, 300), (700, 250), (760, 180)]), (190, 144, 60))
        c.ellipse(600, 640, 280, 64, fill=(120, 84, 40))
        for _ in range(26):
            x, y = rng.uniform(380, 820), rng.uniform(610, 660)
            c.polygon(rounded_box(x, y, rng.uniform(30, 60), rng.uniform(14, 22), 6, rng.uniform(0, 180)),
                      rng.choice([(70, 40, 24), (96, 56, 30), (54, 30, 18)]))  # fmt: skip
        base = (600, 620)
    else:  # sticks
        c.ellipse(600, 820, 120, 30, fill=(90, 60, 40))
        base = (600, 810)
    for k in range(11):
        a = math.radians(-90 + (k - 5) * 5)
        tip = (base[0] + math.cos(a) * 620, base[1] + math.sin(a) * 620)
        mid = (base[0] + math.cos(a) * 240, base[1] + math.sin(a) * 240)
        c.line([base, mid], (200, 170, 120), 7)
        c.line([mid, tip], (140, 60, 40), 10)
        c.ellipse(tip[0], tip[1], 8, 8, fill=(255, 140, 50))
        if k % 3 == 0:
            smoke = [(tip[0] + math.sin(t / 30) * (t / 6), tip[1] - t) for t in range(0, int(tip[1]), 12)]
            c.line(smoke, (255, 255, 255, 50), 6)


MOTIFS = {
    "balm": (tuple(_LIDS), draw_balm),
    "soap": (tuple(_SOAPS), draw_soap),
    "incense": (("sticks", "candle", "holder"), draw_incense),
}
