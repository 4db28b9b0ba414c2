"""Issue 14 item 8: chart colours stay apart for colour-blind readers (no red/green-only scales).

Colours are read from the files the browser gets (``static/app.js``, ``templates/map_results.html``) and
passed through the simulation of Machado, Oliveira and Fernandes (2009), "A physiologically-based model
for simulation of color vision deficiency", IEEE TVCG 15(6), matrices for severity 1.0 (applied to
linear RGB).  Two colours that must be told apart have to stay at least 25 units apart in CIE L*a*b*
(ΔE*76) for protanopia and deuteranopia; red #b8433a against green #1e7b34, the old map scale, is 8.9
apart for deuteranopia.  The palette is checked on its first four colours (comparisons show up to four
series; the seven life-cycle stages also differ by position in the stack).
"""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

WEB = Path(__file__).resolve().parents[2] / "src" / "roadcarbon" / "web"

MACHADO_2009 = {
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
}
MIN_DELTA_E = 25.0


def _lab(rgb_hex: str, deficiency: str) -> np.ndarray:
    srgb = np.array([int(rgb_hex[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(MACHADO_2009[deficiency] @ linear, 0, 1)
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
        @ linear
        / np.array([0.95047, 1.0, 1.08883])
    )
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _delta_e(a: str, b: str, deficiency: str) -> float:
    return float(np.linalg.norm(_lab(a, deficiency) - _lab(b, deficiency)))


def _scales() -> dict[str, list[str]]:
    js = (WEB / "static" / "app.js").read_text(encoding="utf-8")
    found = {
        "palette": re.search(r"var palette = \[([^\]]+)\]", js).group(1),
        "tornado": re.search(r"tornado: function[\s\S]*?color: \[([^\]]+)\]", js).group(1),
        "map": re.search(
            r'"colors": \[([^\]]+)\]', (WEB / "templates" / "map_results.html").read_text()
        ).group(1),
    }
    return {k: re.findall(r"#[0-9a-fA-F]{6}", v) for k, v in found.items()}


def test_the_old_red_green_map_scale_fails_this_check():
    assert _delta_e("#b8433a", "#1e7b34", "deuteranopia") < MIN_DELTA_E


@pytest.mark.parametrize("deficiency", sorted(MACHADO_2009))
def test_chart_colours_stay_apart_for_colour_blind_readers(deficiency):
    scales = _scales()
    assert len(scales["palette"]) >= 6 and len(scales["tornado"]) == 2 and len(scales["map"]) == 3
    close = []
    pairs = [
        *combinations(scales["palette"][:4], 2),
        tuple(scales["tornado"]),
        (scales["map"][0], scales["map"][2]),
    ]
    for a, b in pairs:
        if _delta_e(a, b, deficiency) < MIN_DELTA_E:
            close.append((a, b, round(_delta_e(a, b, deficiency), 1)))
    assert close == []
