"""Producers and products in and out as one CSV file (docs/CSV_FORMAT.md): the format, parsing and
validation, the import and the export. No CLI or HTTP here: `odop import|export` and
/api/v1/import|export call these functions.

The file has one row per product with its producer's columns repeated, the way staff keep their
spreadsheets; a row whose product columns are all empty stands for a producer alone.

Import is all-or-nothing and streams: the file is read once, in chunks of rows. Every row is
validated (with one query per chunk for the products and producers it names, never one per row);
while no error has been found the chunk is written at once, in the caller's single transaction.
After the first error nothing more is written, but every remaining row is still checked so that
all problems are reported together; the caller's transaction then rolls back, so nothing of a bad
file is ever stored. New rows follow the same rules as the catalogue service: the same schemas
validate them, and the service's own submit/review/grade/update functions move them along.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import re
from collections.abc import Callable, Iterator
from typing import IO, Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.audit.service import record
from app.auth.models import Role, User
from app.catalogue import service
from app.catalogue.models import Producer, Product, ProductStatus
from app.catalogue.reference import Category, Province
from app.catalogue.schemas import LANGS, ProducerCreate, ProducerUpdate, ProductCreate, ProductUpdate
from app.db import utcnow
from app.errors import Forbidden, NotFound, Unprocessable
from app.search.documents import producer_search_text, product_search_text
from app.search.folding import fold

# ---- the format --------------------------------------------------------------------------------

PRODUCER_COLUMNS: tuple[str, ...] = (
    "producer_id",
    "producer_name_lo",
    "producer_name_en",
    "producer_name_th",
    "producer_kind",
    "province_code",
    "district",
    "village",
    "phone",
    "whatsapp",
    "facebook",
    "email",
    "founded_year",
    "members_count",
    "women_members_count",
    "women_led",
    "producer_description_lo",
    "producer_description_en",
    "producer_description_th",
)
PRODUCT_COLUMNS: tuple[str, ...] = (
    "product_id",
    "category",
    "name_lo",
    "name_en",
    "name_th",
    "description_lo",
    "description_en",
    "description_th",
    "materials_lo",
    "materials_en",
    "materials_th",
    "price_lak",
    "unit",
    "moq",
    "monthly_capacity",
    "lead_time_days",
    "hs_code",
    "certifications",
    "status",
    "stars",
)
COLUMNS: tuple[str, ...] = PRODUCER_COLUMNS + PRODUCT_COLUMNS
_KNOWN = frozenset(COLUMNS)

# Trilingual fields: field -> column prefix (the columns are prefix_lo, prefix_en, prefix_th).
_PRODUCER_TEXT = {"name": "producer_name", "description": "producer_description"}
_PRODUCT_TEXT = {"name": "name", "description": "description", "materials": "materials"}
# Single-column fields: field -> column.
_PRODUCER_PLAIN = {
    "kind": "producer_kind",
    "province_code": "province_code",
    "district": "district",
    "village": "village",
    "phone": "phone",
    "whatsapp": "whatsapp",
    "facebook": "facebook",
    "email": "email",
    "founded_year": "founded_year",
    "members_count": "members_count",
    "women_members_count": "women_members_count",
    "women_led": "women_led",
}
_PRODUCT_PLAIN = {
    "category": "category",
    "price_lak": "price_lak",
    "unit": "unit",
    "moq": "moq",
    "monthly_capacity": "monthly_capacity",
    "lead_time_days": "lead_time_days",
    "hs_code": "hs_code",
    "certifications": "certifications",
}
_INT_COLUMNS = frozenset(
    {
        "producer_id",
        "product_id",
        "founded_year",
        "members_count",
        "women_members_count",
        "price_lak",
        "moq",
        "monthly_capacity",
        "lead_time_days",
        "stars",
    }
)
# Statuses a file may ask for. A rejected product is exported as draft (it waits for its producer).
IMPORT_STATUSES = (ProductStatus.draft, ProductStatus.submitted, ProductStatus.published)

UTF8_BOM = "\ufeff"
CHUNK_ROWS = 1000
MAX_ERRORS = 1000  # a garbage file must not grow an unbounded error list; the rest are counted
IMPORT_NOTE = "Imported from a CSV file"
FORMAT_DOC = "docs/CSV_FORMAT.md"
AS_NEW_HINT = "to load a file exported from another database as new producers and products, import it 'as new'"

# Excel runs a cell that starts with one of these as a formula; the export writes a leading
# apostrophe before them (OWASP "CSV injection") and the import takes it off again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ---- results and errors ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class RowError:
    """One problem in the file, located as a spreadsheet shows it (the header is line 1)."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"

    def as_problem(self) -> dict[str, Any]:
        """The `errors` item of a problem+json response."""
        loc: list[str | int] = ["line", self.line] + ([self.column] if self.column else [])
        return {"loc": loc, "msg": self.message}


class ImportFailed(Unprocessable):
    """The file has problems; nothing was imported (422, one `errors` item per problem)."""

    def __init__(self, problems: list[RowError], unlisted: int = 0) -> None:
        total = len(problems) + unlisted
        detail = f"{total} problem{'s' if total != 1 else ''} in the file; nothing was imported. First: {problems[0]}"
        if unlisted:
            detail += f" ({unlisted} more not listed)"
        super().__init__(detail, errors=[p.as_problem() for p in problems])
        self.problems = problems
        self.unlisted = unlisted


