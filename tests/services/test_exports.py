"""Exports: flat tables in CSV/XLSX, safe for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import olca_schema as o
import pytest
from olca_schema.zipio import ZipReader
from openpyxl import load_workbook

from roadcarbon.services.exports import json_safe, to_csv, to_json, to_xlsx
from roadcarbon.types import STAGES

PAGE = {
    "items": [
        {
            "id": 1,
            "stages": {"battery": 12.5, "tailpipe": 0.0},
            "sources": ["a", "b"],
            "note": "=HYPERLINK(x)",
        },
        {"id": 2, "stages": {"battery": 3.0}, "extra": "only here"},
    ],
    "total": 2,
    "page": 1,
    "per_page": 50,
}


def test_csv_flattens_nested_keys_and_defuses_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(PAGE).decode())))
    assert list(rows[0]) == ["id", "stages.battery", "stages.tailpipe", "sources", "note", "extra"]
    assert rows[0]["stages.battery"] == "12.5"
    assert rows[0]["sources"] == '["a", "b"]'
    assert rows[0]["note"] == "'=HYPERLINK(x)"  # a spreadsheet shows the text, never runs it
    assert rows[1]["extra"] == "only here"
    assert rows[1]["stages.tailpipe"] == ""


def test_xlsx_holds_what_csv_holds_and_drops_control_characters() -> None:
    document = {"items": [*PAGE["items"], {"id": 3, "bad\x01key": "text with \x02 control"}]}
    ws = load_workbook(io.BytesIO(to_xlsx(document))).active
    assert ws is not None
    header, *rows = list(ws.iter_rows(values_only=True))
    assert header[:3] == ("id", "stages.battery", "stages.tailpipe")
    assert "badkey" in header
    assert rows[0][1] == 12.5
    assert rows[2][header.index("badkey")] == "text with  control"


def test_json_turns_non_finite_numbers_into_texts() -> None:
    assert json_safe({"a": [float("nan"), float("inf"), -float("inf"), 1.5]}) == {
        "a": ["NaN", "Infinity", "-Infinity", 1.5]
    }
    assert to_json({"x": float("nan")}) == b'{"x": "NaN"}'


# ---------------------------------------------------------------------------------------------
# openLCA JSON-LD: read back with olca-schema (GreenDelta's own library)
# ---------------------------------------------------------------------------------------------


def _olca_zip(tmp_path: Path, country: str = "ID") -> tuple[dict[str, Any], Path]:
    from roadcarbon.io.specs import load_preset
    from roadcarbon.services.assessment import lca_document
    from roadcarbon.services.exports import olca_package

    spec = load_preset("car-medium-bev")
    doc = lca_document(spec, country, 2025)
    path = tmp_path / "lca.zip"
    path.write_bytes(olca_package(doc, vehicle_name=spec.name))
    return doc, path


def test_olca_package_reads_back_entity_by_entity(tmp_path: Path) -> None:
    _, path = _olca_zip(tmp_path)
    reader = ZipReader(str(path))
    counts = {
        t.__name__: len(reader.ids_of(t))
        for t in (o.UnitGroup, o.FlowProperty, o.Flow, o.Process, o.ImpactCategory, o.ImpactMethod, o.Result)
    }
    assert counts == {
        "UnitGroup": 2,
        "FlowProperty": 2,
        "Flow": 2 + len(STAGES),
        "Process": len(STAGES) + 1,
        "ImpactCategory": 1,
        "ImpactMethod": 1,
        "Result": len(STAGES) + 1,
    }
    folders = {
        "unit_groups": o.UnitGroup,
        "flow_properties": o.FlowProperty,
        "flows": o.Flow,
        "processes": o.Process,
        "lcia_categories": o.ImpactCategory,
        "lcia_methods": o.ImpactMethod,
        "results": o.Result,
    }
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name == "olca-schema.json":
                continue
            raw = json.loads(zf.read(name))
            entity = folders[name.split("/")[0]].from_dict(raw)
            assert entity.id == name.split("/")[1].removesuffix(".json") and entity.name
            # every field we wrote is one the schema knows (an unknown or misspelt key would be dropped)
            _assert_known_keys(raw, entity.to_dict(), name)


def _assert_known_keys(raw: Any, parsed: Any, where: str) -> None:
    if isinstance(raw, dict):
        assert isinstance(parsed, dict), where
        unknown = set(raw) - set(parsed)
        assert not unknown, f"{where}: keys unknown to olca-schema: {unknown}"
        for key, value in raw.items():
            _assert_known_keys(value, parsed[key], f"{where}.{key}")
    elif isinstance(raw, list):
        assert isinstance(parsed, list) and len(parsed) == len(raw), where
        for i, (a, b) in enumerate(zip(raw, parsed, strict=True)):
            _assert_known_keys(a, b, f"{where}[{i}]")


def test_olca_reuses_openlca_reference_ids_for_length_and_mass(tmp_path: Path) -> None:
    _, path = _olca_zip(tmp_path)
    reader = ZipReader(str(path))
    length = reader.read(o.FlowProperty, "838aaa23-0117-11db-92e3-0800200c9a66")
    group = reader.read(o.UnitGroup, "838aaa22-0117-11db-92e3-0800200c9a66")
    mass = reader.read(o.FlowProperty, "93a60a56-a3c8-11da-a746-0800200b9a66")
    assert length is not None and length.name == "Length" and length.unit_group.id == group.id
    assert group is not None and group.name == "Units of length"
    assert {u.name: u.conversion_factor for u in group.units} == {"m": 1.0, "km": 1000.0}
    assert [u.name for u in group.units if u.is_ref_unit] == ["m"]
    assert (
        mass is not None
        and mass.name == "Mass"
        and mass.unit_group.id == "93a60a57-a4c8-11da-a746-0800200c9a66"
    )


def test_olca_processes_hold_the_inventory_by_stage_and_link_up(tmp_path: Path) -> None:
    doc, path = _olca_zip(tmp_path, country="TH")
    reader = ZipReader(str(path))
    processes = {
        p.id: p for p in (reader.read(o.Process, i) for i in reader.ids_of(o.Process)) if p is not None
    }
    [category] = [reader.read(o.ImpactCategory, i) for i in reader.ids_of(o.ImpactCategory)]
    assert category is not None
    characterised = {f.flow.id: f.value for f in category.impact_factors}
    emitted: dict[str, float] = {}
    [top] = [p for p in processes.values() if p.name.startswith("vehicle-km")]
    inputs = [e for e in top.exchanges if e.is_input]
    assert len(inputs) == len(STAGES)
    for exchange in inputs:
        provider = processes[exchange.default_provider.id]
        [ref] = [e for e in provider.exchanges if e.is_quantitative_reference]
        assert ref.flow.id == exchange.flow.id and ref.amount == exchange.amount == 1.0
        [emission] = [e for e in provider.exchanges if not e.is_quantitative_reference]
        assert (
            emission.unit.name == "kg" and emission.flow_property.id == "93a60a56-a3c8-11da-a746-0800200b9a66"
        )
        emitted[provider.tags[1]] = emission.amount * characterised[emission.flow.id]
    for stage, grams in doc["stages_g_co2e_per_km"].items():
        assert emitted[stage] * 1000 == pytest.approx(grams, abs=1e-6)
    assert sum(emitted.values()) * 1000 == pytest.approx(doc["total_g_co2e_per_km"], abs=1e-2)


def test_cli_writes_the_same_openlca_package(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from roadcarbon.cli import app

    target = tmp_path / "cli.zip"
    result = CliRunner().invoke(
        app, ["lca", "car-medium-bev", "-c", "ID", "-y", "2025", "--olca", str(target)]
    )
    assert result.exit_code == 0, result.output
    _, path = _olca_zip(tmp_path)
    with zipfile.ZipFile(target) as a, zipfile.ZipFile(path) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        name = next(n for n in a.namelist() if n.startswith("processes/"))
        assert json.loads(a.read(name))["exchanges"] == json.loads(b.read(name))["exchanges"]
    bad = CliRunner().invoke(
        app, ["lca", "car-medium-bev", "-c", "ID", "-y", "2025", "--olca", str(tmp_path / "no" / "x.zip")]
    )
    assert bad.exit_code == 2 and "--olca" in bad.stderr


def test_compare_csv_is_tidy_without_json_in_cells() -> None:
    """What POST /api/v1/compare?format=csv sends (api.responses.respond -> exports.render)."""
    from roadcarbon.io.specs import load_preset
    from roadcarbon.services.assessment import compare_document
    from roadcarbon.services.exports import render

    doc = compare_document([load_preset("car-medium-bev"), load_preset("car-medium-petrol")], "TH", 2025)
    rows = list(csv.DictReader(io.StringIO(render(doc, "csv").decode("utf-8"))))
    assert list(rows[0]) == ["vehicle", "country", "year", "stage", "value", "unit"]
    assert len(rows) == 2 * len(STAGES)
    assert not any(cell.startswith(("[", "{")) for row in rows for cell in row.values())
    for vehicle in doc["vehicles"]:
        mine = {r["stage"]: float(r["value"]) for r in rows if r["vehicle"] == vehicle["vehicle"]}
        assert mine == pytest.approx(vehicle["stages_g_co2e_per_km"])
    sheet = load_workbook(io.BytesIO(render(doc, "xlsx"))).active
    assert sheet is not None
    assert next(sheet.iter_rows(values_only=True)) == ("vehicle", "country", "year", "stage", "value", "unit")
