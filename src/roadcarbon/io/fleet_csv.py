"""Fleet files as CSV (issue 15 §4): one line per model with its sales, read into the fleet mapping.

Columns: ``preset`` (a packaged preset id) and/or vehicle spec fields (``segment``, ``powertrain``,
``curb_mass_kg`` ...), and ``sales``.  Empty cells are absent fields; spec columns given override the
preset.  A ``name`` column, if any, names the fleet only when it is the same on every line.  The
result is the mapping a YAML fleet file gives (``{name, vehicles: [{preset | spec, sales}]}``), so the
same validation and error messages apply.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from roadcarbon.errors import SpecError

MAX_CSV_FLEET_ENTRIES = 1_000_000
"""Lines read from one fleet CSV file (larger registries: ``roadcarbon batch``)."""


def fleet_mapping_from_csv(text: str, *, name: str) -> dict[str, Any]:
    """Fleet mapping from CSV text.

    Parameters
    ----------
    text
        The CSV (header line first).
    name
        Fleet name (e.g. the file stem).

    Raises
    ------
    SpecError
        No header, no ``sales`` column, a column named twice, no ``preset`` and no spec column, or too
        many lines (field ``fleet``, ``fleet.<column>`` or ``fleet.vehicles[i]``).
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    if not header:
        raise SpecError("the CSV has no header line", field="fleet")
    if "sales" not in header:
        raise SpecError("the CSV needs a sales column", field="fleet")
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:  # csv.DictReader would keep the last cell of each silently
        raise SpecError(f"the column {repeated[0]!r} is given more than once", field=f"fleet.{repeated[0]}")
    entries: list[dict[str, Any]] = []
    for i, raw in enumerate(reader):
        if i >= MAX_CSV_FLEET_ENTRIES:
            raise SpecError(
                f"more than {MAX_CSV_FLEET_ENTRIES:,} lines; run large registries through `roadcarbon batch`",
                field="fleet",
            )
        line = {str(k).strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            raise SpecError("more cells than header columns", field=f"fleet.vehicles[{i}]")
        sales = line.pop("sales", "")
        line.pop("name", None)
        preset = line.pop("preset", "")
        spec = {k: (v if k in _TEXT_FIELDS else _cell(v)) for k, v in line.items() if v != ""}
        entry: dict[str, Any] = {"sales": _number(sales, f"fleet.vehicles[{i}].sales")}
        if preset and spec:
            from roadcarbon.io.specs import load_preset

            base = load_preset(preset).model_dump(mode="json", exclude_none=True)
            entry["spec"] = {**base, **spec}
        elif preset:
            entry["preset"] = preset
        else:
            entry["spec"] = spec
        entries.append(entry)
    names = {(r or "").strip() for r in _column(text, "name")} - {""}
    return {"name": names.pop() if len(names) == 1 else name, "vehicles": entries}


_TEXT_FIELDS = frozenset(
    {
        "name",
        "category",
        "segment",
        "powertrain",
        "fuel",
        "battery_chemistry",
        "battery_production_country",
        "assembly_country",
        "test_cycle",
        "electricity_consumption_basis",
        "price_currency",
        "emission_standard",
    }
)
"""Spec fields kept as text; other cells that read as numbers become numbers (as in a YAML fleet)."""


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A plain ASCII decimal number: Python's float() also reads ``1_000`` and other scripts' digits (``٣``),
which a spreadsheet would not, while ``1,000`` is refused; one rule for all."""


def _cell(text: str) -> object:
    if not _DECIMAL.fullmatch(text.strip()):
        return text
    value = float(text)
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value


def _number(text: str, field: str) -> float | int:
    if not _DECIMAL.fullmatch(text.strip()):
        raise SpecError(
            f"expected a plain decimal number such as 1200 or 1200.5, without thousands separators (got {text!r})",
            field=field,
        )
    value = float(text)
    return int(value) if value.is_integer() else value


def _column(text: str, column: str) -> list[str]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return [row.get(column) or "" for row in reader] if column in (reader.fieldnames or []) else []


def read_fleet_csv(path: Path) -> dict[str, Any]:
    """:func:`fleet_mapping_from_csv` of a file (UTF-8), named after its stem."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SpecError("the CSV is not UTF-8 text", field="fleet") from None
    return fleet_mapping_from_csv(text, name=path.stem)


__all__ = ["MAX_CSV_FLEET_ENTRIES", "fleet_mapping_from_csv", "read_fleet_csv"]