@dataclasses.dataclass(slots=True)
class ImportResult:
    rows: int = 0
    producers_created: int = 0
    producers_updated: int = 0
    products_created: int = 0
    products_updated: int = 0
    products_unchanged: int = 0


Progress = Callable[[int, int | None], None]
"""Called now and then with (done, total): bytes read on import, rows written on export."""


class _Errors:
    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.unlisted = 0

    def add(self, line: int, column: str | None, message: str) -> None:
        if len(self.items) < MAX_ERRORS:
            self.items.append(RowError(line, column, message))
        else:
            self.unlisted += 1

    def __bool__(self) -> bool:
        return bool(self.items)


def _error_order(error: RowError) -> tuple[int, int]:
    return error.line, COLUMNS.index(error.column) if error.column in _KNOWN else -1


# ---- who imports -------------------------------------------------------------------------------


def importing_user(session: Session, email: str | None = None) -> User:
    """The staff account an import is recorded under: `email`, or else the first admin."""
    if email:
        user = session.exec(select(User).where(User.email == email.strip().lower())).first()
        if user is None:
            raise NotFound(f"There is no account {email!r}.")
        if not user.is_staff or not user.is_active:
            raise Forbidden(f"{user.email} is not an active staff or admin account; imports are recorded under one.")
        return user
    user = session.exec(select(User).where(User.role == Role.admin, User.is_active.is_(True)).order_by(User.id)).first()
    if user is None:
        raise NotFound(
            "There is no admin account to record the import under: create one with "
            "`odop create-user --role admin`, or name a staff account with --as EMAIL."
        )
    return user


# ---- reading the file --------------------------------------------------------------------------


def _clean(cell: str) -> str:
    cell = cell.strip()
    if len(cell) > 1 and cell[0] == "'" and cell[1] in _FORMULA_START:
        return cell[1:]
    return cell


class _CsvRows:
    """Decodes and splits the file, yielding (line, cells) per record; header first.

    Bytes are decoded line by line (not in 8 KiB blocks) so that a file that is not UTF-8 is
    reported at the line where it goes wrong. A quoted cell may span lines: numbering is by
    record, as a spreadsheet numbers its rows.
    """

    def __init__(self, source: IO[bytes], errors: _Errors) -> None:
        self.source = source
        self.errors = errors
        self.bytes_read = 0

    def _lines(self) -> Iterator[str]:
        first = True
        for raw in self.source:
            self.bytes_read += len(raw)
            if first:
                first = False
                if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise _NotCsv(
                        "the file is UTF-16 (Excel's 'Unicode Text'); save it as 'CSV UTF-8 (Comma delimited)'"
                    )
                if raw.startswith(b"PK\x03\x04"):
                    raise _NotCsv("this is an Excel workbook (.xlsx); save it as 'CSV UTF-8 (Comma delimited)'")
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if b"\x00" in raw:  # text never holds NUL; the csv module would take it as a character
                raise _NotCsv("the file holds binary data (NUL bytes); it is not a CSV text file")
            yield raw.decode("utf-8")

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        line = 0
        try:
            lines = self._lines()
            first = next(lines, None)
            if first is None or not first.strip():
                self.errors.add(1, None, f"the file is empty; its first line must be the header (see {FORMAT_DOC})")
                return
            reader = csv.reader(itertools.chain([first], lines), delimiter=_delimiter(first))
            for cells in reader:
                line += 1
                yield line, cells
        except UnicodeDecodeError:
            self.errors.add(
                line + 1,
                None,
                "the file is not UTF-8 text; in Excel use Save As → 'CSV UTF-8 (Comma delimited)'",
            )
        except _NotCsv as exc:
            self.errors.add(line + 1, None, str(exc))
        except csv.Error as exc:
            self.errors.add(line + 1, None, f"cannot be read as CSV ({exc})")


class _NotCsv(Exception):
    pass


def _delimiter(header: str) -> str:
    # Excel writes ';' in locales whose decimal mark is ','; our column names contain neither.
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header(cells: list[str], errors: _Errors) -> list[str | None] | None:
    """Column name per position (None for an unnamed one), or None when the header is wrong."""
    names: list[str | None] = []
    seen: set[str] = set()
    ok = True
    for cell in cells:
        name = re.sub(r"[\s\-]+", "_", cell.strip().lower())
        if not name:
            names.append(None)
            continue
        if name not in _KNOWN:
            errors.add(1, cell.strip(), f"unknown column; the columns are listed in {FORMAT_DOC}")
            ok = False
        elif name in seen:
            errors.add(1, name, "this column appears twice")
            ok = False
        seen.add(name)
        names.append(name)
    missing = _missing_columns(seen)
    if missing:
        errors.add(1, None, "missing column(s): " + ", ".join(missing) + f" (see {FORMAT_DOC})")
        ok = False
    return names if ok else None


