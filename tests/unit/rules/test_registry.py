from pathlib import Path

import pytest

from roadcarbon.errors import RuleError
from roadcarbon.io.rulebook import load_library, read_yaml
from roadcarbon.rules.registry import Library, parse_scheme

from .conftest import SOURCES, doc, library, scheme, value


def test_unknown_key_names_file_and_key_path() -> None:
    d = doc()
    d["parameters"]["amounts"]["values"]["2020-01-01"]["staus"] = "enacted"
    with pytest.raises(RuleError) as err:
        parse_scheme(d, origin="SG/x.yaml")
    message = str(err.value)
    assert message.startswith("SG/x.yaml: parameters.amounts.values.2020-01-01.staus")
    assert "unknown key" in message


def test_undefined_parameter_reference_suggests_the_closest() -> None:
    d = doc()
    d["band_table"]["amounts"] = "amount"
    with pytest.raises(RuleError, match=r"refers to parameter 'amount'.*did you mean 'amounts'"):
        parse_scheme(d, origin="x.yaml")


def test_id_must_match_the_file_path() -> None:
    with pytest.raises(RuleError, match=r"must be 'XX\.other'"):
        parse_scheme(doc(), origin="XX/other.yaml", expected_id="XX.other")


def test_overlapping_versions_are_refused() -> None:
    d = doc(
        versions=[
            {"id": "a", "valid_from": "2020-01-01", "valid_to": "2021-06-30"},
            {"id": "b", "valid_from": "2021-01-01"},
        ]
    )
    with pytest.raises(RuleError, match="overlaps"):
        parse_scheme(d, origin="x.yaml")


def test_reference_to_an_unknown_source_is_refused() -> None:
    d = doc()
    d["parameters"]["amounts"]["values"]["2020-01-01"]["reference"]["source"] = "xx_missing"
    with pytest.raises(
        RuleError, match=r"parameters\.amounts\.values\.2020-01-01\.reference\.source: 'xx_missing'"
    ):
        Library.build([(parse_scheme(d, origin="x.yaml"), "x.yaml")], SOURCES)


def test_kind_block_must_match_kind() -> None:
    d = doc(kind="rate_scale")
    with pytest.raises(RuleError, match="kind 'rate_scale' needs a 'rate_scale' block"):
        parse_scheme(d, origin="x.yaml")


def test_unknown_scheme_id_suggests_the_closest() -> None:
    lib = library(scheme())
    with pytest.raises(RuleError, match=r"unknown scheme id 'XX\.band'.*did you mean 'XX\.bands'"):
        lib.get("XX.band")


def test_yaml_python_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    evil = tmp_path / "evil.yaml"
    evil.write_text(f"id: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    with pytest.raises(RuleError, match="invalid YAML"):
        read_yaml(evil)
    assert not marker.exists()


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: XX.bad\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"bad.yaml: line \d+"):
        read_yaml(bad)


def test_load_library_reports_a_malformed_file(tmp_path: Path) -> None:
    import yaml

    root = tmp_path / "regulations"
    (root / "XX").mkdir(parents=True)
    (root / "sources.yaml").write_text("xx_test: {title: test}\n", encoding="utf-8")
    d = doc(id="XX.bands")
    d["colour"] = "red"
    (root / "XX" / "bands.yaml").write_text(yaml.safe_dump(d), encoding="utf-8")
    with pytest.raises(RuleError, match=r"XX/bands.yaml: colour: unknown key"):
        load_library(root, conversions_path=tmp_path / "none.csv")


def test_packaged_library_loads_and_every_scheme_has_versions() -> None:
    lib = load_library()
    assert {"SG", "ID", "EU"} <= {s.market for s in lib.select()}
    for s in lib.select():
        assert s.versions, s.id


def test_reform_changes_a_copy_only() -> None:
    from roadcarbon.rules.registry import Reform

    lib = library(scheme())
    reform = Reform.model_validate(
        {
            "name": "double_rebate",
            "description": "What if band A earned twice as much?",
            "changes": [
                {
                    "scheme": "XX.bands",
                    "parameter": "amounts",
                    "values": {
                        "2020-01-01": {
                            "value": [-2000, 0, 1000],
                            "reference": {"source": "reform:double_rebate", "locator": "overlay"},
                            "status": "assumption",
                            "note": "what-if",
                        }
                    },
                }
            ],
        }
    )
    changed = lib.with_reform(reform)
    import datetime as dt

    assert changed.get("XX.bands").parameters["amounts"].value_at(dt.date(2020, 6, 1)) == [-2000, 0, 1000]
    assert lib.get("XX.bands").parameters["amounts"].value_at(dt.date(2020, 6, 1)) == [-1000, 0, 1000]
    assert changed.reform == "double_rebate"


def test_a_reform_never_claims_enacted_and_the_outcome_names_it() -> None:
    import datetime as dt

    from roadcarbon.rules import evaluate
    from roadcarbon.rules.registry import Reform

    from .conftest import car

    reform = Reform.model_validate(
        {
            "name": "no_rebate",
            "description": "What if band A earned nothing?",
            "changes": [
                {
                    "scheme": "XX.bands",
                    "parameter": "amounts",
                    "values": {
                        "2020-01-01": {
                            "value": [0, 0, 1000],
                            "reference": {"source": "reform:no_rebate", "locator": "overlay"},
                            "status": "enacted",
                        }
                    },
                }
            ],
        }
    )
    changed = library(scheme()).with_reform(reform)
    stored = changed.get("XX.bands").parameters["amounts"].dated(dt.date(2020, 6, 1))
    assert stored is not None and stored[1].status.value == "assumption"
    out = evaluate(changed.get("XX.bands"), [car(co2_g_per_km=90)], dt.date(2020, 6, 1), library=changed)
    one = out.vehicle_outcome(0)
    assert one["reform"] == "no_rebate"
    assert one["status"] == "assumption" and one["provisional"] is True


def test_reform_naming_an_unknown_parameter_is_refused() -> None:
    from roadcarbon.rules.registry import Reform

    reform = Reform.model_validate(
        {
            "name": "typo",
            "description": "x",
            "changes": [
                {"scheme": "XX.bands", "parameter": "amountz", "values": {"2020-01-01": value([0, 0, 0])}}
            ],
        }
    )
    with pytest.raises(RuleError, match="has no parameter 'amountz'"):
        library(scheme()).with_reform(reform)


def test_wrong_number_of_thresholds_is_caught_on_load() -> None:
    d = doc()
    d["parameters"]["nox_limits"]["values"]["2020-01-01"]["value"] = [0.01]
    with pytest.raises(
        RuleError, match=r"parameters\.nox_limits: 1 thresholds on 2020-01-01, but 3 bands need 2"
    ):
        parse_scheme(d, origin="x.yaml")


def test_unordered_thresholds_are_caught_on_load() -> None:
    d = doc()
    d["parameters"]["co2_limits"]["values"]["2021-01-01"]["value"] = [140, 90]
    with pytest.raises(RuleError, match="must be ascending"):
        parse_scheme(d, origin="x.yaml")
