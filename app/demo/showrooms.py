"""The physical ODOP showrooms (Luang Namtha, Oudomxay, Salavan, and one in Vientiane) and what they display."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from app.catalogue.models import Showroom, ShowroomListing
from app.demo.text import T

LISTINGS_PER_SHOWROOM = 24
FEATURED_PER_SHOWROOM = 4
HOURS = "Mon–Fri 08:00–16:30, Sat 08:30–12:00"


@dataclass(frozen=True, slots=True)
class ShowroomSpec:
    province: str
    name: T
    address: str
    phone: str


SHOWROOMS: tuple[ShowroomSpec, ...] = (
    ShowroomSpec(
        "LA-LM",
        T("ຫ້ອງວາງສະແດງສິນຄ້າ ODOP ແຂວງຫຼວງນ້ຳທາ", "Luang Namtha ODOP Showroom", "โชว์รูมสินค้า ODOP แขวงหลวงน้ำทา"),
        "ພະແນກອຸດສາຫະກຳ ແລະ ການຄ້າແຂວງ, ບ້ານວຽງເໜືອ, ເມືອງນ້ຳທາ, ແຂວງຫຼວງນ້ຳທາ "
        "(Provincial Department of Industry and Commerce, Ban Viengneua, Namtha district)",
        "+856 86 312 045",
    ),
    ShowroomSpec(
        "LA-OU",
        T("ຫ້ອງວາງສະແດງສິນຄ້າ ODOP ແຂວງອຸດົມໄຊ", "Oudomxay ODOP Showroom", "โชว์รูมสินค้า ODOP แขวงอุดมไซ"),
        "ຖະໜົນ 13 ເໜືອ, ບ້ານໂພນໄຊ, ເມືອງໄຊ, ແຂວງອຸດົມໄຊ (Route 13 North, Ban Phonxay, Xay district)",
        "+856 81 212 318",
    ),
    ShowroomSpec(
        "LA-SL",
        T("ຫ້ອງວາງສະແດງສິນຄ້າ ODOP ແຂວງສາລະວັນ", "Salavan ODOP Showroom", "โชว์รูมสินค้า ODOP แขวงสาละวัน"),
        "ບ້ານໂພນສະຫວ່າງ, ເມືອງສາລະວັນ, ແຂວງສາລະວັນ (Ban Phonsavang, Salavan district)",
        "+856 34 211 276",
    ),
    ShowroomSpec(
        "LA-VT",
        T(
            "ຫ້ອງວາງສະແດງສິນຄ້າ ODOP ນະຄອນຫຼວງວຽງຈັນ",
            "Vientiane Capital ODOP Showroom",
            "โชว์รูมสินค้า ODOP นครหลวงเวียงจันทน์",
        ),
        "ກະຊວງອຸດສາຫະກຳ ແລະ ການຄ້າ, ຖະໜົນໂພນໄຊ, ເມືອງໄຊເສດຖາ, ນະຄອນຫຼວງວຽງຈັນ "
        "(Ministry of Industry and Commerce, Phonxay Road, Xaysetha district)",
        "+856 21 413 916",
    ),
)

SHOWROOM_PROVINCES = tuple(spec.province for spec in SHOWROOMS)


@dataclass(frozen=True, slots=True)
class ShowroomTotals:
    showrooms: int
    created: int
    listings: int


def seed_showrooms(
    session: Session, rng: random.Random, staff_id: int, candidates: dict[str, list[int]], now: dt.datetime
) -> ShowroomTotals:
    """The showrooms (reused if a previous seeding made them) and listings of published products of their province.

    A few listings are featured; some are shown only for a period (a seasonal display, one already over).
    """
    created = listings = 0
    today = now.date()
    for spec in SHOWROOMS:
        showroom = _existing(session, spec)
        if showroom is None:
            showroom = Showroom(
                name=spec.name.as_dict(),
                province_code=spec.province,
                address=spec.address,
                phone=spec.phone,
                opening_hours=HOURS,
                created_at=now - dt.timedelta(days=rng.uniform(400, 900)),
            )
            session.add(showroom)
            session.flush()
            created += 1
        product_ids = sorted(candidates.get(spec.province, []))
        rng.shuffle(product_ids)
        rows = []
        for index, product_id in enumerate(product_ids):
            starts_on = ends_on = None
            window = rng.random()
            if window < 0.2:  # a seasonal display that is on now
                starts_on = today - dt.timedelta(days=rng.randint(0, 40))
                ends_on = starts_on + dt.timedelta(days=rng.randint(60, 120))
            elif window < 0.3:  # one that is over
                ends_on = today - dt.timedelta(days=rng.randint(5, 60))
                starts_on = ends_on - dt.timedelta(days=rng.randint(30, 90))
            rows.append(
                {
                    "showroom_id": showroom.id,
                    "product_id": product_id,
                    "featured": index < FEATURED_PER_SHOWROOM,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "created_at": now - dt.timedelta(days=rng.uniform(0, 60)),
                    "created_by_user_id": staff_id,
                }
            )
        if rows:
            session.execute(sa.insert(ShowroomListing).execution_options(render_nulls=True), rows)
        listings += len(rows)
    return ShowroomTotals(len(SHOWROOMS), created, listings)


def _existing(session: Session, spec: ShowroomSpec) -> Showroom | None:
    for showroom in session.exec(select(Showroom).where(Showroom.province_code == spec.province)):
        if showroom.name.get("en") == spec.name.en:
            return showroom
    return None
