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
import re
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


TIDY_COLUMNS = ("vehicle", "country", "year", "stage", "value", "unit")
"""Columns of the tidy stage table (as ``roadcarbon compare --csv`` and ``Assessment.to_dataframe()``)."""


def is_compare_document(document: Any) -> bool:
    """A ``compare`` document: ``country``, ``year`` and ``vehicles`` with their stages."""
    return (
        isinstance(document, dict)
        and {"country", "year", "vehicles"} <= set(document)
        and isinstance(document["vehicles"], list)
        and all(
            isinstance(v, dict) and isinstance(v.get("stages_g_co2e_per_km"), dict)
            for v in document["vehicles"]
        )
    )


def tidy_stage_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per vehicle and stage of a ``compare`` document [g CO2e/km]; no JSON inside cells."""
    return [
        {
            "vehicle": v.get("vehicle"),
            "country": v.get("country", document["country"]),
            "year": v.get("year", document["year"]),
            "stage": stage,
            "value": value,
            "unit": "g CO2e/km",
        }
        for v in document["vehicles"]
        for stage, value in v["stages_g_co2e_per_km"].items()
    ]


def rows_of(document: Any) -> list[dict[str, Any]]:
    """Table rows of a list page (``items``), a list, one result document (one row), or a ``compare``
    document (tidy: one row per vehicle and stage, see :func:`tidy_stage_rows`)."""
    if is_compare_document(document):
        return tidy_stage_rows(document)
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


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula (``= + - @``, or a tab/CR first) with a ``'``
    in front (OWASP "CSV injection"); numbers written as text (``-3.5``) stay as they are."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(value):
        return "'" + value
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
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 cannot hold besides the control characters openpyxl removes (U+FFFE, U+FFFF,
lone surrogates): openpyxl refuses the whole workbook for one of them."""


def to_xlsx(document: Any, *, sheet: str = "data") -> bytes:
    """An XLSX workbook with one sheet of a list or result.

    Control characters that XLSX cannot hold are removed from headers and cells (they would make the
    workbook invalid); CSV and JSON keep the text unchanged.
    """
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    def clean(value: Any) -> Any:
        value = spreadsheet_safe(value)
        if not isinstance(value, str):
            return value
        return _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))

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


def _ref(entity: dict[str, Any], entity_type: str | None = None) -> dict[str, Any]:
    return {"@type": entity_type or entity["@type"], "@id": entity["@id"], "name": entity.get("name")}


OLCA_REFERENCE_IDS: dict[str, str] = {
    "flow_property.length": "838aaa23-0117-11db-92e3-0800200c9a66",
    "unit_group.length": "838aaa22-0117-11db-92e3-0800200c9a66",
    "flow_property.mass": "93a60a56-a3c8-11da-a746-0800200b9a66",
    "unit_group.mass": "93a60a57-a4c8-11da-a746-0800200c9a66",
}
"""UUIDs of the ILCD reference flow properties and unit groups that openLCA's reference data reuses
("Length" / "Units of length", "Mass" / "Units of mass"; ELCD 3 / ILCD reference elements, the ids
openLCA ships in every new database). Reusing them means an import into a database that has them links to
the existing entities instead of duplicating them. The ids of single units inside the groups are ours
(name-based); openLCA also matches units by name within the group."""


def _unit(name: str, factor: float, *, ref: bool) -> dict[str, Any]:
    return {
        "@id": _uid("unit", name),
        "name": name,
        "conversionFactor": factor,
        "isRefUnit": ref,
    }


