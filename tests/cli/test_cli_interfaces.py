"""The command line as a shell user meets it: --version, completion, CSV, stdin specs, JSON, narrow terminals."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roadcarbon import __version__
from roadcarbon.cli import app
from roadcarbon.io.specs import list_presets, load_preset
from roadcarbon.types import STAGES

runner = CliRunner()
EXE = Path(sys.executable).with_name("roadcarbon")


def _ok(*args: str, stdin: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exit_code == 0, (result.exit_code, result.output)
    return result.stdout


def _usage_error(*args: str, stdin: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    return result.stderr.strip()


def test_version_is_the_package_version() -> None:
    assert _ok("--version").strip() == f"roadcarbon {__version__}"


def test_shell_completion_is_offered() -> None:
    help_text = _ok("--help")
    assert "--install-completion" in help_text and "--show-completion" in help_text


def test_lca_csv_is_tidy_and_matches_the_json() -> None:
    args = ("lca", "car-medium-bev", "--country", "Indonesia", "--year", "2025")
    doc = json.loads(_ok(*args, "--json"))
    rows = list(csv.DictReader(io.StringIO(_ok(*args, "--csv"))))
    assert [r["stage"] for r in rows] == list(STAGES)
    assert {r["country"] for r in rows} == {"ID"} and {r["year"] for r in rows} == {"2025"}
    assert {r["unit"] for r in rows} == {"g CO2e/km"}
    for r in rows:
        assert float(r["value"]) == pytest.approx(doc["stages_g_co2e_per_km"][r["stage"]])
        assert "{" not in r["value"]


def test_compare_csv_has_one_block_per_vehicle() -> None:
    out = _ok("compare", "car-medium-bev", "car-medium-petrol", "-c", "CN", "-y", "2030", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 * len(STAGES)
    assert len({r["vehicle"] for r in rows}) == 2


def test_json_and_csv_together_is_a_usage_error() -> None:
    assert "--json and --csv" in _usage_error(
        "lca", "car-medium-bev", "-c", "ID", "-y", "2025", "--json", "--csv"
    )


def test_dash_reads_the_spec_from_stdin() -> None:
    spec = load_preset("car-medium-bev").model_dump(mode="json", exclude_none=True)
    spec["name"] = "Piped car"
    from_stdin = json.loads(_ok("lca", "-", "-c", "TH", "-y", "2025", "--json", stdin=json.dumps(spec)))
    from_preset = json.loads(_ok("lca", "car-medium-bev", "-c", "TH", "-y", "2025", "--json"))
    assert from_stdin["vehicle"] == "Piped car"
    assert from_stdin["total_g_co2e_per_km"] == from_preset["total_g_co2e_per_km"]
    both = json.loads(
        _ok("compare", "-", "car-medium-petrol", "-c", "TH", "-y", "2025", "--json", stdin=json.dumps(spec))
    )
    assert both["vehicles"][0]["vehicle"] == "Piped car"


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        ("", "standard input is empty"),
        ("name: [", "not valid YAML or JSON"),
        ("[1, 2]", "expected a mapping"),
    ],
)
def test_bad_stdin_is_one_line(stdin: str, expected: str) -> None:
    message = _usage_error("lca", "-", "-c", "ID", "-y", "2025", stdin=stdin)
    assert expected in message and len(message.splitlines()) == 1


def test_stdin_only_once() -> None:
    assert "only once" in _usage_error("compare", "-", "-", "-c", "ID", "-y", "2025", stdin="{}")


def test_demo_json() -> None:
    doc = json.loads(_ok("demo", "--countries", "Indonesia,CHL", "--json"))
    assert [c["country"] for c in doc["countries"]] == ["ID", "CL"]
    first = doc["countries"][0]["total_g_co2e_per_km"]
    bev, petrol = first["car-medium-bev"], first["car-medium-petrol"]
    assert doc["countries"][0]["bev_vs_petrol"] == pytest.approx((bev - petrol) / petrol)
    lca = json.loads(_ok("lca", "car-medium-bev", "-c", "ID", "-y", "2025", "--json"))
    assert bev == pytest.approx(lca["total_g_co2e_per_km"], abs=0.05)


@pytest.mark.parametrize("columns", ["80", "60"])
def test_preset_ids_are_never_cut_when_piped(columns: str) -> None:
    env = {**os.environ, "COLUMNS": columns}
    env.pop("FORCE_COLOR", None)
    out = subprocess.run(
        [str(EXE), "presets"], capture_output=True, text=True, env=env, timeout=60, check=True
    ).stdout
    ids = list_presets()
    words = set(out.replace("│", " ").split())
    assert [i for i in ids if i not in words] == []
    assert max(len(line) for line in out.splitlines()) <= int(columns)


def test_the_cli_runs_blas_single_threaded_unless_told_otherwise() -> None:
    code = (
        "import os, roadcarbon.cli; print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    assert out.stdout.split() == ["1", "1"]
    env["OPENBLAS_NUM_THREADS"] = "3"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    assert out.stdout.split() == ["3", "1"]
    order = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import roadcarbon.cli"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    ).stderr.splitlines()
    names = [line.rsplit("|", 1)[-1].strip() for line in order]
    assert names.index("roadcarbon.cli._blas") < names.index("numpy")
    assert "pycountry" not in names and "frictionless" not in names


def test_db_current_json(tmp_path: Path) -> None:
    pytest.importorskip("sqlalchemy")
    env = {**os.environ, "ROADCARBON_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    done = subprocess.run(
        [str(EXE), "db", "current", "--json"], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    doc = json.loads(done.stdout)
    assert doc["current"] is None and doc["up_to_date"] is False and doc["head"]
    subprocess.run(
        [str(EXE), "db", "upgrade"], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    doc = json.loads(
        subprocess.run(
            [str(EXE), "db", "current", "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=True,
        ).stdout
    )
    assert doc["current"] == doc["head"] and doc["up_to_date"] is True


def test_rules_evaluate_csv_matches_the_json_outcome() -> None:
    args = ("rules", "evaluate", "SG.vehicular_emissions_scheme", "car-medium-bev", "--on", "2024-06-01")
    outcome = json.loads(_ok(*args, "--json"))["outcome"]
    rows = list(csv.DictReader(io.StringIO(_ok(*args, "--csv"))))
    assert list(rows[0]) == ["scheme", "vehicle", "on", "field", "value", "status", "provisional"]
    by_field = {r["field"]: r["value"] for r in rows}
    assert by_field["band"] == outcome["band"]
    assert float(by_field["amount"]) == outcome["amount"]
    assert {r["status"] for r in rows} == {outcome["status"]}
    assert not any(r["value"].startswith(("[", "{")) for r in rows)


def test_rules_compare_csv_has_a_row_per_scheme_field_or_error() -> None:
    args = ("rules", "compare", "car-medium-bev", "--on", "2025-06-01", "--market", "SG")
    doc = json.loads(_ok(*args, "--json"))
    rows = list(csv.DictReader(io.StringIO(_ok(*args, "--csv"))))
    assert {r["scheme"] for r in rows} == {row["scheme"] for row in doc["rows"]}
    errors = {row["scheme"]: row["error"] for row in doc["rows"] if "error" in row}
    assert {r["scheme"]: r["value"] for r in rows if r["field"] == "error"} == errors
    assert "--json and --csv" in _usage_error(*args, "--json", "--csv")
