"""Exception tree of roadcarbon.

::

    RoadcarbonError            every error the package raises on purpose
    ├── InputError             a user input is invalid (names the field and what was expected)
    │   ├── UnknownCountryError
    │   └── SpecError          a vehicle spec or fleet file is invalid
    ├── DataError              the reference data lacks or mis-states a value (names the factor)
    │   └── YearOutOfRangeError
    └── RuleError              a rule file or rule evaluation problem (names file and key path)

Interfaces map ``InputError``/``RuleError`` to exit code 2 (CLI) and HTTP 4xx (API).
"""

from __future__ import annotations


class RoadcarbonError(Exception):
    """Base of every deliberate roadcarbon error.

    Parameters
    ----------
    message
        One line saying what is wrong and what was expected.
    field
        Dotted path of the offending input, e.g. ``vehicle.curb_mass_kg``.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        if self.field and not self.message.startswith(self.field):
            return f"{self.field}: {self.message}"
        return self.message


class InputError(RoadcarbonError, ValueError):
    """An input value is invalid."""


class UnknownCountryError(InputError):
    """A country code or name is not known, or has no data."""


class SpecError(InputError):
    """A vehicle spec or fleet description is invalid."""


class DataError(RoadcarbonError, LookupError):
    """The reference data is missing a value or is inconsistent."""


class YearOutOfRangeError(DataError, InputError):
    """A year lies outside the range the data covers."""


class RuleError(RoadcarbonError):
    """A rule file is malformed, or a rule cannot be evaluated for the inputs."""
