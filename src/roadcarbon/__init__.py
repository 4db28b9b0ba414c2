"""roadcarbon: life-cycle carbon of road vehicles and executable low-carbon vehicle standards.

The curated public surface::

    from roadcarbon import VehicleSpec, assess, load_reference, load_vehicle

    tables = load_reference()
    result = assess([load_vehicle("car-medium-bev")], ["ID", "TH"], [2025, 2030], tables)
    result.total_g_co2e_per_km          # (vehicles, countries, years) [g CO2e/km]
"""

from roadcarbon.engine import Assessment, LifecycleResult, assess
from roadcarbon.errors import DataError, InputError, RoadcarbonError, RuleError, SpecError
from roadcarbon.io.reference import load_reference
from roadcarbon.io.specs import list_presets, load_fleet, load_vehicle
from roadcarbon.specs import Fleet, VehicleSpec

__version__ = "0.1.0"

__all__ = [
    "Assessment",
    "DataError",
    "Fleet",
    "InputError",
    "LifecycleResult",
    "RoadcarbonError",
    "RuleError",
    "SpecError",
    "VehicleSpec",
    "__version__",
    "assess",
    "list_presets",
    "load_fleet",
    "load_reference",
    "load_vehicle",
]
