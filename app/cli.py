"""The `odop` command: serve, migrate, create-user, seed-demo and the bulk tools."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from app.config import get_settings

cli = typer.Typer(
    help="ODOP Showroom: online showroom and business matching.", no_args_is_help=True, add_completion=False
)
console = Console(stderr=True)


def _database():  # type: ignore[no-untyped-def]
    from app.db import Database

    return Database.from_settings(get_settings())


def fail(message: str, code: int = 1) -> None:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development)")] = False,
) -> None:
    """Serve the app with uvicorn."""
    import uvicorn

    get_settings()  # refuse to start on bad settings (e.g. no secret key in production) before forking
    uvicorn.run(
        "app.asgi:app",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        log_level="info",
        server_header=False,
    )


@cli.command()
def migrate() -> None:
    """Upgrade the database to the newest schema (idempotent)."""
    from app import migrations

    db = _database()
    migrations.upgrade(db.engine)
    db.dispose()
    console.print("[green]database is up to date[/green]")


@cli.command("create-user")
def create_user(
    email: Annotated[str, typer.Option(help="Login email")],
    password: Annotated[str, typer.Option(help="At least 8 characters")],
    role: Annotated[str, typer.Option(help="admin | staff | producer | buyer")],
    display_name: Annotated[str | None, typer.Option(help="Name shown to others")] = None,
) -> None:
    """Create an account (the only way to create staff and admins)."""
    from app.auth import service
    from app.auth.models import Role
    from app.auth.security import make_password_hasher
    from app.errors import DomainError

    if role not in {r.value for r in Role}:
        fail(f"unknown role {role!r}; choose admin, staff, producer or buyer", 2)
    db = _database()
    try:
        with db.session(write=True) as session:
            user = service.create_user(
                session,
                make_password_hasher(get_settings()),
                email=email,
                password=password,
                role=Role(role),
                display_name=display_name or email,
            )
            console.print(f"[green]created[/green] {user.role} account {user.email} (id {user.id})")
    except DomainError as exc:
        fail(exc.detail)
    finally:
        db.dispose()


@cli.command("seed-demo")
def seed_demo(
    products: Annotated[int, typer.Option(min=0, help="How many products to generate")] = 120,
    if_empty: Annotated[bool, typer.Option(help="Do nothing if demo data is already there")] = False,
    seed: Annotated[int, typer.Option(help="Random seed (the same seed gives the same data)")] = 7,
) -> None:
    """Load demo producers, products (with generated photos), buyers, showrooms and an event."""
    from app.demo import seed_demo_data

    db = _database()
    try:
        summary = seed_demo_data(db, get_settings(), products=products, if_empty=if_empty, seed=seed, console=console)
    finally:
        db.dispose()
    console.print(summary)


def main() -> None:
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
