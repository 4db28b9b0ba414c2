"""Read fleet scenario files (YAML) and the bundled scenarios; validation is :mod:`roadcarbon.fleet.scenario`.

A technology's ``preset: ID`` (or ``spec: PRESET_ID`` / ``spec: path``) is resolved into an inline
spec here; ``spec_overrides`` are laid over it. ``baseline:`` is a path relative to the file, or
the id of a bundled scenario.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from roadcarbon.errors import InputError, RoadcarbonError
from roadcarbon.fleet.scenario import Scenario, ScenarioError, parse_scenario
from roadcarbon.io.rulebook import default_library
from roadcarbon.io.specs import list_presets, load_preset, load_vehicle, read_yaml_text

SCENARIOS_DIR = Path(__file__).resolve().parent.parent / "data" / "scenarios"
MAX_FILE_BYTES = 1_000_000


def bundled_scenarios() -> list[str]:
    """Ids (file stems) of the bundled scenarios, sorted."""
    return sorted(p.stem for p in SCENARIOS_DIR.glob("*.yaml"))


@functools.cache
def _scheme_kinds() -> dict[str, str]:
    return {scheme.id: scheme.kind.value for scheme in default_library().schemes.values()}


def resolve_document(document: Any, *, base: Path | None = None, allow_paths: bool = True) -> Any:
    """Resolve preset/spec references of each technology into inline specs (problems collected).

    ``allow_paths=False`` (documents sent over HTTP) accepts packaged preset ids only, never a
    file path on the server.
    """
    if not isinstance(document, Mapping):
        return document
    doc = dict(document)
    techs = doc.get("technologies")
    if not isinstance(techs, Mapping):
        return doc
    problems: list[tuple[str, str]] = []
    resolved: dict[str, Any] = {}
    for label, tech in techs.items():
        if not isinstance(tech, Mapping):
            resolved[label] = tech
            continue
        t = dict(tech)
        ref = t.get("preset")
        spec = t.get("spec")
        overrides = t.pop("spec_overrides", None) or {}
        try:
            if isinstance(spec, str) or (spec is None and isinstance(ref, str)):
                name = spec if isinstance(spec, str) else str(ref)
                if not allow_paths:
                    if name not in list_presets():
                        raise InputError(
                            f"unknown preset {name[:80]!r}; give a packaged preset id or an inline spec"
                        )
                    loaded_spec = load_preset(name)
                else:
                    if base is not None and (base / name).is_file():
                        name = str(base / name)
                    loaded_spec = load_vehicle(name)
                loaded = loaded_spec.model_dump(mode="json", exclude_none=True)
                t["spec"] = {**loaded, **(overrides if isinstance(overrides, Mapping) else {})}
                if isinstance(spec, str) and ref is None:
                    t["preset"] = spec
        except RoadcarbonError as exc:
            problems.append((f"technologies.{label}.spec", str(exc)))
        resolved[str(label)] = t
    if problems:
        raise ScenarioError(problems)
    doc["technologies"] = resolved
    return doc


def parse_document(document: Any, *, base: Path | None = None, allow_paths: bool = True) -> Scenario:
    """Validate a parsed scenario document (presets resolved, schemes checked against the library)."""
    return parse_scenario(
        resolve_document(document, base=base, allow_paths=allow_paths), known_schemes=_scheme_kinds()
    )


def read_text(text: str, *, origin: str = "scenario") -> Any:
    """Parse YAML (or JSON) text safely; a syntax error is one line naming the place."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise InputError(f"larger than {MAX_FILE_BYTES} bytes", field=origin)
    try:
        return read_yaml_text(text)  # YAML 1.2 booleans: `NO` stays a country code
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise InputError(
            f"invalid YAML{where}: {getattr(exc, 'problem', None) or 'syntax error'}", field=origin
        ) from None


def scenario_path(name: str) -> Path:
    """A file path, or a bundled scenario id."""
    path = Path(name)
    if path.is_file():
        return path
    bundled = SCENARIOS_DIR / f"{name}.yaml"
    if bundled.is_file():
        return bundled
    raise InputError(
        f"no scenario file or bundled scenario {name!r} (bundled: {', '.join(bundled_scenarios())})",
        field="scenario",
    )


def load_scenario(name: str) -> Scenario:
    """Load and validate a scenario file or bundled scenario id."""
    path = scenario_path(name)
    return parse_document(read_text(path.read_text(encoding="utf-8"), origin=str(path)), base=path.parent)


def load_baseline(name: str, scenario: Scenario) -> Scenario | None:
    """The baseline named by a scenario (relative to its file, or a bundled id), or ``None``."""
    if scenario.baseline is None:
        return None
    path = scenario_path(name).parent / scenario.baseline
    return load_scenario(str(path) if path.is_file() else Path(scenario.baseline).stem)


def scenario_text(scenario_id: str) -> str:
    """The YAML text of a bundled scenario (a user copies it to start their own)."""
    return (
        scenario_path(scenario_id).read_text(encoding="utf-8") if scenario_id in bundled_scenarios() else ""
    )
