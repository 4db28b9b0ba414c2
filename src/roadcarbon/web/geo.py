"""The world map: Natural Earth 1:110m countries (world-atlas TopoJSON) decoded to GeoJSON.

The vendored ``static/vendor/world-atlas/countries-110m.json`` (world-atlas
2.0.2, ISC; geometry from Natural Earth 4.1.0, public domain) stores shared,
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


def _decode_arcs(topology: dict[str, Any]) -> list[list[list[float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append([round(x * scale_x + shift_x, 4), round(y * scale_y + shift_y, 4)])
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
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


@lru_cache(maxsize=1)
def world_geojson() -> dict[str, Any]:
    """The countries as a GeoJSON FeatureCollection; ``properties.name`` is the alpha-2 code."""
    topology = json.loads(TOPOLOGY.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry["type"]
        if kind == "Polygon":
            coordinates: Any = [_ring(r, arcs) for r in geometry["arcs"]]
        elif kind == "MultiPolygon":
            coordinates = [[_ring(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        label = geometry.get("properties", {}).get("name", "")
        if label == "Antarctica":  # no vehicles, and it would take a third of the map
            continue
        code = None
        if geometry.get("id"):
            found = pycountry.countries.get(numeric=str(geometry["id"]))
            code = found.alpha_2 if found else None
        features.append(
            {
                "type": "Feature",
                "properties": {"name": code or label, "label": label},
                "geometry": {"type": kind, "coordinates": coordinates},
            }
        )
    return {"type": "FeatureCollection", "features": features}
