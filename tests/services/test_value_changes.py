"""The pure parts of value contributions: the proposed package and the row diff reviewers see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


# --- rule parameters (services/value_changes_rules.py) ---------------------------------------------------

RULE_SCHEME = "SG.vehicular_emissions_scheme"
RULE_CITATION = "NEA/LTA joint release on the VES, Annex A <i>x</i> https://example.org/ves"  # test citation


def _in_force(document: dict, name: str, on: str) -> str:
    """Start date of the value of ``name`` in force on ``on`` (read from the packaged scheme)."""
    return max(k for k, v in document["parameters"][name]["values"].items() if k <= on and v is not None)


@pytest.fixture(scope="module")
def ves() -> dict:
    from roadcarbon.services.regulations import library

    return library().get(RULE_SCHEME).model_dump(mode="json")


def _form(ves: dict, **changes: str) -> dict:
    start = _in_force(ves, "amounts_sgd", "2025-06-01")
    old = ves["parameters"]["amounts_sgd"]["values"][start]["value"]
    value = ", ".join(str(x) for x in [old[0] - 5000, *old[1:]])  # test input: the A1 amount lowered
    return {
        "parameter": "amounts_sgd",
        "valid_from": start,
        "value": value,
        "status": "enacted",
        "source": RULE_CITATION,
        "locator": "Annex A, band A1",
        **changes,
    }


def test_rule_value_changes_one_dated_value_and_cites_the_change_sets_source(ves: dict) -> None:
    from roadcarbon.services.regulations import check_scheme_document
    from roadcarbon.services.value_changes_rules import document_row_diff, proposed_document

    form = _form(ves)
    new, _name, start, old = proposed_document(ves, form)
    assert old == ves["parameters"]["amounts_sgd"]["values"][start]
    rows = document_row_diff(ves, new)
    assert len(rows) == 1 and rows[0]["key"] == f"{RULE_SCHEME} · amounts_sgd · {start}"
    fields = {f["field"]: (f["old"], f["new"]) for f in rows[0]["fields"]}
    assert fields["source"] == (old["reference"]["source"], source_id_for(RULE_CITATION))
    assert fields["locator"][1] == "Annex A, band A1" and fields["status"][1] == "enacted"
    assert rows[0]["bands"] == 1 and rows[0]["bands_of"] == len(old["value"])
    assert all(isinstance(f["old"], str) and isinstance(f["new"], str) for f in rows[0]["fields"])
    assert document_row_diff(ves, ves) == []
    assert ves["parameters"]["amounts_sgd"]["values"][start] == old  # not modified in place
    # the registry does not know the contributed source; the change set that cites it does
    assert [f["level"] for f in check_scheme_document(new)] == ["error"]
    assert check_scheme_document(new, cited=[source_id_for(RULE_CITATION)]) == []


def test_rule_value_moves_the_outcome_of_a_preset_by_the_change(ves: dict) -> None:
    from roadcarbon.services.value_changes_rules import impact_on_presets, proposed_document

    form = _form(ves)
    new, name, start, old = proposed_document(ves, form)
    impact = impact_on_presets(ves, new, name, start, {source_id_for(RULE_CITATION): RULE_CITATION})
    moved = [r for r in impact["rows"] if r["changed"]]
    assert moved and all("SGD" in r["after"] for r in moved)
    a1_old, a1_new = str(int(old["value"][0])), str(int(new["parameters"][name]["values"][start]["value"][0]))
    assert all(a1_old.lstrip("-") in r["before"].replace(",", "") for r in moved)
    assert all(a1_new.lstrip("-") in r["after"].replace(",", "") for r in moved)
    assert any(not r["changed"] for r in impact["rows"])  # cars in other bands keep their outcome


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": "1, 2"}, "value"),  # not one value per band
        ({"value": "a, b, c, d, e"}, "value"),
        ({"value": "inf, 0, 0, 0, 0"}, "value"),
        ({"status": "rumoured"}, "status"),
        ({"status": "unverified", "note": ""}, "note"),
        ({"locator": " "}, "locator"),
        ({"source": ""}, "source"),
        ({"parameter": "no_such_parameter"}, "parameter"),
        ({"valid_from": "2025-13-01"}, "valid_from"),
        ({"valid_from": "1990-01-01"}, "valid_from"),  # nothing in force before: no type to follow
    ],
)
def test_bad_rule_value_names_the_field(ves: dict, changes: dict, field: str) -> None:
    from roadcarbon.services.value_changes_rules import proposed_document

    with pytest.raises(InputError) as exc:
        proposed_document(ves, _form(ves, **changes))
    assert exc.value.field == field


def test_rule_value_through_review_and_release_is_used_by_the_published_library(session: Any) -> None:
    import datetime as dt

    from platform_helpers import maintainer, new_org, new_user

    from roadcarbon.services import contributions, releases
    from roadcarbon.services.errors import PermissionDeniedError
    from roadcarbon.services.regulations import library
    from roadcarbon.services.value_changes_rules import (
        propose_rule_value,
        published_library,
        rule_draft_form,
        rule_row_diff,
    )

    ves = library().get(RULE_SCHEME).model_dump(mode="json")
    form = _form(ves)
    org = new_org(session)
    author = new_user(session, org, "contributor")
    draft = propose_rule_value(session, author, {"scheme": RULE_SCHEME, **form})
    assert draft["validation_report"]["valid"], draft["validation_report"]
    edit = rule_draft_form(session, author, draft["id"])
    typed = [float(x) for x in form["value"].split(",")]
    assert [float(x) for x in edit["value"].split(",")] == typed and edit["valid_from"] == form["valid_from"]
    contributions.submit_contribution(session, author, draft["id"])
    colleague = new_user(session, org, "reviewer")
    with pytest.raises(PermissionDeniedError):  # never a reviewer of the author's organisation
        contributions.review_contribution(session, colleague, draft["id"], decision="approve", comment="x")
    reviewer = new_user(session, new_org(session), "reviewer")
    diff = rule_row_diff(session, reviewer, draft["id"])
    assert [r["kind"] for r in diff[0]["rows"]] == ["changed"] and diff[0]["impact"]["rows"]
    contributions.review_contribution(session, reviewer, draft["id"], decision="approve", comment="ok")
    before = published_library(session)
    releases.publish_release(session, maintainer(session), tag="rule-value-test", title="VES amount")
    after = published_library(session)
    start = form["valid_from"]
    value = after.get(RULE_SCHEME).parameters["amounts_sgd"].values[dt.date.fromisoformat(start)]
    assert value.value[0] == float(form["value"].split(",")[0])
    assert value.reference.source == source_id_for(RULE_CITATION)
    assert after.sources[source_id_for(RULE_CITATION)].title == RULE_CITATION
    assert (
        before.get(RULE_SCHEME).parameters["amounts_sgd"].values[dt.date.fromisoformat(start)].value[0]
        != (value.value[0])
    )
