"""The pure parts of value contributions: the proposed package and the row diff reviewers see."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadcarbon.errors import InputError
from roadcarbon.services.packages import check_package, read_package
from roadcarbon.services.value_changes import package_row_diff, proposed_package, source_id_for

FACTORS = Path(__file__).resolve().parents[2] / "src" / "roadcarbon" / "data" / "factors"
SOURCE = "Statistik PLN 2024, Tabel 5 <b>x</b> \u202e 😀"


@pytest.fixture(scope="module")
def current() -> dict:
    return read_package(FACTORS)


def test_one_row_changes_and_cites_the_change_sets_source(current: dict) -> None:
    form = {"country": "id", "year": "2024", "value": "612", "source": SOURCE, "license": "CC-BY-4.0"}
    new, old = proposed_package(current, form)
    assert old["g_co2e_per_kwh"] == "663"  # the packaged row (data/factors/grid_intensity.csv)
    diff = package_row_diff(current, new)
    grid = [d for d in diff if d["resource"] == "grid_intensity"]
    assert len(grid) == 1 and grid[0]["kind"] == "changed" and grid[0]["key"] == "ID · 2024 · consumption"
    fields = {f["field"]: (f["old"], f["new"]) for f in grid[0]["fields"]}
    assert fields["g_co2e_per_kwh"] == ("663", "612")
    assert fields["source_id"] == (old["source_id"], source_id_for(SOURCE))
    assert fields["locator"][1] == SOURCE
    added = [d for d in diff if d["resource"] == "sources"]
    assert [d["kind"] for d in added] == ["added"]
    assert all(isinstance(f["old"], str) and isinstance(f["new"], str) for d in diff for f in d["fields"])
    assert [f for f in check_package(new) if f["level"] == "error"] == []
    assert current != new  # the current package is not modified in place
    assert package_row_diff(current, current) == []


def test_a_value_that_is_not_a_number_is_kept_for_the_validation_report(current: dict) -> None:
    new, _ = proposed_package(current, {"country": "ID", "year": "2024", "value": "<script>", "source": "s"})
    errors = [f for f in check_package(new) if f["level"] == "error"]
    assert errors and "expected a number" in errors[0]["message"]


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"country": "ID", "year": "2024", "value": "inf", "source": "s"}, "value"),
        ({"country": "ID", "year": "2024", "value": "nan", "source": "s"}, "value"),
        ({"country": "ID", "year": "2024", "value": "-5", "source": "s"}, "value"),
        ({"country": "ID", "year": "2024", "value": "1e9", "source": "s"}, "value"),
        ({"country": "ID", "year": "2024", "value": "600", "source": " "}, "source"),
        ({"country": "XX", "year": "2024", "value": "600", "source": "s"}, "country"),
        ({"country": "ID", "year": "1900", "value": "600", "source": "s"}, "country"),
    ],
)
def test_bad_input_names_the_field(current: dict, form: dict, field: str) -> None:
    with pytest.raises(InputError) as exc:
        proposed_package(current, form)
    assert exc.value.field == field
