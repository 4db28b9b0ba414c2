"""Every packaged legal case passes (the same cases as ``roadcarbon rules test``)."""

from __future__ import annotations

from roadcarbon.io.rulebook import CASES_DIR, case_files
from roadcarbon.rules.cases import CaseResult


def test_legal_case(legal_case: CaseResult) -> None:
    assert legal_case.passed, (
        f"{legal_case.scheme} [{legal_case.version}] {legal_case.name}: {legal_case.message}"
    )


def test_the_cases_ship_inside_the_package() -> None:
    files = case_files(CASES_DIR)
    assert "roadcarbon" in CASES_DIR.parts and "tests" not in CASES_DIR.parts
    assert len({p.parent.name for p in files}) >= 10
