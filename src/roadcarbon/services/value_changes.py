"""Contributions of values: a corrected grid-intensity row of the reference data package, with its source.

A research partner proposes one value (country, year, series → g CO2e/kWh) and
the source that publishes it.  The proposal is an ordinary change set
(:mod:`roadcarbon.services.contributions`): an ``update`` of the reference-factor
dataset whose package differs from the current one in that row only, plus the
cited source added to the package's ``sources`` table.  The changed row's
``source_id`` and ``locator`` name the change set's source, never the old row's.
Reviewers see :func:`row_diff` (old → new per field), not the whole package.
"""

from __future__ import annotations

import copy
import hashlib
import math
from typing import Any

from sqlalchemy.orm import Session

from roadcarbon.db.models import Dataset
from roadcarbon.db.repositories import records as records_repo
from roadcarbon.errors import InputError
from roadcarbon.services.contributions import create_contribution, get_contribution, update_contribution
from roadcarbon.services.impact import REFERENCE_DATASET_SLUG
from roadcarbon.services.principal import Principal
from roadcarbon.services.records import current_package

GRID_RESOURCE = "grid_intensity"
SOURCES_RESOURCE = "sources"
GRID_KEY = ("country", "year", "series")
MAX_G_PER_KWH = 2000.0
"""Upper bound of a plausible grid intensity [g CO2e/kWh]: coal-only generation is about 1,000 (IPCC AR5 WG3
Annex III, Table A.III.2, life-cycle median 820, max 1,001); twice that catches unit slips (kg, lb)."""
MAX_DIFF_ROWS = 200


def _reference(session: Session) -> Dataset:
    row = records_repo.dataset_by_slug(session, REFERENCE_DATASET_SLUG)
    if row is None:
        raise InputError(f"no dataset {REFERENCE_DATASET_SLUG!r} to correct", field="dataset")
    return row


def _resource(package: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next(
        (r for r in package.get("resources", []) if isinstance(r, dict) and r.get("name") == name), None
    )


def form_text(form: dict[str, Any], key: str, limit: int, *, required: bool = True) -> str:
    """A text field of a value-correction form, stripped; missing (if required) or too long names the field."""
    value = str(form.get(key) or "").strip()
    if required and not value:
        raise InputError("required", field=key)
    if len(value) > limit:
        raise InputError(f"at most {limit} characters", field=key)
    return value


def _value_text(raw: str) -> str:
    """The value as stored: a plain number when it parses; else as typed (the validation report flags it)."""
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        return raw  # kept in the draft: the package check reports "expected a number", the author edits it
    if not math.isfinite(number) or not 0 <= number <= MAX_G_PER_KWH:
        raise InputError(f"expected a number from 0 to {MAX_G_PER_KWH:g} g CO2e/kWh", field="value")
    return f"{number:g}"


def source_id_for(source: str) -> str:
    """Stable id of a contributed source in the package's ``sources`` table."""
    return "contributed_" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]