def _missing_columns(present: set[str]) -> list[str]:
    def one_of(prefix: str) -> str | None:
        cols = [f"{prefix}_{lang}" for lang in LANGS]
        return None if present.intersection(cols) else " or ".join(cols)

    if "product_id" in present:  # a file that only changes existing products needs nothing else
        return []
    missing = [m for m in ("category" if "category" not in present else None, one_of("name")) if m]
    if "producer_id" not in present:
        if "province_code" not in present:
            missing.append("province_code (or producer_id)")
        if names := one_of("producer_name"):
            missing.append(f"{names} (or producer_id)")
    return missing


# ---- one row -----------------------------------------------------------------------------------

_INT_RE = re.compile(r"[+-]?\d+")
_GROUPED_RE = re.compile(r"[+-]?\d{1,3}(?:[ ,_\u00a0\u202f]\d{3})+")  # 150,000 / 150 000
_FLOAT_WHOLE_RE = re.compile(r"([+-]?\d+)\.0+")  # Excel's 12.0


def _parse_int(text: str) -> int:
    if _INT_RE.fullmatch(text):
        return int(text)
    if _GROUPED_RE.fullmatch(text):
        return int(re.sub(r"[^\d+-]", "", text))
    if m := _FLOAT_WHOLE_RE.fullmatch(text):
        return int(m.group(1))
    raise ValueError(f"{_show(text)} is not a whole number")


def _show(value: Any, limit: int = 40) -> str:
    if isinstance(value, int | bool):
        return str(value)
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


_PATTERN_MESSAGES = {
    "phone": "is not a phone number (digits, spaces and + ( ) . -)",
    "whatsapp": "is not a phone number (digits, spaces and + ( ) . -)",
    "email": "is not an email address",
    "hs_code": "is not an HS code (4 to 10 digits, such as 5007.20)",
}


