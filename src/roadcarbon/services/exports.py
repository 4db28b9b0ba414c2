"""Exports of any list or result: CSV, XLSX, JSON; an LCA result as an openLCA JSON-LD package.

Tables are flat: nested objects become dotted column names
(``stages_g_co2e_per_km.battery``); lists become JSON text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import uuid
import zipfile
from typing import Any

from roadcarbon.errors import InputError
from roadcarbon.types import STAGES

FORMATS = ("json", "csv", "xlsx")
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "olca": "application/zip",
}
_NAMESPACE = uuid.UUID("6f1c1d4e-6a0b-4c56-9a55-3b8e0d0b7c11")
"""Namespace of the name-based UUIDs of exported openLCA entities (stable across exports)."""


def check_format(value: str) -> str:
    """``json``, ``csv`` or ``xlsx``, else InputError naming ``format``."""
    if value not in FORMATS:
        raise InputError(f"expected one of: {', '.join(FORMATS)}", field="format")
    return value


def flatten(document: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """One flat row: nested keys joined by dots; lists as JSON text."""
    row: dict[str, Any] = {}
    for key, value in document.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            row[name] = json.dumps(value, ensure_ascii=False, default=json_default)
        else:
            row[name] = value
    return row


def rows_of(document: Any) -> list[dict[str, Any]]:
    """Table rows of a list page (``items``), a list, or one result document (one row)."""
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        items = document["items"]
    elif isinstance(document, list):
        items = document
    else:
        items = [document]
    return [flatten(i) if isinstance(i, dict) else {"value": i} for i in items]


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    columns: list[str] = []
    seen: set[str] = set()
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                columns.append(key)
    return columns


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _is_number(value):
        return "'" + value  # no formula injection in spreadsheets
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(document: Any) -> bytes:
    """CSV (UTF-8, header row) of a list or result."""
    rows = rows_of(document)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_columns(rows) or ["value"], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def to_xlsx(document: Any, *, sheet: str = "data") -> bytes:
    """An XLSX workbook with one sheet of a list or result.

    Control characters that XLSX cannot hold are removed from headers and cells (they would make the
    workbook invalid); CSV and JSON keep the text unchanged.
    """
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    def clean(value: Any) -> Any:
        value = _cell(value)
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    rows = rows_of(document)
    columns = _columns(rows) or ["value"]
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet[:31]
    ws.append([clean(c) for c in columns])
    for row in rows:
        ws.append([clean(row.get(c)) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def json_default(value: Any) -> Any:
    """JSON for numpy scalars/arrays and dates (everything else is refused)."""
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 1) == 0:
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def json_safe(document: Any) -> Any:
    """A copy in which non-finite floats (NaN, ±inf: not JSON) become the texts "NaN", "Infinity", "-Infinity"."""
    if isinstance(document, float) and not math.isfinite(document):
        return "NaN" if math.isnan(document) else ("Infinity" if document > 0 else "-Infinity")
    if isinstance(document, dict):
        return {k: json_safe(v) for k, v in document.items()}
    if isinstance(document, list | tuple):
        return [json_safe(v) for v in document]
    return document


def to_json(document: Any) -> bytes:
    """Compact UTF-8 JSON (non-finite numbers as texts, see :func:`json_safe`)."""
    try:
        text = json.dumps(document, ensure_ascii=False, default=json_default, allow_nan=False)
    except ValueError:
        text = json.dumps(json_safe(document), ensure_ascii=False, default=json_default, allow_nan=False)
    return text.encode("utf-8")


def render(document: Any, fmt: str) -> bytes:
    """The document in ``fmt`` (json, csv or xlsx)."""
    check_format(fmt)
    if fmt == "csv":
        return to_csv(document)
    if fmt == "xlsx":
        return to_xlsx(document)
    return to_json(document)


def _uid(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


def _ref(entity: dict[str, Any]) -> dict[str, Any]:
    return {"@type": entity["@type"], "@id": entity["@id"], "name": entity.get("name")}


def olca_package(document: dict[str, Any], *, vehicle_name: str) -> bytes:
    """An openLCA JSON-LD (olca-schema v2) zip of one ``lca`` document.

    Contents: the unit group and flow property of distance (km), a product
    flow "1 vehicle-km of <vehicle> in <country>, <year>", the impact category
    "Climate change, GWP100" in kg CO2 eq, and one ``Result`` per life-cycle
    stage plus one for the total, each with the product flow (1 km) as
    reference flow and its kg CO2e per km as impact result.
    """
    country, year = document["country"], document["year"]
    now = dt.datetime.now(dt.UTC).isoformat()
    km_unit = {
        "@type": "Unit",
        "@id": _uid("unit", "km"),
        "name": "km",
        "conversionFactor": 1.0,
        "isRefUnit": True,
    }
    unit_group: dict[str, Any] = {
        "@type": "UnitGroup",
        "@id": _uid("unit_group", "length"),
        "name": "Units of length",
        "units": [km_unit],
    }
    distance = {
        "@type": "FlowProperty",
        "@id": _uid("flow_property", "distance"),
        "name": "Distance",
        "flowPropertyType": "PHYSICAL_QUANTITY",
        "unitGroup": _ref(unit_group),
    }
    unit_group["defaultFlowProperty"] = _ref(distance)
    product = {
        "@type": "Flow",
        "@id": _uid("flow", vehicle_name, country, year),
        "name": f"vehicle-km, {vehicle_name}, {country} {year}",
        "flowType": "PRODUCT_FLOW",
        "flowProperties": [
            {
                "@type": "FlowPropertyFactor",
                "flowProperty": _ref(distance),
                "conversionFactor": 1.0,
                "isRefFlowProperty": True,
            }
        ],
        "lastChange": now,
    }
    gwp = {
        "@type": "ImpactCategory",
        "@id": _uid("impact", "gwp100"),
        "name": "Climate change, GWP100",
        "refUnit": "kg CO2 eq",
        "description": "Global warming potential over 100 years as computed by roadcarbon (GWP100).",
    }
    ref_flow = {
        "@type": "FlowResult",
        "flow": _ref(product),
        "flowProperty": _ref(distance),
        "unit": _ref(km_unit),
        "amount": 1.0,
        "isInput": False,
        "isRefFlow": True,
    }
    results = []
    stages = document["stages_g_co2e_per_km"]
    for stage in (*STAGES, "total"):
        grams = document["total_g_co2e_per_km"] if stage == "total" else stages[stage]
        results.append(
            {
                "@type": "Result",
                "@id": _uid("result", vehicle_name, country, year, stage, document.get("data_version")),
                "name": f"{vehicle_name}, {country} {year}, {stage}",
                "description": f"roadcarbon life-cycle stage '{stage}' per vehicle-km; data version {document.get('data_version')}",
                "flowResults": [ref_flow],
                "impactResults": [
                    {
                        "@type": "ImpactResult",
                        "indicator": _ref(gwp),
                        "amount": round(float(grams) / 1000.0, 9),
                    }
                ],
                "lastChange": now,
                "tags": ["roadcarbon", stage],
            }
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("olca-schema.json", json.dumps({"version": 2}))
        zf.writestr(f"unit_groups/{unit_group['@id']}.json", json.dumps(unit_group))
        zf.writestr(f"flow_properties/{distance['@id']}.json", json.dumps(distance))
        zf.writestr(f"flows/{product['@id']}.json", json.dumps(product))
        zf.writestr(f"lcia_categories/{gwp['@id']}.json", json.dumps(gwp))
        for result in results:
            zf.writestr(f"results/{result['@id']}.json", json.dumps(result))
    return buffer.getvalue()
