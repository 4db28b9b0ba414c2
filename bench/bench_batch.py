"""``roadcarbon batch`` at registry scale: a synthetic 10-million-row registry through a local Dask cluster.

Run: ``.venv/bin/python bench/bench_batch.py [ROWS] [WORKERS ...]`` (default 10,000,000 rows, 1 and 2 workers).

The registry is generated here (Parquet, row groups of 250,000): packaged car presets, five ASEAN
countries of use, first years 2021-2026 (the grid data start in 2021), one row per vehicle — the shape of a national registration
file (many vehicles, few distinct specs).  Each run starts its own ``LocalCluster`` (single-threaded
worker processes, 2 GB memory limit each), runs :func:`roadcarbon.batch.run.run_batch` against it,
checks one output row per input row, and reports rows/s and the peak resident memory of every worker
(``ru_maxrss`` read on the worker) and of the driver.  There is no baseline tool with a batch path;
the end-to-end ``assess()`` figures are in ``bench_engine.py``.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client, LocalCluster
from rich.console import Console
from rich.table import Table

from roadcarbon.batch.core import BatchOptions
from roadcarbon.batch.run import run_batch
from roadcarbon.io.specs import list_presets

COUNTRIES = ("TH", "ID", "VN", "MY", "PH")
ROW_GROUP = 250_000


def make_registry(path: Path, rows: int, seed: int = 0) -> None:
    """Write a synthetic registry of ``rows`` vehicles (Parquet), in row groups, in bounded memory."""
    rng = np.random.default_rng(seed)
    presets = np.array([p for p in list_presets() if p.startswith("car-")])
    schema = pa.schema([("preset", pa.string()), ("country", pa.string()), ("year", pa.int64())])
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, rows, ROW_GROUP):
            n = min(ROW_GROUP, rows - start)
            table = pa.table(
                {
                    "preset": presets[rng.integers(0, presets.size, n)],
                    "country": np.array(COUNTRIES)[rng.integers(0, len(COUNTRIES), n)],
                    "year": rng.integers(2021, 2027, n),
                },
                schema=schema,
            )
            writer.write_table(table)


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run(path: Path, out: Path, workers: int) -> dict[str, float]:
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            memory_limit="2GB",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        start = time.perf_counter()
        summary = run_batch(path, out, scheduler=cluster.scheduler_address, options=BatchOptions())
        seconds = time.perf_counter() - start
        peaks = client.run(_maxrss_mb)
    rows = pq.ParquetFile(out).metadata.num_rows
    assert rows == summary.rows, (rows, summary.rows)
    return {
        "rows": summary.rows,
        "rejected": summary.rejected,
        "seconds": seconds,
        "rows_per_s": summary.rows / seconds,
        "worker_peak_mb": max(peaks.values()),
        "driver_peak_mb": _maxrss_mb(),
    }


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    worker_counts = [int(w) for w in sys.argv[2:]] or [1, 2]
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "registry.parquet"
        t0 = time.perf_counter()
        make_registry(src, rows)
        console.print(
            f"generated {rows:,} rows in {time.perf_counter() - t0:.1f} s "
            f"({src.stat().st_size / 1e6:.0f} MB Parquet); load average {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} cores"
        )
        table = Table(title=f"roadcarbon batch, {rows:,}-row synthetic registry (Parquet in and out)")
        for col in ("workers", "rows/s", "seconds", "peak RSS per worker", "driver peak RSS", "rejected"):
            table.add_column(col, justify="right")
        for w in worker_counts:
            r = run(src, Path(tmp) / f"out{w}.parquet", w)
            table.add_row(
                str(w),
                f"{r['rows_per_s']:,.0f}",
                f"{r['seconds']:.1f}",
                f"{r['worker_peak_mb']:,.0f} MB",
                f"{r['driver_peak_mb']:,.0f} MB",
                f"{r['rejected']:,}",
            )
            console.print(f"{w} worker(s): {r}")
        console.print(table)
        console.print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
