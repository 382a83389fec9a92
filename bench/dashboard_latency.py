"""Staff dashboard latency benchmark (run by hand, not by CI).

    ODOP_DATABASE_URL=sqlite:////tmp/seed100k-b/odop.db .venv/bin/odop migrate
    .venv/bin/python bench/dashboard_latency.py --database-url sqlite:////tmp/seed100k-b/odop.db [--runs 40]

Renders `GET /staff/dashboard` through the whole app (session cookie, staff check, every figure, tables,
SVG charts, the page) with an in-process TestClient, logged in as a staff account made for the run (and
removed afterwards), and prints median / p95 / max of the wall time, the CPU time of the process for the
same requests (the honest figure on a busy machine), and the SQL time of each figure alone.

Goal: the default dashboard (no filter) under 300 ms on 100,000 products and 5,000 producers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session
from starlette.routing import NoMatchFound

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.auth import service as auth_service
from app.auth.models import AuthSession, Role, SessionKind, User
from app.config import Settings
from app.db import Database, make_engine
from app.reports import figures

BENCH_EMAIL = "dashboard-bench-staff@example.la"


def make_app(database_url: str, media_dir: Path):  # type: ignore[no-untyped-def]
    from fastapi import APIRouter, Depends

    from app.auth.deps import optional_user, require_csrf
    from app.main import API_PREFIX, create_app
    from app.reports import api as reports_api
    from app.reports import pages as reports_pages

    settings = Settings(
        env="test",
        database_url=database_url,
        media_dir=media_dir,
        secret_key="bench-secret-key-0123456789abcdefghijklmnop",
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        page_cache_seconds=0,
    )
    engine = make_engine(database_url, settings)
    app = create_app(settings, database=Database(engine))
    logging.getLogger().setLevel(logging.WARNING)  # no access log line per request in the figures
    try:
        app.url_path_for("reports_dashboard")
    except NoMatchFound:  # until app/main.py includes the reports routers
        pages = APIRouter(dependencies=[Depends(require_csrf), Depends(optional_user)], include_in_schema=False)
        pages.include_router(reports_pages.router)
        app.include_router(pages)
        app.include_router(reports_api.router, prefix=API_PREFIX)
    return app, engine


def staff_cookie(app, engine: sa.Engine) -> str:  # type: ignore[no-untyped-def]
    with Session(engine.execution_options(odop_write=True)) as session:
        user = session.execute(sa.select(User).where(User.email == BENCH_EMAIL)).scalars().first()
        if user is None:
            user = auth_service.create_user(
                session,
                app.state.password_hasher,
                email=BENCH_EMAIL,
                password="bench password 12345",
                role=Role.staff,
                display_name="Dashboard bench",
            )
            session.flush()
        secret = auth_service.start_session(session, user, SessionKind.cookie, dt.timedelta(hours=1))
        session.commit()
    return secret


def remove_staff(engine: sa.Engine) -> None:
    with Session(engine.execution_options(odop_write=True)) as session:
        user_ids = sa.select(User.id).where(User.email == BENCH_EMAIL)
        session.execute(sa.delete(AuthSession).where(AuthSession.user_id.in_(user_ids)))
        session.execute(sa.delete(User).where(User.id.in_(user_ids)))
        session.commit()


def summarize(label: str, wall: list[float], cpu: list[float]) -> None:
    wall_sorted = sorted(wall)
    p95 = wall_sorted[max(0, round(0.95 * len(wall_sorted)) - 1)]
    print(
        f"{label:44s} median {statistics.median(wall):6.1f} ms  p95 {p95:6.1f} ms  max {max(wall):6.1f} ms"
        f"  | cpu median {statistics.median(cpu):6.1f} ms"
    )


def timed(fn: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="sqlite:////tmp/seed100k-b/odop.db")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    with tempfile.TemporaryDirectory() as media:
        app, engine = make_app(args.database_url, Path(media))
        with engine.connect() as conn:
            products = conn.execute(sa.text("SELECT count(*) FROM product")).scalar_one()
            producers = conn.execute(sa.text("SELECT count(*) FROM producer")).scalar_one()
        print(f"database: {args.database_url} ({products:,} products, {producers:,} producers)")
        secret = staff_cookie(app, engine)
        try:
            today = dt.date.today()
            quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
            views = {
                "/staff/dashboard (no filter)": ("/staff/dashboard?lang=en", {}),
                "/staff/dashboard (HTMX figures, no filter)": (
                    "/staff/dashboard?lang=en",
                    {"HX-Request": "true", "HX-Target": "figures"},
                ),
                "/staff/dashboard?province=LA-LP": ("/staff/dashboard?lang=en&province=LA-LP", {}),
                "/staff/dashboard?category=textiles": ("/staff/dashboard?lang=en&category=textiles", {}),
                "/staff/dashboard (this quarter)": (
                    f"/staff/dashboard?lang=en&date_from={quarter}&date_to={today}",
                    {},
                ),
                "/staff/dashboard (last 365 days)": (
                    f"/staff/dashboard?lang=en&date_from={today - dt.timedelta(days=365)}&date_to={today}",
                    {},
                ),
            }
            with TestClient(app, base_url="http://testserver") as client:
                client.cookies.set("odop_session", secret)
                first = client.get("/staff/dashboard?lang=en")
                assert first.status_code == 200, first.status_code
                print(f"page size: {len(first.content) / 1024:.0f} KiB")
                for label, (url, headers) in views.items():
                    for _ in range(args.warmup):
                        assert client.get(url, headers=headers).status_code == 200
                    wall, cpu = timed(lambda url=url, headers=headers: client.get(url, headers=headers), args.runs)
                    summarize(label, wall, cpu)
            print("\nSQL of each figure alone (no filter):")
            f = figures.ReportFilters()
            with Session(engine) as session:
                for name, fn in (
                    ("provinces (producers, women, products, photos)", lambda: figures.provinces(session, f)),
                    ("districts", lambda: figures.districts(session, f)),
                    ("categories × grades", lambda: figures.categories(session, f)),
                    ("grades expiring (count + first page)", lambda: figures.grades_expiring(session, f)),
                    ("review queue", lambda: figures.review_queue(session, f)),
                    ("inquiries per month", lambda: figures.inquiries(session, f)),
                    ("events", lambda: figures.events(session, f)),
                ):
                    fn()
                    wall, cpu = timed(fn, max(5, args.runs // 4))
                    summarize("  " + name, wall, cpu)
        finally:
            remove_staff(engine)
            engine.dispose()


if __name__ == "__main__":
    main()
