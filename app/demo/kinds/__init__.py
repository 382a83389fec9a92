"""The kinds of product ODOP producers make, with everything a generated product takes from its kind.

One module per family of products; base.py holds the Kind and Variant types and the shared variant words.
"""

from app.demo.kinds.base import EDITIONS, Kind, Variant
from app.demo.kinds.crafts import CRAFTS
from app.demo.kinds.drinks import DRINKS
from app.demo.kinds.food import FOODS
from app.demo.kinds.herbal import HERBALS
from app.demo.kinds.textiles import TEXTILES

KINDS: tuple[Kind, ...] = (*TEXTILES, *DRINKS, *FOODS, *CRAFTS, *HERBALS)
KINDS_BY_KEY: dict[str, Kind] = {kind.key: kind for kind in KINDS}

__all__ = ["EDITIONS", "KINDS", "KINDS_BY_KEY", "Kind", "Variant"]
