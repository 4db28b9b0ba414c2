"""Country codes: inputs accept ISO 3166-1 alpha-2, alpha-3 or English names; output is alpha-2.

Uses ``pycountry`` (LGPL-2.1, ISO 3166 tables). Unknown names raise
:class:`~roadcarbon.errors.UnknownCountryError`; there is no fuzzy guessing.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

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
    country = None
    if len(text) == 2:
        country = pycountry.countries.get(alpha_2=upper)
    elif len(text) == 3:
        country = pycountry.countries.get(alpha_3=upper)
    if country is None:
        try:
            country = pycountry.countries.lookup(text)
        except LookupError:
            country = None
    if country is None:
        raise UnknownCountryError(
            f"unknown country {value!r}; expected an ISO 3166-1 alpha-2/alpha-3 code or English name",
            field=field,
        )
    return str(country.alpha_2)


def country_name(alpha2: str) -> str:
    """English name of an alpha-2 code (``"ID"`` → ``"Indonesia"``)."""
    if alpha2 in EXTRA_MARKETS:
        return EXTRA_MARKETS[alpha2]
    country = pycountry.countries.get(alpha_2=alpha2)
    if country is None:
        raise UnknownCountryError(f"unknown country code {alpha2!r}", field="country")
    return str(getattr(country, "common_name", None) or country.name)
