"""ORM tables by domain (separate from the API schemas)."""

from roadcarbon.db.models.accounts import ApiToken, Organisation, Role, User
from roadcarbon.db.models.fleet_runs import FleetRun, FleetRunStatus
from roadcarbon.db.models.records import (
    AggregateSnapshot,
    Dataset,
    DatasetVersion,
    RuleScheme,
    RuleSchemeVersion,
    Scenario,
    StoredResult,
    SupplyChainRecord,
    VehicleModel,
    VehicleSpecVersion,
    Visibility,
)
from roadcarbon.db.models.workflow import (
    AuditEvent,
    Contribution,
    ContributionChange,
    ContributionStatus,
    Release,
    ReviewComment,
)

__all__ = [
    "AggregateSnapshot",
    "ApiToken",
    "AuditEvent",
    "Contribution",
    "ContributionChange",
    "ContributionStatus",
    "Dataset",
    "DatasetVersion",
    "FleetRun",
    "FleetRunStatus",
    "Organisation",
    "Release",
    "ReviewComment",
    "Role",
    "RuleScheme",
    "RuleSchemeVersion",
    "Scenario",
    "StoredResult",
    "SupplyChainRecord",
    "User",
    "VehicleModel",
    "VehicleSpecVersion",
    "Visibility",
]