def _message(error: Any, field: str) -> str:
    """A pydantic error as a sentence for staff (the column is said separately)."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        return re.sub(r"^(lo|en|th): ", "", message)
    if kind == "missing":
        return "required for a new product" if field in ("category", "name") else "required"
    got = f" (got {_show(value)})" if isinstance(value, str | int) else ""
    if kind == "string_too_long":
        return f"at most {ctx.get('max_length')} characters"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}{got}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}{got}"
    if kind == "string_pattern_mismatch":
        return _PATTERN_MESSAGES.get(field, "is not in the expected form") + got
    if kind == "enum":
        return f"must be one of {ctx.get('expected')}{got}"
    if kind == "bool_parsing":
        return f"write yes or no{got}"
    return f"{error['msg']}{got}"


def _column(error: Any, text: dict[str, str], plain: dict[str, str]) -> tuple[str, str]:
    """(field, column) of a pydantic error on one of our schemas."""
    field = str(error["loc"][0]) if error["loc"] else ""
    if field in text:
        lang = re.match(r"^(?:Value error, )?(lo|en|th): ", str(error.get("msg", "")))
        return field, f"{text[field]}_{lang.group(1) if lang else 'lo'}"
    return field, plain.get(field, field)


@dataclasses.dataclass(slots=True)
class _Row:
    line: int
    producer_id: int | None
    producer: dict[str, Any]  # validated producer values given on this row, by column
    product_id: int | None
    has_product: bool  # False: a row about its producer only
    changes: dict[str, Any] | None  # validated fields given for an existing product (ProductUpdate keys)
    new_product: ProductCreate | None
    status: ProductStatus | None
    stars: int | None


def _texts(cells: dict[str, str], prefix: str) -> dict[str, str]:
    return {lang: v for lang in LANGS if (v := cells.get(f"{prefix}_{lang}", ""))}


def _flatten(fields: dict[str, Any], text: dict[str, str], plain: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, value in fields.items():
        if field in text:
            out.update({f"{text[field]}_{lang}": v for lang, v in value.items()})
        elif value is not None:
            out[plain[field]] = value
    return out


def _unflatten(values: dict[str, Any], text: dict[str, str], plain: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, prefix in text.items():
        given = {lang: values[f"{prefix}_{lang}"] for lang in LANGS if f"{prefix}_{lang}" in values}
        if given:
            out[field] = given
    for field, column in plain.items():
        if column in values:
            out[field] = values[column]
    return out


# ---- the import --------------------------------------------------------------------------------


@dataclasses.dataclass(eq=False, slots=True)
class _Group:
    """The rows of one producer: an existing one (by id) or one the file creates."""

    existing_id: int | None
    key_column: str | None  # the name column the group was matched by: never a conflict
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    lines: dict[str, int] = dataclasses.field(default_factory=dict)  # column -> line that gave its value
    producer: Producer | None = None


@dataclasses.dataclass(slots=True)
class _Plan:
    row: _Row
    group: _Group
    product: Product | None = None  # the existing product a row updates
    diff: dict[str, Any] | None = None
    status: ProductStatus | None = None


class _Importer:
    def __init__(self, session: Session, actor: User, *, as_new: bool) -> None:
        self.session = session
        self.actor = actor
        self.as_new = as_new
        self.errors = _Errors()
        self.result = ImportResult()
        self.columns: list[str | None] = []
        # Reference data, once: codes and slugs, and their names in every language.
        self.provinces: dict[str, str] = {}
        for p in session.exec(select(Province)):
            self.provinces[p.code.upper()] = p.code
            self.provinces.update({fold(n): p.code for n in p.name.values() if n})
        self.categories: dict[str, str] = {}
        for c in session.exec(select(Category)):
            self.categories[c.slug] = c.slug
            self.categories.update({fold(n): c.slug for n in c.name.values() if n})
        self.groups: dict[tuple[Any, ...], _Group] = {}
        self.producers: dict[int, Producer] = {}  # existing producers named by the file
        self.no_producer: set[int] = set()
        self.seen_products: dict[int, int] = {}  # product id -> line
        self.updated_producers: set[int] = set()
        self._producer_cache: dict[tuple[str, ...], tuple[int | None, dict[str, Any], list[tuple[str, str]]]] = {}
        self.now = utcnow()

    # -- reading ---------------------------------------------------------------------------------

    def run(self, source: IO[bytes], size: int | None, on_progress: Progress | None) -> ImportResult:
        rows = _CsvRows(source, self.errors)
        chunk: list[_Row] = []
        for line, cells in rows:
            if line == 1:
                header = _header(cells, self.errors)
                if header is None:
                    break
                self.columns = header
                continue
            row = self._parse(line, cells)
            if row is not None:
                chunk.append(row)
            if len(chunk) >= CHUNK_ROWS:
                self._process(chunk)
                chunk = []
                if on_progress:
                    on_progress(rows.bytes_read, size)
        self._process(chunk)
        if not self.errors and self.result.rows == 0 and self.columns:
            self.errors.add(2, None, "there are no rows below the header")
        if self.errors:  # checks of a chunk run after its rows were parsed: put them back in line order
            raise ImportFailed(sorted(self.errors.items, key=_error_order), self.errors.unlisted)
        record(self.session, self.actor, "catalogue.import", "catalogue", None, **dataclasses.asdict(self.result))
        self.session.flush()
        if on_progress:
            on_progress(rows.bytes_read, size)
        return self.result

    def _cells(self, line: int, cells: list[str]) -> dict[str, str] | None:
        values: dict[str, str] = {}
        for i, cell in enumerate(cells):
            cell = _clean(cell)
            if not cell:
                continue
            name = self.columns[i] if i < len(self.columns) else None
            if name is None:
                self.errors.add(line, None, f"cell {i + 1} ({_show(cell)}) is under no column of the header")
                return None
            values[name] = cell
        return values

    def _parse(self, line: int, raw_cells: list[str]) -> _Row | None:
        """Validate what a row says by itself (no database); None when it has problems."""
        cells = self._cells(line, raw_cells)
        if not cells:
            return None  # unreadable, or a blank row (spreadsheets keep some at the end)
        self.result.rows += 1
        # Rows repeat their producer's cells: validate each distinct set once.
        key = tuple(cells.get(column, "") for column in PRODUCER_COLUMNS)
        parsed = self._producer_cache.get(key)
        if parsed is None:
            if len(self._producer_cache) >= 4096:
                self._producer_cache.clear()
            parsed = self._producer_cache[key] = self._parse_producer(cells)
        producer_id, producer, problems = parsed
        for column, message in problems:
            self.errors.add(line, column, message)
        product = self._parse_product(line, cells)
        if problems or product is None:
            return None
        return _Row(line=line, producer_id=producer_id, producer=producer, **product)

    def _ints(self, cells: dict[str, str], columns: tuple[str, ...], problems: list[tuple[str, str]]) -> dict[str, int]:
        ints: dict[str, int] = {}
        for column in columns:
            if column in _INT_COLUMNS and column in cells and not (column == "product_id" and self.as_new):
                try:
                    ints[column] = _parse_int(cells[column])
                except ValueError as exc:
                    problems.append((column, str(exc)))
        return ints

    def _parse_producer(self, cells: dict[str, str]) -> tuple[int | None, dict[str, Any], list[tuple[str, str]]]:
        """(producer_id, validated values by column, problems as (column, message)) of a row's producer cells."""
        problems: list[tuple[str, str]] = []
        ints = self._ints(cells, PRODUCER_COLUMNS, problems)
        raw: dict[str, Any] = {}
        for field, prefix in _PRODUCER_TEXT.items():
            if texts := _texts(cells, prefix):
                raw[field] = texts
        for field, column in _PRODUCER_PLAIN.items():
            if column in ints:
                raw[field] = ints[column]
            elif column in cells and column not in _INT_COLUMNS:
                raw[field] = cells[column]
        if "province_code" in raw:
            code = self.provinces.get(raw["province_code"].upper()) or self.provinces.get(fold(raw["province_code"]))
            if code is None:
                problems.append(
                    ("province_code", f"unknown province {_show(raw['province_code'])}; use a code such as LA-LP")
                )
                del raw["province_code"]
            else:
                raw["province_code"] = code
        if "kind" in raw:
            raw["kind"] = raw["kind"].lower()
        values: dict[str, Any] = {}
        try:
            values = _flatten(
                ProducerUpdate.model_validate(raw).model_dump(exclude_unset=True), _PRODUCER_TEXT, _PRODUCER_PLAIN
            )
        except ValidationError as exc:
            reported = {column for column, _ in problems}
            for error in exc.errors(include_url=False):
                field, column = _column(error, _PRODUCER_TEXT, _PRODUCER_PLAIN)
                if column not in reported:
                    problems.append((column, _message(error, field)))
        return ints.get("producer_id"), values, problems

    def _parse_product(self, line: int, cells: dict[str, str]) -> dict[str, Any] | None:
        """The product part of a _Row, or None (its problems reported) when it has any."""
        problems: list[tuple[str, str]] = []
        ints = self._ints(cells, PRODUCT_COLUMNS, problems)
        product_id = ints.get("product_id")
        has_product = any(c in cells for c in PRODUCT_COLUMNS if not (c == "product_id" and self.as_new))
        status: ProductStatus | None = None
        if "status" in cells:
            try:
                status = ProductStatus(cells["status"].lower())
                if status not in IMPORT_STATUSES:
                    raise ValueError
            except ValueError:
                problems.append(("status", f"must be draft, submitted or published (got {_show(cells['status'])})"))
        stars = ints.get("stars")
        if stars is not None and not 1 <= stars <= 5:
            problems.append(("stars", f"stars are from 1 to 5 (got {stars})"))
            stars = None
        raw: dict[str, Any] = {}
        for field, prefix in _PRODUCT_TEXT.items():
            if texts := _texts(cells, prefix):
                raw[field] = texts
        for field, column in _PRODUCT_PLAIN.items():
            if column in ints:
                raw[field] = ints[column]
            elif column in cells and column not in _INT_COLUMNS:
                raw[field] = cells[column]
        if "category" in raw:
            slug = self.categories.get(raw["category"].lower()) or self.categories.get(fold(raw["category"]))
            if slug is None:
                problems.append(
                    ("category", f"unknown category {_show(raw['category'])}; use a slug such as silk or coffee")
                )
                del raw["category"]
            else:
                raw["category"] = slug
        changes: dict[str, Any] | None = None
        new_product: ProductCreate | None = None
        if has_product:
            try:
                if product_id is None:
                    raw.setdefault("name", {})  # so that a missing name is reported as such
                    # producer_id is not known yet (the producer may be created by this file)
                    new_product = ProductCreate.model_validate({**raw, "producer_id": 0})
                else:
                    changes = ProductUpdate.model_validate(raw).model_dump(exclude_unset=True)
            except ValidationError as exc:
                reported = {column for column, _ in problems}
                for error in exc.errors(include_url=False):
                    field, column = _column(error, _PRODUCT_TEXT, _PRODUCT_PLAIN)
                    if column in reported:
                        continue
                    message = _message(error, field)
                    if field == "name" and error["type"] == "value_error" and not raw.get("name"):
                        message = "a new product needs a name in at least one language: name_lo, name_en or name_th"
                    problems.append((column, message))
            if product_id is None and stars is not None and status != ProductStatus.published:
                problems.append(
                    ("stars", "stars go only with status published (a grade is given when a product is published)")
                )
        elif stars is not None or status is not None:
            problems.append(("status" if status else "stars", "a row without a product cannot have a status or stars"))
        for column, message in problems:
            self.errors.add(line, column, message)
        if problems:
            return None
        return {
            "product_id": product_id,
            "has_product": has_product,
            "changes": changes,
            "new_product": new_product,
            "status": status,
            "stars": stars,
        }

    # -- checking against the database -----------------------------------------------------------

    def _process(self, chunk: list[_Row]) -> None:
        if not chunk:
            return
        products = self._load(chunk)
        plans = [plan for row in chunk if (plan := self._check(row, products)) is not None]
        if not self.errors:  # after the first problem we only check: the transaction will roll back
            self._write(plans)

    def _load(self, chunk: list[_Row]) -> dict[int, Product]:
        """The products and producers a chunk names, in two queries."""
        products: dict[int, Product] = {}
        if not self.as_new:
            ids = {r.product_id for r in chunk if r.product_id is not None}
            if ids:
                products = {
                    p.id: p
                    for p in self.session.exec(select(Product).where(Product.id.in_(ids), Product.deleted_at.is_(None)))
                    if p.id is not None
                }
            wanted = {r.producer_id for r in chunk if r.producer_id is not None}
            wanted |= {p.producer_id for p in products.values()}
            wanted -= self.producers.keys() | self.no_producer
            if wanted:
                for producer in self.session.exec(
                    select(Producer).where(Producer.id.in_(wanted), Producer.deleted_at.is_(None))
                ):
                    self.producers[producer.id] = producer  # type: ignore[index]
                self.no_producer |= wanted - self.producers.keys()
        return products

    def _check(self, row: _Row, products: dict[int, Product]) -> _Plan | None:
        """The checks that need the database or other rows; merges the row's producer values."""
        errors_before = len(self.errors.items) + self.errors.unlisted

        def fail(column: str | None, message: str) -> None:
            self.errors.add(row.line, column, message)

        product: Product | None = None
        if row.product_id is not None:
            product = products.get(row.product_id)
            if product is None:
                fail("product_id", f"there is no product {row.product_id} ({AS_NEW_HINT})")
                return None
            if (seen := self.seen_products.get(row.product_id)) is not None:
                fail("product_id", f"product {row.product_id} is already on line {seen}")
                return None
            self.seen_products[row.product_id] = row.line
            if row.producer_id is not None and row.producer_id != product.producer_id:
                fail("producer_id", f"product {product.id} belongs to producer {product.producer_id}")
                return None

        key, group = self._group(row, product)
        if key is None:
            return None
        if group is None:  # the producer's first row
            group = _Group(
                existing_id=key[1] if key[0] == "id" else None,
                key_column=key[2] if key[0] == "name" else None,
            )
            if group.existing_id is None:
                self._check_new_producer(row)
        plan = _Plan(row=row, group=group)

        # Rows of one producer must agree; a value missing on one row may come from another.
        for column, value in row.producer.items():
            if column in group.values and column != group.key_column and group.values[column] != value:
                fail(
                    column,
                    f"{_show(value)} differs from {_show(group.values[column])} on line {group.lines[column]}"
                    " for the same producer",
                )
        if product is not None:
            self._check_update(row, product, plan, fail)
        elif row.has_product:
            plan.status = row.status or ProductStatus.draft

        if len(self.errors.items) + self.errors.unlisted > errors_before:
            return None
        if key not in self.groups:
            self.groups[key] = group
        for column, value in row.producer.items():
            if column not in group.values:
                group.values[column] = value
                group.lines[column] = row.line
        return plan

    def _group(self, row: _Row, product: Product | None) -> tuple[tuple[Any, ...] | None, _Group | None]:
        """Which producer the row is about: its key, and its group if an earlier row opened it."""
        if row.producer_id is not None and self.as_new:
            key: tuple[Any, ...] = ("file", row.producer_id)  # ids from another database only group rows
        elif row.producer_id is not None or product is not None:
            producer_id = row.producer_id if row.producer_id is not None else product.producer_id  # type: ignore[union-attr]
            if producer_id not in self.producers:
                self.errors.add(row.line, "producer_id", f"there is no producer {producer_id} ({AS_NEW_HINT})")
                return None, None
            key = ("id", producer_id)
        else:
            names = {lang: row.producer.get(f"producer_name_{lang}") for lang in LANGS}
            lang = next((lang for lang in LANGS if names[lang]), None)
            if lang is None:
                self.errors.add(
                    row.line,
                    "producer_name_lo",
                    "say whose product this is: producer_id of an existing producer, "
                    "or the producer's name (producer_name_lo, _en or _th) and province_code",
                )
                return None, None
            province = row.producer.get("province_code")
            if province is None:
                self.errors.add(row.line, "province_code", "required for a new producer (or give producer_id)")
                return None, None
            key = ("name", province, f"producer_name_{lang}", fold(names[lang] or ""))
        return key, self.groups.get(key)

    def _check_new_producer(self, row: _Row) -> None:
        """The first row of a producer the file creates must be able to create it."""
        if not any(row.producer.get(f"producer_name_{lang}") for lang in LANGS):
            self.errors.add(row.line, "producer_name_lo", "a new producer needs a name in at least one language")
        if "province_code" not in row.producer:
            self.errors.add(row.line, "province_code", "required for a new producer")

    def _check_update(self, row: _Row, product: Product, plan: _Plan, fail: Callable[[str, str], None]) -> None:
        current = product.status
        shown = ProductStatus.draft if current == ProductStatus.rejected else current
        wanted = row.status or shown
        if current == ProductStatus.published and wanted != ProductStatus.published:
            fail("status", f"product {product.id} is published; an import cannot take it offline")
        elif current == ProductStatus.submitted and wanted == ProductStatus.draft:
            fail("status", f"product {product.id} is waiting for review; an import cannot take it back to draft")
        if row.stars is not None and wanted != ProductStatus.published:
            fail("stars", "stars go only with status published (a grade is given when a product is published)")
        diff: dict[str, Any] = {}
        for field, value in (row.changes or {}).items():
            old = getattr(product, field)
            new = {**old, **value} if field in _PRODUCT_TEXT else value  # an empty cell keeps a value
            if new != old:
                diff[field] = new
        if current == ProductStatus.published and product.pending_changes and diff.keys() & service.REVIEWED_FIELDS:
            fail(
                "product_id",
                f"product {product.id} has edits from its producer waiting for review; review them first",
            )
        plan.product, plan.diff, plan.status = product, diff, wanted

    # -- writing ---------------------------------------------------------------------------------

    def _write(self, plans: list[_Plan]) -> None:
        session, actor = self.session, self.actor
        created: list[Producer] = []
        for group in dict.fromkeys(plan.group for plan in plans):
            if group.producer is None and group.existing_id is None:
                group.producer = self._new_producer(group)
                created.append(group.producer)
            else:
                if group.producer is None:
                    group.producer = self.producers[group.existing_id]  # type: ignore[index]
                self._sync_producer(group)
        if created:
            session.add_all(created)
            session.flush()  # their ids, for the chunk's products
            for producer in created:
                record(session, actor, "producer.create", "producer", producer.id, on_behalf=True)
            self.result.producers_created += len(created)

        new: list[_Plan] = []
        for plan in plans:
            if plan.product is not None:
                self._update_product(plan)
            elif plan.row.new_product is not None:
                new.append(plan)
        if new:
            self._insert_products(new)
        session.flush()

    def _insert_products(self, plans: list[_Plan]) -> None:
        """Create a chunk's new products as service.create_product would, in bulk.

        Rows go in as plain INSERTs (building ORM objects costs more than the INSERT itself); only
        products that move on (submitted, published) are loaded back, in one query, to go through
        the service's own submit/review/grade path, which sets submitted_at, published_at, grades...
        """
        session, actor = self.session, self.actor
        insert = sa.insert(Product).returning(Product.id, sort_by_parameter_order=True)
        ids = list(session.execute(insert, [self._product_values(plan) for plan in plans]).scalars())
        # The audit record of each creation, as app.audit.service.record writes it.
        session.execute(
            sa.insert(AuditEvent),
            [
                {
                    "at": self.now,
                    "actor_user_id": actor.id,
                    "action": "product.create",
                    "entity_type": "product",
                    "entity_id": product_id,
                    "on_behalf": not service.is_owner(actor, plan.group.producer),  # type: ignore[arg-type]
                    "details": {},
                }
                for product_id, plan in zip(ids, plans, strict=True)
            ],
        )
        self.result.products_created += len(plans)
        moving = {pid: plan for pid, plan in zip(ids, plans, strict=True) if plan.status != ProductStatus.draft}
        if not moving:
            return
        for product in session.exec(select(Product).where(Product.id.in_(list(moving)))):
            plan = moving[product.id]  # type: ignore[index]
            producer = plan.group.producer
            assert producer is not None
            service.submit_product(session, actor, product, producer)
            if plan.status == ProductStatus.published:
                service.review_product(
                    session, actor, product, producer, approve=True, stars=plan.row.stars, note=IMPORT_NOTE
                )

    def _new_producer(self, group: _Group) -> Producer:
        # As service.create_producer does, without its per-producer province query and flush.
        data = ProducerCreate.model_validate(_unflatten(group.values, _PRODUCER_TEXT, _PRODUCER_PLAIN))
        producer = Producer(
            **data.model_dump(exclude={"owner_user_id"}, exclude_none=True),
            owner_user_id=None,
            created_by_user_id=self.actor.id,
            updated_by_user_id=self.actor.id,
            created_at=self.now,
            updated_at=self.now,
        )
        producer.search_text = producer_search_text(producer.name, producer.district, producer.village)
        return producer

    def _sync_producer(self, group: _Group) -> None:
        """Apply what the file says about a producer that exists already (through the service)."""
        producer = group.producer
        assert producer is not None
        changes: dict[str, Any] = {}
        for field, value in _unflatten(group.values, _PRODUCER_TEXT, _PRODUCER_PLAIN).items():
            old = getattr(producer, field)
            new = {**old, **value} if field in _PRODUCER_TEXT else value  # an empty cell keeps a value
            if new != old:
                changes[field] = new
        if changes:
            # Keeps the copies on its products (province, search text) in step, and audits.
            service.update_producer(self.session, self.actor, producer, ProducerUpdate.model_validate(changes))
            if group.existing_id is not None:
                self.updated_producers.add(group.existing_id)
                self.result.producers_updated = len(self.updated_producers)

    def _product_values(self, plan: _Plan) -> dict[str, Any]:
        """The columns of a new product, as service.create_product sets them (every key, so the
        INSERTs batch)."""
        producer, data = plan.group.producer, plan.row.new_product
        assert producer is not None and data is not None
        name, description = data.name, data.description or {}
        # service._refresh_search_text computes exactly this (a test holds them together).
        search_name, search_body = product_search_text(
            name, description, producer.name, producer.district, producer.village
        )
        return {
            "producer_id": producer.id,
            "category": data.category,
            "province_code": producer.province_code,
            "name": name,
            "description": description,
            "materials": data.materials or {},
            "price_lak": data.price_lak,
            "unit": data.unit,
            "moq": data.moq,
            "monthly_capacity": data.monthly_capacity,
            "lead_time_days": data.lead_time_days,
            "hs_code": data.hs_code,
            "certifications": data.certifications or [],
            "status": ProductStatus.draft.value,
            "search_name": search_name,
            "search_body": search_body,
            "created_at": self.now,
            "created_by_user_id": self.actor.id,
            "updated_at": self.now,
            "updated_by_user_id": self.actor.id,
        }

    def _update_product(self, plan: _Plan) -> None:
        session, actor = self.session, self.actor
        product, producer, diff = plan.product, plan.group.producer, plan.diff or {}
        assert product is not None and producer is not None
        stars = plan.row.stars
        changed = bool(diff)
        if diff:
            # On a published product the reviewed fields wait in pending_changes, as for any edit...
            service.update_product(session, actor, product, producer, ProductUpdate.model_validate(diff))
        status = product.status
        if plan.status == ProductStatus.submitted and status in (ProductStatus.draft, ProductStatus.rejected):
            service.submit_product(session, actor, product, producer)
            changed = True
        elif plan.status == ProductStatus.published:
            new_stars = stars if stars is not None and stars != service.current_stars(product) else None
            if status in (ProductStatus.draft, ProductStatus.rejected):
                service.submit_product(session, actor, product, producer)
            if status != ProductStatus.published or diff.keys() & service.REVIEWED_FIELDS:
                # ...and the importing staff member approves them, as a review would.
                service.review_product(
                    session, actor, product, producer, approve=True, stars=new_stars, note=IMPORT_NOTE
                )
                changed = True
            elif new_stars is not None:
                service.grade_product(session, actor, product, stars=new_stars, note=IMPORT_NOTE)
                changed = True
        if changed:
            self.result.products_updated += 1
        else:
            self.result.products_unchanged += 1


