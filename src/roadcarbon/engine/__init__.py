"""Life-cycle carbon engine: pure, vectorised numpy; no I/O.

Public surface:

- :func:`assess` — many vehicles × countries × years in one call.
- :func:`lifecycle_emissions` — the stage equations over input arrays.
- :func:`build_setup` — look up every input in the reference tables.
- :func:`monte_carlo` — propagate the data's distributions.
- :func:`break_even_km`, :func:`cumulative_emissions`.
- :func:`one_at_a_time` — which inputs move a result most.
"""

from roadcarbon.engine.assessment import Assessment, assess
from roadcarbon.engine.breakeven import break_even_km, cumulative_emissions
from roadcarbon.engine.inputs import LifecycleInputs, Setup, build_setup
from roadcarbon.engine.lifecycle import lifecycle_emissions
from roadcarbon.engine.results import LifecycleResult
from roadcarbon.engine.sensitivity import SensitivityItem, one_at_a_time
from roadcarbon.engine.tables import GridTrajectory, ParameterRow, ReferenceTables
from roadcarbon.engine.uncertainty import MonteCarloSummary, monte_carlo

__all__ = [
    "Assessment",
    "GridTrajectory",
    "LifecycleInputs",
    "LifecycleResult",
    "MonteCarloSummary",
    "ParameterRow",
    "ReferenceTables",
    "SensitivityItem",
    "Setup",
    "assess",
    "break_even_km",
    "build_setup",
    "cumulative_emissions",
    "lifecycle_emissions",
    "monte_carlo",
    "one_at_a_time",
]
