"""The world map: Natural Earth 1:110m countries (world-atlas TopoJSON) decoded to GeoJSON.

The vendored ``static/vendor/world-atlas/countries-110m.json`` (world-atlas
2.0.2, ISC; geometry from Natural Earth 4.1.0, public domain; small countries
such as Singapore from ``countries-50m.json``) stores shared,
quantised, delta-encoded arcs.  :func:`world_geojson` decodes them following
the TopoJSON specification (section 2.1.4, quantised positions; 2.2, arc
indexes, a negative index ``~i`` meaning arc ``i`` reversed) and names each
feature by its ISO 3166-1 alpha-2 code (``properties.name``) so the map and
the data speak the same codes.  Features without a numeric ISO code (e.g.
Kosovo, Northern Cyprus) keep their Natural Earth name.
"""

from __future__ import annotations

import itertools
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

TOPOLOGY = Path(__file__).parent / "static" / "vendor" / "world-atlas" / "countries-110m.json"
SMALL_COUNTRIES = Path(__file__).parent / "static" / "vendor" / "world-atlas" / "countries-50m.json"
"""The 1:50m file, read only for countries too small to be drawn at 1:110m (Singapore, Bahrain, Malta, …)."""


class _Arcs:
    """The topology's arcs, each decoded (quantised, delta-encoded) on first use."""

    def __init__(self, topology: dict[str, Any]) -> None:
        self.raw = topology["arcs"]
        self.scale_x, self.scale_y = topology["transform"]["scale"]
        self.shift_x, self.shift_y = topology["transform"]["translate"]
        self.done: dict[int, list[list[float]]] = {}

    def __getitem__(self, index: int) -> list[list[float]]:
        if index not in self.done:
            x = y = 0
            points = []
            for dx, dy in self.raw[index]:
                x += dx
                y += dy
                points.append(
                    [round(x * self.scale_x + self.shift_x, 4), round(y * self.scale_y + self.shift_y, 4)]
                )
            self.done[index] = points
        return self.done[index]


def _ring(indexes: list[int], arcs: _Arcs) -> list[list[float]]:
    ring: list[list[float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return _unwrap(ring)


def _unwrap(ring: list[list[float]]) -> list[list[float]]:
    """Keep a ring that crosses the antimeridian (Fiji, Chukotka) on one side, so no line spans the map."""
    jumps = any(abs(b[0] - a[0]) > 180 for a, b in itertools.pairwise(ring))
    if not jumps:
        return ring
    east = sum(1 for x, _ in ring if x > 0) >= len(ring) / 2
    return [[x + 360 if east and x < 0 else x - 360 if not east and x > 0 else x, y] for x, y in ring]


def _features(path: Path, skip: set[str] | None = None) -> list[dict[str, Any]]:
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = _Arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry["type"]
        label = geometry.get("properties", {}).get("name", "")
        if label == "Antarctica" or kind not in ("Polygon", "MultiPolygon"):
            continue  # no vehicles there, and it would take a third of the map
        code = None
        if geometry.get("id"):
            found = pycountry.countries.get(numeric=str(geometry["id"]))
            code = found.alpha_2 if found else None
        name = code or label
        if skip is not None and (name in skip or code is None):
            continue
        if kind == "Polygon":
            coordinates: Any = [_ring(r, arcs) for r in geometry["arcs"]]
        else:
            coordinates = [[_ring(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "label": label},
                "geometry": {"type": kind, "coordinates": coordinates},
            }
        )
    return features


@lru_cache(maxsize=1)
def world_geojson() -> dict[str, Any]:
    """The countries as a GeoJSON FeatureCollection; ``properties.name`` is the alpha-2 code.

    Countries at 1:110m, plus, from the 1:50m file, the countries with an ISO
    code that are too small to appear at 1:110m.
    """
    features = _features(TOPOLOGY)
    if SMALL_COUNTRIES.exists():
        features += _features(SMALL_COUNTRIES, skip={f["properties"]["name"] for f in features})
    return {"type": "FeatureCollection", "features": features}
