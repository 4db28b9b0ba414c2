"""The committed reference data package is what its derivation scripts write.

``derivation/build_factors.py`` (with the modules it calls: ``build_grid_history.splice``,
``vehicle_classes.all_rows`` / ``SOURCES``) is run into a temporary folder from the research tables
in ``../shared/data`` and every committed CSV/JSON of ``src/roadcarbon/data/factors`` must come out
byte for byte.  A row added to a CSV by hand (or by a script the builder does not call) fails here:
move it into ``build_factors.py``'s literal tables, or into the derivation module it calls, and
rebuild (docs/data.md, "Rebuilding the data").

The research folder is not part of the repository (the package never reads it at run time); the
tests skip when it is absent.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[3]
FACTORS = REPO / "src" / "roadcarbon" / "data" / "factors"
DERIVATION = FACTORS / "derivation"
SHARED = REPO.parent / "shared" / "data"

pytestmark = pytest.mark.skipif(
    not (SHARED / "grid_intensity.csv").is_file(),
    reason=f"research tables not found at {SHARED} (../shared/data beside the repository); "
    "build_factors.py needs them to rebuild the data package",
)


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_test_derivation_{name}", DERIVATION / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _committed() -> list[Path]:
    return sorted(p for p in FACTORS.iterdir() if p.is_file() and p.suffix in {".csv", ".json"})


def _digests() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in _committed()}


def _diff(committed: Path, built: Path, limit: int = 12) -> str:
    lines = list(
        difflib.unified_diff(
            committed.read_text(encoding="utf-8").splitlines(),
            built.read_text(encoding="utf-8").splitlines(),
            f"committed/{committed.name}",
            f"built/{built.name}",
            n=0,
            lineterm="",
        )
    )
    shown = [line[:160] for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"... {len(lines) - limit} more diff lines")
    return "\n".join(shown)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package as build_factors.py writes it (``--out`` a temporary folder), run once."""
    out = tmp_path_factory.mktemp("factors")
    before = _digests()
    _load("build_factors").main(["--shared", str(SHARED), "--out", str(out)])
    assert _digests() == before, "build_factors.py --out modified the package folder"
    return out


def test_every_committed_file_is_built_byte_for_byte(built: Path) -> None:
    committed = _committed()
    assert {p.name for p in committed} >= {"parameters.csv", "sources.csv", "datapackage.json"}
    missing = [p.name for p in committed if not (built / p.name).is_file()]
    drift = [
        _diff(p, built / p.name)
        for p in committed
        if p.name not in missing and p.read_bytes() != (built / p.name).read_bytes()
    ]
    problems = ([f"not written by build_factors.py: {missing}"] if missing else []) + drift
    assert not problems, "\n".join(
        [
            *problems,
            "move hand-added rows into derivation/build_factors.py (or the module it calls) and rebuild",
        ]
    )


def test_builder_writes_no_file_the_package_lacks(built: Path) -> None:
    extra = sorted(p.name for p in built.iterdir() if not (FACTORS / p.name).exists())
    assert extra == []


def test_every_source_id_used_in_the_built_tables_is_in_the_built_registry(built: Path) -> None:
    with (built / "sources.csv").open(newline="", encoding="utf-8") as handle:
        registry = [r["source_id"] for r in csv.DictReader(handle)]
    assert len(registry) == len(set(registry)), "a source_id is defined twice"
    used: set[str] = set()
    for path in built.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if "source_id" in (reader.fieldnames or []) and path.name != "sources.csv":
                used |= {r["source_id"] for r in reader}
    assert sorted(used - set(registry)) == []


def test_grid_history_splice_is_idempotent_and_its_cli_keeps_the_committed_file(tmp_path: Path) -> None:
    history = _load("build_grid_history")
    with (FACTORS / "grid_intensity.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    once, added = history.splice(rows)
    twice, added_again = history.splice(once)
    assert added > 0 and added_again == added
    assert twice == once
    copy = tmp_path / "grid_intensity.csv"
    shutil.copy(FACTORS / "grid_intensity.csv", copy)
    history.GRID = copy
    history.main()
    assert copy.read_bytes() == (FACTORS / "grid_intensity.csv").read_bytes()
