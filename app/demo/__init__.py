"""Demo data for `odop seed-demo`: accounts, a believable ODOP catalogue with photos, and the showrooms.

See seed.py for the steps; the data tables are in places.py, crafts.py, kinds.py, producers.py and
showrooms.py, the generated photos in drawing.py and photos.py.
"""

from app.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from app.demo.seed import seed_demo_data

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "seed_demo_data"]
