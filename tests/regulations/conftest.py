"""Collect the packaged legal cases ``data/regulations/cases/<MARKET>/<scheme>.yaml`` as pytest items.

The case files ship inside the package (so ``roadcarbon rules test`` works from an
installed wheel); this folder holds only the collector.  Each case is one item
(``test_legal_cases.py::test_legal_case[<scheme> [<version>] <case name>]``); each
scheme version without a case is a failing item.
"""

from __future__ import annotations

from typing import Any

from roadcarbon.io.rulebook import CASES_DIR, case_files, default_library, read_yaml
from roadcarbon.rules.cases import CaseResult, parse_case_file, run_case_file


def _results() -> list[CaseResult]:
    library = default_library()
    out: list[CaseResult] = []
    for path in case_files(CASES_DIR):
        out.extend(run_case_file(library, parse_case_file(read_yaml(path), origin=str(path))))
    return out


def pytest_generate_tests(metafunc: Any) -> None:
    if "legal_case" in metafunc.fixturenames:
        results = _results()
        metafunc.parametrize(
            "legal_case", results, ids=[f"{r.scheme} [{r.version}] {r.name}" for r in results]
        )
