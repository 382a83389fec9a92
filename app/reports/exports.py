"""Any report table as CSV (UTF-8 with a BOM, so Excel shows Lao script) or as an Excel workbook (openpyxl).

Numbers stay numbers, dates stay dates (Lao time; Excel has no time zones). Text that Excel would run as
a formula gets a leading apostrophe in CSV (OWASP "CSV injection") and is stored as text in XLSX.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.events.schemas import LAOS_TZ
from app.reports.tables import BOOL, KIP, Table

UTF8_BOM = "\ufeff"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _plain(value: Any, kind: str) -> Any:
    """A cell's value without time zone (Lao time), booleans as yes/no numbers stay numbers."""
    if isinstance(value, dt.datetime):
        return value.astimezone(LAOS_TZ).replace(tzinfo=None, microsecond=0)
    if kind == BOOL and isinstance(value, bool):
        return int(value)
    return value


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def to_csv(table: Table) -> bytes:
    """The header, the rows and the total row (when the table has one)."""
    buffer = io.StringIO()
    buffer.write(UTF8_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_text(c.label) for c in table.columns])
    for row in [*table.rows, *([table.total] if table.total else [])]:
        writer.writerow([_csv_text(_plain(v, c.kind)) for v, c in zip(row, table.columns, strict=True)])
    return buffer.getvalue().encode("utf-8")


def _sheet_title(title: str) -> str:
    cleaned = " ".join(_SHEET_FORBIDDEN.sub(" ", title).split()).strip("'") or "Report"
    return cleaned[:31]


def _xlsx_cell(ws: Any, value: Any, kind: str, *, bold: bool = False) -> WriteOnlyCell:
    value = _plain(value, kind)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"  # text that starts with "=" is text, never a formula
    if isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    elif kind == KIP:
        cell.number_format = "#,##0"
    if bold:
        cell.font = Font(bold=True)
    return cell


def to_xlsx(table: Table) -> bytes:
    """One sheet named after the table: a bold header row (frozen), the rows, a bold total row."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(table.title))
    ws.freeze_panes = "A2"
    for i, column in enumerate(table.columns, start=1):
        longest = max([len(column.label), *(len(_csv_text(r[i - 1])) for r in table.rows[:200])])
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
    ws.append([_xlsx_cell(ws, c.label, "text", bold=True) for c in table.columns])
    for row in table.rows:
        ws.append([_xlsx_cell(ws, v, c.kind) for v, c in zip(row, table.columns, strict=True)])
    if table.total:
        ws.append([_xlsx_cell(ws, v, c.kind, bold=True) for v, c in zip(table.total, table.columns, strict=True)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def file_name(table_name: str, query: dict[str, str], ext: str) -> str:
    """odop-provinces-LA-LP-2026-07-01-2026-09-30.xlsx: ASCII only (filter values are codes and dates)."""
    parts = ["odop", table_name, *(re.sub(r"[^A-Za-z0-9-]", "", v)[:20] for v in query.values())]
    return "-".join(p for p in parts if p) + f".{ext}"
