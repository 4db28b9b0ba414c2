"""Queries on vehicles, datasets, supply-chain records, scenarios and stored results.

``organisation_id`` is the caller's organisation (None for anonymous callers):
lists hold public records plus that organisation's private ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.orm import Session

from roadcarbon.db.models import (
    AggregateSnapshot,
    Dataset,
    DatasetVersion,
    Scenario,
    StoredResult,
    SupplyChainRecord,
    VehicleModel,
    VehicleSpecVersion,
    Visibility,
)

VEHICLE_COLUMNS = (
    VehicleModel.id,
    VehicleModel.name,
    VehicleModel.powertrain,
    VehicleModel.category,
    VehicleModel.preset_id,
    VehicleModel.visibility,
    VehicleModel.organisation_id,
    VehicleModel.current_version,
    VehicleModel.row_version,
    VehicleModel.updated_at,
)
"""Columns of a vehicle list row (lighter than loading ORM objects)."""


def visible_to(model: Any, organisation_id: int | None) -> Any:
    """SQL condition: public rows, plus private rows of ``organisation_id``."""
    if organisation_id is None:
        return model.visibility == Visibility.PUBLIC
    return or_(model.visibility == Visibility.PUBLIC, model.organisation_id == organisation_id)


def _contains(column: Any, text: str) -> Any:
    return func.lower(column).contains(text.lower(), autoescape=True)


def vehicle_list(
    organisation_id: int | None, *, powertrain: str | None, category: str | None, q: str | None
) -> Select[*tuple[Any, ...]]:
    """Vehicle list rows (:data:`VEHICLE_COLUMNS`) visible to ``organisation_id``, by id."""
    query = select(*VEHICLE_COLUMNS).where(visible_to(VehicleModel, organisation_id))
    if powertrain:
        query = query.where(VehicleModel.powertrain == powertrain)
    if category:
        query = query.where(VehicleModel.category == category)
    if q:
        query = query.where(_contains(VehicleModel.name, q))
    return query.order_by(VehicleModel.id)


def vehicle_version(session: Session, vehicle_id: int, version: int) -> VehicleSpecVersion | None:
    """One stored spec version."""
    return session.scalar(
        select(VehicleSpecVersion).where(
            VehicleSpecVersion.vehicle_id == vehicle_id, VehicleSpecVersion.version == version
        )
    )


def vehicle_versions(session: Session, vehicle_id: int) -> Sequence[VehicleSpecVersion]:
    """All spec versions of a vehicle, oldest first."""
    return session.scalars(
        select(VehicleSpecVersion)
        .where(VehicleSpecVersion.vehicle_id == vehicle_id)
        .order_by(VehicleSpecVersion.version)
    ).all()


def first_public_vehicle(session: Session, *, powertrain: str, category: str) -> VehicleModel | None:
    """The oldest public vehicle of a powertrain and category."""
    return session.scalar(
        select(VehicleModel)
        .where(
            VehicleModel.visibility == Visibility.PUBLIC,
            VehicleModel.powertrain == powertrain,
            VehicleModel.category == category,
        )
        .order_by(VehicleModel.id)
        .limit(1)
    )


def public_vehicles(session: Session) -> Sequence[VehicleModel]:
    """All public vehicles."""
    return session.scalars(select(VehicleModel).where(VehicleModel.visibility == Visibility.PUBLIC)).all()


def dataset_list(organisation_id: int | None, *, q: str | None) -> Select[*tuple[Any, ...]]:
    """Datasets visible to ``organisation_id``, by id."""
    query = select(Dataset).where(visible_to(Dataset, organisation_id))
    if q:
        query = query.where(or_(_contains(Dataset.title, q), _contains(Dataset.slug, q)))
    return query.order_by(Dataset.id)


def dataset_by_slug(session: Session, slug: str) -> Dataset | None:
    """The dataset with ``slug``."""
    return session.scalar(select(Dataset).where(Dataset.slug == slug))


def dataset_version(session: Session, dataset_id: int, version: int) -> DatasetVersion | None:
    """One stored data-package version."""
    return session.scalar(
        select(DatasetVersion).where(
            DatasetVersion.dataset_id == dataset_id, DatasetVersion.version == version
        )
    )


def public_datasets(session: Session) -> Sequence[Dataset]:
    """All public datasets."""
    return session.scalars(select(Dataset).where(Dataset.visibility == Visibility.PUBLIC)).all()


def supply_chain_list(organisation_id: int | None) -> Select[*tuple[Any, ...]]:
    """Supply-chain records visible to ``organisation_id``, by id."""
    return (
        select(SupplyChainRecord)
        .where(visible_to(SupplyChainRecord, organisation_id))
        .order_by(SupplyChainRecord.id)
    )


def supply_chain_by_origin(session: Session) -> list[tuple[str, int, int, float | None, float | None]]:
    """Per battery-origin country: organisations, records, mean green-power and local-content shares."""
    query = (
        select(
            SupplyChainRecord.battery_origin_country,
            func.count(func.distinct(SupplyChainRecord.organisation_id)),
            func.count(SupplyChainRecord.id),
            func.avg(SupplyChainRecord.green_power_share),
            func.avg(SupplyChainRecord.local_content_share),
        )
        .where(SupplyChainRecord.battery_origin_country.is_not(None))
        .group_by(SupplyChainRecord.battery_origin_country)
        .order_by(SupplyChainRecord.battery_origin_country)
    )
    return [(str(c), int(o), int(n), g, lc) for c, o, n, g, lc in session.execute(query)]


def latest_aggregate_snapshot(session: Session, kind: str) -> AggregateSnapshot | None:
    """The newest stored snapshot of aggregates ``kind``."""
    query = (
        select(AggregateSnapshot)
        .where(AggregateSnapshot.kind == kind)
        .order_by(AggregateSnapshot.computed_at.desc(), AggregateSnapshot.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def prune_aggregate_snapshots(session: Session, kind: str, *, keep: int) -> None:
    """Delete all but the ``keep`` newest snapshots of ``kind``."""
    newest = (
        select(AggregateSnapshot.id)
        .where(AggregateSnapshot.kind == kind)
        .order_by(AggregateSnapshot.id.desc())
        .limit(keep)
    )
    kept = [int(i) for i in session.scalars(newest)]
    if kept:
        session.execute(
            delete(AggregateSnapshot).where(AggregateSnapshot.kind == kind, AggregateSnapshot.id.not_in(kept))
        )


def scenario_list(organisation_id: int | None) -> Select[*tuple[Any, ...]]:
    """Scenarios visible to ``organisation_id``, by id."""
    return select(Scenario).where(visible_to(Scenario, organisation_id)).order_by(Scenario.id)


def result_list(organisation_id: int | None) -> Select[*tuple[Any, ...]]:
    """Stored results of ``organisation_id`` (none for anonymous callers), by id."""
    if organisation_id is None:
        return select(StoredResult).where(StoredResult.id.is_(None))
    return (
        select(StoredResult).where(StoredResult.organisation_id == organisation_id).order_by(StoredResult.id)
    )
