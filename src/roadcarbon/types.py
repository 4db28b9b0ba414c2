"""Shared vocabulary: array aliases and the closed code lists (segments, powertrains, fuels, cycles).

Codes come from one ``enum.StrEnum`` each, never free strings (style 3.3).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]


class Category(StrEnum):
    """Vehicle category (design contract).

    ``two_wheeler`` covers the L category of Regulation (EU) No 168/2013 (mopeds, motorcycles, scooters and
    powered tricycles, L1e-L5e); ``light_commercial`` is N1 (goods vehicles up to 3.5 t: vans, pickups).
    """

    PASSENGER_CAR = "passenger_car"
    BUS = "bus"
    LIGHT_COMMERCIAL = "light_commercial"
    TWO_WHEELER = "two_wheeler"
    TRUCK = "truck"


class Segment(StrEnum):
    """Size segment; ``bus_12m`` is the 12 m city bus.

    Two-wheelers (category ``two_wheeler``): ``motorcycle`` (L3e, e.g. a 110-125 cc step-through or
    street motorcycle, or its electric equivalent), ``scooter`` (L1e/L3e step-through scooters and
    mopeds) and ``tricycle`` (L5e powered tricycle: auto-rickshaw, e-trike, tuk-tuk). Light commercial
    vehicles (category ``light_commercial``): ``van`` (N1 panel van) and ``pickup`` (N1 one-tonne pickup).
    """

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    SUV = "suv"
    BUS_12M = "bus_12m"
    MOTORCYCLE = "motorcycle"
    SCOOTER = "scooter"
    VAN = "van"
    PICKUP = "pickup"
    TRICYCLE = "tricycle"


SEGMENT_CATEGORIES: dict[Segment, frozenset[Category]] = {
    Segment.BUS_12M: frozenset({Category.BUS}),
    Segment.MOTORCYCLE: frozenset({Category.TWO_WHEELER}),
    Segment.SCOOTER: frozenset({Category.TWO_WHEELER}),
    Segment.VAN: frozenset({Category.LIGHT_COMMERCIAL}),
    Segment.PICKUP: frozenset({Category.LIGHT_COMMERCIAL}),
    Segment.TRICYCLE: frozenset({Category.TWO_WHEELER}),
    # the car size classes: never a two-wheeler (a "two_wheeler, suv" got car reference data) nor a bus;
    # light_commercial keeps them for the rule library's N1 cases (SG CVES), which read no segment
    **{
        s: frozenset({Category.PASSENGER_CAR, Category.LIGHT_COMMERCIAL, Category.TRUCK})
        for s in (Segment.SMALL, Segment.MEDIUM, Segment.LARGE, Segment.SUV)
    },
}
"""Segments reserved to some categories."""


class Powertrain(StrEnum):
    """Powertrain type."""

    ICEV = "ICEV"
    HEV = "HEV"
    MHEV = "MHEV"
    PHEV = "PHEV"
    BEV = "BEV"
    FCEV = "FCEV"


class Fuel(StrEnum):
    """Main energy carrier of the vehicle (for a PHEV: its combustion fuel)."""

    PETROL = "petrol"
    DIESEL = "diesel"
    CNG = "cng"
    LPG = "lpg"
    ETHANOL = "ethanol"
    ETHANOL_HYDROUS = "ethanol_hydrous"
    """Hydrous ethanol (~93 % ethanol by mass, the rest water; E100 / "etanol" at the Brazilian pump),
    burnt by flex-fuel cars; ``ethanol`` is anhydrous."""
    ELECTRICITY = "electricity"
    HYDROGEN = "hydrogen"


class TestCycle(StrEnum):
    """Type-approval test cycle a consumption figure was measured on."""

    __test__ = False  # not a pytest class

    NEDC = "NEDC"
    WLTP = "WLTP"
    CLTC = "CLTC"
    EPA = "EPA"
    MEASURED = "measured"
    """In-service measurement or simulation on a real-world duty cycle (e.g. a city-bus route): no
    real-world correction applies.  Buses have no type-approval consumption cycle."""


class Chemistry(StrEnum):
    """Traction-battery cathode chemistry."""

    NMC = "NMC"
    LFP = "LFP"
    NCA = "NCA"
    LMO = "LMO"


class GridSeries(StrEnum):
    """Which average grid-intensity series to use.

    ``production``: Ember, domestic generation (excludes imports), life-cycle.
    ``consumption``: Electricity Maps, flow-traced consumption incl. imports, life-cycle.
    """

    PRODUCTION = "production"
    CONSUMPTION = "consumption"


class GwpMetric(StrEnum):
    """Which IPCC GWP100 values convert the gases roadcarbon itself converts to CO2e.

    Only tailpipe CH4 and N2O are converted in this package (HBEFA g/MJ × GWP100: one row per metric of
    ``tailpipe_ch4_n2o_kg_co2e_per_mj`` in ``parameters.csv``, selector ``gwp``, with the GWP values and
    their sources in the row); every other CO2e factor (grids, fuels upstream, materials, batteries) is
    used as its source published it, in the source's own metric, which ``sources.csv`` states.
    ``AR5`` is the default (design §1).
    """

    AR5 = "AR5"
    AR6 = "AR6"


STAGES: tuple[str, ...] = (
    "materials",
    "battery",
    "assembly",
    "energy_supply",
    "tailpipe",
    "maintenance",
    "end_of_life",
)
"""The seven life-cycle stage names, in reporting order (design §1)."""
