"""Server-drawn SVG charts and the CSV/XLSX writers, on their own."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import openpyxl

from app.reports import charts, exports
from app.reports.tables import DATETIME, INT, KIP, Column, Table

SVG = "{http://www.w3.org/2000/svg}"


def test_a_chart_is_an_accessible_svg_image_with_escaped_labels():
    svg = charts.bar_chart(
        "Products <by> province",
        ["ຫຼວງພະບາງ", '<script>alert("x")</script>', "A very long province name that goes on and on"],
        [("Products", [10, 0, 5]), ("Producers", [2, 1, 0])],
        number=lambda v: f"{v:,}",
        description="The numbers are in the table beside the chart.",
    )
    root = ET.fromstring(str(svg))  # well-formed XML: every label escaped
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert (
        title.text == "Products <by> province" and root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    )
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    assert labels[0] == "ຫຼວງພະບາງ" and labels[1] == '<script>alert("x")</script>' and labels[2].endswith("…")
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("y") != "6"]  # not the legend
    widths = [float(r.get("width")) for r in bars]
    assert len(bars) == 6 and widths[0] == max(widths) and widths[2] == 0  # scaled to the largest value
    assert "<script>" not in str(svg)


def test_an_empty_chart_is_still_valid():
    root = ET.fromstring(str(charts.bar_chart("Nothing", [], [("Products", [])])))
    assert root.find(f"{SVG}title").text == "Nothing"


TABLE = Table(
    "sample",
    "ຕົວຢ່າງ: sample/table?",
    [Column("name", "ຊື່"), Column("n", "Count", INT), Column("value", "Value", KIP), Column("at", "When", DATETIME)],
    [
        ["ຜ້າໄໝ", 3, 1_500_000, dt.datetime(2026, 1, 31, 20, tzinfo=dt.UTC)],
        ["=1+2", 0, None, None],
        ["-cmd|' /C calc'!A0", 1, 0, None],
    ],
    total=["Total", 4, 1_500_000, None],
)


def test_csv_has_a_bom_lao_intact_and_no_formulas():
    body = exports.to_csv(TABLE)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["ຊື່", "Count", "Value", "When"]
    assert rows[1] == ["ຜ້າໄໝ", "3", "1500000", "2026-02-01 03:00:00"]  # Lao time
    assert rows[2][0] == "'=1+2" and rows[3][0] == "'-cmd|' /C calc'!A0"
    assert rows[4] == ["Total", "4", "1500000", ""]


def test_xlsx_keeps_numbers_dates_and_text():
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(TABLE))).active
    assert sheet.title == "ຕົວຢ່າງ sample table"  # characters Excel forbids in a sheet name are gone
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["ຊື່", "Count", "Value", "When"] and sheet["A1"].font.bold
    assert rows[1] == ["ຜ້າໄໝ", 3, 1_500_000, dt.datetime(2026, 2, 1, 3, 0)]
    assert sheet["C2"].number_format == "#,##0"
    assert sheet["A3"].value == "=1+2" and sheet["A3"].data_type == "s"
    assert rows[-1] == ["Total", 4, 1_500_000, None] and sheet.freeze_panes == "A2"


def test_file_names_are_ascii():
    name = exports.file_name("provinces", {"province": "LA-LP", "date_from": "2026-07-01", "x": "ຫຼວງ/.."}, "csv")
    assert name == "odop-provinces-LA-LP-2026-07-01.csv"
