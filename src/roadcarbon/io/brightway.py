"""Brightway export: one ``lca`` document as a database in bw2io's CSV layout (``bw2io.CSVImporter``).

The layout is bw2io's generic Excel/CSV format (a ``Database`` section, then ``Activity`` sections with
their ``Exchanges`` tables). Every exchange carries its ``input`` as ``database::code``, so the import needs
no fuzzy matching and links completely:

- one process per life-cycle stage producing 1 kilometer of "<stage>, <vehicle>, <country> <year>" and
  emitting its kg CO2e per km;
- one process "vehicle-km, <vehicle>, <country> <year>" consuming 1 kilometer of each stage;
- one emission node "Greenhouse gases, CO2 equivalent (roadcarbon)" [kilogram] (roadcarbon's factors
  are already CO2e, GWP100; characterise it with 1.0 in a Brightway method to get the total).

Pure text out; no Brightway import here.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from roadcarbon.types import STAGES

CO2E_FLOW_NAME = "Greenhouse gases, CO2 equivalent (roadcarbon)"
CO2E_CODE = "roadcarbon-co2e"
_NAMESPACE = uuid.UUID("0d6c8f4e-1f4b-4c9a-8a53-5b2f3f7c9e21")


def _code(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


def brightway_csv(document: dict[str, Any], *, vehicle_name: str, database: str | None = None) -> str:
    """bw2io CSV text of one ``lca`` document (see the module docstring).

    Parameters
    ----------
    document
        The ``lca`` JSON document (``country``, ``year``, ``stages_g_co2e_per_km`` [g CO2e/km],
        ``total_g_co2e_per_km``, ``data_version``).
    vehicle_name
        Name used in the activity names.
    database
        Brightway database name; ``"roadcarbon <vehicle> <country> <year>"`` by default. It must not
        contain ``::`` (bw2io's tuple separator).

    Returns
    -------
    str
        CSV text for ``bw2io.CSVImporter``.
    """
    country, year = str(document["country"]), int(document["year"])
    version = document.get("data_version")
    where = f"{vehicle_name}, {country} {year}"
    db = database or f"roadcarbon {where}"
    if "::" in db:
        raise ValueError("the Brightway database name must not contain '::'")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["Database", db])
    w.writerow(["description", f"roadcarbon life-cycle inventory per vehicle-km; data version {version}"])
    w.writerow([])
    exchange_header = [
        "name",
        "amount",
        "unit",
        "location",
        "type",
        "input",
        "reference product",
        "categories",
    ]

    w.writerow(["Activity", CO2E_FLOW_NAME])
    for key, value in (
        ("code", CO2E_CODE),
        ("unit", "kilogram"),
        ("categories", "air::unspecified"),
        ("type", "emission"),
    ):
        w.writerow([key, value])
    w.writerow([])

    stage_codes = {stage: _code(vehicle_name, country, year, stage, version) for stage in STAGES}
    for stage in STAGES:
        name = f"{stage}, {where}"
        grams = float(document["stages_g_co2e_per_km"][stage])
        w.writerow(["Activity", name])
        for key, value in (
            ("code", stage_codes[stage]),
            ("location", country),
            ("unit", "kilometer"),
            ("reference product", name),
            ("type", "process"),
            ("comment", f"roadcarbon life-cycle stage '{stage}' per vehicle-km; data version {version}"),
        ):
            w.writerow([key, value])
        w.writerow(["Exchanges"])
        w.writerow(exchange_header)
        w.writerow([name, 1.0, "kilometer", country, "production", f"{db}::{stage_codes[stage]}", name, ""])
        w.writerow(
            [
                CO2E_FLOW_NAME,
                repr(grams / 1000.0),
                "kilogram",
                "",
                "biosphere",
                f"{db}::{CO2E_CODE}",
                "",
                "air::unspecified",
            ]
        )
        w.writerow([])

    total_name = f"vehicle-km, {where}"
    total_code = _code(vehicle_name, country, year, "vehicle-km", version)
    w.writerow(["Activity", total_name])
    for key, value in (
        ("code", total_code),
        ("location", country),
        ("unit", "kilometer"),
        ("reference product", total_name),
        ("type", "process"),
        ("comment", f"1 km: the seven roadcarbon stages; total {document['total_g_co2e_per_km']} g CO2e/km"),
    ):
        w.writerow([key, value])
    w.writerow(["Exchanges"])
    w.writerow(exchange_header)
    w.writerow([total_name, 1.0, "kilometer", country, "production", f"{db}::{total_code}", total_name, ""])
    for stage in STAGES:
        name = f"{stage}, {where}"
        w.writerow([name, 1.0, "kilometer", country, "technosphere", f"{db}::{stage_codes[stage]}", name, ""])
    return out.getvalue()
