"""Datasets as Frictionless data packages: read from disk into one JSON document, check, write back.

A stored package is the ``datapackage.json`` descriptor in which every tabular
resource carries its rows inline (``data``), so a dataset version is one
immutable JSON document that can be diffed, reviewed and exported.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

NUMERIC_TYPES = ("number", "integer")
SOURCE_FIELDS = ("source", "source_id", "sources")


def read_package(root: Path) -> dict[str, Any]:
    """The descriptor of ``root/datapackage.json`` with each CSV resource's rows inlined as ``data``."""
    descriptor: dict[str, Any] = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor.get("resources", []):
        path = resource.get("path")
        if isinstance(path, str) and path.endswith(".csv") and (root / path).exists():
            with (root / path).open(newline="", encoding="utf-8") as fh:
                resource["data"] = [dict(row) for row in csv.DictReader(fh)]
    return descriptor


def _field_names(resource: dict[str, Any]) -> list[str]:
    fields = (resource.get("schema") or {}).get("fields") or []
    names = [str(f.get("name")) for f in fields if isinstance(f, dict) and f.get("name")]
    if names:
        return names
    rows = resource.get("data") or []
    return list(rows[0]) if rows and isinstance(rows[0], dict) else []


@contextmanager
def materialised(package: dict[str, Any]) -> Iterator[Path]:
    """Write ``package`` to a temporary folder (descriptor + CSV files) for readers that need files."""
    with tempfile.TemporaryDirectory(prefix="roadcarbon-package-") as tmp:
        root = Path(tmp)
        descriptor = json.loads(json.dumps(package))
        for n, resource in enumerate(descriptor.get("resources", [])):
            rows = resource.pop("data", None)
            if rows is None:
                continue
            path = str(resource.get("path") or f"resource_{n}.csv")
            if "/" in path or "\\" in path or path.startswith("."):
                path = f"resource_{n}.csv"
            resource["path"] = path
            names = _field_names({**resource, "data": rows})
            with (root / path).open("w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=names, extrasaction="ignore")
                writer.writeheader()
                for row in rows:
                    writer.writerow({k: "" if v is None else v for k, v in row.items()})
        (root / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
        yield root


def check_package(package: Any, *, prefix: str = "package") -> list[dict[str, str]]:
    """Structural checks of a data package; a list of findings ``{field, level, message}``.

    Checks: ``name`` and a non-empty ``resources`` list; each resource has a
    name and rows (inline ``data``) whose keys are the schema's fields;
    numeric fields declare a ``unit`` (the project's rule: numbers carry
    units) and their values parse as numbers; rows name a source when the
    table has a source column.
    """
    findings: list[dict[str, str]] = []

    def error(field: str, message: str) -> None:
        findings.append({"field": field, "level": "error", "message": message})

    if not isinstance(package, dict):
        error(prefix, "expected a data package (a JSON object with name and resources)")
        return findings
    if not isinstance(package.get("name"), str) or not package["name"]:
        error(f"{prefix}.name", "expected the package's name")
    resources = package.get("resources")
    if not isinstance(resources, list) or not resources:
        error(f"{prefix}.resources", "expected a non-empty list of resources")
        return findings
    for i, resource in enumerate(resources):
        where = f"{prefix}.resources.{i}"
        if not isinstance(resource, dict):
            error(where, "expected a resource object")
            continue
        if not isinstance(resource.get("name"), str) or not resource["name"]:
            error(f"{where}.name", "expected the resource's name")
        rows = resource.get("data")
        if rows is None:
            continue
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            error(f"{where}.data", "expected a list of rows (objects)")
            continue
        fields = (resource.get("schema") or {}).get("fields")
        if (
            not isinstance(fields, list)
            or not fields
            or not all(isinstance(f, dict) and f.get("name") for f in fields)
        ):
            error(f"{where}.schema.fields", "expected a list of fields, each with a name")
            continue
        names = [str(f["name"]) for f in fields]
        numeric = [
            str(f["name"])
            for f in fields
            if f.get("type") in NUMERIC_TYPES and f["name"] not in ("year", "year_from", "year_to")
        ]
        for f in fields:
            if (
                f.get("type") in NUMERIC_TYPES
                and f["name"] in numeric
                and not (f.get("unit") or f.get("description"))
            ):
                findings.append(  # noqa: PERF401
                    {
                        "field": f"{where}.schema.fields.{f['name']}",
                        "level": "warning",
                        "message": "numeric field without unit (add `unit`)",
                    }
                )
        source_column = next((s for s in SOURCE_FIELDS if s in names), None)
        for r, row in enumerate(rows):
            extra = sorted(set(row) - set(names))
            if extra:
                error(
                    f"{where}.data.{r}.{extra[0]}",
                    f"not a field of the schema; expected one of: {', '.join(names)}",
                )
            for name in numeric:
                value = row.get(name)
                if value in (None, ""):
                    continue
                try:
                    float(value)
                except (TypeError, ValueError):
                    error(f"{where}.data.{r}.{name}", f"expected a number, got {value!r}")
            if source_column and not str(row.get(source_column) or "").strip():
                error(f"{where}.data.{r}.{source_column}", "every row needs its source")
    return findings


def changed_rows(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Per resource: rows added, removed (by content) between two packages."""
    out: dict[str, dict[str, int]] = {}
    old_res = {r.get("name"): r for r in old.get("resources", []) if isinstance(r, dict)}
    for resource in new.get("resources", []):
        if not isinstance(resource, dict):
            continue
        name = resource.get("name")
        before = {json.dumps(r, sort_keys=True) for r in (old_res.get(name) or {}).get("data", []) or []}
        after = {json.dumps(r, sort_keys=True) for r in resource.get("data", []) or []}
        if before != after:
            out[str(name)] = {"added": len(after - before), "removed": len(before - after)}
    return out
