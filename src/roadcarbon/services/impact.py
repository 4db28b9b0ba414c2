"""How a change set moves headline results: the diff shown to reviewers.

* A vehicle change: the vehicle's life-cycle footprint before and after, in
  the country where it is assembled (China when none is given), first year of
  use :data:`IMPACT_YEAR`.
* A change of the reference-factor dataset: a battery-electric car's (a packaged preset)
  footprint computed on the current and on the proposed data package, in the
  countries whose rows changed (grid factors), or :data:`DEFAULT_COUNTRIES`.

Numbers come from the engine on the packaged presets; nothing is estimated here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from roadcarbon.db.models import Contribution, Dataset
from roadcarbon.errors import RoadcarbonError
from roadcarbon.services.packages import changed_rows, materialised
from roadcarbon.services.records import current_package, current_spec, validate_spec

IMPACT_YEAR = 2024
"""First year of use for impact diffs: the last year the packaged grid series observe."""
DEFAULT_COUNTRIES = ("CN",)
"""Where to show a dataset change when the changed rows name no country."""
REFERENCE_DATASET_SLUG = "reference-factors"
"""Slug of the dataset seeded from the packaged reference data (the engine's factors)."""
MAX_COUNTRIES = 5


def _footprint(spec: Any, country: str, tables: Any = None) -> float:
    from roadcarbon.engine import assess
    from roadcarbon.io.reference import load_reference

    a = assess([spec], [country], [IMPACT_YEAR], tables if tables is not None else load_reference())
    return round(float(a.result.total_g_co2e_per_km[0]), 3)


def _entry(change: int, subject: str, country: str, before: float | None, after: float) -> dict[str, Any]:
    delta = None if before is None else round(after - before, 3)
    return {
        "change": change,
        "subject": subject,
        "country": country,
        "year": IMPACT_YEAR,
        "quantity": "total_g_co2e_per_km",
        "before": before,
        "after": after,
        "delta": delta,
        "delta_share": None if before in (None, 0.0) or delta is None else round(delta / before, 6),
    }


def preset_bev(session: Session) -> tuple[str, Any] | None:
    """A battery-electric passenger car ``(label, spec)`` to show data changes on.

    The first packaged BEV preset (market-average presets ``avg-*`` excepted); without presets, the first public BEV
    passenger car of the database.
    """
    from roadcarbon.db.repositories.records import first_public_vehicle
    from roadcarbon.io.specs import list_presets, load_preset

    for preset_id in list_presets():
        if preset_id.startswith("avg-"):  # market averages belong to one market; not a neutral reference car
            continue
        spec = load_preset(preset_id)
        if spec.powertrain.value == "BEV" and spec.category.value == "passenger_car":
            return f"preset {preset_id}", spec
    row = first_public_vehicle(session, powertrain="BEV", category="passenger_car")
    if row is None:
        return None
    return f"vehicle {row.id}", validate_spec(current_spec(session, row))


def _countries_of(diff_rows: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for row in diff_rows:
        code = str(row.get("country") or "").strip().upper()
        if len(code) == 2 and code not in found:
            found.append(code)
    return found[:MAX_COUNTRIES] or list(DEFAULT_COUNTRIES)


def _changed_grid_rows(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    import json

    old_rows = {
        json.dumps(r, sort_keys=True)
        for res in old.get("resources", [])
        for r in (res.get("data") or [])
        if isinstance(r, dict)
    }
    return [
        r
        for res in new.get("resources", [])
        for r in (res.get("data") or [])
        if isinstance(r, dict) and json.dumps(r, sort_keys=True) not in old_rows
    ]


def engine_reads(package: dict[str, Any]) -> str | None:
    """None when the engine's reference-data loader reads ``package``; else why not (one line)."""
    from roadcarbon.io.reference import load_reference

    try:
        with materialised(package) as root:
            load_reference(str(root))
    except Exception as exc:  # any failure of the loader is a finding, never a crash
        return f"{type(exc).__name__}: {exc}".splitlines()[0][:500]
    return None


def contribution_impact(session: Session, contribution: Contribution) -> dict[str, Any]:
    """``{headline: [...], notes: [...]}`` for a change set (computed at submission)."""
    headline: list[dict[str, Any]] = []
    notes: list[str] = []
    for i, change in enumerate(contribution.changes):
        try:
            if change.target_type == "vehicle":
                new = validate_spec(change.payload)
                country = new.assembly_country or DEFAULT_COUNTRIES[0]
                before = None
                if change.operation == "update" and change.target_id is not None:
                    from roadcarbon.db.models import VehicleModel

                    row = session.get(VehicleModel, change.target_id)
                    if row is not None:
                        before = _footprint(validate_spec(current_spec(session, row)), country)
                headline.append(_entry(i, f"vehicle {new.name}", country, before, _footprint(new, country)))
            elif change.target_type == "dataset" and change.operation == "update":
                dataset = session.get(Dataset, change.target_id)
                if dataset is None or dataset.slug != REFERENCE_DATASET_SLUG:
                    notes.append(f"change {i}: dataset is not used by the engine; no headline result moves")
                    continue
                found = preset_bev(session)
                if found is None:
                    notes.append(
                        f"change {i}: no battery-electric car to show the change on; impact not computed"
                    )
                    continue
                label, spec = found
                old_package = current_package(session, dataset)
                new_package = change.payload.get("package") or {}
                counts = changed_rows(old_package, new_package)
                described = "; ".join(
                    f"{name} +{n['added']} -{n['removed']}" for name, n in counts.items()
                )  # plain text: no Python dict reaches a page
                notes.append(f"change {i}: rows added/removed per resource: {described or 'none'}")
                countries = _countries_of(_changed_grid_rows(old_package, new_package))
                from roadcarbon.io.reference import load_reference, projections_path

                # The stored dataset is the factors package only; the grid projections live in their own
                # packaged folder. Without them the loader holds every grid flat after its last observed year
                # (ID 2024 BEV: 199.3 instead of the engine's 171.1 g/km), so pass them as the engine does.
                projections = str(projections_path())
                with materialised(old_package) as old_root, materialised(new_package) as new_root:
                    old_tables = load_reference(str(old_root), projections=projections)
                    new_tables = load_reference(str(new_root), projections=projections)
                    for country in countries:
                        headline.append(  # noqa: PERF401
                            _entry(
                                i,
                                f"{label} (BEV)",
                                country,
                                _footprint(spec, country, old_tables),
                                _footprint(spec, country, new_tables),
                            )
                        )
        except RoadcarbonError as exc:
            notes.append(f"change {i}: impact not computed: {exc}")
        except Exception as exc:  # advisory: a package the engine cannot read must not fail the submission
            notes.append(f"change {i}: impact not computed ({type(exc).__name__}: {exc})")
    return {"headline": headline, "notes": notes}
