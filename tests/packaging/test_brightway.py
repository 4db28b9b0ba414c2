"""The Brightway export imports with bw2io, links completely and gives roadcarbon's total in bw2calc.

Runs in a child process with ``BRIGHTWAY2_DIR`` in a temporary folder (bw2data reads it at import and
writes its projects there), so nothing of the user's Brightway data is touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from roadcarbon.io.brightway import CO2E_CODE, brightway_csv
from roadcarbon.io.specs import load_preset
from roadcarbon.services.assessment import lca_document
from roadcarbon.types import STAGES

pytest.importorskip("bw2io", reason="bw2io is a dev dependency; install it with pip install bw2io")
pytestmark = pytest.mark.slow  # bw2io/bw2data import takes a few seconds

SCRIPT = textwrap.dedent(
    """
    import json, sys
    import bw2calc as bc
    import bw2data as bd
    import bw2io as bi

    path, db, co2e_code = sys.argv[1:4]
    bd.projects.set_current("roadcarbon-export-test")
    imp = bi.CSVImporter(path)
    imp.apply_strategies()
    unlinked = len(list(imp.unlinked))
    imp.write_database()
    method = bd.Method(("roadcarbon", "GWP100"))
    method.register(unit="kg CO2 eq")
    method.write([((db, co2e_code), 1.0)])
    top = next(a for a in bd.Database(db) if a["name"].startswith("vehicle-km"))
    lca = bc.LCA({top: 1}, ("roadcarbon", "GWP100"))
    lca.lci()
    lca.lcia()
    stages = {}
    for exc in top.technosphere():
        provider = exc.input
        sub = bc.LCA({provider: 1}, ("roadcarbon", "GWP100"))
        sub.lci()
        sub.lcia()
        stages[provider["name"].split(",")[0]] = sub.score
    print(json.dumps({"unlinked": unlinked, "activities": len(bd.Database(db)), "score": lca.score, "stages": stages}))
    """
)


def test_brightway_export_imports_links_and_recomputes_the_total(tmp_path: Path) -> None:
    spec = load_preset("car-medium-petrol")
    doc = lca_document(spec, "Chile", 2030)
    csv_path = tmp_path / "roadcarbon.csv"
    csv_path.write_text(
        brightway_csv(doc, vehicle_name=spec.name, database="roadcarbon test"), encoding="utf-8"
    )
    (tmp_path / "bw").mkdir()
    env = {**os.environ, "BRIGHTWAY2_DIR": str(tmp_path / "bw"), "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(csv_path), "roadcarbon test", CO2E_CODE],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["unlinked"] == 0
    assert report["activities"] == len(STAGES) + 2  # stages, vehicle-km, the CO2e emission node
    assert report["score"] * 1000 == pytest.approx(doc["total_g_co2e_per_km"], abs=0.01)
    assert set(report["stages"]) == set(STAGES)
    for stage, kg in report["stages"].items():
        assert kg * 1000 == pytest.approx(
            doc["stages_g_co2e_per_km"][stage], rel=1e-6, abs=1e-6
        )  # float32 matrices


def test_database_name_cannot_break_the_links() -> None:
    doc = lca_document(load_preset("car-medium-bev"), "ID", 2025)
    with pytest.raises(ValueError, match="::"):
        brightway_csv(doc, vehicle_name="x", database="a::b")
