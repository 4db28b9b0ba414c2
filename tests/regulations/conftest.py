"""Collect the legal cases ``tests/regulations/<MARKET>/<scheme>.yaml`` as pytest items.

Each case is one item (``<file>::<case name>``); each scheme version without a
case is a failing item.  ``roadcarbon rules test`` runs the same cases.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from roadcarbon.io.rulebook import default_library, read_yaml
from roadcarbon.rules.cases import CaseResult, parse_case_file, run_case_file


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and len(file_path.parent.name) == 2 and file_path.parent.name.isupper():
        return LegalCaseFile.from_parent(parent, path=file_path)
    return None


class LegalCaseFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        case_file = parse_case_file(read_yaml(self.path), origin=str(self.path))
        results = run_case_file(default_library(), case_file)
        for result in results:
            yield LegalCaseItem.from_parent(self, name=f"[{result.version}] {result.name}", result=result)


class LegalCaseItem(pytest.Item):
    def __init__(self, *, result: CaseResult, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result = result

    def runtest(self) -> None:
        if not self.result.passed:
            raise LegalCaseFailure(self.result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, LegalCaseFailure):
            r = excinfo.value.result
            return f"{r.scheme} [{r.version}] {r.name}: {r.message}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"legal case: {self.name}"


class LegalCaseFailure(Exception):
    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.message)
        self.result = result
