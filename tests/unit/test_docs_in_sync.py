"""docs/methodology.md lists the default factors as shipped: the appendix must match the data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_methodology_appendix_matches_the_data() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "methodology_appendix.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