def proposed_package(current: dict[str, Any], form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """``current`` with one grid row replaced by the proposal of ``form``; also the old row.

    ``form``: ``country`` (ISO 3166-1 alpha-2), ``year``, ``series`` (default ``consumption``),
    ``value`` [g CO2e/kWh], ``source`` (citation or address).  InputError names the field.
    """
    country = form_text(form, "country", 2).upper()
    year = form_text(form, "year", 4)
    series = form_text(form, "series", 40, required=False) or "consumption"
    source = form_text(form, "source", 1000)
    value = _value_text(form_text(form, "value", 40))
    package = copy.deepcopy(current)
    grid = _resource(package, GRID_RESOURCE)
    sources = _resource(package, SOURCES_RESOURCE)
    if grid is None or sources is None:
        raise InputError("the reference package has no grid_intensity or sources table", field="dataset")
    rows = grid.get("data") or []
    index = next(
        (
            i
            for i, r in enumerate(rows)
            if isinstance(r, dict)
            and str(r.get("country")) == country
            and str(r.get("year")) == year
            and str(r.get("series")) == series
        ),
        None,
    )
    if index is None:
        raise InputError(f"no grid-intensity row for {country} {year} ({series})", field="country")
    old = dict(rows[index])
    sid = source_id_for(source)
    rows[index] = {
        **old,
        "g_co2e_per_kwh": value,
        "source_id": sid,
        "locator": source,
        "note": f"corrected by a reviewed contribution; was {old.get('g_co2e_per_kwh')} ({old.get('source_id')})",
    }
    if not any(isinstance(s, dict) and s.get("source_id") == sid for s in sources.get("data") or []):
        sources.setdefault("data", []).append(
            {
                "source_id": sid,
                "title": source[:300],
                "publisher": "",
                "year": "",
                "url": source if source.startswith(("https://", "http://")) else "",
                "licence": str(form.get("license") or ""),
                "quality": "contributed",
                "notes": "cited by a change set of the contribution workflow",
            }
        )
    return package, old


def propose_grid_value(
    session: Session,
    principal: Principal,
    form: dict[str, Any],
    *,
    contribution_id: int | None = None,
    if_match: str | None = None,
) -> dict[str, Any]:
    """Create (or, with ``contribution_id``, edit) a draft correcting one grid-intensity row.

    Returns the change set (:func:`roadcarbon.services.contributions.get_contribution` shape); its
    validation report says whether it may be submitted.
    """
    dataset = _reference(session)
    package, old = proposed_package(current_package(session, dataset), form)
    source = form_text(form, "source", 1000)
    title = form_text(form, "title", 300, required=False) or (
        f"Grid intensity {old['country']} {old['year']}: {old.get('g_co2e_per_kwh')} → "
        f"{form_text(form, 'value', 40)} g CO2e/kWh"
    )
    change = {
        "target_type": "dataset",
        "operation": "update",
        "target_id": dataset.id,
        "payload": {"package": package},
    }
    return save_value_draft(
        session, principal, form, title, source, change, contribution_id=contribution_id, if_match=if_match
    )


def save_value_draft(
    session: Session,
    principal: Principal,
    form: dict[str, Any],
    title: str,
    source: str,
    change: dict[str, Any],
    *,
    contribution_id: int | None = None,
    if_match: str | None = None,
) -> dict[str, Any]:
    """Create (or, with ``contribution_id``, edit) the draft change set of one value correction: one change,
    the form's description and licence, the correction's own source."""
    body = {
        "title": title,
        "description": form_text(form, "description", 5000, required=False),
        "sources": [source],
        "license": str(form.get("license") or "CC-BY-4.0"),
        "changes": [change],
    }
    if contribution_id is None:
        return create_contribution(session, principal, body)
    return update_contribution(session, principal, contribution_id, body, if_match=if_match)


def _key(row: dict[str, Any], fields: list[str]) -> str:
    named = [str(row.get(k)) for k in GRID_KEY if k in row]
    return " · ".join(named or [str(row.get(f)) for f in fields[:2]])


def package_row_diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows that differ between two packages: ``[{resource, key, kind, fields: [{field, old, new}]}]``.

    Rows are compared in place (same resource, same position); extra rows are ``added`` or ``removed``.
    Every value is text (nothing but strings reaches a page).
    """
    out: list[dict[str, Any]] = []
    old_res = {r.get("name"): r for r in old.get("resources", []) if isinstance(r, dict)}
    for resource in new.get("resources", []):
        if not isinstance(resource, dict):
            continue
        name = str(resource.get("name"))
        before = [r for r in (old_res.get(name) or {}).get("data") or [] if isinstance(r, dict)]
        after = [r for r in resource.get("data") or [] if isinstance(r, dict)]
        for i in range(max(len(before), len(after))):
            a = before[i] if i < len(before) else None
            b = after[i] if i < len(after) else None
            if a == b:
                continue
            row = b if b is not None else a
            assert row is not None
            keys = list(dict.fromkeys([*(a or {}), *(b or {})]))
            fields = [
                {"field": str(k), "old": _s((a or {}).get(k)), "new": _s((b or {}).get(k))}
                for k in keys
                if (a or {}).get(k) != (b or {}).get(k)
            ]
            kind = "changed" if a is not None and b is not None else ("added" if a is None else "removed")
            out.append({"resource": name, "key": _key(row, keys), "kind": kind, "fields": fields})
            if len(out) >= MAX_DIFF_ROWS:
                return out
    return out


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def row_diff(session: Session, principal: Principal, contribution_id: int) -> list[dict[str, Any]]:
    """Row diff of every dataset change of a change set the caller may see, against the current package.

    ``[{change, dataset, rows: package_row_diff(...)}]``; permissions as
    :func:`roadcarbon.services.contributions.get_contribution`.
    """
    item = get_contribution(session, principal, contribution_id)
    out = []
    for i, change in enumerate(item["changes"]):
        if change["target_type"] != "dataset" or not isinstance(change["payload"].get("package"), dict):
            continue
        current: dict[str, Any] = {}
        title = ""
        if change["target_id"] is not None:
            dataset = session.get(Dataset, change["target_id"])
            if dataset is not None:
                current = current_package(session, dataset)
                title = dataset.title or dataset.slug
        out.append(
            {"change": i, "dataset": title, "rows": package_row_diff(current, change["payload"]["package"])}
        )
    return out


def draft_form(session: Session, principal: Principal, contribution_id: int) -> dict[str, str]:
    """The form fields of a grid-value change set (to edit the draft), read back from its row diff."""
    item = get_contribution(session, principal, contribution_id)
    auto = item["title"].startswith("Grid intensity ")  # generated from the values: generated again
    form = {
        "title": "" if auto else item["title"],
        "description": item.get("description") or "",
        "license": item["license"],
    }
    form["source"] = (item.get("sources") or [""])[0]
    form["etag"] = item["etag"]
    for entry in row_diff(session, principal, contribution_id):
        for row in entry["rows"]:
            if row["resource"] == GRID_RESOURCE and row["kind"] == "changed":
                parts = row["key"].split(" · ")
                if len(parts) == 3:
                    form["country"], form["year"], form["series"] = parts
                for f in row["fields"]:
                    if f["field"] == "g_co2e_per_kwh":
                        form["value"] = f["new"]
    return form
