"""Policy-lab runs as background jobs: validate at submission, run in a worker thread, keep progress and result.

A run names a scenario (a bundled id, an inline document, or a stored scenario record) and optionally
its baseline (same forms; by default the scenario's own ``baseline:`` key). With a baseline the result
is the ``fleet compare`` document, without one the ``fleet run`` document.

Visibility follows the other records: a run is private to the caller's organisation unless the
caller asks for ``public``; anonymous callers' runs are public. A run that uses a private stored
scenario stays private. A private run outside the caller's organisation answers "not found".
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from roadcarbon.db.base import utcnow
from roadcarbon.db.models import FleetRun, FleetRunStatus, Scenario, Visibility
from roadcarbon.db.session import transaction
from roadcarbon.errors import InputError, RoadcarbonError
from roadcarbon.fleet.run import check_finite, compare_document, draw_uncertainty, execute
from roadcarbon.fleet.scenario import Scenario as FleetScenario
from roadcarbon.io.reference import load_reference
from roadcarbon.io.rulebook import default_library
from roadcarbon.io.scenarios import (
    SCENARIOS_DIR,
    bundled_scenarios,
    parse_document,
    read_text,
    scenario_path,
)
from roadcarbon.services.audit import record_event
from roadcarbon.services.errors import NotFoundError
from roadcarbon.services.pagination import Page, paginate
from roadcarbon.services.principal import Principal
from roadcarbon.services.versions import data_version, rule_library_version

log = logging.getLogger("roadcarbon.fleet")

MAX_WORKERS = 2
"""Concurrent fleet jobs per process (the model is fast; Monte Carlo runs take a few seconds)."""
MAX_SAMPLES = 2000
"""Monte Carlo samples accepted over HTTP."""
STALE_AFTER = dt.timedelta(minutes=10)
"""A queued or running job without progress for this long is reported as interrupted."""
PROGRESS_STEP = 0.05
"""Progress is written to the database when it moved by at least this much."""

_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="fleet-run")
        return _executor


@dataclass(frozen=True)
class ScenarioRef:
    """Exactly one of: a bundled id, an inline document, a stored scenario id."""

    bundled: str | None = None
    document: dict[str, Any] | None = None
    id: int | None = None


def list_bundled() -> list[dict[str, Any]]:
    """The bundled scenarios with name, country, segment and baseline."""
    out = []
    for name in bundled_scenarios():
        doc = read_text(scenario_path(name).read_text(encoding="utf-8"))
        out.append(
            {
                "id": name,
                "name": doc.get("name"),
                "country": doc.get("country"),
                "segment": doc.get("segment"),
                "baseline": _bundled_id(doc.get("baseline")),
                "description": doc.get("description"),
            }
        )
    return out


def get_bundled(scenario_id: str) -> dict[str, Any]:
    """A bundled scenario: its parsed document and its YAML text (to copy)."""
    if scenario_id not in bundled_scenarios():
        raise NotFoundError(f"no bundled scenario {scenario_id}")
    text = (SCENARIOS_DIR / f"{scenario_id}.yaml").read_text(encoding="utf-8")
    return {"id": scenario_id, "document": read_text(text), "text": text}


def _bundled_id(baseline: Any) -> str | None:
    if not isinstance(baseline, str):
        return None
    stem = Path(baseline).stem
    return stem if stem in bundled_scenarios() else None


def _resolve(
    session: Session, principal: Principal, ref: ScenarioRef, field: str
) -> tuple[dict[str, Any], Scenario | None, str | None]:
    """The scenario document, the stored record it came from, and the bundled id."""
    given = [x for x in (ref.bundled, ref.document, ref.id) if x is not None]
    if len(given) != 1:
        raise InputError("give exactly one of bundled, document or id", field=field)
    if ref.bundled is not None:
        if ref.bundled not in bundled_scenarios():
            raise InputError(
                f"no bundled scenario {ref.bundled!r} (bundled: {', '.join(bundled_scenarios())})",
                field=f"{field}.bundled",
            )
        text = (SCENARIOS_DIR / f"{ref.bundled}.yaml").read_text(encoding="utf-8")
        return dict(read_text(text)), None, ref.bundled
    if ref.document is not None:
        return dict(ref.document), None, None
    row = session.get(Scenario, ref.id)
    if row is None or not (
        row.visibility == Visibility.PUBLIC or principal.in_organisation(row.organisation_id)
    ):
        raise NotFoundError(f"no scenario {ref.id}")
    return dict(row.document), row, None


def _validate(document: dict[str, Any], field: str) -> FleetScenario:
    try:
        return parse_document(document, base=SCENARIOS_DIR, allow_paths=False)
    except InputError as exc:
        if exc.field and not exc.field.startswith(field):
            exc.field = f"{field}.{exc.field}"
        raise


def submit(
    session: Session,
    principal: Principal,
    *,
    scenario: ScenarioRef,
    baseline: ScenarioRef | None = None,
    samples: int | None = None,
    seed: int = 0,
    visibility: str | None = None,
) -> dict[str, Any]:
    """Validate a run request and store it queued; the caller starts it with :func:`start` after commit.

    Raises
    ------
    ScenarioError
        Every problem of the scenario (and of the baseline) document.
    NotFoundError
        A stored scenario the caller may not read.
    """
    if samples is not None and not 2 <= samples <= MAX_SAMPLES:
        raise InputError(f"must be between 2 and {MAX_SAMPLES}", field="samples")
    doc, row, bundled = _resolve(session, principal, scenario, "scenario")
    sc = _validate(doc, "scenario")
    base_doc: dict[str, Any] | None = None
    base_row: Scenario | None = None
    if baseline is not None:
        base_doc, base_row, _ = _resolve(session, principal, baseline, "baseline")
    elif sc.baseline is not None:
        named = _bundled_id(sc.baseline)
        if named is None:
            raise InputError(
                f"baseline {sc.baseline!r} is not a bundled scenario; send the baseline in the request",
                field="scenario.baseline",
            )
        base_doc = dict(read_text((SCENARIOS_DIR / f"{named}.yaml").read_text(encoding="utf-8")))
    if base_doc is not None:
        base = _validate(base_doc, "baseline")
        if base.years != sc.years:
            raise InputError(
                f"baseline years {base.base_year}-{base.end_year} differ from the scenario's {sc.base_year}-{sc.end_year}",
                field="baseline",
            )
    private_source = any(r is not None and r.visibility == Visibility.PRIVATE for r in (row, base_row))
    if principal.is_anonymous:
        if visibility == "private":
            raise InputError("anonymous runs are public; sign in to keep a run private", field="visibility")
        vis, org = Visibility.PUBLIC, None
    else:
        vis = Visibility(visibility) if visibility in ("public", "private") else Visibility.PRIVATE
        if visibility not in (None, "public", "private"):
            raise InputError(f"expected 'public' or 'private', got {visibility!r}", field="visibility")
        if private_source and vis == Visibility.PUBLIC:
            raise InputError("a run of a private scenario stays private", field="visibility")
        org = principal.organisation_id
    run = FleetRun(
        name=sc.name,
        status=FleetRunStatus.QUEUED,
        progress=0.0,
        step="queued",
        organisation_id=org,
        visibility=vis.value,
        scenario_id=row.id if row is not None else None,
        request={"scenario": doc, "baseline": base_doc, "bundled": bundled, "samples": samples, "seed": seed},
        samples=samples,
        seed=seed,
        data_version=data_version(),
        rule_library_version=rule_library_version(),
        created_by_id=principal.user_id,
    )
    session.add(run)
    session.flush()
    record_event(
        session,
        principal,
        "fleet_run.create",
        "fleet_run",
        run.id,
        detail={"name": sc.name[:100], "samples": samples},
        private_to=org if vis == Visibility.PRIVATE else None,
    )
    return run_to_dict(run)


def start(sessions: sessionmaker[Session], run_id: int) -> Future[None]:
    """Run a queued job in the background (a worker thread of this process)."""
    return _pool().submit(_job, sessions, run_id)


def _update(sessions: sessionmaker[Session], run_id: int, **values: Any) -> None:
    with transaction(sessions) as session:
        row = session.get(FleetRun, run_id)
        if row is None:
            return
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = utcnow()


def _job(sessions: sessionmaker[Session], run_id: int) -> None:
    with sessions() as session:
        row = session.get(FleetRun, run_id)
        if row is None or row.status != FleetRunStatus.QUEUED:
            return
        request = dict(row.request)
    _update(sessions, run_id, status=FleetRunStatus.RUNNING, step="starting", progress=0.01)
    last = [0.0]

    def progress_of(offset: float, scale: float, label: str) -> Callable[[float, str], None]:
        def report(fraction: float, step: str) -> None:
            value = min(offset + scale * fraction, 0.99)
            if value - last[0] >= PROGRESS_STEP:
                last[0] = value
                _update(sessions, run_id, progress=value, step=f"{label}: {step}"[:200])

        return report

    try:
        sc = parse_document(request["scenario"], base=SCENARIOS_DIR, allow_paths=False)
        base = (
            parse_document(request["baseline"], base=SCENARIOS_DIR, allow_paths=False)
            if request.get("baseline")
            else None
        )
        samples, seed = request.get("samples"), int(request.get("seed") or 0)
        tables, library = load_reference(), default_library()
        draws = draw_uncertainty(sc, samples, np.random.default_rng(seed)) if samples else None
        used_seed = seed if samples else None
        if base is None:
            result = execute(
                sc,
                tables=tables,
                library=library,
                draws=draws,
                seed=used_seed,
                progress=progress_of(0, 1, "scenario"),
            ).to_dict()
            kind = "run"
        else:
            rb = execute(
                base,
                tables=tables,
                library=library,
                draws=draws,
                seed=used_seed,
                progress=progress_of(0, 0.5, "baseline"),
            )
            rp = execute(
                sc,
                tables=tables,
                library=library,
                draws=draws,
                seed=used_seed,
                progress=progress_of(0.5, 0.5, "policy"),
            )
            result = compare_document(rb, rp)
            kind = "compare"
        check_finite(result)
        _update(
            sessions,
            run_id,
            status=FleetRunStatus.DONE,
            progress=1.0,
            step="done",
            result={"kind": kind, **result},
            finished_at=utcnow(),
        )
    except RoadcarbonError as exc:
        _update(
            sessions,
            run_id,
            status=FleetRunStatus.FAILED,
            step="failed",
            error=str(exc),
            finished_at=utcnow(),
        )
    except Exception:  # a bug must not leave the job "running" forever
        log.exception("fleet run %s failed", run_id)
        _update(
            sessions,
            run_id,
            status=FleetRunStatus.FAILED,
            step="failed",
            error="internal error (logged on the server)",
            finished_at=utcnow(),
        )


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def run_to_dict(row: FleetRun, *, with_result: bool = True) -> dict[str, Any]:
    """Plain representation of a run (the result only once it is done)."""
    out: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "status": row.status,
        "progress": round(float(row.progress), 4),
        "step": row.step,
        "visibility": row.visibility,
        "organisation_id": row.organisation_id,
        "scenario_id": row.scenario_id,
        "bundled": (row.request or {}).get("bundled"),
        "samples": row.samples,
        "seed": row.seed,
        "data_version": row.data_version,
        "rule_library_version": row.rule_library_version,
        "error": row.error,
        "created_at": _iso(row.created_at),
        "finished_at": _iso(row.finished_at),
    }
    if (
        row.status in (FleetRunStatus.QUEUED, FleetRunStatus.RUNNING)
        and row.updated_at < utcnow() - STALE_AFTER
    ):
        out["status"] = FleetRunStatus.FAILED.value
        out["error"] = (
            "interrupted: no progress for 10 minutes (the server may have restarted); submit the run again"
        )
    if with_result:
        out["result"] = row.result if row.status == FleetRunStatus.DONE else None
    return out


def _readable(principal: Principal, row: FleetRun | None, run_id: int) -> FleetRun:
    if row is None or not (
        row.visibility == Visibility.PUBLIC or principal.in_organisation(row.organisation_id)
    ):
        raise NotFoundError(f"no fleet run {run_id}")
    return row


def get_run(session: Session, principal: Principal, run_id: int) -> dict[str, Any]:
    """One run with progress (and result when done), if visible to the caller."""
    return run_to_dict(_readable(principal, session.get(FleetRun, run_id), run_id))


def list_runs(
    session: Session, principal: Principal, *, page: int = 1, per_page: int = 50
) -> Page[dict[str, Any]]:
    """Runs of the caller's organisation, newest first (anonymous callers: none)."""
    query = select(FleetRun).order_by(FleetRun.id.desc())
    if principal.organisation_id is None:
        query = query.where(FleetRun.id < 0)
    else:
        query = query.where(FleetRun.organisation_id == principal.organisation_id)
    return paginate(
        session, query, page=page, per_page=per_page, to_dict=lambda r: run_to_dict(r, with_result=False)
    )


