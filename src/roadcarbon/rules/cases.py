"""Legal test cases (OpenFisca style): a vehicle or fleet, a date, the expected outcome, a tolerance.

A case file ``data/regulations/cases/<MARKET>/<scheme>.yaml`` holds the cases of
one scheme; ``docs/rules.md`` describes the format.  Every version of a
scheme needs at least one case.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from roadcarbon.errors import RoadcarbonError, RuleError
from roadcarbon.rules.evaluate import evaluate, evaluate_fleet
from roadcarbon.rules.inputs import rule_columns, rule_fleet
from roadcarbon.rules.parameters import Reference
from roadcarbon.rules.registry import Library, describe
from roadcarbon.rules.schema import SchemeId


class Case(BaseModel):
    """One legal case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    version: str
    origin: str = Field(pattern=r"^(authority|secondary|constructed)$")
    reference: Reference | None = None
    note: str | None = None
    date: dt.date | None = None
    year: int | None = None
    allow_status: list[str] = Field(default_factory=list)
    strict: bool | None = None
    """Refuse non-enacted values (default: strict exactly when ``allow_status`` is given)."""
    vehicle: dict[str, Any] | None = None
    fleet: dict[str, Any] | None = None
    extra_inputs: dict[str, float] = Field(default_factory=dict)
    expected: dict[str, Any] | None = None
    expect_error: str | None = None
    absolute_error_margin: float = Field(default=1e-9, ge=0)

    @model_validator(mode="after")
    def _shape(self) -> Case:
        if (self.vehicle is None) == (self.fleet is None):
            raise ValueError("give exactly one of 'vehicle' or 'fleet'")
        if self.vehicle is not None and self.date is None:
            raise ValueError("a vehicle case needs 'date' (YYYY-MM-DD)")
        if self.fleet is not None and self.year is None:
            raise ValueError("a fleet case needs 'year'")
        if (self.expected is None) == (self.expect_error is None):
            raise ValueError("give exactly one of 'expected' or 'expect_error'")
        if self.origin != "constructed" and self.reference is None:
            raise ValueError(
                f"a case of origin {self.origin!r} needs 'reference' (where the example is printed)"
            )
        return self


class CaseFile(BaseModel):
    """The cases of one scheme."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scheme: SchemeId
    defaults: dict[str, Any] = Field(default_factory=dict)
    cases: list[Case] = Field(min_length=1)


@dataclass(frozen=True)
class CaseResult:
    """Outcome of running one case."""

    scheme: str
    name: str
    version: str
    passed: bool
    message: str


def parse_case_file(document: Any, *, origin: str) -> CaseFile:
    """Validate a case file document."""
    try:
        return CaseFile.model_validate(document)
    except ValidationError as exc:
        raise RuleError(describe(exc, origin)) from None


def run_case(library: Library, case_file: CaseFile, case: Case) -> CaseResult:
    """Run one case; never raises for a wrong outcome (the result says so)."""
    scheme = library.get(case_file.scheme)

    def result(passed: bool, message: str) -> CaseResult:
        return CaseResult(scheme.id, case.name, case.version, passed, message)

    if case.reference is not None and case.reference.source not in library.sources:
        return result(False, f"reference.source {case.reference.source!r} is not in the source registry")
    when = case.date if case.date is not None else dt.date(int(case.year or 0), 1, 1)
    in_force = scheme.version_on(when)
    if case.fleet is not None and in_force is None:
        in_force = next((v for v in scheme.versions if v.valid_from.year == case.year), None)
    if case.expect_error is None and (in_force is None or in_force.id != case.version):
        found = in_force.id if in_force else "none"
        return result(False, f"case says version {case.version!r}, but the version in force is {found!r}")
    try:
        if case.vehicle is not None:
            assert case.date is not None
            cols, _ = rule_columns({**case_file.defaults, **case.vehicle}, scheme)
            res = evaluate(
                scheme,
                cols,
                case.date,
                allow_status=case.allow_status,
                library=library,
                extra_inputs=case.extra_inputs or None,
                strict=_strict(case),
            )
            outcome = res.vehicle_outcome(0)
        else:
            assert case.fleet is not None
            assert case.year is not None
            raw_fleet = dict(case.fleet)
            raw_fleet["vehicles"] = [
                {"spec": {**case_file.defaults, **entry["spec"]}, "sales": entry["sales"]}
                for entry in raw_fleet.get("vehicles", [])
            ]
            res = evaluate_fleet(
                scheme,
                rule_fleet(raw_fleet, scheme),
                case.year,
                allow_status=case.allow_status,
                library=library,
                strict=_strict(case),
            )
            outcome = res.vehicle_outcome(0)
    except (RoadcarbonError, ValidationError) as exc:
        if case.expect_error is not None and case.expect_error.lower() in str(exc).lower():
            return result(True, "raised as expected")
        return result(False, f"error: {str(exc).splitlines()[0]}")
    if case.expect_error is not None:
        return result(False, f"expected an error containing {case.expect_error!r}, got an outcome")
    assert case.expected is not None
    problems = []
    for key, want in case.expected.items():
        if key not in outcome:
            problems.append(f"{key}: missing from the outcome")
            continue
        got = outcome[key]
        if isinstance(want, bool) or want is None or isinstance(want, str | list):
            ok = got == want
        elif isinstance(want, int | float) and isinstance(got, int | float) and not isinstance(got, bool):
            ok = math.isclose(float(got), float(want), rel_tol=0.0, abs_tol=case.absolute_error_margin)
        else:
            ok = got == want
        if not ok:
            problems.append(f"{key}: expected {want!r}, got {got!r}")
    return result(not problems, "; ".join(problems) if problems else "ok")


def run_case_file(library: Library, case_file: CaseFile) -> list[CaseResult]:
    """Run every case of a file, then check that every version of the scheme has a case."""
    results = [run_case(library, case_file, case) for case in case_file.cases]
    scheme = library.get(case_file.scheme)
    covered = {c.version for c in case_file.cases if c.expect_error is None}
    results.extend(
        CaseResult(scheme.id, f"version {v.id} has a legal case", v.id, False, "no case covers this version")
        for v in scheme.versions
        if v.id not in covered
    )
    return results


def _strict(case: Case) -> bool:
    return case.strict if case.strict is not None else bool(case.allow_status)
