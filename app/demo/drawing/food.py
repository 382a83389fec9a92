"""Food and drink photos: coffee, tea, honey, jars of jeow and padaek, bottles, rice, sausages, dried food."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from app.demo.drawing.canvas import (
    HEIGHT,
    RGB,
    WIDTH,
    Canvas,
    Colour,
    alpha,
    frange,
    leaf,
    linen,
    oval,
    rotate,
    rounded_box,
    shade,
    shadow,
    wood_grain,
)

# ---- coffee, tea ----------------------------------------------------------------------------------------


def _bean(c: Canvas, cx: float, cy: float, size: float, degrees: float, colour: RGB) -> None:
    c.polygon(oval(cx, cy, size, size * 0.72, degrees, 24), colour)
    c.polygon(oval(cx - size * 0.2, cy - size * 0.2, size * 0.5, size * 0.3, degrees, 16), alpha((255, 255, 255), 28))
    crease = [(t * size * 0.85, math.sin(t * math.pi) * size * 0.14) for t in frange(-1, 1, 0.2)]
    c.line(rotate([(cx + x, cy + y) for x, y in crease], degrees, cx, cy), shade(colour, 0.45), size * 0.13)


def _scatter_beans(c: Canvas, rng: random.Random, count: int, avoid: Callable[[float, float], bool]) -> None:
    roasts = [(96, 56, 30), (80, 46, 24), (112, 66, 36), (70, 40, 20)]
    for _ in range(count * 4):
        if count <= 0:
            break
        x, y = rng.uniform(-20, WIDTH + 20), rng.uniform(-20, HEIGHT + 20)
        if avoid(x, y):
            continue
        _bean(c, x, y, rng.uniform(26, 36), rng.uniform(0, 180), rng.choice(roasts))
        count -= 1


def draw_coffee(c: Canvas, rng: random.Random, variant: str) -> None:
    """Roasted beans around a cup of Lao coffee, a kraft bag of beans, or an open sack."""
    if variant == "cup":
        wood_grain(c, rng, (112, 72, 44))
        _scatter_beans(c, rng, 60, lambda x, y: math.hypot(x - 640, y - 450) < 290)
        shadow(c, 655, 470, 265, 255)
        c.ellipse(640, 450, 255, 255, fill=(245, 243, 238))
        c.ellipse(640, 450, 225, 225, outline=(225, 220, 212), width=4)
        c.ellipse(640, 450, 165, 165, fill=(252, 251, 249))
        c.ellipse(640, 450, 138, 138, fill=(74, 42, 22))
        c.ellipse(640, 450, 126, 126, fill=(150, 100, 58))
        c.ellipse(640, 450, 104, 104, fill=(118, 74, 40))
        cream = (236, 214, 180)
        c.ellipse(612, 430, 34, 34, fill=cream)
        c.ellipse(668, 430, 34, 34, fill=cream)
        c.polygon([(580, 444), (700, 444), (640, 510)], cream)
        c.rect(800, 430, 905, 470, fill=(250, 250, 248), radius=20)  # the cup's handle
    elif variant == "bag":
        linen(c, (236, 226, 208))
        _scatter_beans(c, rng, 90, lambda x, y: x > 640)
        shadow(c, 860, 815, 190, 26)
        kraft = (196, 160, 112)
        c.rect(700, 200, 1020, 810, fill=kraft, radius=12)
        c.polygon([(700, 200), (730, 150), (990, 150), (1020, 200)], shade(kraft, 0.85))
        for x in frange(700, 1000, 20):
            c.polygon([(x, 200), (x + 10, 184), (x + 20, 200)], shade(kraft, 0.75))
        c.ellipse(860, 470, 110, 110, fill=(246, 238, 220), outline=(90, 55, 30), width=6)
        _bean(c, 860, 470, 50, 35, (90, 52, 28))
        c.rect(760, 620, 960, 640, fill=(90, 55, 30), radius=8)
        c.rect(790, 660, 930, 676, fill=(150, 110, 70), radius=8)
    else:  # sack
        c.rect(0, 0, WIDTH, HEIGHT, fill=(186, 156, 114))
        for x in range(0, WIDTH, 10):
            c.line([(x, 0), (x, HEIGHT)], (150, 120, 80, 70), 3)
        for y in range(0, HEIGHT, 10):
            c.line([(0, y), (WIDTH, y)], (220, 196, 150, 60), 3)
        c.ellipse(600, 470, 380, 330, fill=(150, 122, 86))
        c.ellipse(600, 470, 340, 292, fill=(60, 34, 18))
        _scatter_beans(c, rng, 260, lambda x, y: ((x - 600) / 330) ** 2 + ((y - 470) / 282) ** 2 > 1)


def _tea_leaf(c: Canvas, cx: float, cy: float, length: float, degrees: float, colour: RGB) -> None:
    c.polygon(leaf(cx, cy, length, length * 0.42, degrees), colour)
    a = math.radians(degrees)
    dx, dy = math.cos(a) * length / 2, math.sin(a) * length / 2
    c.line([(cx - dx * 0.9, cy - dy * 0.9), (cx + dx * 0.9, cy + dy * 0.9)], shade(colour, 1.25), length * 0.03)


def _sprig(c: Canvas, rng: random.Random, x: float, y: float, degrees: float, leaves: int) -> None:
    greens = [(58, 120, 60), (74, 140, 68), (92, 156, 76), (46, 104, 52)]
    a = math.radians(degrees)
    step = 70
    pts = [(x + math.cos(a) * step * i + math.sin(i * 0.6) * 8, y + math.sin(a) * step * i) for i in range(leaves + 1)]
    c.line(pts, (96, 110, 60), 8)
    for i, (px, py) in enumerate(pts[1:], 1):
        side = 1 if i % 2 else -1
        size = 150 - i * 8
        lx = px + math.cos(a + side * 1.0) * size * 0.5
        ly = py + math.sin(a + side * 1.0) * size * 0.5
        _tea_leaf(c, lx, ly, size, degrees + side * 57, rng.choice(greens))
    tip = pts[-1]
    _tea_leaf(c, tip[0] + math.cos(a) * 40, tip[1] + math.sin(a) * 40, 80, degrees, (150, 196, 110))


def draw_tea(c: Canvas, rng: random.Random, variant: str) -> None:
    """Fresh sprigs by a cup of tea, a clay teapot with rolled leaves, or a pressed tea cake in its paper."""
    if variant == "cup":
        c.gradient((232, 240, 226), (206, 222, 200))
        _sprig(c, rng, 120, 820, -55, 6)
        _sprig(c, rng, 60, 560, -25, 5)
        shadow(c, 830, 470, 200, 195)
        c.ellipse(820, 450, 190, 190, fill=(214, 228, 214))
        c.ellipse(820, 450, 158, 158, fill=(200, 176, 86))
        c.ellipse(790, 420, 60, 30, fill=(255, 255, 255, 60))
    elif variant == "teapot":
        c.gradient((244, 236, 214), (224, 210, 184))
        for _ in range(160):
            x, y = rng.gauss(330, 130), rng.gauss(650, 70)
            a = rng.uniform(0, 6.28)
            pts = [(x + math.cos(a + t) * 16 * t, y + math.sin(a + t) * 8 * t) for t in (0, 0.5, 1, 1.5)]
            c.line(pts, rng.choice([(60, 72, 40), (48, 56, 30), (78, 84, 46)]), 9)
        shadow(c, 800, 760, 230, 40)
        clay = (150, 80, 50)
        c.polygon([(960, 540), (1110, 380), (1130, 400), (1000, 600)], clay)
        c.ellipse(640, 560, 70, 110, outline=clay, width=26)
        c.ellipse(800, 590, 200, 170, fill=clay)
        c.ellipse(800, 440, 110, 34, fill=shade(clay, 0.85))
        c.ellipse(800, 410, 26, 26, fill=shade(clay, 0.8))
        c.ellipse(730, 540, 50, 90, fill=(255, 255, 255, 35))
        for k in range(3):
            _tea_leaf(c, 180 + k * 110, 260 + k * 30, 170, -30 + k * 25, (70 + k * 12, 136, 70))
    else:  # cake
        wood_grain(c, rng, (90, 64, 44))
        paper = (236, 226, 200)
        pts = [(600 + 360 * math.cos(t) + rng.uniform(-30, 30), 460 + 330 * math.sin(t) + rng.uniform(-30, 30))
               for t in frange(0, 6.2, 0.35)]  # fmt: skip
        c.polygon(pts, paper)
        c.ellipse(600, 460, 270, 270, fill=(116, 90, 56))
        for _ in range(900):
            r, t = 262 * math.sqrt(rng.random()), rng.uniform(0, 6.28)
            x, y = 600 + r * math.cos(t), 460 + r * math.sin(t)
            a = rng.uniform(0, 6.28)
            col = rng.choice([(86, 64, 38), (140, 112, 70), (100, 78, 46), (160, 128, 80)])
            c.line([(x, y), (x + 14 * math.cos(a), y + 14 * math.sin(a))], col, 4)
        c.ellipse(600, 460, 26, 26, fill=(80, 58, 34))
        c.rect(530, 250, 670, 330, fill=(178, 34, 40), outline=(250, 240, 220), width=6)


# ---- honey, jars, bottles -------------------------------------------------------------------------------


def _hex_grid(c: Canvas, rng: random.Random, colour: RGB, fill_chance: float) -> None:
    r = 46
    for row in range(-1, int(HEIGHT / (r * 1.5)) + 2):
        for col in range(-1, int(WIDTH / (r * 1.732)) + 2):
            cx = col * r * 1.732 + (r * 0.866 if row % 2 else 0)
            cy = row * r * 1.5
            pts = [(cx + r * math.cos(math.radians(60 * k + 30)), cy + r * math.sin(math.radians(60 * k + 30)))
                   for k in range(6)]  # fmt: skip
            if rng.random() < fill_chance:
                c.polygon(pts, alpha(shade(colour, 1.1), 120))
            c.line([*pts, pts[0]], alpha(shade(colour, 0.7), 140), 5)


def _jar(c: Canvas, cx: float, top: float, bottom: float, half: float, contents: Colour, lid: RGB) -> None:
    shadow(c, cx, bottom, half * 1.05, 26)
    c.rect(cx - half, top, cx + half, bottom, fill=(255, 255, 255, 70), radius=half * 0.35)
    c.rect(cx - half + 10, top + 40, cx + half - 10, bottom - 10, fill=contents, radius=half * 0.3)
    c.rect(cx - half * 0.75, top + 50, cx - half * 0.55, bottom - 50, fill=(255, 255, 255, 70), radius=12)
    c.rect(cx - half * 0.92, top - 60, cx + half * 0.92, top + 8, fill=lid, radius=12)
    for x in frange(cx - half * 0.85, cx + half * 0.85, 18):
        c.line([(x, top - 54), (x, top + 2)], alpha(shade(lid, 0.75), 160), 4)


def draw_honey(c: Canvas, rng: random.Random, variant: str) -> None:
    """A jar of golden honey against honeycomb, with a dipper or a piece of comb."""
    c.gradient((250, 222, 130), (232, 170, 56))
    _hex_grid(c, rng, (236, 176, 60), 0.2)
    amber = (214, 138, 20, 238)
    if variant == "dipper":
        _jar(c, 560, 330, 820, 190, amber, (120, 70, 30))
        c.line([(900, 120), (700, 420)], (150, 100, 50), 18)
        for k in range(5):
            c.ellipse(690 - k * 8, 430 + k * 18, 40 - k * 3, 16, fill=(170, 112, 56))
        c.polygon([(640, 480), (676, 480), (664, 560), (652, 560)], (220, 150, 30, 230))
    elif variant == "comb":
        _jar(c, 820, 300, 800, 170, amber, (176, 40, 40))
        comb = [(120, 520), (300, 430), (560, 470), (600, 700), (380, 800), (150, 740)]
        shadow(c, 370, 790, 260, 30)
        c.polygon(comb, (232, 170, 40))
        for x in frange(150, 580, 40):
            for y in frange(470, 780, 35):
                c.polygon(oval(x + (20 if int(y / 35) % 2 else 0), y, 16, 14, 0, 6), (246, 196, 70, 200))
    else:  # jar
        _jar(c, 600, 300, 820, 210, amber, (120, 70, 30))
        c.ellipse(600, 580, 130, 86, fill=(248, 238, 210), outline=(120, 70, 30), width=5)
        c.ellipse(600, 580, 40, 26, fill=(240, 190, 30))
        for k in (-1, 0, 1):
            c.line([(600 + k * 16, 556), (600 + k * 16, 604)], (40, 30, 20), 6)
        c.ellipse(580, 548, 24, 14, fill=(255, 255, 255, 180))
        c.ellipse(620, 548, 24, 14, fill=(255, 255, 255, 180))


_JAR_FILLINGS: dict[str, RGB] = {"red": (170, 40, 30), "brown": (120, 84, 50), "spice": (110, 60, 42)}


def _chilli(c: Canvas, x: float, y: float, degrees: float, colour: RGB) -> None:
    c.polygon(leaf(x, y, 150, 34, degrees), colour)
    a = math.radians(degrees)
    c.line([(x - math.cos(a) * 75, y - math.sin(a) * 75), (x - math.cos(a) * 100, y - math.sin(a) * 95)],
           (60, 120, 50), 9)  # fmt: skip


def draw_jar(c: Canvas, rng: random.Random, tint: str) -> None:
    """A jar of chilli paste, fish sauce or spices among its ingredients on a checked cloth."""
    cloth = {"red": (236, 226, 210), "brown": (226, 216, 196), "spice": (232, 224, 206)}[tint]
    c.rect(0, 0, WIDTH, HEIGHT, fill=cloth)
    check = {"red": (200, 60, 50), "brown": (60, 100, 140), "spice": (70, 130, 80)}[tint]
    for x in range(0, WIDTH, 80):
        c.rect(x, 0, x + 36, HEIGHT, fill=alpha(check, 50))
    for y in range(0, HEIGHT, 80):
        c.rect(0, y, WIDTH, y + 36, fill=alpha(check, 50))
    filling = _JAR_FILLINGS[tint]
    _jar(c, 600, 300, 800, 180, alpha(filling, 240), (200, 160, 60))
    for _ in range(120):
        x, y = rng.uniform(440, 760), rng.uniform(360, 780)
        c.ellipse(x, y, 5, 4, fill=alpha(shade(filling, rng.uniform(0.6, 1.5)), 200))
    c.rect(480, 500, 720, 620, fill=(246, 240, 226), radius=10, outline=shade(filling, 0.8), width=4)
    c.ellipse(600, 560, 36, 36, fill=filling)
    for _ in range(9):
        x = rng.choice((rng.uniform(80, 360), rng.uniform(840, 1120)))
        y = rng.uniform(120, 820)
        if tint == "red":
            _chilli(c, x, y, rng.uniform(0, 180), rng.choice([(196, 30, 30), (220, 50, 30), (170, 20, 24)]))
        elif tint == "brown":
            body = oval(x, y, 80, 28, rng.uniform(-20, 20))
            c.polygon(body, (176, 184, 190))
            c.polygon([(x + 70, y), (x + 110, y - 30), (x + 110, y + 30)], (150, 160, 168))
            c.ellipse(x - 52, y - 6, 6, 6, fill=(40, 40, 44))
        else:
            for _ in range(8):
                px, py = x + rng.uniform(-50, 50), y + rng.uniform(-50, 50)
                c.ellipse(px, py, 11, 11, fill=(120, 50, 36))
                c.ellipse(px - 3, py - 3, 4, 4, fill=(255, 255, 255, 90))
            c.polygon(leaf(x, y + 60, 70, 34, rng.uniform(0, 180)), (150, 176, 110))


_LIQUIDS: dict[str, tuple[Colour, RGB, RGB, RGB]] = {
    # liquid, cap, background top, background bottom
    "clear": ((235, 235, 225, 110), (176, 40, 40), (228, 222, 210), (196, 186, 166)),
    "milky": ((242, 238, 222, 235), (60, 110, 70), (214, 224, 232), (180, 192, 204)),
    "red": ((118, 20, 42, 240), (200, 160, 60), (74, 34, 44), (40, 18, 24)),
    "orange": ((246, 160, 30, 240), (60, 110, 70), (250, 232, 184), (238, 196, 116)),
}


def draw_bottle(c: Canvas, rng: random.Random, tint: str) -> None:
    """A labelled bottle and a glass: rice spirit, sato, fruit wine or passion-fruit juice."""
    liquid, cap, top, bottom = _LIQUIDS[tint]
    c.gradient(top, bottom)
    c.rect(0, 780, WIDTH, HEIGHT, fill=alpha(shade(bottom, 0.8), 160))
    shadow(c, 480, 820, 130, 20)
    glass = (255, 255, 255, 70)
    c.rect(380, 300, 580, 820, fill=glass, radius=30)
    c.polygon([(380, 310), (450, 220), (510, 220), (580, 310)], glass)
    c.rect(450, 120, 510, 230, fill=glass)
    c.rect(390, 340, 570, 810, fill=liquid, radius=24)
    c.rect(444, 90, 516, 134, fill=cap, radius=6)
    c.rect(400, 360, 420, 780, fill=(255, 255, 255, 80), radius=8)
    c.rect(395, 480, 565, 650, fill=(246, 238, 218), radius=6)
    c.line([(480, 620), (480, 510)], (150, 120, 60), 5)
    for k in range(5):
        c.polygon(leaf(468, 600 - k * 20, 26, 12, -60), (200, 160, 60))
        c.polygon(leaf(492, 600 - k * 20, 26, 12, 60), (200, 160, 60))
    shadow(c, 760, 810, 80, 14)
    c.polygon([(690, 560), (830, 560), (815, 805), (705, 805)], glass)
    c.polygon([(697, 640), (823, 640), (815, 800), (705, 800)], liquid)
    c.line([(690, 560), (705, 805), (815, 805), (830, 560)], (255, 255, 255, 150), 4)
    if tint == "orange":
        for x, y in ((960, 720), (1060, 640)):
            c.ellipse(x, y, 80, 80, fill=(96, 40, 84))
            c.ellipse(x, y, 64, 64, fill=(240, 196, 60))
            for _ in range(25):
                c.ellipse(x + rng.uniform(-45, 45), y + rng.uniform(-45, 45), 6, 6, fill=(70, 44, 20))
    elif tint == "red":
        for _ in range(40):
            c.ellipse(rng.gauss(990, 50), rng.gauss(740, 30), 14, 14, fill=rng.choice([(70, 20, 60), (110, 30, 70)]))
    else:
        for _ in range(140):
            x, y = rng.gauss(990, 70), rng.gauss(780, 30)
            c.polygon(oval(x, y, 9, 4, rng.uniform(0, 180), 8), (250, 248, 240))


# ---- rice, sausages, dried foods ------------------------------------------------------------------------


def _banana_leaf(c: Canvas, rng: random.Random) -> None:
    c.polygon(rounded_box(600, 470, 1060, 720, 160, -4), (70, 130, 60))
    c.line(rotate([(90, 470), (1110, 470)], -4, 600, 470), (120, 176, 96), 10)
    for x in frange(130, 1080, 38):
        c.line(rotate([(x, 130), (x, 810)], -4, 600, 470), (56, 112, 48, 160), 3)


def draw_rice(c: Canvas, rng: random.Random, tint: str) -> None:
    """Rice crackers on a banana leaf, a bowl of purple sticky rice, or white sticky rice and its basket."""
    linen(c, (238, 230, 210))
    _banana_leaf(c, rng)
    if tint == "crackers":
        for _ in range(8):
            x, y, r = rng.uniform(260, 940), rng.uniform(250, 690), rng.uniform(95, 125)
            c.ellipse(x + 6, y + 8, r, r, fill=(0, 0, 0, 50))
            c.ellipse(x, y, r, r, fill=(228, 192, 120))
            c.ellipse(x, y, r * 0.82, r * 0.82, fill=(236, 204, 138))
            pts = [(x - r * 0.7 + i * r * 0.2, y + rng.uniform(-r * 0.5, r * 0.5)) for i in range(8)]
            c.line(pts, (176, 104, 40, 200), 7)
            for _ in range(14):
                c.polygon(oval(x + rng.uniform(-r * 0.7, r * 0.7), y + rng.uniform(-r * 0.7, r * 0.7), 5, 2.5,
                               rng.uniform(0, 180), 8), (40, 34, 30))  # fmt: skip
    else:
        grains = [(70, 30, 60), (90, 40, 80), (50, 20, 40)] if tint == "purple" else [(250, 248, 240), (236, 232, 220)]
        shadow(c, 600, 500, 300, 300)
        c.ellipse(600, 470, 300, 300, fill=(244, 242, 236))
        c.ellipse(600, 470, 262, 262, fill=(228, 224, 214))
        for _ in range(1300):
            r, t = 250 * math.sqrt(rng.random()), rng.uniform(0, 6.28)
            c.polygon(oval(600 + r * math.cos(t), 470 + r * math.sin(t), 10, 4.5, rng.uniform(0, 180), 8),
                      rng.choice(grains))  # fmt: skip
        for _ in range(80):
            x, y = rng.gauss(980, 60), rng.gauss(720, 40)
            c.polygon(oval(x, y, 10, 4.5, rng.uniform(0, 180), 8), rng.choice(grains))


def draw_sausage(c: Canvas, rng: random.Random, tint: str) -> None:
    """A coil of herb sausage, strips of sweet dried beef, or sausage slices on a chopping board."""
    c.gradient((70, 58, 48), (40, 32, 26))
    shadow(c, 600, 480, 520, 380)
    c.ellipse(600, 460, 520, 380, fill=(176, 128, 80))
    c.ellipse(600, 460, 500, 362, fill=(190, 140, 90))
    for k in range(14):
        c.line([(150 + k * 10, 240 + k * 30), (1050 - k * 10, 240 + k * 30)], (160, 112, 68, 90), 3)
    if tint == "coil":
        pts = [(600 + (30 + 26 * t) * math.cos(t), 460 + (30 + 26 * t) * math.sin(t) * 0.9)
               for t in frange(0, 4.2 * math.pi, 0.12)]  # fmt: skip
        c.line(pts, (140, 56, 38), 62)
        c.line(pts, (176, 86, 58), 40)
        c.line([(x - 8, y - 10) for x, y in pts], (214, 130, 96, 120), 10)
        for x, y in pts[::3]:
            c.ellipse(x + rng.uniform(-10, 10), y + rng.uniform(-10, 10), 4, 4, fill=(60, 110, 40))
    elif tint == "strips":
        for k in range(7):
            x, y = 330 + k * 90, 460 + rng.uniform(-60, 60)
            c.polygon(rounded_box(x, y, 70, 330, 30, rng.uniform(-12, 12)), (104, 40, 30))
            for _ in range(16):
                c.polygon(oval(x + rng.uniform(-25, 25), y + rng.uniform(-140, 140), 5, 2.5, rng.uniform(0, 180), 8),
                          (236, 220, 180))  # fmt: skip
    else:  # slices
        for _ in range(11):
            x, y = rng.uniform(280, 920), rng.uniform(260, 660)
            c.ellipse(x, y, 56, 56, fill=(150, 60, 40))
            c.ellipse(x, y, 48, 48, fill=(186, 96, 70))
            for _ in range(14):
                c.ellipse(x + rng.uniform(-34, 34), y + rng.uniform(-34, 34), 5, 5,
                          fill=rng.choice([(240, 220, 200), (70, 120, 50), (120, 40, 30)]))  # fmt: skip
    for k in range(3):
        _chilli(c, 960 + k * 40, 720 - k * 60, 200 + k * 12, (200, 36, 30))
    for k in range(2):
        c.polygon(rounded_box(220 + k * 30, 700, 18, 260, 9, 70 - k * 8), (200, 214, 140))


_DRIED: dict[str, RGB] = {"kaipen": (52, 92, 42), "bamboo": (214, 190, 140), "banana": (168, 108, 48),
                          "mango": (246, 160, 40)}  # fmt: skip


def draw_dried(c: Canvas, rng: random.Random, tint: str) -> None:
    """Sun-dried food on a round bamboo tray: kaipen sheets, bamboo shoots, bananas or mango slices."""
    wood_grain(c, rng, (120, 86, 56))
    shadow(c, 600, 470, 420, 420)
    for k, r in enumerate(range(410, 0, -22)):
        c.ellipse(600, 450, r, r, fill=(214, 184, 132) if k % 2 else (200, 168, 116))
    colour = _DRIED[tint]
    for _ in range({"kaipen": 7, "bamboo": 22, "banana": 10, "mango": 12}[tint]):
        r, t = 300 * math.sqrt(rng.random()), rng.uniform(0, 6.28)
        x, y, a = 600 + r * math.cos(t), 450 + r * math.sin(t), rng.uniform(0, 180)
        if tint == "kaipen":
            c.polygon(rounded_box(x, y, 230, 200, 30, a), colour)
            for _ in range(30):
                c.ellipse(x + rng.uniform(-80, 80), y + rng.uniform(-70, 70), 3.5, 2,
                          fill=rng.choice([(244, 240, 220), (200, 50, 40), (244, 240, 220)]))  # fmt: skip
        elif tint == "bamboo":
            c.polygon(rounded_box(x, y, 24, 260, 10, a), shade(colour, rng.uniform(0.85, 1.05)))
        elif tint == "banana":
            c.polygon(oval(x, y, 110, 34, a, 28), shade(colour, rng.uniform(0.8, 1.1)))
            c.polygon(oval(x, y, 80, 10, a, 16), alpha((90, 50, 20), 90))
        else:
            c.polygon(oval(x, y, 90, 60, a, 28), colour)
            c.polygon(oval(x, y, 60, 34, a, 20), (252, 196, 80))


MOTIFS = {
    "coffee": (("cup", "bag", "sack"), draw_coffee),
    "tea": (("cup", "teapot", "cake"), draw_tea),
    "honey": (("jar", "dipper", "comb"), draw_honey),
    "jar": (tuple(_JAR_FILLINGS), draw_jar),
    "bottle": (tuple(_LIQUIDS), draw_bottle),
    "rice": (("crackers", "purple", "white"), draw_rice),
    "sausage": (("coil", "strips", "slices"), draw_sausage),
    "dried": (tuple(_DRIED), draw_dried),
}
