"""Fixtures: a writable copy of the packaged reference data and presets, and a CSV editor."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from roadcarbon.io.datapackage import default_package_path, default_quantities_path

PACKAGE = default_package_path()
PRESETS = PACKAGE.parent / "presets"


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """``tmp/factors`` (+ ``tmp/presets`` and ``tmp/quantities.csv``): a copy that tests may break."""
    root = tmp_path / "factors"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("derivation", "__pycache__"))
    if PRESETS.is_dir():
        shutil.copytree(PRESETS, tmp_path / "presets")
    else:
        (tmp_path / "presets").mkdir()
    shutil.copy(default_quantities_path(), tmp_path / "quantities.csv")
    return root


Rows = list[dict[str, str]]


@pytest.fixture
def edit_csv() -> Callable[[Path, Callable[[Rows], Rows]], None]:
    """``edit_csv(path, fn)``: rewrite a CSV with ``fn(rows) -> rows`` (same header)."""

    def edit(path: Path, fn: Callable[[Rows], Rows]) -> None:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header, rows = list(reader.fieldnames or []), list(reader)
        rows = fn(rows)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    return edit
