"""Stylised product photos drawn with Pillow: a woven swatch, coffee beans and a cup, tea leaves, a honey jar…

Each motif has a few variants; the variant is a colour ("tint") where a product's colour matters (a
lac-red scarf gets a red swatch) and a composition otherwise. Drawing is deterministic: the same motif and
variant always give the same pixels, so the content-addressed media store keeps one copy of each.
One module per family of products declares its motifs; canvas.py has what they share.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from PIL import Image

from app.demo.drawing import crafts, food, herbal, textiles
from app.demo.drawing.canvas import PHOTO_SIZE, Canvas

Drawer = Callable[[Canvas, random.Random, str], None]

# motif -> (its variants, the function drawing it)
MOTIFS: dict[str, tuple[tuple[str, ...], Drawer]] = {
    **textiles.MOTIFS,
    **food.MOTIFS,
    **crafts.MOTIFS,
    **herbal.MOTIFS,
}


def draw_motif(motif: str, variant: str) -> Image.Image:
    """The photo of `motif` in `variant`, always the same pixels for the same pair."""
    variants, drawer = MOTIFS[motif]
    if variant not in variants:
        raise ValueError(f"{motif!r} has no variant {variant!r} (it has {', '.join(variants)})")
    canvas = Canvas()
    drawer(canvas, random.Random(f"{motif}/{variant}"), variant)
    return canvas.finish()


__all__ = ["MOTIFS", "PHOTO_SIZE", "draw_motif"]
