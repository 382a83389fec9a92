"""The `odop` command: serve, migrate, create-user, seed-demo and the bulk tools."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
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

    from app.media.sweep import start_periodic_sweep

    settings = get_settings()  # refuse to start on bad settings (e.g. no secret key in production) before forking
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Each worker writes its metrics here and /metrics adds them up (prometheus_client multiprocess mode).
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="odop-metrics-")
    start_periodic_sweep(settings)
    uvicorn.run(
        "app.asgi:app",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level="info",
        access_log=False,  # app.observability logs each request once, with its request id and route
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


def _progress():  # type: ignore[no-untyped-def]
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


@cli.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="CSV file (UTF-8; see docs/CSV_FORMAT.md)", dir_okay=False)],
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Email of the staff account the import is recorded under (default: first admin)"),
    ] = None,
    as_new: Annotated[
        bool,
        typer.Option(
            "--as-new",
            help="Load every row as new (product_id is ignored, producer_id only groups rows): "
            "for a file exported from another database",
        ),
    ] = False,
) -> None:
    """Import producers and products from a CSV file: all rows, or nothing when any row is wrong."""
    from rich.markup import escape

    from app.catalogue import bulk
    from app.errors import DomainError

    try:
        source = path.open("rb")
    except OSError as exc:
        fail(escape(f"cannot read {path}: {exc.strerror or exc}"), 2)
    db = _database()
    try:
        with source, _progress() as progress, db.session(write=True) as session:
            actor = bulk.importing_user(session, as_user)
            size = path.stat().st_size
            task = progress.add_task("importing", total=size or None, detail="")

            def advance(done: int, total: int | None) -> None:
                progress.update(task, completed=done, detail=f"{done / 1e6:.1f} MB")

            result = bulk.import_csv(session, actor, source, size=size, as_new=as_new, on_progress=advance)
            progress.update(task, description="saving")
    except bulk.ImportFailed as exc:
        for problem in exc.problems:
            console.print(escape(str(problem)), highlight=False)
        if exc.unlisted:
            console.print(f"… and {exc.unlisted} more problems")
        total = len(exc.problems) + exc.unlisted
        fail(f"{total} problem{'s' if total != 1 else ''} in {escape(str(path))}; nothing was imported")
    except DomainError as exc:
        fail(escape(exc.detail))
    finally:
        db.dispose()
    console.print(
        f"[green]imported[/green] {result.rows} rows as {escape(actor.email)}: "
        f"{result.producers_created} producers created, {result.producers_updated} updated; "
        f"{result.products_created} products created, {result.products_updated} updated, "
        f"{result.products_unchanged} unchanged"
    )


@cli.command("export")
def export(
    path: Annotated[Path, typer.Argument(help="CSV file to write (UTF-8 with BOM, opens in Excel)", dir_okay=False)],
) -> None:
    """Export every producer and product (not deleted) to a CSV file that `odop import` reads back."""
    import os
    import tempfile

    from rich.markup import escape

    from app.catalogue import bulk

    directory = path.resolve().parent
    if not directory.is_dir():
        fail(escape(f"there is no directory {directory}"), 2)
    # Written next to the target and renamed at the end: a failed export never leaves half a file.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    db = _database()
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as sink, _progress() as progress:
            task = progress.add_task("exporting", total=None, detail="")

            def advance(done: int, total: int | None) -> None:
                progress.update(task, completed=done, total=total, detail=f"{done} rows")

            with db.session(write=False) as session:
                bulk.write_csv(session, sink, on_progress=advance)
            rows = int(progress.tasks[0].completed)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    finally:
        db.dispose()
    console.print(f"[green]exported[/green] {rows} rows to {escape(str(path))}")


@cli.command()
def backup(path: Annotated[Path, typer.Argument(help="A new, empty directory for the backup")]) -> None:
    """A consistent copy of the database and media, taken while the service keeps running."""
    from app.backup import BackupError
    from app.backup import backup as run_backup

    settings = get_settings()
    db = _database()
    try:
        manifest = run_backup(
            db, Path(settings.media_dir), path, progress=lambda table, n: console.print(f"  {table}: {n} rows")
        )
    except BackupError as exc:
        fail(str(exc))
    finally:
        db.dispose()
    if manifest["missing_media"]:
        console.print(f"[yellow]warning:[/yellow] {len(manifest['missing_media'])} photo files were missing")
    console.print(
        f"[green]backup written[/green] to {path}: {sum(manifest['tables'].values())} rows, "
        f"{manifest['media_files']} media files"
    )


@cli.command()
def restore(path: Annotated[Path, typer.Argument(help="A directory written by `odop backup`")]) -> None:
    """Bring a backup back into a fresh database (run `odop migrate` first) and the media directory."""
    from app.backup import BackupError
    from app.backup import restore as run_restore

    settings = get_settings()
    db = _database()
    try:
        summary = run_restore(
            db, Path(settings.media_dir), path, progress=lambda table, n: console.print(f"  {table}: {n} rows")
        )
    except BackupError as exc:
        fail(str(exc))
    finally:
        db.dispose()
    console.print(
        f"[green]restored[/green] {sum(summary['tables'].values())} rows and "
        f"{summary['media_files']} media files from {path}"
    )


@cli.command()
def reindex() -> None:
    """Rebuild the search indexes from the products (after a restore, or if they were ever in doubt)."""
    from app.search.commands import reindex as run_reindex

    db = _database()
    try:
        summary = run_reindex(db)
    finally:
        db.dispose()
    console.print(f"[green]{summary}[/green]")


@cli.command("sweep-media")
def sweep_media(
    older_than_minutes: Annotated[
        int, typer.Option(min=0, help="Only files at least this old (0 only when no upload can be running)")
    ] = 60,
) -> None:
    """Remove media files that no photo references (left by a crash), and stale temporary files."""
    from app.media.storage import MediaStore
    from app.media.sweep import sweep_orphans

    db = _database()
    try:
        result = sweep_orphans(db, MediaStore(get_settings().media_dir), older_than_seconds=older_than_minutes * 60)
    finally:
        db.dispose()
    console.print(
        f"[green]media swept[/green]: {len(result.removed)} orphan files and {result.temporary_removed} "
        f"temporary files removed; {result.kept_referenced} of {result.checked} files checked are in use"
    )


def main() -> None:
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
