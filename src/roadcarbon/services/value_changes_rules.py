"""Contributions of values: a corrected dated parameter of a regulation, with its source and locator.

A research partner proposes one dated value of a scheme's parameter (a band
threshold, a rate, an amount) and the source and locator that publish it.  The
proposal is an ordinary change set (:mod:`roadcarbon.services.contributions`):
an ``update`` of the stored rule scheme (``rule_scheme``) whose document differs
from the current one in that dated value only.  The changed value cites the
change set's source (``contributed_<sha>``, :func:`~roadcarbon.services.value_changes.source_id_for`)
and the locator given, never the old reference.  Reviewers see :func:`rule_row_diff`
(old → new value, status, source, locator) with the impact on the preset vehicles'
outcomes, not the whole document.  A release stores the document as the scheme's
next version (:func:`roadcarbon.services.releases.publish_release`);
:func:`published_library` is the packaged rule library with those published
versions in place, so an evaluation uses the corrected value.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import math
from typing import Any

from sqlalchemy.orm import Session

from roadcarbon.errors import InputError, RoadcarbonError
from roadcarbon.services.contributions import get_contribution
from roadcarbon.services.principal import Principal
from roadcarbon.services.value_changes import form_text, save_value_draft, source_id_for

RULE_RESOURCE = "rule_parameter"
STATUSES = ("enacted", "announced", "projected", "assumption", "unverified")
NEEDS_NOTE = ("assumption", "unverified")
TITLE_PREFIX = "Rule parameter "


def stored_scheme(session: Session, scheme_id: str) -> tuple[Any, dict[str, Any]]:
    """The stored scheme row and its current document (the latest version, published or seeded)."""
    from roadcarbon.db.repositories import workflow as repo

    row = repo.rule_scheme_by_id(session, scheme_id)
    if row is None:
        raise InputError(f"no stored scheme {scheme_id!r}", field="scheme")
    versions = repo.rule_scheme_versions(session, row.id)
    if not versions:
        raise InputError(f"scheme {scheme_id!r} has no stored version", field="scheme")
    return row, copy.deepcopy(dict(versions[-1].document))


def parameter_choices(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Each dated value a user may correct: parameter, start date, value (as text), unit, status, reference."""
    out = []
    for name, param in (document.get("parameters") or {}).items():
        for start, value in sorted((param.get("values") or {}).items()):
            if not isinstance(value, dict) or value.get("value") is None:
                continue  # an end marker (null) or a formula: not a plain value to correct here
            ref = value.get("reference") or {}
            out.append(
                {
                    "key": f"{name}|{start}",
                    "parameter": name,
                    "from": str(start),
                    "value": value_text(value.get("value")),
                    "unit": str(param.get("unit") or ""),
                    "status": str(value.get("status") or ""),
                    "source": str(ref.get("source") or ""),
                    "locator": str(ref.get("locator") or ""),
                }
            )
    return out


