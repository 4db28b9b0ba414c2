"""Versions of the data the calculations use (recorded with every stored result and release)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

from roadcarbon.errors import RoadcarbonError


def data_version() -> str:
    """Version of the packaged reference data (``datapackage.json`` ``version``)."""
    try:
        from roadcarbon.io.reference import load_reference

        return str(load_reference().version)
    except (ImportError, RoadcarbonError):
        return "unavailable"


def rule_library_version() -> str:
    """Version of the rule library (as the rule library reports it), else the package version."""
    try:
        from roadcarbon.services.regulations import library_version

        return library_version()
    except (ImportError, RoadcarbonError):
        try:
            return package_version("roadcarbon")
        except PackageNotFoundError:
            return "unknown"