def import_csv(
    session: Session,
    actor: User,
    source: IO[bytes],
    *,
    size: int | None = None,
    as_new: bool = False,
    on_progress: Progress | None = None,
) -> ImportResult:
    """Import a CSV file of producers and products (docs/CSV_FORMAT.md) as `actor`, a staff account.

    Writes into `session` and does not commit: the caller's transaction holds the whole file.
    Raises ImportFailed (422) listing every problem when any row is wrong; the caller must then
    roll back (Database.session and the request session do). With `as_new`, product_id is
    ignored and producer_id only groups rows, so a file exported elsewhere loads as new rows.
    """
    if not actor.is_staff:
        raise Forbidden("Only trade-promotion staff import the catalogue.")
    return _Importer(session, actor, as_new=as_new).run(source, size, on_progress)


# ---- the export --------------------------------------------------------------------------------


def _export_statement() -> Any:
    live_product = sa.and_(Product.producer_id == Producer.id, Product.deleted_at.is_(None))
    return (
        select(Producer, Product)
        .outerjoin(Product, live_product)  # a producer without products still gets its row
        .where(Producer.deleted_at.is_(None))
        .order_by(Producer.id, Product.id)
    )


def count_export_rows(session: Session) -> int:
    """How many rows (below the header) export_csv will write."""
    return int(session.exec(select(sa.func.count()).select_from(_export_statement().subquery())).one())