def value_text(value: Any) -> str:
    """A parameter value as the text a user edits (lists comma-separated; no Python repr)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}" if abs(value) < 1e15 else f"{value:g}"
    return "" if value is None else str(value)


def _number(text: str, field: str) -> float:
    try:
        number = float(text.strip().replace("\u2212", "-"))
    except ValueError:
        raise InputError(f"expected a number, got {text.strip()!r}", field=field) from None
    if not math.isfinite(number):
        raise InputError(f"expected a finite number, got {text.strip()!r}", field=field)
    return number


def parse_value(old: Any, text: str) -> Any:
    """The new value typed as the old one: a number, a list of as many numbers (or codes), a code, a flag."""
    text = text.strip()
    if not text:
        raise InputError("required", field="value")
    if isinstance(old, bool):
        if text.lower() not in ("true", "false", "yes", "no"):
            raise InputError(f"expected true or false, got {text!r}", field="value")
        return text.lower() in ("true", "yes")
    if isinstance(old, int | float):
        return _number(text, "value")
    if isinstance(old, list):
        parts = [p.strip() for p in text.replace(";", ",").split(",")]
        if any(not p for p in parts):
            raise InputError("expected values separated by commas, none empty", field="value")
        if len(parts) != len(old):
            raise InputError(
                f"expected {len(old)} values (one per band, as now), got {len(parts)}", field="value"
            )
        if all(isinstance(x, int | float) and not isinstance(x, bool) for x in old):
            return [_number(p, "value") for p in parts]
        return parts
    return text


def proposed_document(
    current: dict[str, Any], form: dict[str, Any]
) -> tuple[dict[str, Any], str, str, dict[str, Any] | None]:
    """``current`` with one dated value of one parameter replaced (or added) as ``form`` says.

    ``form``: ``parameter``, ``valid_from`` (an existing start date to correct, or a new one to add a value
    from that date), ``value``, ``status``, ``source`` (citation or address), ``locator`` (where in it),
    ``note`` (required for assumption/unverified).  Returns the new document, the parameter, the start date
    and the old dated value (``None`` when one is added).  InputError names the field.
    """
    name = form_text(form, "parameter", 100)
    params = current.get("parameters") or {}
    if name not in params:
        raise InputError(f"{current.get('id')} has no parameter {name!r}", field="parameter")
    start_text = form_text(form, "valid_from", 10)
    try:
        start = dt.date.fromisoformat(start_text).isoformat()
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, got {start_text!r}", field="valid_from") from None
    values = {str(k): v for k, v in (params[name].get("values") or {}).items()}
    old = values.get(start)
    if old is not None and not isinstance(old, dict):
        old = None
    if old is not None and old.get("value") is None:
        raise InputError(
            "this value is computed by a formula; correct the formula in the scheme", field="value"
        )
    before = [v for k, v in sorted(values.items()) if k < start and isinstance(v, dict)]
    model = old if old is not None else (before[-1] if before else None)
    if model is None or model.get("value") is None:
        raise InputError(
            f"no value of {name} in force before {start} to take the type from", field="valid_from"
        )
    status = form_text(form, "status", 20)
    if status not in STATUSES:
        raise InputError(f"expected one of {', '.join(STATUSES)}, got {status!r}", field="status")
    source = form_text(form, "source", 1000)
    locator = form_text(form, "locator", 500)
    note = form_text(form, "note", 2000, required=status in NEEDS_NOTE)
    new_value: dict[str, Any] = {
        "value": parse_value(model["value"], form_text(form, "value", 2000)),
        "reference": {"source": source_id_for(source), "locator": locator},
        "status": status,
    }
    if note:
        new_value["note"] = note
    document = copy.deepcopy(current)
    document["parameters"][name]["values"] = {
        **{str(k): v for k, v in document["parameters"][name]["values"].items()},
        start: new_value,
    }
    document["parameters"][name]["values"] = dict(sorted(document["parameters"][name]["values"].items()))
    return document, name, start, old


def propose_rule_value(
    session: Session,
    principal: Principal,
    form: dict[str, Any],
    *,
    contribution_id: int | None = None,
    if_match: str | None = None,
) -> dict[str, Any]:
    """Create (or, with ``contribution_id``, edit) a draft correcting one dated parameter value of a scheme."""
    scheme_id = form_text(form, "scheme", 100)
    row, current = stored_scheme(session, scheme_id)
    document, name, start, old = proposed_document(current, form)
    source = form_text(form, "source", 1000)
    new = document["parameters"][name]["values"][start]
    title = (
        form_text(form, "title", 300, required=False)
        or (
            f"{TITLE_PREFIX}{scheme_id} {name} from {start}: "
            f"{value_text(old.get('value')) if old else '(new)'} → {value_text(new['value'])}"
        )[:300]
    )
    change = {
        "target_type": "rule_scheme",
        "operation": "update",
        "target_id": row.id,
        "payload": {"document": document},
    }
    return save_value_draft(
        session, principal, form, title, source, change, contribution_id=contribution_id, if_match=if_match
    )


def _field_text(value: dict[str, Any], label: str) -> str:
    """One field of a dated value as text (``source`` and ``locator`` from its reference)."""
    if label == "value":
        return value_text(value.get("value"))
    if label in ("source", "locator"):
        return str((value.get("reference") or {}).get(label) or "")
    return str(value.get(label) or "")


def document_row_diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Dated values that differ: ``[{resource, key, kind, fields: [{field, old, new}], bands}]`` (text only).

    ``key`` is ``scheme · parameter · from``; ``bands`` counts the list positions that changed (a band
    threshold or amount list), else 0.
    """
    out = []
    old_params = old.get("parameters") or {}
    for name, param in (new.get("parameters") or {}).items():
        before = {str(k): v for k, v in ((old_params.get(name) or {}).get("values") or {}).items()}
        after = {str(k): v for k, v in (param.get("values") or {}).items()}
        for start in sorted(set(before) | set(after)):
            a, b = before.get(start), after.get(start)
            if a == b:
                continue
            a, b = a or {}, b or {}
            fields = [
                {"field": label, "old": _field_text(a, label), "new": _field_text(b, label)}
                for label in ("value", "status", "source", "locator", "note")
                if _field_text(a, label) != _field_text(b, label)
            ]
            va, vb = a.get("value"), b.get("value")
            bands = (
                sum(1 for x, y in zip(va, vb, strict=False) if x != y)
                if isinstance(va, list) and isinstance(vb, list)
                else 0
            )
            out.append(
                {
                    "resource": RULE_RESOURCE,
                    "key": f"{new.get('id')} · {name} · {start}",
                    "kind": "changed" if a and b else ("added" if b else "removed"),
                    "fields": fields,
                    "unit": str(param.get("unit") or ""),
                    "bands": bands,
                    "bands_of": len(vb) if isinstance(vb, list) else 0,
                }
            )
    return out


