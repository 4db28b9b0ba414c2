"""Vehicle specs and fleets from files or packaged presets (YAML or JSON; YAML is read safely)."""

from __future__ import annotations

import difflib
import functools
import json
import re
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


MAX_SPEC_FILE_BYTES = 1_000_000
"""Largest spec file read (1 MB; a spec is about 1 kB)."""
MAX_FLEET_FILE_BYTES = 20_000_000
"""Largest fleet file read (20 MB: tens of thousands of inline entries); registries go through ``roadcarbon batch``."""


class _Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 (core schema) booleans: only true/false, so ``NO`` (Norway),
    ``ON`` or ``Y`` stay strings."""


_Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _Yaml12Loader.yaml_implicit_resolvers.setdefault(_first, []).insert(
        0, ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"))
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def read_yaml_text(text: str) -> Any:
    """Parse YAML text safely with YAML 1.2 booleans (country code ``NO`` stays a string).

    Nesting deeper than Python's recursion allows (``[[[[...`` thousands deep, hostile input) is a
    :class:`yaml.YAMLError`, as any other unreadable document, not a RecursionError; so is a text
    holding an escaped lone surrogate (it cannot be written back as UTF-8).
    """
    try:
        document = yaml.load(text, Loader=_Yaml12Loader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise yaml.YAMLError("the document is nested too deeply") from None
    todo = [document]
    while todo:  # an escaped lone surrogate ("\ud800") is no character: it cannot be written as UTF-8
        item = todo.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise yaml.YAMLError("a text holds a lone UTF-16 surrogate escape (\\ud800-\\udfff)")
        elif isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return document


def _read_document(path: Path, field: str) -> Any:
    try:
        size = path.stat().st_size
        limit = MAX_FLEET_FILE_BYTES if field == "fleet" else MAX_SPEC_FILE_BYTES
        if size > limit:
            raise SpecError(
                f"{path} is {size:,} bytes; {field} files are read up to {limit:,} bytes "
                "(use `roadcarbon batch` for registries)",
                field=field,
            )
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read {path}: {exc.strerror}", field=field) from exc
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text, parse_constant=_no_constant)
        return read_yaml_text(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise SpecError(
            f"{path} is not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: {exc}", field=field
        ) from exc


def _no_constant(name: str) -> Any:
    raise SpecError(f"{name} is not a number; expected a finite number", field="vehicle")


def spec_problems(exc: ValidationError) -> list[tuple[str, str]]:
    """Every problem of a failed :class:`VehicleSpec` validation as ``(field, message)``.

    Unknown fields say which known field was probably meant (``did you mean `curb_mass_kg`?``);
    whole-spec checks that concern one field (plausibility bounds) are attributed to that field.
    """
    known = list(VehicleSpec.model_fields)
    problems: list[tuple[str, str]] = []
    for error in exc.errors():
        loc = ".".join(str(p) for p in error.get("loc", ()))
        msg = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        if error.get("type") == "extra_forbidden":
            close = difflib.get_close_matches(loc, known, n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else f"; known fields: {', '.join(known)}"
            msg = f"unknown field `{loc}`{hint}"
        elif error.get("type") == "finite_number":
            msg = "expected a finite number (not infinite or NaN)"
        if not loc:
            for part in msg.split("\n"):
                name, sep, rest = part.partition(": ")
                if sep and name in VehicleSpec.model_fields:
                    problems.append((name, rest))
                else:
                    problems.append(("", part))
            continue
        problems.append((loc, msg))
    return problems


def spec_from_mapping(data: Any, *, field: str = "vehicle") -> VehicleSpec:
    """Validate a mapping as a :class:`VehicleSpec`; errors name every bad field at once."""
    if not isinstance(data, dict):
        raise SpecError("expected a mapping of spec fields", field=field)
    try:
        return VehicleSpec.model_validate(data)
    except ValidationError as exc:
        problems = spec_problems(exc)
        first_loc = problems[0][0]
        if len(problems) == 1:
            raise SpecError(problems[0][1], field=f"{field}.{first_loc}" if first_loc else field) from exc
        text = "; ".join(f"{field}.{loc}: {msg}" if loc else f"{field}: {msg}" for loc, msg in problems)
        raise SpecError(f"{len(problems)} problems: {text}", field=field) from exc


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
        close = difflib.get_close_matches(preset_id, list_presets(), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise SpecError(
            f"unknown preset {preset_id!r}; {hint}the presets: `roadcarbon presets` or GET /api/v1/presets "
            "(or give the vehicle's spec itself)",
            field="vehicle",
        )
    data = _read_document(path, "vehicle")
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k != "id"}
    return spec_from_mapping(data, field=f"preset {preset_id}")


MARKET_AVERAGE_WORD = "average"
"""Vehicle argument naming a market's average new car: ``average``, ``average-bev``, ``average-medium-bev``."""
_AVERAGE_POWERTRAINS = {
    "petrol": "petrol",
    "gasoline": "petrol",
    "icev": "petrol",
    "diesel": "diesel",
    "hev": "hev",
    "hybrid": "hev",
    "bev": "bev",
    "electric": "bev",
}


def is_market_average(arg: str) -> bool:
    """True when ``arg`` asks for a market-average car (``average`` or ``average-…``) rather than a preset or file."""
    return arg == MARKET_AVERAGE_WORD or arg.startswith(f"{MARKET_AVERAGE_WORD}-")


def market_average_id(arg: str, country: str, powertrain: str | None = None) -> str:
    """The preset id ``avg-<cc>-<segment>-<powertrain>`` of a market's average new car (issue 12).

    ``arg`` is ``average``, ``average-<powertrain>`` or ``average-<segment>-<powertrain>``;
    ``powertrain`` (petrol, diesel, hev, bev; ``None``: petrol) applies when ``arg`` names none;
    ``country`` is the ISO alpha-2 code of the market. The presets and their sources:
    ``docs/methodology.md`` (Market-average cars).
    """
    parts = arg.split("-")[1:]
    segment = parts[0] if len(parts) == 2 else "medium"
    named = parts[-1] if parts else None
    if named is not None and powertrain is not None and named.lower() != powertrain.lower():
        raise SpecError(
            f"{arg!r} names {named}, --powertrain says {powertrain}: give one", field="--powertrain"
        )
    word = (named or powertrain or "petrol").strip().lower()
    key = _AVERAGE_POWERTRAINS.get(word)
    # 'average-' names nothing; a segment is a word (never a path: 'average-../../x-bev')
    if key is None or len(parts) > 2 or named == "" or not re.fullmatch(r"[a-z_]+", segment.lower()):
        raise SpecError(
            f"unknown market-average car {arg!r}{'' if named else f' ({word})'}; use average, average-POWERTRAIN or "
            f"average-SEGMENT-POWERTRAIN with POWERTRAIN one of {', '.join(sorted(set(_AVERAGE_POWERTRAINS.values())))}",
            field="vehicle" if named or powertrain is None else "--powertrain",
        )
    preset_id = f"avg-{country.lower()}-{segment.lower()}-{key}"
    if not (presets_path() / f"{preset_id}{PRESET_SUFFIX}").is_file():
        mine = [p for p in list_presets() if p.startswith(f"avg-{country.lower()}-")]
        markets = sorted({p.split("-")[1].upper() for p in list_presets() if p.startswith("avg-")})
        hint = (
            f"available for {country}: {', '.join(mine)}"
            if mine
            else f"markets with averages: {', '.join(markets)}"
        )
        raise SpecError(f"no market-average {segment} {key} car for {country}; {hint}", field="vehicle")
    return preset_id


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
