"""Handicraft photos: bamboo and rattan, carved wood, pottery, silver, mulberry paper."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from app.demo.drawing.canvas import (
    HEIGHT,
    RGB,
    WIDTH,
    Canvas,
    Colour,
    alpha,
    frange,
    lathe,
    leaf,
    linen,
    mix,
    radius_at,
    rotate,
    rounded_box,
    shade,
    shadow,
    wood_grain,
)

# ---- baskets, wood, pottery, silver --------------------------------------------------------------------


def _twill(c: Canvas, light: RGB, dark: RGB, strip: float = 36) -> None:
    rows, cols = int(HEIGHT / strip) + 2, int(WIDTH / strip) + 2
    for i in range(rows):
        c.rect(0, i * strip + 2, WIDTH, (i + 1) * strip - 2, fill=light)
    for j in range(cols):
        for i in range(rows):
            if (i + j // 2) % 2 == 0:  # a 2/2 twill: each vertical strip goes over two, under two
                c.rect(j * strip + 2, i * strip - 2, (j + 1) * strip - 2, (i + 1) * strip + 2, fill=dark, radius=3)
    for i in range(rows):
        c.line([(0, i * strip), (WIDTH, i * strip)], (0, 0, 0, 50), 3)


def draw_basket(c: Canvas, rng: random.Random, tint: str) -> None:
    """A close-up of twill-woven bamboo, a tip khao sticky-rice basket, or a round woven tray."""
    light, dark = (226, 200, 144), (172, 136, 86)
    if tint == "weave":
        _twill(c, light, dark)
        return
    linen(c, (240, 232, 214))
    if tint == "kratip":
        body = [(300, 175), (360, 200), (520, 205), (640, 185), (720, 150), (760, 150), (780, 160)]
        lid = [(160, 150), (190, 185), (330, 200)]
        shadow(c, 600, 790, 210, 30)
        c.line([(412, 440), (380, 250), (600, 80), (820, 250), (788, 440)], (110, 80, 50), 10)  # the carrying cord
        c.fill_shape(lambda m: m.polygon(lathe(600, body), 255), lambda p: _twill(p, light, dark, 22), light)
        c.line([*lathe(600, body), lathe(600, body)[0]], shade(dark, 0.7), 5)
        c.fill_shape(lambda m: m.polygon(lathe(600, lid), 255), lambda p: _twill(p, dark, light, 22), dark)
        c.line([*lathe(600, lid), lathe(600, lid)[0]], shade(dark, 0.6), 5)
        c.rect(450, 760, 750, 796, fill=shade(dark, 0.7), radius=10)  # the rattan foot
        for x in (405, 795):
            c.ellipse(x, 440, 12, 12, fill=(110, 80, 50))
    else:  # tray
        shadow(c, 600, 470, 400, 400)
        for k, r in enumerate(range(390, 20, -18)):
            c.ellipse(600, 450, r, r, fill=light if k % 2 else dark)
        for k in range(48):
            cos, sin = math.cos(2 * math.pi * k / 48), math.sin(2 * math.pi * k / 48)
            c.line([(600 + 20 * cos, 450 + 20 * sin), (600 + 380 * cos, 450 + 380 * sin)], (0, 0, 0, 40), 4)
        c.ellipse(600, 450, 392, 392, outline=shade(dark, 0.7), width=22)


def _grain(p: Canvas, rng: random.Random, colour: RGB) -> None:
    for k in range(0, HEIGHT, 9):
        amp, period = rng.uniform(3, 12), rng.uniform(200, 500)
        p.line([(x, k + amp * math.sin(x / period * 6.28 + k)) for x in range(0, WIDTH + 20, 20)],
               alpha(shade(colour, rng.uniform(0.75, 1.2)), 120), rng.uniform(2, 5))  # fmt: skip


def _elephant(m: Canvas, fill: Colour | int) -> None:
    m.ellipse(560, 470, 250, 165, fill=fill)
    m.ellipse(800, 390, 120, 118, fill=fill)
    for x0, y0 in ((390, 540), (480, 560), (620, 560), (700, 540)):
        m.rect(x0, y0, x0 + 78, 770, fill=fill, radius=24)
    trunk = [(880, 420), (915, 500), (925, 590), (905, 680), (870, 730)]
    for k in range(len(trunk) - 1):
        m.line(trunk[k : k + 2], fill, 62 - k * 9)
    m.line([(315, 430), (290, 560)], fill, 14)


def draw_wood(c: Canvas, rng: random.Random, tint: str) -> None:
    """A carved elephant, a serving tray or a turned bowl, in oiled wood on linen."""
    linen(c, (236, 228, 212))
    wood = (150, 92, 48)
    if tint == "elephant":
        shadow(c, 560, 775, 330, 26)
        c.fill_shape(lambda m: _elephant(m, 255), lambda p: _grain(p, rng, wood), wood)
        c.ellipse(760, 390, 70, 95, fill=alpha(shade(wood, 0.7), 160))
        c.polygon([(880, 500), (960, 520), (990, 480), (960, 500)], (246, 240, 226))
        c.ellipse(845, 360, 9, 9, fill=(40, 26, 16))
    elif tint == "tray":
        shadow(c, 600, 480, 470, 300)
        box = rounded_box(600, 450, 900, 560, 60, -6)
        c.fill_shape(lambda m: m.polygon(box, 255), lambda p: _grain(p, rng, wood), wood)
        c.polygon(rounded_box(600, 450, 820, 480, 44, -6), alpha(shade(wood, 0.8), 90))
        for x in (230, 970):
            c.polygon(rounded_box(x, 450 + (x - 600) * 0.1, 24, 120, 12, -6), (236, 228, 212))
    else:  # bowl
        profile = [(380, 330), (470, 320), (580, 260), (640, 160), (660, 130)]
        shadow(c, 600, 660, 260, 30)
        c.fill_shape(lambda m: m.polygon(lathe(600, profile), 255), lambda p: _grain(p, rng, wood), wood)
        c.ellipse(600, 380, 330, 60, fill=shade(wood, 0.7))
        c.ellipse(600, 388, 300, 48, fill=shade(wood, 0.85))


def draw_pottery(c: Canvas, rng: random.Random, tint: str) -> None:
    """Hand-built earthenware: a water jar, a set of glazed cups, or a tall vase."""
    c.gradient((236, 222, 200), (206, 186, 156))
    c.rect(0, 760, WIDTH, HEIGHT, fill=(180, 156, 124))
    clay = (176, 92, 56)

    def turned(cx: float, profile: list[tuple[float, float]], colour: RGB, bands: Sequence[float]) -> None:
        shadow(c, cx + 20, profile[-1][0], profile[-1][1] * 1.3, 22)
        c.polygon(lathe(cx, profile), colour)
        for y in bands:
            r = radius_at(profile, y)
            c.line([(cx - r * 0.96, y), (cx + r * 0.96, y)], shade(colour, 0.75), 5)
        highlight = [(cx - r * 0.7, y) for y, r in profile] + [(cx - r * 0.45, y) for y, r in reversed(profile)]
        c.polygon(highlight, (255, 255, 255, 36))
        c.ellipse(cx, profile[0][0], profile[0][1], profile[0][1] * 0.22, fill=shade(colour, 0.55))

    if tint == "jar":
        turned(560, [(200, 105), (230, 90), (280, 110), (380, 220), (500, 240), (640, 190), (760, 120)], clay,
               (300, 330, 560, 590))  # fmt: skip
        turned(930, [(560, 60), (580, 56), (640, 70), (720, 72), (770, 56)], shade(clay, 1.08), (620,))
    elif tint == "cups":
        glaze = (110, 60, 30)
        for k, cx in enumerate((260, 480, 720, 940)):
            top = 430 + (k % 2) * 40
            turned(cx, [(top, 95), (top + 150, 88), (top + 280, 70), (top + 300, 60)], shade(glaze, 1 + k * 0.06),
                   (top + 200,))  # fmt: skip
            for d in range(6):
                c.line([(cx - 80 + d * 30, top + 14), (cx - 80 + d * 30, top + 40 + rng.uniform(0, 40))],
                       (200, 150, 90, 140), 8)  # fmt: skip
    else:  # vase
        turned(600, [(120, 80), (160, 60), (260, 70), (420, 170), (600, 190), (700, 150), (760, 110)], clay,
               (430, 470))  # fmt: skip
        for x in frange(460, 740, 40):
            c.polygon([(x, 520), (x + 20, 560), (x + 40, 520)], shade(clay, 0.7))


def _silver_pattern(p: Canvas) -> None:
    for x in range(0, WIDTH, 6):
        level = 0.5 + 0.5 * math.cos((x - 480) / 260)
        p.rect(x, 0, x + 6, HEIGHT, fill=mix((120, 122, 128), (238, 240, 244), level))


def _repousse(c: Canvas, cx: float, cy: float, rx: float, ry: float, count: int) -> None:
    for k in range(count):
        a = 2 * math.pi * k / count
        x, y = cx + rx * math.cos(a), cy + ry * math.sin(a)
        c.ellipse(x, y, 12, 12, fill=(150, 152, 158))
        c.ellipse(x - 4, y - 4, 5, 5, fill=(255, 255, 255, 200))


def draw_silver(c: Canvas, rng: random.Random, tint: str) -> None:
    """Chased silver on velvet: an offering bowl, bracelets, or both."""
    c.gradient((112, 22, 34), (52, 10, 18))
    if tint in ("bowl", "set"):
        cx, scale = (600, 1.0) if tint == "bowl" else (470, 0.8)
        profile = [(330, 280), (420, 270), (520, 220), (590, 150), (610, 130)]
        profile = [(330 + (y - 330) * scale, r * scale) for y, r in profile]
        shadow(c, cx, profile[-1][0], 200 * scale, 26)
        c.fill_shape(lambda m: m.polygon(lathe(cx, profile), 255), _silver_pattern, (200, 200, 204))
        c.ellipse(cx, profile[0][0], profile[0][1], 60 * scale, fill=(170, 172, 178))
        c.ellipse(cx, profile[0][0] + 6, profile[0][1] * 0.93, 50 * scale, fill=(110, 112, 118))
        for row in (0.35, 0.6):
            y = profile[0][0] + (profile[-1][0] - profile[0][0]) * row
            r = radius_at(profile, y) * 0.9
            for k in range(9):
                x = cx - r + 2 * r * (k + 0.5) / 9
                c.ellipse(x, y, 14 * scale, 14 * scale, fill=(140, 142, 148))
                c.ellipse(x - 5, y - 5, 6 * scale, 6 * scale, fill=(255, 255, 255, 190))
    if tint in ("bracelet", "set"):
        spots = ((600, 420), (640, 560)) if tint == "bracelet" else ((900, 600),)
        for cx, cy in spots:
            shadow(c, cx, cy + 40, 240, 110)
            c.ellipse(cx, cy, 235, 115, fill=(214, 216, 222))
            c.ellipse(cx, cy - 8, 235, 107, outline=(250, 250, 252), width=6)
            c.ellipse(cx, cy, 185, 75, fill=(88, 16, 26))
            _repousse(c, cx, cy, 210, 95, 26)


# ---- paper, herbal, soaps, aromatics -------------------------------------------------------------------


def _flower(c: Canvas, x: float, y: float, r: float, colour: RGB) -> None:
    for k in range(5):
        a = 2 * math.pi * k / 5
        c.ellipse(x + r * math.cos(a), y + r * math.sin(a), r * 0.75, r * 0.75, fill=alpha(colour, 210))
    c.ellipse(x, y, r * 0.5, r * 0.5, fill=(250, 210, 80, 230))


def _paper_sheet(c: Canvas, rng: random.Random, cx: float, cy: float, w: float, h: float, deg: float, col: RGB):
    c.polygon(rounded_box(cx + 10, cy + 12, w, h, 6, deg), (0, 0, 0, 50))
    c.polygon(rounded_box(cx, cy, w, h, 6, deg), col)
    for _ in range(70):
        x, y, a = cx + rng.uniform(-w / 2.3, w / 2.3), cy + rng.uniform(-h / 2.3, h / 2.3), rng.uniform(0, 6.28)
        c.line([(x, y), (x + 30 * math.cos(a), y + 30 * math.sin(a))], alpha(shade(col, 0.8), 70), 2)
    for _ in range(5):
        x, y = cx + rng.uniform(-w / 3, w / 3), cy + rng.uniform(-h / 3, h / 3)
        _flower(c, x, y, rng.uniform(12, 22), rng.choice([(230, 110, 150), (250, 190, 60), (150, 100, 200)]))
        c.polygon(leaf(x + 40, y + 20, 60, 22, rng.uniform(0, 180)), (96, 150, 80, 200))


def draw_paper(c: Canvas, rng: random.Random, tint: str) -> None:
    """Handmade saa paper with pressed flowers, a hand-bound notebook, or glowing paper lanterns."""
    if tint == "lantern":
        c.gradient((40, 30, 56), (18, 14, 28))
        for cx, cy, s in ((420, 430, 1.0), (820, 380, 0.8)):
            c.line([(cx, 0), (cx, cy - 230 * s)], (120, 110, 100), 4)
            for k in range(6, 0, -1):
                c.ellipse(cx, cy, 250 * s * (1 + k * 0.08), 230 * s * (1 + k * 0.08), fill=(250, 190, 100, 14))
            c.ellipse(cx, cy, 200 * s, 230 * s, fill=(248, 206, 130))
            for k in range(-3, 4):
                c.ellipse(cx, cy, abs(k) * 60 * s + 4, 230 * s, outline=(200, 130, 60), width=3)
            c.rect(cx - 70 * s, cy - 250 * s, cx + 70 * s, cy - 220 * s, fill=(150, 30, 40), radius=6)
            c.rect(cx - 70 * s, cy + 220 * s, cx + 70 * s, cy + 250 * s, fill=(150, 30, 40), radius=6)
            c.line([(cx, cy + 250 * s), (cx, cy + 330 * s)], (200, 40, 50), 8)
        return
    wood_grain(c, rng, (150, 110, 70))
    if tint == "sheets":
        for k, col in enumerate(((246, 238, 220), (244, 214, 214), (222, 236, 212))):
            _paper_sheet(c, rng, 480 + k * 130, 420 + k * 40, 620, 480, -12 + k * 9, col)
    else:  # notebook
        _paper_sheet(c, rng, 840, 480, 420, 540, 8, (244, 236, 214))
        shadow(c, 480, 470, 280, 320)
        _paper_sheet(c, rng, 460, 450, 440, 580, -4, (222, 206, 176))
        spine = rotate([(260, 190), (260, 710)], -4, 460, 450)
        for k in range(9):
            t = (k + 0.5) / 9
            x, y = spine[0][0] + (spine[1][0] - spine[0][0]) * t, spine[0][1] + (spine[1][1] - spine[0][1]) * t
            c.line([(x - 12, y), (x + 12, y)], (120, 60, 40), 6)


MOTIFS = {
    "basket": (("kratip", "weave", "tray"), draw_basket),
    "wood": (("elephant", "tray", "bowl"), draw_wood),
    "pottery": (("jar", "cups", "vase"), draw_pottery),
    "silver": (("bowl", "bracelet", "set"), draw_silver),
    "paper": (("sheets", "notebook", "lantern"), draw_paper),
}
