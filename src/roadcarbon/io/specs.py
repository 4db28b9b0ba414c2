"""Vehicle specs and fleets from files or packaged presets (YAML or JSON; YAML is read safely)."""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from roadcarbon.errors import SpecError
from roadcarbon.specs import Fleet, VehicleSpec

PRESET_SUFFIX = ".yaml"


def presets_path() -> Path:
    """Folder of the packaged vehicle presets."""
    return Path(str(resources.files("roadcarbon") / "data" / "presets"))


def list_presets() -> list[str]:
    """Ids of the packaged presets, sorted."""
    folder = presets_path()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob(f"*{PRESET_SUFFIX}"))


def _read_document(path: Path, field: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read {path}: {exc.strerror}", field=field) from exc
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise SpecError(
            f"{path} is not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: {exc}", field=field
        ) from exc


def spec_from_mapping(data: Any, *, field: str = "vehicle") -> VehicleSpec:
    """Validate a mapping as a :class:`VehicleSpec`; errors name the field path."""
    if not isinstance(data, dict):
        raise SpecError("expected a mapping of spec fields", field=field)
    try:
        return VehicleSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first.get("loc", ()))
        msg = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        raise SpecError(msg, field=f"{field}.{loc}" if loc else field) from exc


def load_preset(preset_id: str) -> VehicleSpec:
    """A packaged preset by id (the file stem).

    Parsed once per process (packaged files do not change; a fleet of 100,000 preset entries used to
    re-read the YAML per entry, issue 15); each call returns its own copy.
    """
    spec = _load_preset_cached(preset_id)
    return spec.model_copy(update={"sources": list(spec.sources)})


@functools.lru_cache(maxsize=1024)
def _load_preset_cached(preset_id: str) -> VehicleSpec:
    path = presets_path() / f"{preset_id}{PRESET_SUFFIX}"
    if not path.is_file():
        raise SpecError(
            f"unknown preset {preset_id!r}; run `roadcarbon presets` for the list, or give a spec file path",
            field="vehicle",
        )
    data = _read_document(path, "vehicle")
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k != "id"}
    return spec_from_mapping(data, field=f"preset {preset_id}")


def load_vehicle(arg: str) -> VehicleSpec:
    """Resolve a preset id or a path to a YAML/JSON spec file."""
    path = Path(arg)
    if path.suffix.lower() in {".yaml", ".yml", ".json"} or path.exists():
        if not path.is_file():
            raise SpecError(f"spec file not found: {arg}", field="vehicle")
        return spec_from_mapping(_read_document(path, "vehicle"), field="vehicle")
    return load_preset(arg)


def fleet_from_mapping(data: Any, *, base: Path | None = None) -> Fleet:
    """Validate a fleet document; each entry gives ``spec`` (inline or file path) or ``preset``."""
    if not isinstance(data, dict):
        raise SpecError("expected a mapping with name and vehicles", field="fleet")
    entries = data.get("vehicles")
    if not isinstance(entries, list) or not entries:
        raise SpecError("must be a non-empty list", field="fleet.vehicles")
    resolved = []
    for i, entry in enumerate(entries):
        where = f"fleet.vehicles[{i}]"
        if not isinstance(entry, dict):
            raise SpecError("expected a mapping with spec (or preset) and sales", field=where)
        unknown = set(entry) - {"spec", "preset", "sales"}
        if unknown:
            raise SpecError(
                f"unknown key(s) {sorted(unknown)}; expected spec or preset, and sales", field=where
            )
        if "preset" in entry:
            spec = load_preset(str(entry["preset"]))
        elif isinstance(entry.get("spec"), str):
            path = Path(entry["spec"])
            path = path if path.is_absolute() or base is None else base / path
            spec = spec_from_mapping(_read_document(path, f"{where}.spec"), field=f"{where}.spec")
        elif isinstance(entry.get("spec"), dict):
            spec = spec_from_mapping(entry["spec"], field=f"{where}.spec")
        else:
            raise SpecError("needs spec (a mapping or a file path) or preset", field=where)
        resolved.append({"spec": spec, "sales": entry.get("sales")})
    try:
        return Fleet.model_validate({"name": data.get("name"), "vehicles": resolved})
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first.get("loc", ()))
        raise SpecError(str(first.get("msg", "invalid")), field=f"fleet.{loc}") from exc


def load_fleet(path_text: str) -> Fleet:
    """Read a fleet file (YAML or JSON)."""
    path = Path(path_text)
    if not path.is_file():
        raise SpecError(f"fleet file not found: {path_text}", field="fleet")
    return fleet_from_mapping(_read_document(path, "fleet"), base=path.parent)
