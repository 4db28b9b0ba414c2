"""Country codes: inputs accept ISO 3166-1 alpha-2, alpha-3 or English names; output is alpha-2.

Uses ``pycountry`` (LGPL-2.1, ISO 3166 tables). Unknown names raise
:class:`~roadcarbon.errors.UnknownCountryError`; there is no fuzzy guessing.

``pycountry`` is imported lazily: codes are checked against its ISO 3166-1 JSON table read directly
(about 1 ms), and the package itself (tens of ms to import) is loaded only to resolve a name.
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from roadcarbon.errors import UnknownCountryError

_ALIASES: dict[str, str] = {
    # Common short names that pycountry's official/common names do not cover.
    "vietnam": "VN",
    "viet nam": "VN",
    "laos": "LA",
    "lao pdr": "LA",
    "south korea": "KR",
    "korea": "KR",
    "turkey": "TR",
    "türkiye": "TR",
    "turkiye": "TR",
    "russia": "RU",
    "uk": "GB",
    "usa": "US",
    "united states of america": "US",
    "eu": "EU",
    "european union": "EU",
}
"""Plain English short names mapped to alpha-2 (definitional, no data)."""

EXTRA_MARKETS: dict[str, str] = {"EU": "European Union"}
"""Markets that are not ISO 3166-1 countries but are used as market codes (EU: ISO reserved code)."""


@lru_cache(maxsize=1)
def _iso3166_1() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """pycountry's ISO 3166-1 records keyed by alpha-2, and alpha-3 → alpha-2, without importing pycountry."""
    records: list[dict[str, str]] = []
    spec = importlib.util.find_spec("pycountry")
    locations = list(spec.submodule_search_locations or []) if spec else []
    table = Path(locations[0]) / "databases" / "iso3166-1.json" if locations else None
    if table is not None and table.is_file():
        records = json.loads(table.read_text(encoding="utf-8"))["3166-1"]
    else:  # a packaging of pycountry without the JSON file: ask the package itself
        pycountry = _pycountry()
        records = [
            {k: str(getattr(c, k)) for k in ("alpha_2", "alpha_3", "name") if hasattr(c, k)}
            | ({"common_name": str(c.common_name)} if hasattr(c, "common_name") else {})
            for c in pycountry.countries
        ]
    by_alpha2 = {r["alpha_2"]: r for r in records}
    alpha3 = {r["alpha_3"]: r["alpha_2"] for r in records}
    return by_alpha2, alpha3


def _pycountry() -> Any:
    import pycountry

    return pycountry


@lru_cache(maxsize=1024)
def to_alpha2(value: str, *, field: str = "country") -> str:
    """Normalise a country given as alpha-2, alpha-3 or English name to ISO 3166-1 alpha-2.

    Parameters
    ----------
    value
        ``"ID"``, ``"IDN"`` or ``"Indonesia"`` (case-insensitive).
    field
        Name of the input, used in the error message.

    Returns
    -------
    str
        The alpha-2 code, e.g. ``"ID"``.

    Examples
    --------
    >>> to_alpha2("IDN"), to_alpha2("chile"), to_alpha2("vn")
    ('ID', 'CL', 'VN')
    """
    text = str(value).strip()
    if not text:
        raise UnknownCountryError("empty country; expected an ISO 3166-1 code or name", field=field)
    upper = text.upper()
    if upper in EXTRA_MARKETS:
        return upper
    alias = _ALIASES.get(text.lower())
    if alias:
        return alias
    by_alpha2, alpha3 = _iso3166_1()
    if len(text) == 2 and upper in by_alpha2:
        return upper
    if len(text) == 3 and upper in alpha3:
        return alpha3[upper]
    try:
        country = _pycountry().countries.lookup(text)
    except LookupError:
        raise UnknownCountryError(
            f"unknown country {value!r}; expected an ISO 3166-1 alpha-2/alpha-3 code or English name",
            field=field,
        ) from None
    return str(country.alpha_2)


def country_name(alpha2: str) -> str:
    """English name of an alpha-2 code (``"ID"`` → ``"Indonesia"``)."""
    if alpha2 in EXTRA_MARKETS:
        return EXTRA_MARKETS[alpha2]
    record = _iso3166_1()[0].get(alpha2)
    if record is None:
        raise UnknownCountryError(f"unknown country code {alpha2!r}", field="country")
    return str(record.get("common_name") or record["name"])