def _olca_reference_entities() -> dict[str, dict[str, Any]]:
    """Units of length (m, km) and mass (kg) with their flow properties, under openLCA's reference ids."""
    length_group: dict[str, Any] = {
        "@type": "UnitGroup",
        "@id": OLCA_REFERENCE_IDS["unit_group.length"],
        "name": "Units of length",
        "units": [_unit("m", 1.0, ref=True), _unit("km", 1000.0, ref=False)],
    }
    length = {
        "@type": "FlowProperty",
        "@id": OLCA_REFERENCE_IDS["flow_property.length"],
        "name": "Length",
        "flowPropertyType": "PHYSICAL_QUANTITY",
        "unitGroup": _ref(length_group),
    }
    length_group["defaultFlowProperty"] = _ref(length)
    mass_group: dict[str, Any] = {
        "@type": "UnitGroup",
        "@id": OLCA_REFERENCE_IDS["unit_group.mass"],
        "name": "Units of mass",
        "units": [_unit("kg", 1.0, ref=True)],
    }
    mass = {
        "@type": "FlowProperty",
        "@id": OLCA_REFERENCE_IDS["flow_property.mass"],
        "name": "Mass",
        "flowPropertyType": "PHYSICAL_QUANTITY",
        "unitGroup": _ref(mass_group),
    }
    mass_group["defaultFlowProperty"] = _ref(mass)
    return {"length_group": length_group, "length": length, "mass_group": mass_group, "mass": mass}


def _flow(
    flow_id: str, name: str, flow_type: str, prop: dict[str, Any], now: str, **extra: Any
) -> dict[str, Any]:
    return {
        "@type": "Flow",
        "@id": flow_id,
        "name": name,
        "flowType": flow_type,
        "flowProperties": [
            {
                "flowProperty": _ref(prop),
                "conversionFactor": 1.0,
                "isRefFlowProperty": True,
            }
        ],
        "lastChange": now,
        **extra,
    }


def _exchange(
    internal_id: int,
    flow: dict[str, Any],
    prop: dict[str, Any],
    unit: dict[str, Any],
    amount: float,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "internalId": internal_id,
        "flow": _ref(flow),
        "flowProperty": _ref(prop),
        "unit": _ref(unit, "Unit"),
        "amount": amount,
        **extra,
    }


