"""CLI wall time per command: the CLI's single-threaded BLAS vs two BLAS threads (median of N runs).

Run: .venv/bin/python bench/cli_startup.py [N]
Baseline: the same command with OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=2 (what numpy would pick on 2 cores).
The two settings are interleaved run by run so that load from other processes hits both alike.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXE = str(Path(sys.executable).with_name("roadcarbon"))
COMMANDS = {
    "--version": ["--version"],
    "lca --json": ["lca", "car-medium-bev", "-c", "ID", "-y", "2025", "--json"],
    "compare --csv": ["compare", "car-medium-bev", "car-medium-petrol", "-c", "TH", "-y", "2025", "--csv"],
}


def _once(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([EXE, *args], env=env, capture_output=True, check=True)
    return time.perf_counter() - started


def main(n: int) -> None:
    single = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    two = {**single, "OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"}
    for label, args in COMMANDS.items():
        a, b = [], []
        for _ in range(n):
            a.append(_once(args, single))
            b.append(_once(args, two))
        one_ms, two_ms = statistics.median(a) * 1000, statistics.median(b) * 1000
        print(f"{label:15s} single-threaded BLAS {one_ms:6.0f} ms | baseline 2 threads {two_ms:6.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
