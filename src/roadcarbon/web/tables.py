"""Downloadable tables: every chart's numbers as CSV or XLSX (openpyxl).

A table is a title, column headers (with units) and rows of plain values; the
same table feeds the chart's ``<script type="application/json">`` block and
the download, so what a user downloads is exactly what the chart draws.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    """One downloadable table."""

    name: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def to_csv(table: Table) -> bytes:
    """The table as UTF-8 CSV (with a byte-order mark so spreadsheet programs read CJK text right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    for note in table.notes:
        writer.writerow([f"# {note}"])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook: one sheet of data, one of notes (sources, settings)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.name[:31] or "data"
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append(row)
    if table.notes:
        notes = book.create_sheet("notes")
        for note in table.notes:
            notes.append([note])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
