"""Exchange rates: convert a money input into the currency a scheme taxes it in (pure).

The table (``data/regulations/exchange_rates.yaml``, read by :mod:`roadcarbon.io.rulebook`)
holds sourced annual averages in currency units per US dollar.  A value given in
currency ``A`` is converted to currency ``B`` via USD with the averages of the
evaluation year: ``value_B = value_A / rate_A x rate_B``.  A year after the table's
``published_through`` year uses that year's averages (the trace says so); a
currency-year absent from the table is an error naming both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from roadcarbon.errors import RuleError, SpecError
from roadcarbon.rules.parameters import Identifier
from roadcarbon.rules.schema import Currency, Source
from roadcarbon.types import FloatArray

BASE_CURRENCY = "USD"
"""Every rate is in units of a currency per one US dollar."""


def tax_base_note(scheme_id: str, market: str, name: str) -> str:
    """The plain statement that a converted foreign price stands in for the scheme's tax base."""
    return (
        f"the {name} given in another currency, converted at annual-average exchange rates, is used as "
        f"{scheme_id}'s tax base: an approximation, since the legal base is a value assessed in {market} "
        "(e.g. Singapore's ARF base is the Open Market Value), not a foreign retail price"
    )


class RateValue(BaseModel):
    """One annual average with its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    source: Identifier
    locator: str = Field(min_length=1)


class ExchangeRates(BaseModel):
    """The validated table: ``rates[currency][year]`` [currency units per USD]."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: str = Field(min_length=1)
    published_through: Annotated[int, Field(ge=1900, le=2200)]
    rates: dict[Currency, dict[Annotated[int, Field(ge=1900, le=2200)], RateValue]] = Field(min_length=1)

    def year_for(self, on: dt.date) -> int:
        """The year whose averages apply on ``on`` (the latest published year for later dates)."""
        return min(on.year, self.published_through)

    def rate(self, currency: str, year: int) -> RateValue | None:
        """The average for one currency and year; USD is 1 by definition (``None`` if not held)."""
        if currency == BASE_CURRENCY:
            return RateValue(value=1.0, source="definition", locator="USD is the base currency")
        return self.rates.get(currency, {}).get(year)


def parse_exchange_rates(
    document: Any, *, origin: str, sources: Mapping[str, Source] | None = None
) -> ExchangeRates:
    """Validate the exchange-rate document strictly.

    Parameters
    ----------
    document
        The parsed YAML mapping.
    origin
        File name for error messages.
    sources
        The source registry; every value's ``source`` must be one of its keys.

    Raises
    ------
    RuleError
        Naming the file and the key path of the first problem.
    """
    from roadcarbon.rules.registry import describe

    if not isinstance(document, Mapping):
        raise RuleError(f"{origin}: expected a mapping with unit, published_through and rates at the top")
    try:
        table = ExchangeRates.model_validate(document)
    except ValidationError as exc:
        raise RuleError(describe(exc, origin)) from None
    for currency, years in table.rates.items():
        if currency == BASE_CURRENCY:
            raise RuleError(
                f"{origin}: rates.{currency}: USD is the base currency (1 by definition); remove it"
            )
        for year, value in years.items():
            if year > table.published_through:
                raise RuleError(
                    f"{origin}: rates.{currency}.{year}: after published_through ({table.published_through})"
                )
            if sources is not None and value.source not in sources:
                raise RuleError(
                    f"{origin}: rates.{currency}.{year}.source: {value.source!r} is not in the source "
                    "registry (sources.yaml)"
                )
    return table


@dataclass(frozen=True)
class Conversion:
    """How one currency was converted into another on one evaluation date."""

    from_currency: str
    to_currency: str
    year: int
    from_rate: RateValue
    to_rate: RateValue

    @property
    def factor(self) -> float:
        """Units of ``to_currency`` per unit of ``from_currency``."""
        return self.to_rate.value / self.from_rate.value


def conversion(
    table: ExchangeRates, from_currency: str, to_currency: str, on: dt.date, *, field: str = "price_currency"
) -> Conversion:
    """The conversion from one currency to another with the averages of the year of ``on``.

    Raises
    ------
    SpecError
        A currency-year the table does not hold (naming the currency and the year).
    """
    year = table.year_for(on)
    rates = []
    for currency in (from_currency, to_currency):
        found = table.rate(currency, year)
        if found is None:
            held = sorted(table.rates.get(currency, {}))
            have = f"the table holds {currency} for {held[0]}-{held[-1]}" if held else f"no {currency} rates"
            raise SpecError(
                f"no sourced exchange rate for {currency} in {year} ({have}; "
                f"data/regulations/exchange_rates.yaml): cannot convert {from_currency} to {to_currency}",
                field=f"vehicle.{field}",
            )
        rates.append(found)
    return Conversion(from_currency, to_currency, year, rates[0], rates[1])


def convert_money(
    values: FloatArray,
    currencies: Any,
    to_currency: str,
    on: dt.date,
    table: ExchangeRates,
    *,
    field: str = "price_currency",
) -> tuple[FloatArray, list[tuple[Conversion, Any]]]:
    """Convert per-vehicle amounts into ``to_currency``.

    Parameters
    ----------
    values
        Amounts per vehicle, shape ``(n,)`` [the currency in ``currencies``].
    currencies
        ISO 4217 code per vehicle, shape ``(n,)``; ``""`` means already in ``to_currency``.
    to_currency
        Target currency (the scheme's).
    on
        Evaluation date; its year selects the annual averages.
    table
        The exchange-rate table.

    Returns
    -------
    tuple
        Converted amounts [``to_currency``] and, per foreign currency met, the
        :class:`Conversion` used and the mask of the vehicles it applied to.
    """
    codes = np.asarray(currencies).astype(str)
    out = np.asarray(values, dtype=np.float64).copy()
    used: list[tuple[Conversion, Any]] = []
    foreign = (codes != to_currency) & (codes != "") & ~np.isnan(out)
    for code in sorted(set(codes[foreign].tolist())):
        conv = conversion(table, code, to_currency, on, field=field)
        mask = foreign & (codes == code)
        out[mask] = out[mask] * conv.factor
        used.append((conv, mask))
    return out, used
