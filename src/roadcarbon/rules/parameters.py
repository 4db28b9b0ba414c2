"""Dated parameter values of a regulation: ``value_at(date)``, history, references, statuses.

A parameter's values are keyed by the date from which they hold (OpenFisca
convention): a value holds from its date until the next key; a ``null``
entry ends the parameter.  Each value carries its own reference (a key of the
shared source registry plus a locator) and a status.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from roadcarbon.errors import RuleError

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
"""snake_case ASCII identifier (parameter, row and source names)."""

ParameterValue = float | list[float] | list[str] | str | bool
"""What a dated value may hold: a number, a list of numbers, a list of codes, a code, a flag."""


class Status(StrEnum):
    """How firm a value is (style 3.5).

    ``enacted``: in a legal text in force. ``announced``: officially announced,
    no legal text seen. ``projected``: a forecast. ``assumption``: chosen by us,
    with the reason in ``note``. ``unverified``: reported by a source that could
    not be checked against the legal text, with the reason in ``note``.
    """

    ENACTED = "enacted"
    ANNOUNCED = "announced"
    PROJECTED = "projected"
    ASSUMPTION = "assumption"
    UNVERIFIED = "unverified"


class Reference(BaseModel):
    """Where a value comes from: a key of the source registry and a locator inside it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Annotated[str, StringConstraints(pattern=r"^([a-z][a-z0-9_]*|reform:[A-Za-z0-9_.-]+)$")]
    locator: str = Field(min_length=1)
    published_on: dt.date | None = None


class DatedValue(BaseModel):
    """One value of a parameter, holding from its key date until the next.

    ``formula`` instead of ``value``: the number is computed, when read, from
    other parameters and fleet-level inputs (:mod:`roadcarbon.rules.expressions`),
    e.g. a manufacturer's own reference target defined by a legal formula.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: ParameterValue | None = None
    formula: str | None = None
    reference: Reference
    status: Status
    note: str | None = None

    @model_validator(mode="after")
    def _reason_when_not_enacted(self) -> DatedValue:
        if (self.value is None) == (self.formula is None):
            raise ValueError("give exactly one of 'value' or 'formula'")
        if self.formula is not None:
            from roadcarbon.rules.expressions import parse_formula

            try:
                parse_formula(self.formula)
            except RuleError as exc:
                raise ValueError(exc.message) from None
        if self.status in (Status.ASSUMPTION, Status.UNVERIFIED) and not self.note:
            raise ValueError(f"a value with status {self.status.value!r} needs a 'note' giving the reason")
        return self


class Parameter(BaseModel):
    """A named parameter of a scheme with its unit and dated values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: str = Field(min_length=1)
    description: str | None = None
    values: dict[dt.date, DatedValue | None] = Field(min_length=1)

    @field_validator("values", mode="before")
    @classmethod
    def _keys_are_dates(cls, raw: Any) -> Any:
        if isinstance(raw, dict):
            for key in raw:
                if not isinstance(key, dt.date | str):
                    raise ValueError(f"value keys must be ISO dates (YYYY-MM-DD), got {key!r}")
        return raw

    def dated(self, on: dt.date) -> tuple[dt.date, DatedValue] | None:
        """The value in force on a date and its start date, or ``None`` if none is.

        Parameters
        ----------
        on
            Date of evaluation.

        Returns
        -------
        tuple of (start date, DatedValue), or None
            ``None`` before the first key or after a ``null`` entry.
        """
        best: tuple[dt.date, DatedValue | None] | None = None
        for start, value in self.values.items():
            if start <= on and (best is None or start > best[0]):
                best = (start, value)
        if best is None or best[1] is None:
            return None
        return best[0], best[1]

    def value_at(self, on: dt.date, *, name: str = "parameter") -> ParameterValue:
        """The bare value in force on a date.

        Raises
        ------
        RuleError
            If no value is in force on ``on``.

        Examples
        --------
        >>> p = Parameter.model_validate({"unit": "SGD", "values": {
        ...     "2018-01-01": {"value": 1.0, "status": "enacted",
        ...                    "reference": {"source": "x", "locator": "r 10"}},
        ...     "2020-01-01": None}})
        >>> p.value_at(dt.date(2019, 5, 1))
        1.0
        """
        found = self.dated(on)
        if found is None:
            raise RuleError(f"has no value in force on {on.isoformat()}", field=name)
        if found[1].value is None:
            raise RuleError(
                f"is a formula on {on.isoformat()} ({found[1].formula}), computed when evaluated", field=name
            )
        return found[1].value

    def history(self) -> list[tuple[dt.date, DatedValue | None]]:
        """All dated entries in date order (``None`` marks an end)."""
        return sorted(self.values.items(), key=lambda item: item[0])