@functools.lru_cache(maxsize=32)
def _run_bundled_cached(scenario_id: str, samples: int | None, seed: int, version: str) -> str:
    del version  # part of the cache key only
    sc = parse_document(
        read_text((SCENARIOS_DIR / f"{scenario_id}.yaml").read_text(encoding="utf-8")), base=SCENARIOS_DIR
    )
    tables, library = load_reference(), default_library()
    draws = draw_uncertainty(sc, samples, np.random.default_rng(seed)) if samples else None
    used_seed = seed if samples else None
    named = _bundled_id(sc.baseline)
    policy = execute(sc, tables=tables, library=library, draws=draws, seed=used_seed)
    if named is None:
        doc: dict[str, Any] = {"kind": "run", **policy.to_dict()}
    else:
        base = parse_document(
            read_text((SCENARIOS_DIR / f"{named}.yaml").read_text(encoding="utf-8")), base=SCENARIOS_DIR
        )
        rb = execute(base, tables=tables, library=library, draws=draws, seed=used_seed)
        doc = {"kind": "compare", "baseline_id": named, **compare_document(rb, policy)}
    check_finite(doc)
    return json.dumps(doc)


def run_bundled(scenario_id: str, *, samples: int | None = None, seed: int = 0) -> dict[str, Any]:
    """Run a bundled scenario now (against its baseline when it names one); cached per process.

    The dashboard's path: bundled scenarios only, so nothing private is involved.
    """
    if scenario_id not in bundled_scenarios():
        raise InputError(f"no bundled scenario {scenario_id!r}", field="scenario")
    if samples is not None and not 2 <= samples <= MAX_SAMPLES:
        raise InputError(f"must be between 2 and {MAX_SAMPLES}", field="samples")
    result: dict[str, Any] = json.loads(_run_bundled_cached(scenario_id, samples, seed, data_version()))
    return result
