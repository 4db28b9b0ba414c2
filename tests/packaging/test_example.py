"""The worked example (examples/three_vehicles_five_countries.py) runs and draws its chart."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pandas")
pytest.importorskip("xarray")
mpl_image = pytest.importorskip("matplotlib.image")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "three_vehicles_five_countries.py"


def test_example_runs_and_plots_three_vehicles_in_five_countries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = importlib.util.spec_from_file_location("three_vehicles_five_countries", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    png = module.main(tmp_path / "chart.png")
    out = capsys.readouterr().out
    assert "<Assessment 3 vehicles × 5 countries (ID, CN, TH, CL, BR) × 11 years (2025–2035)" in out
    assert "BEV in Indonesia, 2030:" in out and "g CO2e/km" in out

    pixels = mpl_image.imread(png)[..., :3]
    assert pixels.shape[0] > 200 and pixels.shape[1] > 1000
    # matplotlib's first three line colours (C0 blue, C1 orange, C2 green): one per vehicle, all drawn
    for hex_colour in ("#1f77b4", "#ff7f0e", "#2ca02c"):
        rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
        close = np.all(np.abs(pixels - rgb) < 0.03, axis=-1)
        assert close.sum() > 500, f"line colour {hex_colour} barely drawn ({close.sum()} px)"
