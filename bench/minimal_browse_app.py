"""The baseline of bench/browse_rps.py: a minimal FastAPI + Jinja2 page doing one indexed query for 24 rows.

Same database, same engine settings (app.db.make_engine), no auth, no i18n, no filters: the floor that our
real browse page is compared with.
"""

from __future__ import annotations

import jinja2
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from app.config import get_settings
from app.db import make_engine

engine = make_engine(get_settings().database_url, get_settings())
template = jinja2.Environment(autoescape=True).from_string(
    "<!doctype html><html lang=lo><head><meta charset=utf-8><title>{{ province }}</title></head><body><ul>"
    "{% for r in rows %}<li><a href='/products/{{ r.id }}'>{{ r.name.get('lo') or r.name.get('en') }}</a> "
    "{{ r.price_lak }}</li>{% endfor %}</ul></body></html>"
)
QUERY = sa.text(
    "SELECT id, name, price_lak FROM product WHERE status = 'published' AND province_code = :province "
    "AND deleted_at IS NULL ORDER BY published_at DESC LIMIT 24"
).columns(sa.column("id"), sa.column("name", sa.JSON), sa.column("price_lak"))

app = FastAPI()


@app.get("/browse/{province}")
def browse(province: str) -> HTMLResponse:
    with engine.connect() as conn:
        rows = conn.execute(QUERY, {"province": province}).all()
    return HTMLResponse(template.render(rows=rows, province=province))