def _text(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _producer_cells(p: Producer) -> list[str]:
    return [
        str(p.id),
        *(_text(p.name.get(lang)) for lang in LANGS),
        str(p.kind),
        p.province_code,
        _text(p.district),
        _text(p.village),
        _text(p.phone),
        _text(p.whatsapp),
        _text(p.facebook),
        _text(p.email),
        _number(p.founded_year),
        _number(p.members_count),
        _number(p.women_members_count),
        "yes" if p.women_led else "no",
        *(_text(p.description.get(lang)) for lang in LANGS),
    ]


def _product_cells(p: Product | None) -> list[str]:
    if p is None:
        return [""] * len(PRODUCT_COLUMNS)
    status = ProductStatus.draft if p.status == ProductStatus.rejected else ProductStatus(p.status)
    return [
        str(p.id),
        p.category,
        *(_text(p.name.get(lang)) for lang in LANGS),
        *(_text(p.description.get(lang)) for lang in LANGS),
        *(_text(p.materials.get(lang)) for lang in LANGS),
        _number(p.price_lak),
        _text(p.unit),
        _number(p.moq),
        _number(p.monthly_capacity),
        _number(p.lead_time_days),
        _text(p.hs_code),
        ";".join(p.certifications),
        status.value,
        _number(service.current_stars(p)) if status == ProductStatus.published else "",
    ]


def export_rows(session: Session) -> Iterator[list[str]]:
    """Every non-deleted product with its producer (and each producer without products), streamed."""
    last: tuple[int | None, list[str]] = (None, [])
    rows = session.exec(_export_statement().execution_options(yield_per=CHUNK_ROWS))
    for producer, product in rows:
        if last[0] != producer.id:  # rows come by producer: format its cells once
            last = (producer.id, _producer_cells(producer))
        yield last[1] + _product_cells(product)


def export_csv(session: Session, *, on_progress: Progress | None = None, piece_chars: int = 64 * 1024) -> Iterator[str]:
    """The catalogue as CSV text in pieces: a UTF-8 BOM (so Excel reads Lao script), the header, the rows.

    Encode the pieces as UTF-8 (not utf-8-sig: the BOM is already in the first piece).
    """
    total = count_export_rows(session) if on_progress else None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(UTF8_BOM)
    writer.writerow(COLUMNS)
    done = 0
    for row in export_rows(session):
        writer.writerow(row)
        done += 1
        if buffer.tell() >= piece_chars:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if on_progress:
                on_progress(done, total)
    yield buffer.getvalue()
    if on_progress:
        on_progress(done, total)


def write_csv(session: Session, sink: IO[str], *, on_progress: Progress | None = None) -> None:
    """Write export_csv to a text file opened with encoding='utf-8' and newline=''."""
    for piece in export_csv(session, on_progress=on_progress):
        sink.write(piece)
