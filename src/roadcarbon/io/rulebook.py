"""Read the rule library from files: scheme YAML, the source registry, side tables, legal cases.

YAML is read with a ``yaml.SafeLoader`` subclass only (loading a file never executes
code).  Validation and indexing are done by the pure
:mod:`roadcarbon.rules.registry`; this module only finds and reads files.
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from roadcarbon.errors import RuleError
from roadcarbon.rules.currency import ExchangeRates, parse_exchange_rates
from roadcarbon.rules.registry import Library, Reform, parse_reform, parse_scheme, parse_sources
from roadcarbon.rules.tables import CycleConversion, EmissionStandards

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REGULATIONS_DIR = DATA_DIR / "regulations"
CYCLE_CONVERSION_CSV = DATA_DIR / "factors" / "cycle_conversion.csv"
CASES_DIR = REGULATIONS_DIR / "cases"
"""Legal cases ``cases/<MARKET>/<scheme>.yaml``, shipped in the wheel so ``roadcarbon rules test``
runs from an installed package; ``tests/regulations`` runs the same files under pytest."""


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely with YAML 1.2 booleans, as every spec, fleet and lineup file is read
    (:func:`roadcarbon.io.specs.read_yaml_text`: ``battery_production_country: NO`` stays Norway);
    a syntax error becomes a one-line :class:`RuleError`."""
    from roadcarbon.io.specs import read_yaml_text

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleError(f"{path}: file not found") from None
    try:
        return read_yaml_text(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RuleError(f"{path}:{where}: invalid YAML: {problem}") from None
    except RecursionError:  # thousands of nested [[[ (hostile input): one line, not a traceback
        raise RuleError(f"{path}: invalid YAML: nested too deeply") from None


def scheme_files(root: Path = REGULATIONS_DIR) -> Iterator[Path]:
    """Scheme files: ``<root>/<MARKET>/*.yaml`` (two upper-case letters), sorted."""
    for market_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        if len(market_dir.name) == 2 and market_dir.name.isupper():
            yield from sorted(market_dir.glob("*.yaml"))


def read_conversions(path: Path = CYCLE_CONVERSION_CSV) -> list[CycleConversion]:
    """Rows of the test-cycle conversion table; empty if the file is not shipped."""
    if not path.exists():
        return []
    rows: list[CycleConversion] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for i, raw in enumerate(csv.DictReader(line for line in handle if not line.startswith("#"))):
            cleaned = {k: (v if v not in ("", None) else None) for k, v in raw.items() if k}
            factor = cleaned.get("factor")
            if factor is None or not math.isfinite(float(factor)):
                continue  # a row that only bounds a range carries no central factor
            try:
                rows.append(
                    CycleConversion.model_validate({k: v for k, v in cleaned.items() if v is not None})
                )
            except ValueError as exc:
                raise RuleError(f"{path}: row {i + 2}: {str(exc).splitlines()[0]}") from None
    return rows


def read_exchange_rates(root: Path = REGULATIONS_DIR, sources: Any = None) -> ExchangeRates | None:
    """The exchange-rate table ``<root>/exchange_rates.yaml``; ``None`` if the file is not shipped.

    Raises
    ------
    RuleError
        A malformed table, naming the file and the key path.
    """
    path = root / "exchange_rates.yaml"
    if not path.exists():
        return None
    return parse_exchange_rates(read_yaml(path), origin=str(path), sources=sources)


def load_library(root: Path = REGULATIONS_DIR, *, conversions_path: Path = CYCLE_CONVERSION_CSV) -> Library:
    """Read and validate the whole rule library under ``root``.

    Raises
    ------
    RuleError
        On the first malformed file, naming the file and the key path.
    """
    sources = parse_sources(read_yaml(root / "sources.yaml"), origin=str(root / "sources.yaml"))
    schemes = []
    for path in scheme_files(root):
        expected = f"{path.parent.name}.{path.stem}"
        schemes.append((parse_scheme(read_yaml(path), origin=str(path), expected_id=expected), str(path)))
    standards = None
    standards_path = root / "emission_standards.yaml"
    if standards_path.exists():
        from pydantic import ValidationError

        from roadcarbon.rules.registry import describe

        try:
            standards = EmissionStandards.model_validate(read_yaml(standards_path))
        except ValidationError as exc:
            raise RuleError(describe(exc, str(standards_path))) from None
    return Library.build(
        schemes,
        sources,
        conversions=read_conversions(conversions_path),
        standards=standards,
        exchange_rates=read_exchange_rates(root, sources),
    )


@functools.lru_cache(maxsize=1)
def default_library() -> Library:
    """The packaged rule library (read once per process)."""
    return load_library()


def read_reform(path: Path) -> Reform:
    """A what-if overlay file."""
    return parse_reform(read_yaml(path), origin=str(path))


def case_files(root: Path = CASES_DIR) -> list[Path]:
    """Legal-case files ``<root>/<MARKET>/*.yaml``."""
    if not root.exists():
        return []
    return sorted(p for p in root.glob("*/*.yaml") if len(p.parent.name) == 2)


# --- vehicle and fleet documents as the rules read them (issue 9 section 2) ---------------------


def vehicle_document(arg: str, *, field: str = "vehicle") -> Any:
    """A preset id (its spec, a :class:`VehicleSpec`) or a YAML/JSON spec file read as a plain mapping.

    The mapping is validated later against what the scheme reads
    (:func:`roadcarbon.rules.inputs.rule_columns`), not against the engine's full spec.
    """
    from roadcarbon.errors import SpecError

    path = Path(arg)
    if path.suffix.lower() in {".yaml", ".yml", ".json"} or path.exists():
        if not path.is_file():
            raise SpecError(f"spec file not found: {arg}", field=field)
        try:
            data = read_yaml(path)
        except RuleError as exc:
            raise SpecError(exc.message, field=field) from None
        if not isinstance(data, dict):
            raise SpecError("expected a mapping of spec fields", field=field)
        return data
    from roadcarbon.io.specs import load_preset

    return load_preset(arg)


def _resolver(base: Path | None) -> Any:
    def resolve(kind: str, text: str) -> dict[str, Any]:
        if kind == "preset":
            from roadcarbon.io.specs import load_preset

            return load_preset(text).model_dump(mode="json", exclude_none=True)
        path = Path(text)
        if base is not None and not path.is_absolute():
            path = base / path
        doc = vehicle_document(str(path))
        return doc if isinstance(doc, dict) else doc.model_dump(mode="json", exclude_none=True)

    return resolve


def fleet_document(path_text: str) -> tuple[Any, Any]:
    """A fleet file read as a plain mapping, and the resolver of its ``preset``/``spec`` path entries."""
    from roadcarbon.errors import SpecError

    path = Path(path_text)
    if not path.is_file():
        raise SpecError(f"fleet file not found: {path_text}", field="fleet")
    if path.suffix.lower() == ".csv":  # issue 15: fleet files as CSV (one line per model, with sales)
        from roadcarbon.io.fleet_csv import read_fleet_csv

        return read_fleet_csv(path), _resolver(path.parent)
    try:
        data = read_yaml(path)
    except RuleError as exc:
        raise SpecError(exc.message, field="fleet") from None
    return data, _resolver(path.parent)


def preset_resolver() -> Any:
    """Resolver of ``preset`` entries only (paths are not read, e.g. over HTTP)."""
    inner = _resolver(None)

    def resolve(kind: str, text: str) -> dict[str, Any]:
        from roadcarbon.errors import SpecError

        if kind != "preset":
            raise SpecError("spec paths are not read here; give the spec inline or `preset: ID`")
        result: dict[str, Any] = inner(kind, text)
        return result

    return resolve


# --- convenience for scripts: the pure evaluators on the packaged library -----------------------


def evaluate(scheme_id: str, vehicles: Any, on: Any, **kwargs: Any) -> Any:
    """:func:`roadcarbon.rules.evaluate` on the packaged library, the scheme given by id."""
    from roadcarbon.rules import evaluate as _evaluate

    lib = default_library()
    return _evaluate(lib.get(scheme_id), vehicles, on, library=lib, **kwargs)


def evaluate_fleet(scheme_id: str, fleet: Any, year: int, **kwargs: Any) -> Any:
    """:func:`roadcarbon.rules.evaluate_fleet` on the packaged library, the scheme given by id."""
    from roadcarbon.rules import evaluate_fleet as _evaluate_fleet

    lib = default_library()
    return _evaluate_fleet(lib.get(scheme_id), fleet, year, library=lib, **kwargs)


def compare(vehicle: Any, markets: Any, on: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """:func:`roadcarbon.rules.compare` on the packaged library: one row per scheme."""
    from roadcarbon.rules import compare as _compare

    return _compare(vehicle, markets, on, library=default_library(), **kwargs)