def olca_package(document: dict[str, Any], *, vehicle_name: str) -> bytes:
    """An openLCA JSON-LD (olca-schema v2) zip of one ``lca`` document: inventory and results.

    Contents

    - reference data under openLCA's own ids (:data:`OLCA_REFERENCE_IDS`): Length / Units of length
      (m, km) and Mass / Units of mass (kg);
    - the life-cycle inventory as processes: one unit process per stage producing 1 km of
      "<stage>, <vehicle>, <country> <year>" and emitting its kg CO2e per km, and one process
      "vehicle-km, <vehicle>, <country> <year>" producing 1 km from 1 km of each stage (linked to its
      provider), so openLCA can build the product system and recompute the total;
    - the emission as one elementary flow "Greenhouse gases, CO2 equivalent (roadcarbon)" [kg],
      characterised 1:1 by the impact category "Climate change, GWP100" (kg CO2 eq) in the method
      "roadcarbon GWP100" — roadcarbon's factors are already CO2e, so no per-gas inventory is claimed;
    - one ``Result`` per stage plus the total (reference flow 1 km; impact in kg CO2 eq per km).
    """
    country, year = document["country"], document["year"]
    version = document.get("data_version")
    metric = (
        (document.get("gwp") or {}).get("metric", "AR5") if isinstance(document.get("gwp"), dict) else "AR5"
    )
    now = dt.datetime.now(dt.UTC).isoformat()
    ref = _olca_reference_entities()
    length, mass = ref["length"], ref["mass"]
    km_unit = next(u for u in ref["length_group"]["units"] if u["name"] == "km")
    kg_unit = ref["mass_group"]["units"][0]
    where = f"{vehicle_name}, {country} {year}"
    product = _flow(
        _uid("flow", vehicle_name, country, year), f"vehicle-km, {where}", "PRODUCT_FLOW", length, now
    )
    co2e = _flow(
        _uid("flow", "co2e"),
        "Greenhouse gases, CO2 equivalent (roadcarbon)",
        "ELEMENTARY_FLOW",
        mass,
        now,
        category="Elementary flows/Emission to air/unspecified",
        description="Aggregated GHG emissions already expressed in CO2e (GWP100) by roadcarbon's factors.",
    )
    gwp = {
        "@type": "ImpactCategory",
        "@id": _uid("impact", "gwp100"),
        "name": "Climate change, GWP100",
        "refUnit": "kg CO2 eq",
        "description": "Global warming potential over 100 years as computed by roadcarbon (GWP100).",
        "impactFactors": [
            {
                "flow": _ref(co2e),
                "flowProperty": _ref(mass),
                "unit": _ref(kg_unit, "Unit"),
                "value": 1.0,
            }
        ],
    }
    method = {
        "@type": "ImpactMethod",
        "@id": _uid("method", "roadcarbon-gwp100"),
        "name": "roadcarbon GWP100",
        "description": f"CO2e as computed by roadcarbon (tailpipe CH4/N2O converted with GWP100 {metric}).",
        "impactCategories": [_ref(gwp)],
    }
    stages = document["stages_g_co2e_per_km"]
    stage_flows: dict[str, dict[str, Any]] = {}
    processes: list[dict[str, Any]] = []
    for stage in STAGES:
        flow = _flow(
            _uid("flow", vehicle_name, country, year, stage), f"{stage}, {where}", "PRODUCT_FLOW", length, now
        )
        stage_flows[stage] = flow
        processes.append(
            {
                "@type": "Process",
                "@id": _uid("process", vehicle_name, country, year, stage, version),
                "name": f"{stage}, {where}",
                "description": f"roadcarbon life-cycle stage '{stage}' per vehicle-km; data version {version}",
                "processType": "UNIT_PROCESS",
                "category": "roadcarbon/stages",
                "lastChange": now,
                "tags": ["roadcarbon", stage],
                "exchanges": [
                    _exchange(1, flow, length, km_unit, 1.0, isInput=False, isQuantitativeReference=True),
                    _exchange(
                        2, co2e, mass, kg_unit, round(float(stages[stage]) / 1000.0, 12), isInput=False
                    ),
                ],
            }
        )
    stage_processes = {p["tags"][1]: p for p in processes}
    vehicle_km = {
        "@type": "Process",
        "@id": _uid("process", vehicle_name, country, year, "vehicle-km", version),
        "name": f"vehicle-km, {where}",
        "description": (
            f"1 km driven by {vehicle_name} first used in {country} in {year}: the seven roadcarbon stages; "
            f"data version {version}; total {document['total_g_co2e_per_km']} g CO2e/km."
        ),
        "processType": "UNIT_PROCESS",
        "category": "roadcarbon",
        "lastChange": now,
        "tags": ["roadcarbon", "total"],
        "exchanges": [
            _exchange(1, product, length, km_unit, 1.0, isInput=False, isQuantitativeReference=True),
            *(
                _exchange(
                    i + 2,
                    stage_flows[stage],
                    length,
                    km_unit,
                    1.0,
                    isInput=True,
                    defaultProvider=_ref(stage_processes[stage]),
                )
                for i, stage in enumerate(STAGES)
            ),
        ],
    }
    processes.append(vehicle_km)
    ref_flow = {
        "flow": _ref(product),
        "flowProperty": _ref(length),
        "unit": _ref(km_unit, "Unit"),
        "amount": 1.0,
        "isInput": False,
        "isRefFlow": True,
    }
    results = []
    for stage in (*STAGES, "total"):
        grams = document["total_g_co2e_per_km"] if stage == "total" else stages[stage]
        results.append(
            {
                "@type": "Result",
                "@id": _uid("result", vehicle_name, country, year, stage, version),
                "name": f"{where}, {stage}",
                "description": f"roadcarbon life-cycle stage '{stage}' per vehicle-km; data version {version}",
                "impactMethod": _ref(method),
                "flowResults": [ref_flow],
                "impactResults": [
                    {
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
        for group in (ref["length_group"], ref["mass_group"]):
            zf.writestr(f"unit_groups/{group['@id']}.json", json.dumps(group))
        for prop in (length, mass):
            zf.writestr(f"flow_properties/{prop['@id']}.json", json.dumps(prop))
        for flow in (product, co2e, *stage_flows.values()):
            zf.writestr(f"flows/{flow['@id']}.json", json.dumps(flow))
        zf.writestr(f"lcia_categories/{gwp['@id']}.json", json.dumps(gwp))
        zf.writestr(f"lcia_methods/{method['@id']}.json", json.dumps(method))
        for process in processes:
            zf.writestr(f"processes/{process['@id']}.json", json.dumps(process))
        for result in results:
            zf.writestr(f"results/{result['@id']}.json", json.dumps(result))
    return buffer.getvalue()
