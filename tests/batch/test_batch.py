"""roadcarbon batch: serial path, a real Dask LocalCluster, rejects, CLI exit codes (issue 15 §3)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("distributed")

from roadcarbon.batch.core import BatchOptions
from roadcarbon.batch.run import run_batch
from roadcarbon.engine import assess
from roadcarbon.io.reference import load_reference
from roadcarbon.io.specs import load_preset

ROWS = [
    # preset, country, year, count, curb_mass_kg
    ("car-medium-bev", "TH", "2025", "3", ""),
    ("car-medium-petrol", "Thailand", "2025", "1", ""),
    ("nope", "TH", "2025", "1", ""),
    ("car-small-bev", "ZZ", "2025", "1", ""),
    ("car-medium-bev", "DE", "x", "1", ""),
    ("car-medium-bev", "TH", "2025", "1", "-5"),
    ("car-medium-phev", "ID", "2030", "2", ""),
    ("car-medium-bev", "TH", "2025", "2.5", ""),
    ("car-small-petrol", "VN", "2026", "4", "1000"),
    ("car-medium-bev", "TH", "2025", "7", ""),
]
REJECTED = {3: "preset", 4: "country", 5: "year", 6: "curb_mass_kg", 8: "count"}


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "registry.csv"
    lines = ["preset,country,year,count,curb_mass_kg"] + [",".join(r) for r in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_serial_rows_in_order_rejects_and_engine_values(tmp_path: Path) -> None:
    src = _write(tmp_path)
    out = tmp_path / "out.csv"
    summary = run_batch(src, out, serial=True, partition_rows=3, options=BatchOptions())
    assert (summary.rows, summary.rejected, summary.partitions) == (10, 5, 4)
    df = pd.read_csv(out)
    assert df["row"].tolist() == list(range(1, 11))
    rejects = pd.read_csv(summary.rejects)
    assert rejects["row"].tolist() == sorted(REJECTED)
    for row, field in REJECTED.items():
        reason = rejects.loc[rejects["row"] == row, "reason"].item()
        assert field in reason, (row, reason)
        assert df.loc[df["row"] == row, "status"].item() == "rejected"
        assert np.isnan(df.loc[df["row"] == row, "total_g_co2e_per_km"].item())
    # values equal a direct assess() of the same preset, country and year
    tables = load_reference()
    direct = assess(
        [load_preset("car-small-petrol").model_copy(update={"curb_mass_kg": 1000.0})], ["VN"], [2026], tables
    )
    got = df.loc[df["row"] == 9]
    assert got["total_g_co2e_per_km"].item() == pytest.approx(
        float(direct.result.total_g_co2e_per_km[0]), rel=1e-12
    )
    assert got["fleet_total_t_co2e"].item() == pytest.approx(4 * float(direct.result.total_kg_co2e[0]) / 1000)


def test_local_cluster_equals_serial_parquet(tmp_path: Path) -> None:
    from distributed import LocalCluster

    src = tmp_path / "registry.parquet"
    pd.read_csv(_write(tmp_path), dtype=str).to_parquet(src, row_group_size=2, index=False)
    options = BatchOptions(schemes=("TH.excise_passenger_car",), samples=8, seed=3)
    serial = run_batch(src, tmp_path / "serial.parquet", serial=True, partition_rows=4, options=options)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        dist = run_batch(
            src,
            tmp_path / "dist.parquet",
            scheduler=cluster.scheduler_address,
            partition_rows=4,
            options=options,
        )
    a, b = pd.read_parquet(serial.output), pd.read_parquet(dist.output)
    assert len(a) == 10 and "TH.excise_passenger_car.status" in a.columns
    assert "total_g_co2e_per_km_p95" in a.columns
    pd.testing.assert_frame_equal(a, b)
    assert Path(serial.rejects).read_text() == Path(dist.rejects).read_text()


@pytest.mark.slow
def test_cli_summary_and_one_line_errors(tmp_path: Path) -> None:
    src = _write(tmp_path)
    exe = [str(Path(sys.executable).parent / "roadcarbon")]
    ok = subprocess.run(
        [*exe, "batch", str(src), "--out", str(tmp_path / "o.csv"), "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "10 rows done, 5 rejected" in ok.stdout
    assert (tmp_path / "o.csv.rejects.csv").is_file()
    for args, field in (
        (["--out", str(tmp_path / "o.txt")], "o.txt"),
        (["--out", str(tmp_path / "o.csv"), "--schemes", "XX.nothing"], "--schemes"),
        (["--out", str(tmp_path / "o.csv"), "--workers", "1", "--scheduler", "tcp://x:1"], "--workers"),
        (["--out", str(tmp_path / "o.csv"), "--samples", "1"], "--samples"),
    ):
        bad = subprocess.run(
            [*exe, "batch", str(src), *args], capture_output=True, text=True, timeout=60, check=False
        )
        assert bad.returncode == 2, bad.stderr
        assert field in bad.stderr and "Traceback" not in bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1
