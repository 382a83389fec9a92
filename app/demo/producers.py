"""Demo producers: one hand-placed producer in each province, then as many generated ones as asked for.

A producer is planned as plain data (`ProducerPlan`) so that the catalogue can insert thousands in bulk;
the demo producer account's own producer goes through the catalogue service instead (`showcase.py`).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from typing import Any

from app.catalogue.models import ProducerKind
from app.demo.crafts import CRAFTS, PROVINCE_CRAFTS, PROVINCE_WEIGHTS, Craft
from app.demo.kinds import KINDS_BY_KEY, Kind
from app.demo.places import BRAND_NAMES, DISTRICTS, VILLAGES, place_label, province_label, stored_place
from app.demo.text import T
from app.search.documents import producer_search_text

VILLAGE_PREFIX = T("ບ້ານ", "Ban", "บ้าน")


@dataclass(frozen=True, slots=True)
class Landmark:
    """A producer placed by hand: a real district, often a village known for its craft."""

    province: str
    district: str  # English name, looked up in DISTRICTS
    village: T
    craft: str
    kind: ProducerKind
    women_led: bool
    lines: tuple[str, ...]
    name: T | None = None  # when the usual pattern would not give the name people know


# The demo producer account (producer@odop.la, "Ban Xang Khong weavers") owns the Luang Prabang one.
SHOWCASE_PROVINCE = "LA-LP"

LANDMARKS: tuple[Landmark, ...] = (
    Landmark("LA-VT", "Sikhottabong", T("ໜອງບົວທອງ", "Nongbuathong", "หนองบัวทอง"), "silk", ProducerKind.group, True,
             ("silk-scarf", "silk-sinh", "silk-fabric")),
    Landmark("LA-PH", "Phongsaly", T("ໂພນສະຫວ່າງ", "Phonsavang", "โพนสว่าง"), "tea", ProducerKind.cooperative, False,
             ("ancient-green-tea", "tea-cake", "black-tea")),
    Landmark("LA-LM", "Namtha", T("ນ້ຳດີ", "Nam Dy", "น้ำดี"), "cotton", ProducerKind.group, True,
             ("indigo-scarf", "table-runner", "cotton-sinh")),
    Landmark("LA-OU", "Xay", T("ນາໄຊ", "Naxay", "นาไซ"), "sauces", ProducerKind.cooperative, True,
             ("cardamom", "mak-khaen", "jeow-bong")),
    Landmark("LA-BK", "Tonpheung", T("ດອນໃໝ່", "Donmai", "ดอนใหม่"), "rice", ProducerKind.group, True,
             ("purple-rice", "rice-crackers")),
    Landmark(SHOWCASE_PROVINCE, "Luang Prabang", T("ຊ່າງຄ້ອງ", "Xang Khong", "ช่างฆ้อง"), "silk", ProducerKind.group,
             True, ("silk-scarf", "pha-biang", "silk-sinh"),
             name=T("ກຸ່ມແມ່ຍິງທໍຜ້າບ້ານຊ່າງຄ້ອງ", "Ban Xang Khong Weavers", "กลุ่มสตรีทอผ้าบ้านช่างฆ้อง")),
    Landmark("LA-HO", "Xam Tai", T("ນາຄຳ", "Nakham", "นาคำ"), "silk", ProducerKind.cooperative, True,
             ("silk-sinh", "pha-biang", "silk-scarf")),
    Landmark("LA-XA", "Hongsa", T("ນາເມືອງ", "Namuang", "นาเมือง"), "cotton", ProducerKind.group, True,
             ("mudmee-cotton", "cotton-sinh")),
    Landmark("LA-XI", "Paek", T("ໂພນສະຫວັນ", "Phonsavanh", "โพนสวรรค์"), "honey", ProducerKind.cooperative, False,
             ("forest-honey", "beeswax-candle")),
    Landmark("LA-VI", "Phonhong", T("ນາຫວາຍ", "Navai", "นาหวาย"), "basketry", ProducerKind.group, False,
             ("sticky-rice-basket", "rattan-basket", "bamboo-lampshade")),
    Landmark("LA-BL", "Khamkeut", T("ນ້ຳໃສ", "Namsai", "น้ำใส"), "herbal", ProducerKind.enterprise, True,
             ("agarwood", "incense", "herbal-balm")),
    Landmark("LA-KH", "Xebangfay", T("ດອນແກ້ວ", "Donkeo", "ดอนแก้ว"), "sauces", ProducerKind.group, True,
             ("padaek", "jeow-bong")),
    Landmark("LA-SV", "Kaysone Phomvihane", T("ໂພສີ", "Phosy", "โพธิ์ศรี"), "food", ProducerKind.enterprise, True,
             ("sien-savanh", "sai-oua")),
    Landmark("LA-SL", "Lao Ngam", T("ທົ່ງໃສ", "Thongsai", "ทุ่งใส"), "coffee", ProducerKind.cooperative, False,
             ("arabica", "green-coffee", "robusta")),
    Landmark("LA-XE", "Thateng", T("ຫ້ວຍຍາງ", "Houayyang", "ห้วยยาง"), "coffee", ProducerKind.group, False,
             ("arabica", "robusta")),
    Landmark("LA-CH", "Paksong", T("ໜອງແສງ", "Nongsaeng", "หนองแสง"), "coffee", ProducerKind.enterprise, False,
             ("arabica", "drip-bags", "coffee-scrub")),
    Landmark("LA-AT", "Sanamxay", T("ພູວຽງ", "Phouvieng", "ภูเวียง"), "honey", ProducerKind.group, False,
             ("forest-honey",)),
    Landmark("LA-XS", "Anouvong", T("ນາຫີນ", "Nahin", "นาหิน"), "embroidery", ProducerKind.group, True,
             ("embroidered-bag", "cushion-cover")),
)  # fmt: skip


@dataclass(slots=True)
class ProducerPlan:
    """A producer to insert, with what its products need to know about it."""

    province: str
    craft: Craft
    lines: list[Kind]
    district: T
    village: T
    place: T  # "ເມືອງ…, ແຂວງ…" as descriptions say it
    row: dict[str, Any]  # the producer table's columns
    search_part: str = ""  # folded name/district/village, reused by every product's search text
    product_count: int = 0
    showcase: bool = False
    used_names: set[str] = field(default_factory=set)  # English names of its products so far

    @property
    def name(self) -> dict[str, str]:
        return self.row["name"]


class ProducerPlanner:
    """Plans producers deterministically from one random generator."""

    def __init__(self, rng: random.Random, provinces: dict[str, dict[str, str]], now: dt.datetime) -> None:
        self.rng = rng
        self.provinces = provinces
        self.now = now
        self._taken_names: set[str] = set()
        self._taken_slugs: set[str] = set()
        self._province_codes = sorted(PROVINCE_WEIGHTS)
        self._province_weights = [PROVINCE_WEIGHTS[c] for c in self._province_codes]

    def plan(self, count: int) -> list[ProducerPlan]:
        """`count` producers (at least one per province): the landmarks first, then generated ones."""
        plans = [self._from_landmark(landmark) for landmark in LANDMARKS]
        while len(plans) < count:
            plans.append(self._generated())
        return plans

    # ---- the two kinds of producer --------------------------------------------------------------

    def _from_landmark(self, landmark: Landmark) -> ProducerPlan:
        district = next(d for d in DISTRICTS[landmark.province] if d.en == landmark.district)
        craft = CRAFTS[landmark.craft]
        lines = [KINDS_BY_KEY[key] for key in landmark.lines]
        plan = self._build(landmark.province, craft, lines, district, landmark.village, landmark.kind,
                           landmark.women_led, landmark.name)  # fmt: skip
        plan.showcase = landmark.province == SHOWCASE_PROVINCE
        return plan

    def _generated(self) -> ProducerPlan:
        rng = self.rng
        province = rng.choices(self._province_codes, self._province_weights)[0]
        crafts = PROVINCE_CRAFTS[province]
        craft = CRAFTS[rng.choices(list(crafts), list(crafts.values()))[0]]
        districts = DISTRICTS[province]
        # The provincial capital's district has more producers than the others.
        district = rng.choices(districts, [3, *[1] * (len(districts) - 1)])[0]
        village = rng.choice(VILLAGES)
        kind = rng.choices(list(ProducerKind), [25, 55, 20])[0]  # enterprise, group, cooperative
        women_led = rng.random() < craft.women_share
        return self._build(province, craft, self._lines(craft, province), district, village, kind, women_led, None)

    def _lines(self, craft: Craft, province: str) -> list[Kind]:
        """The one to three kinds of product a producer makes, among those its craft makes in its province."""
        candidates = [
            (KINDS_BY_KEY[key], weight)
            for key, weight in craft.kinds
            if KINDS_BY_KEY[key].provinces is None or province in KINDS_BY_KEY[key].provinces
        ]
        wanted = min(len(candidates), self.rng.choices((1, 2, 3), (3, 4, 3))[0])
        lines: list[Kind] = []
        while len(lines) < wanted:
            kind = self.rng.choices([k for k, _ in candidates], [w for _, w in candidates])[0]
            if kind not in lines:
                lines.append(kind)
        return lines

    # ---- the row ----------------------------------------------------------------------------------

    def _build(
        self,
        province: str,
        craft: Craft,
        lines: list[Kind],
        district: T,
        village: T,
        kind: ProducerKind,
        women_led: bool,
        name: T | None,
    ) -> ProducerPlan:
        rng = self.rng
        name = self._unique(name or self._name(craft, kind, district, village, women_led))
        members = {
            ProducerKind.group: rng.randint(8, 60),
            ProducerKind.cooperative: rng.randint(25, 300),
            ProducerKind.enterprise: rng.randint(3, 45),
        }[kind]
        share = rng.uniform(0.65, 1.0) if women_led else rng.uniform(0.1, 0.5)
        women = max(1, min(members, round(members * share)))
        founded = {
            ProducerKind.group: rng.randint(1998, 2022),
            ProducerKind.cooperative: rng.randint(2010, 2023),  # the cooperatives decree dates from 2010
            ProducerKind.enterprise: rng.randint(1995, 2023),
        }[kind]
        story = (craft.stories[0] + craft.stories[1]).fill(
            village=village, district=district, year=founded, members=members, women=women
        )
        district_text = stored_place(district)
        village_text = stored_place(village, VILLAGE_PREFIX)
        created = self.now - dt.timedelta(days=rng.uniform(400, 1500))
        phone = _phone(rng)
        slug = self._slug(name, craft, village)
        row = {
            "owner_user_id": None,
            "kind": kind.value,
            "name": name.as_dict(),
            "description": story.as_dict(),
            "province_code": province,
            "district": district_text,
            "village": village_text,
            "phone": phone,
            "whatsapp": rng.choices([phone, _phone(rng), None], [75, 10, 15])[0],
            "facebook": f"https://www.facebook.com/{slug.replace('.', '')}" if rng.random() < 0.45 else None,
            # example.com: demo addresses must never reach a real mailbox
            "email": f"{slug}@example.com" if rng.random() < 0.3 else None,
            "founded_year": founded,
            "members_count": members,
            "women_members_count": women,
            "women_led": women_led,
            "search_text": producer_search_text(name.as_dict(), district_text, village_text),
            "created_at": created,
            "updated_at": created + dt.timedelta(days=rng.uniform(0, 300)),
            "deleted_at": None,
        }
        place = place_label(district, province_label(province, self.provinces[province]))
        return ProducerPlan(province, craft, lines, district, village, place, row)

    def _name(self, craft: Craft, kind: ProducerKind, district: T, village: T, women_led: bool) -> T:
        word = craft.word
        # "ກຸ່ມເຮັດແຈ່ວ ແລະ ເຄື່ອງປຸງ ບ້ານ…": a name that already has spaces needs one before "ບ້ານ" too
        gap_lo = " " if " " in word.lo else ""
        gap_th = " " if " " in word.th else ""
        if kind == ProducerKind.enterprise:
            brand = self.rng.choice(BRAND_NAMES)
            return T(f"{craft.trade.lo} {brand.lo}", f"{brand.en} {craft.trade.en}", f"{craft.trade.th}{brand.th}")
        if kind == ProducerKind.cooperative:
            if self.rng.random() < 0.5:
                return T(
                    f"ສະຫະກອນ{word.lo} ເມືອງ{district.lo}",
                    f"{district.en} {word.en} Cooperative",
                    f"สหกรณ์{word.th}{gap_th}เมือง{district.th}",
                )
            return T(
                f"ສະຫະກອນ{word.lo}{gap_lo}ບ້ານ{village.lo}",
                f"Ban {village.en} {word.en} Cooperative",
                f"สหกรณ์{word.th}{gap_th}บ้าน{village.th}",
            )
        if women_led:
            return T(
                f"ກຸ່ມແມ່ຍິງ{word.lo}{gap_lo}ບ້ານ{village.lo}",
                f"Ban {village.en} Women's {word.en} Group",
                f"กลุ่มสตรี{word.th}{gap_th}บ้าน{village.th}",
            )
        return T(
            f"ກຸ່ມ{word.lo}{gap_lo}ບ້ານ{village.lo}",
            f"Ban {village.en} {word.en} Group",
            f"กลุ่ม{word.th}{gap_th}บ้าน{village.th}",
        )

    def _slug(self, name: T, craft: Craft, village: T) -> str:
        """A short handle for contacts: "nongbuathong.silk", "phoukhieo.coffee" (numbered when taken)."""
        words = name.en.split()
        # a trade name is the words before the craft's; a group is named after its village
        own = " ".join(words[: -len(craft.trade.en.split())]) if name.en.endswith(craft.trade.en) else village.en
        base = f"{re.sub(r'[^a-z0-9]+', '', own.lower())}.{craft.key}"
        slug, number = base, 1
        while slug in self._taken_slugs:
            number += 1
            slug = f"{base}{number}"
        self._taken_slugs.add(slug)
        return slug

    def _unique(self, name: T) -> T:
        """Many villages share a name; like real registers, the second group of the same name gets a number."""
        candidate, number = name, 1
        while candidate.en in self._taken_names:
            number += 1
            candidate = T(f"{name.lo} {number}", f"{name.en} {number}", f"{name.th} {number}")
        self._taken_names.add(candidate.en)
        return candidate


def _phone(rng: random.Random) -> str:
    """A Lao mobile number as people write it: +856 20 then eight digits."""
    return f"+856 20 {rng.choice('2579')}{rng.randint(0, 999):03d} {rng.randint(0, 9999):04d}"
