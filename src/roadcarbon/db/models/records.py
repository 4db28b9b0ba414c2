"""Published and private records: vehicles (versioned specs), datasets, supply chain, rules, scenarios, results."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from roadcarbon.db.base import Base, JSONDoc, UTCDateTime, utcnow


class Visibility(StrEnum):
    """Who may read a record."""

    PUBLIC = "public"
    PRIVATE = "private"


class _VersionedRecord:
    """Columns of a record whose content lives in numbered versions (they come last in its table).

    ``current_version`` names the current content version; ``row_version`` is
    SQLAlchemy's version counter, which guards concurrent writers (If-Match).
    """

    current_version: Mapped[int] = mapped_column(Integer, default=1)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.row_version}


class _RecordVersion:
    """Columns of one immutable content version: who made it, from which contribution, when (they come last)."""

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    contribution_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class VehicleModel(_VersionedRecord, Base):
    """A vehicle model; its spec lives in numbered versions (the current one is ``current_version``)."""

    __tablename__ = "vehicle_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    visibility: Mapped[str] = mapped_column(String(10), default=Visibility.PUBLIC)
    powertrain: Mapped[str] = mapped_column(String(10), index=True)
    category: Mapped[str] = mapped_column(String(30), index=True)
    preset_id: Mapped[str | None] = mapped_column(String(100), unique=True, nullable=True)

    versions: Mapped[list[VehicleSpecVersion]] = relationship(
        back_populates="vehicle", order_by="VehicleSpecVersion.version"
    )


class VehicleSpecVersion(_RecordVersion, Base):
    """One immutable version of a vehicle spec (the design's vehicle-spec contract, as JSON)."""

    __tablename__ = "vehicle_spec_versions"
    __table_args__ = (UniqueConstraint("vehicle_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicle_models.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    spec: Mapped[dict[str, Any]] = mapped_column(JSONDoc)

    vehicle: Mapped[VehicleModel] = relationship(back_populates="versions")


class Dataset(_VersionedRecord, Base):
    """A factor table as a Frictionless data package (fields with units, rows, sources, licence)."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    visibility: Mapped[str] = mapped_column(String(10), default=Visibility.PUBLIC)
    license: Mapped[str] = mapped_column(String(100))

    versions: Mapped[list[DatasetVersion]] = relationship(
        back_populates="dataset", order_by="DatasetVersion.version"
    )


class DatasetVersion(_RecordVersion, Base):
    """One immutable version of a dataset's data package."""

    __tablename__ = "dataset_versions"
    __table_args__ = (UniqueConstraint("dataset_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    package: Mapped[dict[str, Any]] = mapped_column(JSONDoc)

    dataset: Mapped[Dataset] = relationship(back_populates="versions")


class SupplyChainRecord(Base):
    """Company data behind a vehicle's footprint and incentives; private to its organisation by default."""

    __tablename__ = "supply_chain_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicle_models.id"), nullable=True)
    label: Mapped[str] = mapped_column(String(200))
    battery_origin_country: Mapped[str | None] = mapped_column(String(2), nullable=True, index=True)
    assembly_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    green_power_share: Mapped[float | None] = mapped_column(Float, nullable=True)
    local_content_share: Mapped[float | None] = mapped_column(Float, nullable=True)
    sources: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    visibility: Mapped[str] = mapped_column(String(10), default=Visibility.PRIVATE)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012


class RuleScheme(Base):
    """A scheme of the rule library; its documents live in numbered versions."""

    __tablename__ = "rule_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[str] = mapped_column(String(200), unique=True)
    market: Mapped[str] = mapped_column(String(2), index=True)
    title: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(40))
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    versions: Mapped[list[RuleSchemeVersion]] = relationship(
        back_populates="scheme", order_by="RuleSchemeVersion.version"
    )

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012


class RuleSchemeVersion(Base):
    """One immutable version of a scheme document (dated parameters and references)."""

    __tablename__ = "rule_scheme_versions"
    __table_args__ = (UniqueConstraint("scheme_pk", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_pk: Mapped[int] = mapped_column(ForeignKey("rule_schemes.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    contribution_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    scheme: Mapped[RuleScheme] = relationship(back_populates="versions")


class Scenario(Base):
    """A named policy-lab scenario document (inputs only; results are stored apart)."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    visibility: Mapped[str] = mapped_column(String(10), default=Visibility.PRIVATE)
    document: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StoredResult(Base):
    """A stored calculation; names the data release and rule-library version it used."""

    __tablename__ = "stored_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    request: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    result: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    data_version: Mapped[str] = mapped_column(String(100))
    rule_library_version: Mapped[str] = mapped_column(String(100))
    release_tag: Mapped[str | None] = mapped_column(String(50), nullable=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AggregateSnapshot(Base):
    """Public aggregates of supply-chain records as last recomputed (on a schedule, not per request).

    ``groups`` holds only groups that pass the disclosure-control rule (docs/platform.md); readers
    take the newest snapshot, so a changed record shows only after the next recomputation.
    """

    __tablename__ = "aggregate_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    groups: Mapped[list[dict[str, Any]]] = mapped_column(JSONDoc)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
