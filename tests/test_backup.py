"""`odop backup` while writes go on, then `odop restore` into a fresh database: everything is back."""

from __future__ import annotations

import io
import threading

import sqlalchemy as sa
from PIL import Image
from sqlmodel import SQLModel, select

from app import migrations
from app.auth import service as auth_service
from app.auth.models import Role, User
from app.auth.security import make_password_hasher, verify_password
from app.backup import BackupError, backup, restore
from app.catalogue import images, repository, service
from app.catalogue.models import Product
from app.catalogue.schemas import ProducerCreate, ProductCreate
from app.db import Database, make_engine
from app.media.processing import process_image
from app.media.storage import MediaStore
from tests.conftest import fresh_database_url, make_settings


def _fill(db: Database, settings, media_dir):  # type: ignore[no-untyped-def]
    hasher = make_password_hasher(settings)
    with db.session(write=True) as s:
        staff = auth_service.create_user(
            s, hasher, email="staff@b.la", password="password-1", role=Role.staff, display_name="Staff"
        )
        owner = auth_service.create_user(
            s, hasher, email="weaver@b.la", password="password-2", role=Role.producer, display_name="Weaver"
        )
        producer = service.create_producer(s, owner, ProducerCreate(name={"lo": "ກຸ່ມທໍຜ້າ"}, province_code="LA-HO"))
        product = service.create_product(
            s,
            owner,
            ProductCreate(
                producer_id=producer.id, category="silk", name={"lo": "ຜ້າໄໝ", "en": "Silk"}, price_lak=900000
            ),
        )
        service.submit_product(s, owner, product, producer)
        service.review_product(s, staff, product, producer, approve=True, stars=5, note="ok")
        buf = io.BytesIO()
        Image.new("RGB", (400, 300), (120, 30, 60)).save(buf, "JPEG")
        buf.seek(0)
        processed = process_image(buf)
        paths = MediaStore(media_dir).save_variants(processed)
        images.add_image(s, owner, product.id, processed, paths)
        return product.id


def _counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in SQLModel.metadata.sorted_tables
        }


def test_backup_during_writes_then_restore_brings_everything_back(tmp_root, tmp_path):
    with fresh_database_url(tmp_root) as source_url, fresh_database_url(tmp_root) as target_url:
        source_engine, target_engine = make_engine(source_url), make_engine(target_url)
        try:
            migrations.upgrade(source_engine)
            migrations.upgrade(target_engine)
            settings = make_settings(source_url, tmp_path / "media")
            source = Database(source_engine)
            product_id = _fill(source, settings, tmp_path / "media")

            stop = threading.Event()

            def keep_writing() -> None:  # a busy service while the backup runs
                from app.audit.models import AuditEvent

                while not stop.is_set():
                    with source.session(write=True) as s:
                        s.add(AuditEvent(action="test.busy", entity_type="test"))

            writer = threading.Thread(target=keep_writing)
            writer.start()
            try:
                manifest = backup(source, tmp_path / "media", tmp_path / "backup")
            finally:
                stop.set()
                writer.join()
            stored = {p.relative_to(tmp_path / "media") for p in (tmp_path / "media").rglob("*.webp")}
            assert manifest["media_files"] == len(stored) >= 2 and not manifest["missing_media"]

            target = Database(target_engine)
            restore(target, tmp_path / "restored-media", tmp_path / "backup")
            restored = _counts(target_engine)
            assert restored == manifest["tables"]  # exactly the snapshot, consistent
            assert restored["product"] == 1 and restored["user_account"] == 2 and restored["product_image"] == 1
            with target.session(write=False) as s:
                product = s.get(Product, product_id)
                assert product.name == {"lo": "ຜ້າໄໝ", "en": "Silk"} and product.stars == 5
                user = s.exec(select(User).where(User.email == "weaver@b.la")).one()
                assert verify_password(make_password_hasher(settings), user.password_hash, "password-2")
                image = s.exec(select(images.ProductImage)).one()
                assert all((tmp_path / "restored-media" / p).is_file() for p in image.paths.values())
                found, _ = repository.list_products(s, None, repository.ProductFilters(q="ໄໝ"), page=1, per_page=5)
                assert [p.id for p, _ in found] == [product_id]  # search works on restored rows
            with target.session(write=True) as s:  # new rows get fresh ids after a restore
                owner = s.exec(select(User).where(User.email == "weaver@b.la")).one()
                producer_id = s.exec(select(Product.producer_id)).one()
                again = service.create_product(
                    s, owner, ProductCreate(producer_id=producer_id, category="silk", name={"lo": "ຜ້າໄໝໃໝ່"})
                )
                assert again.id > product_id
            try:
                restore(target, tmp_path / "restored-media", tmp_path / "backup")
                raise AssertionError("restoring into a non-empty database must be refused")
            except BackupError as exc:
                assert "not empty" in str(exc)
        finally:
            source_engine.dispose()
            target_engine.dispose()


def test_backup_refuses_a_non_empty_directory(tmp_path, engine):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "file").write_text("taken")
    try:
        backup(Database(engine), tmp_path / "media", tmp_path / "x")
        raise AssertionError("expected BackupError")
    except BackupError as exc:
        assert "not empty" in str(exc)