def _library_with(base: Any, documents: list[dict[str, Any]], citations: dict[str, str]) -> Any:
    """``base`` with the given scheme documents in place and the contributed citations as sources."""
    from roadcarbon.rules.registry import parse_scheme
    from roadcarbon.rules.schema import Source

    schemes = dict(base.schemes)
    for document in documents:
        scheme = parse_scheme(document, origin=f"stored scheme {document.get('id')}")
        schemes[scheme.id] = scheme
    sources = dict(base.sources)
    for sid, citation in citations.items():
        address = citation if citation.startswith(("https://", "http://")) else None
        sources.setdefault(
            sid, Source(title=citation[:300], address=address, note="cited by a reviewed contribution")
        )
    return dataclasses.replace(base, schemes=schemes, sources=sources)


def _outcome_text(outcome: dict[str, Any]) -> str:
    parts = []
    for key in ("band", "tax_rate", "amount", "credits", "eligible"):
        value = outcome.get(key)
        if value is None:
            continue
        text = value_text(value) if not isinstance(value, float) else f"{value:,.6g}"
        if key == "amount" and outcome.get("currency"):
            text += f" {outcome['currency']}"
        parts.append(f"{key} {text}")
    return "; ".join(parts) or "—"


def _evaluate(lib: Any, scheme_id: str, spec: Any, on: dt.date) -> dict[str, Any]:
    from roadcarbon.rules.documents import evaluate_document
    from roadcarbon.services.exports import json_safe
    from roadcarbon.services.regulations import lifecycle_inputs

    extra = lifecycle_inputs(lib.get(scheme_id), spec, on)
    doc = evaluate_document(
        lib, scheme_id, spec, on, allow_status=list(STATUSES[1:]), extra_inputs=extra or None
    )
    return dict(json_safe(doc))


def impact_on_presets(
    old: dict[str, Any], new: dict[str, Any], name: str, start: str, citations: dict[str, str]
) -> dict[str, Any]:
    """How the preset vehicles' outcomes under the scheme move: ``{on, rows: [{vehicle, before, after, changed}]}``.

    Evaluated on the changed value's start date (today if it started earlier and is still in force), every
    value status accepted so a provisional scheme still answers; a vehicle the scheme cannot evaluate is left
    out (``not_evaluated`` counts them).
    """
    from roadcarbon.io.specs import list_presets, load_vehicle
    from roadcarbon.services.regulations import library

    scheme_id = str(new.get("id"))
    on = max(dt.date.fromisoformat(start), dt.date.today())
    values = ((new.get("parameters") or {}).get(name) or {}).get("values") or {}
    later = sorted(str(k) for k in values if str(k) > start)
    if later:
        on = min(on, dt.date.fromisoformat(later[0]) - dt.timedelta(days=1))
    base = library()
    before_lib = _library_with(base, [old], citations)
    after_lib = _library_with(base, [new], citations)
    rows = []
    skipped = 0
    for preset in list_presets():
        try:
            spec = load_vehicle(preset)
            a = _evaluate(before_lib, scheme_id, spec, on)["outcome"]
            b = _evaluate(after_lib, scheme_id, spec, on)["outcome"]
        except RoadcarbonError:
            skipped += 1
            continue
        rows.append(
            {
                "vehicle": spec.name,
                "before": _outcome_text(a),
                "after": _outcome_text(b),
                "changed": _outcome_text(a) != _outcome_text(b),
            }
        )
    return {"on": on.isoformat(), "rows": rows, "not_evaluated": skipped}


def rule_row_diff(session: Session, principal: Principal, contribution_id: int) -> list[dict[str, Any]]:
    """Row diff and impact of every rule-scheme change of a change set the caller may see.

    ``[{change, scheme, rows: document_row_diff(...), impact: impact_on_presets(...)}]`` against the stored
    scheme's current document; permissions as :func:`roadcarbon.services.contributions.get_contribution`.
    """
    from roadcarbon.db.models import RuleScheme

    item = get_contribution(session, principal, contribution_id)
    citations = {source_id_for(s): s for s in item.get("sources") or [] if isinstance(s, str)}
    out = []
    for i, change in enumerate(item["changes"]):
        document = change["payload"].get("document")
        if change["target_type"] != "rule_scheme" or not isinstance(document, dict):
            continue
        row = session.get(RuleScheme, change["target_id"]) if change["target_id"] is not None else None
        current: dict[str, Any] = {}
        if row is not None:
            current = stored_scheme(session, row.scheme_id)[1]
        rows = document_row_diff(current, document)
        for r in rows:  # a source id is shown with its title (registry) or the change set's citation
            for f in r["fields"]:
                if f["field"] == "source":
                    f["old"], f["new"] = _source_text(f["old"], citations), _source_text(f["new"], citations)
        impact: dict[str, Any] | None = None
        if rows and current:
            _scheme, name, start = rows[0]["key"].split(" · ")
            try:
                impact = impact_on_presets(current, document, name, start, citations)
            except RoadcarbonError as exc:
                impact = {"on": start, "rows": [], "not_evaluated": 0, "problem": str(exc)}
        out.append(
            {
                "change": i,
                "scheme": str(document.get("id") or ""),
                "title": str(document.get("title") or ""),
                "rows": rows,
                "impact": impact,
            }
        )
    return out


