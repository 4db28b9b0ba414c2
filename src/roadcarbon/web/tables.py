"""Downloadable tables: every chart's numbers as CSV, XLSX (openpyxl) or a Frictionless data package.

A table is a title, column headers (with units) and rows of plain values; the
same table feeds the chart's ``<script type="application/json">`` block and
the download, so what a user downloads is exactly what the chart draws.

The CSV holds the header row and the data only, so ``pandas.read_csv(path)``
reads it as it is; the settings, data release, sources and licence go in the
XLSX's ``notes`` sheet and in the ``datapackage.json`` sidecar of the ZIP
download (Frictionless Data "Tabular Data Package", v1 profile).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    """One downloadable table."""

    name: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def decimals(header: str) -> int:
    """Decimal places a column is written with: distances in whole km, shares to 4 places, else 3.

    Three decimals is what the service's documents carry (``lca`` rounds each stage to 0.001 g CO2e/km);
    more digits would be noise of the float arithmetic, fewer would lose what the API gives.
    """
    name = header.lower()
    if name.endswith("_km") and not name.endswith("per_km"):
        return 0
    if "share" in name:
        return 4
    return 3


def rounded(value: Any, places: int) -> Any:
    """``value`` rounded to ``places`` decimals when it is a finite float (other values unchanged)."""
    if isinstance(value, float) and math.isfinite(value):
        out = round(value, places)
        return int(out) if places == 0 else out
    return value


def safe_cell(value: Any) -> Any:
    """A cell as the API's exports write it: no formula injection (:func:`services.exports.spreadsheet_safe`)."""
    from roadcarbon.services.exports import spreadsheet_safe

    return spreadsheet_safe(value)


def _rows(table: Table) -> list[list[Any]]:
    places = [decimals(h) for h in table.headers]
    return [
        [safe_cell(rounded(v, places[i]) if i < len(places) else v) for i, v in enumerate(r)]
        for r in table.rows
    ]


def _csv_text(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.headers)
    writer.writerows(_rows(table))
    return buffer.getvalue()


def to_csv(table: Table) -> bytes:
    """The table as UTF-8 CSV: one header row, then the data (a byte-order mark so spreadsheet programs
    read CJK text right; pandas and the csv module skip it with ``utf-8-sig``/their defaults)."""
    return ("\ufeff" + _csv_text(table)).encode("utf-8")


_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 cannot hold besides the control characters openpyxl removes (U+FFFE, U+FFFF,
lone surrogates): openpyxl refuses the whole workbook for one of them."""


def to_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook: one sheet of data, one of notes (sources, settings).

    Text that would be a formula gets a ``'`` (:func:`safe_cell`); control characters that XLSX cannot
    hold are removed (the CSV keeps them).
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    def clean(value: Any) -> Any:  # control characters make openpyxl refuse the cell (a user's model name)
        if not isinstance(value, str):
            return value
        return _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.name[:31] or "data"
    sheet.append(table.headers)
    for row in _rows(table):
        sheet.append([clean(v) for v in row])
    if table.notes:
        notes = book.create_sheet("notes")
        for note in table.notes:
            notes.append([clean(safe_cell(note))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _field_type(values: list[Any]) -> str:
    present = [v for v in values if v is not None and v != ""]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "integer"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "number"
    return "string"


def datapackage(table: Table, name: str, citation: str, base_url: str = "") -> dict[str, Any]:
    """The Frictionless ``datapackage.json`` describing ``table`` saved as ``<name>.csv``.

    ``notes`` (the query's settings, data release, method) go in ``roadcarbon:settings``; the licence is
    the reference data's (CC BY 4.0 and ODbL 1.0, each dataset on the dashboard's Data page).
    """
    rows = _rows(table)
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-") or "roadcarbon"
    fields = []
    for i, header in enumerate(table.headers):
        column = [r[i] for r in rows if i < len(r)]
        item: dict[str, Any] = {"name": header, "type": _field_type(column)}
        unit = re.search(r"\[([^\]]+)\]", header) or re.search(r"_(g_co2e_per_km|t_co2e|km)$", header)
        if unit:
            item["unit"] = unit.group(1).replace("_", " ")
        fields.append(item)
    release = next((n.split("=", 1)[1] for n in table.notes if n.startswith("data_version=")), None)
    return {
        "profile": "tabular-data-package",
        "name": slug,
        "title": f"roadcarbon: {table.name}",
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "licenses": [
            {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"},
            {"name": "ODbL-1.0", "path": "https://opendatacommons.org/licenses/odbl/1-0/"},
        ],
        "sources": [
            {
                "title": "roadcarbon reference data" + (f", release {release}" if release else ""),
                "path": f"{base_url}/data",
            }
        ],
        "resources": [
            {
                "name": slug,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True, "lineTerminator": "\n"},
                "schema": {"fields": fields},
            }
        ],
        "roadcarbon:settings": list(table.notes),
        "roadcarbon:how_to_cite": citation,
    }


def to_datapackage_zip(table: Table, name: str, citation: str, base_url: str = "") -> bytes:
    """A ZIP of ``<name>.csv`` (no byte-order mark) and its ``datapackage.json`` sidecar."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.csv", _csv_text(table).encode("utf-8"))
        package = datapackage(table, name, citation, base_url)
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=1))
    return buffer.getvalue()
