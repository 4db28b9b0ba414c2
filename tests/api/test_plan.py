"""POST /api/v1/plan over real HTTP: the CLI's JSON, problem+json naming every bad lineup field."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from roadcarbon.cli import app as cli_app

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "planner"))
from test_planner import bad_lineup, eu_lineup


def test_plan_gives_the_cli_json(server: Any, tmp_path: Path) -> None:
    lineup = eu_lineup()
    path = tmp_path / "l.yaml"
    path.write_text(yaml.safe_dump(lineup))
    cli = CliRunner().invoke(cli_app, ["plan", str(path), "--json", "--pareto", "3"])
    assert cli.exit_code == 0, cli.output
    with server.client() as c:
        r = c.post("/api/v1/plan", json={"lineup": lineup, "pareto": 3})
    assert r.status_code == 200, r.text
    doc = r.json()
    expected = json.loads(cli.stdout)
    for key in ("status", "currency", "profit", "mix", "fleet", "pareto"):
        assert doc[key] == expected[key], key


def test_infeasible_plan_is_a_result_not_an_error(server: Any) -> None:
    lineup = eu_lineup(targets="hard")
    lineup["models"][0]["demand"] = {"min": 0, "max": 0}
    lineup["models"][1]["demand"] = {"min": 6, "max": 6}
    with server.client() as c:
        r = c.post("/api/v1/plan", json={"lineup": lineup})
    assert r.status_code == 200
    assert r.json()["status"] == "infeasible"
    assert any(b["constraint"] == "EU.co2_standards_cars:2025" for b in r.json()["binding"])


def test_bad_lineup_is_422_problem_naming_each_field(server: Any) -> None:
    with server.client() as c:
        r = c.post("/api/v1/plan", json={"lineup": bad_lineup()})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    fields = {e["field"] for e in r.json()["errors"]}
    assert {
        "lineup.currency",
        "lineup.models.0.spec",
        "lineup.models.1.demand.min",
        "lineup.models.0.options.1.battery_production_country",
    } <= fields
    for field in fields:
        assert field in r.json()["detail"]