def _source_text(source_id: str, citations: dict[str, str]) -> str:
    from roadcarbon.services.regulations import library

    if not source_id:
        return ""
    if source_id in citations:
        return f"{source_id}: {citations[source_id]}"
    known = library().sources.get(source_id)
    return f"{source_id}: {known.title}" if known is not None else source_id


def rule_draft_form(session: Session, principal: Principal, contribution_id: int) -> dict[str, str]:
    """The form fields of a rule-parameter change set (to edit the draft), read back from its row diff."""
    item = get_contribution(session, principal, contribution_id)
    auto = item["title"].startswith(TITLE_PREFIX)
    form = {
        "kind": "rule",
        "title": "" if auto else item["title"],
        "description": item.get("description") or "",
        "license": item["license"],
        "source": (item.get("sources") or [""])[0],
        "etag": item["etag"],
    }
    for entry in rule_row_diff(session, principal, contribution_id):
        form["scheme"] = entry["scheme"]
        for row in entry["rows"][:1]:
            _scheme, form["parameter"], form["valid_from"] = row["key"].split(" · ")
            for f in row["fields"]:
                if f["field"] in ("value", "status", "locator", "note"):
                    form[f["field"]] = f["new"]
    for change in item["changes"]:  # fields that did not change are read from the proposed value itself
        document = change["payload"].get("document") if change["target_type"] == "rule_scheme" else None
        if isinstance(document, dict) and form.get("parameter"):
            value = document["parameters"][form["parameter"]]["values"].get(form["valid_from"]) or {}
            form.setdefault("value", value_text(value.get("value")))
            form.setdefault("status", str(value.get("status") or ""))
            form.setdefault("locator", str((value.get("reference") or {}).get("locator") or ""))
            form.setdefault("note", str(value.get("note") or ""))
    return form


_PUBLISHED: dict[tuple[tuple[str, int, int, int | None], ...], Any] = {}


_PUBLISHED_CHECKED: dict[str, tuple[float, Any]] = {}


def forget_published_library() -> None:
    """Drop the cached published library (called when a release is published)."""
    _PUBLISHED_CHECKED.clear()


def published_library(session: Session) -> Any:
    """The packaged rule library with every scheme version published from a contribution in place.

    Seeded versions (no contribution) are the packaged schemes themselves.  The contributed citations the
    published values cite become sources of the library (title = the citation).  Cached per set of versions;
    the database is asked again after ``RELEASE_CHECK_SECONDS`` (services.calculations), or at once after a
    release published in this process.
    """
    import time

    from roadcarbon.services.calculations import RELEASE_CHECK_SECONDS, database_key

    where = database_key(session)
    now = time.monotonic()
    recent = _PUBLISHED_CHECKED.get(where)
    if recent is not None and now - recent[0] < RELEASE_CHECK_SECONDS:
        return recent[1]
    lib = _published_library(session)
    _PUBLISHED_CHECKED[where] = (now, lib)
    return lib


def _published_library(session: Session) -> Any:
    from roadcarbon.db.models import Contribution
    from roadcarbon.db.repositories import workflow as repo
    from roadcarbon.services.regulations import library

    rows = [r for r in repo.rule_schemes(session) if r.current_version > 1]
    latest = {r.scheme_id: repo.rule_scheme_versions(session, r.id)[-1] for r in rows}
    key = tuple((sid, v.id, v.version, v.contribution_id) for sid, v in latest.items())
    if key in _PUBLISHED:
        return _PUBLISHED[key]
    documents = []
    citations: dict[str, str] = {}
    for r in rows:
        if latest[r.scheme_id].contribution_id is None:
            continue
        documents.append(dict(latest[r.scheme_id].document))
        for version in repo.rule_scheme_versions(session, r.id):
            if version.contribution_id is None:
                continue
            contribution = session.get(Contribution, version.contribution_id)
            for s in (contribution.sources if contribution is not None else None) or []:
                if isinstance(s, str):
                    citations[source_id_for(s)] = s
    lib = _library_with(library(), documents, citations) if documents else library()
    _PUBLISHED.clear()
    _PUBLISHED[key] = lib
    return lib
