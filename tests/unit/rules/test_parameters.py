import datetime as dt

import pytest
from pydantic import ValidationError

from roadcarbon.errors import RuleError
from roadcarbon.rules.parameters import Parameter

from .conftest import value


def _param() -> Parameter:
    return Parameter.model_validate(
        {"unit": "SGD", "values": {"2020-01-01": value(1.0), "2021-07-01": value(2.0), "2023-01-01": None}}
    )


def test_value_at_holds_until_the_next_key() -> None:
    p = _param()
    assert p.value_at(dt.date(2020, 1, 1)) == 1.0
    assert p.value_at(dt.date(2021, 6, 30)) == 1.0
    assert p.value_at(dt.date(2021, 7, 1)) == 2.0
    assert p.value_at(dt.date(2022, 12, 31)) == 2.0


def test_value_at_null_ends_the_parameter() -> None:
    with pytest.raises(RuleError, match="no value in force on 2023-01-01"):
        _param().value_at(dt.date(2023, 1, 1), name="amounts")


def test_value_at_before_the_first_key_is_refused() -> None:
    with pytest.raises(RuleError, match="amounts"):
        _param().value_at(dt.date(2019, 12, 31), name="amounts")


def test_unverified_value_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match="needs a 'note'"):
        Parameter.model_validate({"unit": "g/km", "values": {"2020-01-01": value(1.0, "unverified")}})


def test_history_is_in_date_order() -> None:
    starts = [start for start, _ in _param().history()]
    assert starts == sorted(starts)
    assert len(starts) == 3
