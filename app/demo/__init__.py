"""Demo data for `odop seed-demo`: accounts, a believable ODOP catalogue with photos, the showrooms,
buyers with their inquiries, and two matching events (one past with results, one coming with a schedule).

See seed.py for the steps; the data tables are in places.py, crafts.py, kinds.py, producers.py,
showrooms.py and buyers.py, the generated photos in drawing/ and photos.py, the matching side in matching.py.
"""

from app.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from app.demo.seed import seed_demo_data

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "seed_demo_data"]
