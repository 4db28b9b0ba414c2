"""First render of each dashboard page on loopback (goal: under 500 ms with the seeded data).

Starts the platform exactly as the browser tests do (``tests/web/serve_app.py``:
``create_app`` on a fresh SQLite database migrated and seeded like
``roadcarbon serve``), then for each page measures

* the server's first render: the first request of that page after start-up,
  wall time from sending the request to the last byte of HTML (httpx, loopback);
* the median of the next ``--repeat`` requests (warm);
* with Debian's Chromium present, the browser's first render: navigation to
  ``load`` and to every chart drawn (``data-ready``), in a fresh browser context.

Usage: ``.venv/bin/python bench/bench_web.py [--repeat 5] [--no-browser]``.
Results go to stdout as a Markdown table (paste into ``docs/benchmarks.md``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))

import conftest as web_fixtures  # noqa: E402 - the browser tests' server start-up

PAGES = [
    ("home", "/"),
    (
        "comparator (BEV vs petrol, ID, 200 samples)",
        "/compare?v=car-medium-bev&v=car-medium-petrol&country=ID&year=2025",
    ),
    (
        "comparator sensitivity (htmx fragment)",
        "/compare/sensitivity?v=car-medium-bev&v=car-medium-petrol&country=ID&year=2025",
    ),
    ("country map (39 countries)", "/map?year=2024"),
    ("standards explorer (all markets)", "/standards"),
    ("scheme page (SG VES)", "/standards/SG.vehicular_emissions_scheme"),
    (
        "scheme page with evaluation and trace",
        "/standards/SG.vehicular_emissions_scheme?vehicle=car-medium-bev&on=2025-06-01"
        "&allow=announced&allow=projected&allow=assumption&allow=unverified",
    ),
    (
        "cross-market compliance (2 vehicles × all schemes)",
        "/compliance?v=car-medium-bev&v=car-medium-petrol&on=2025-06-01"
        "&allow=announced&allow=projected&allow=assumption&allow=unverified",
    ),
    ("contributions (anonymous)", "/contributions"),
    ("data and sources", "/data"),
    ("sign in", "/login"),
]


def timed_get(client: httpx.Client, path: str) -> tuple[float, int]:
    """Wall time [ms] to the last byte, and the HTTP status."""
    start = time.perf_counter()
    r = client.get(path)
    _ = r.content
    return (time.perf_counter() - start) * 1000, r.status_code


def browser_times(base: str) -> dict[str, tuple[float, float]]:
    """Per page: (ms to the load event, ms until every chart on the page is drawn) in headless Chromium."""
    from playwright.sync_api import sync_playwright

    out: dict[str, tuple[float, float]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(web_fixtures.CHROMIUM), args=web_fixtures.CHROMIUM_ARGS
        )
        for name, path in PAGES:
            if "fragment" in name:
                continue
            context = browser.new_context(viewport={"width": 1366, "height": 900}, reduced_motion="reduce")
            page = context.new_page()
            start = time.perf_counter()
            page.goto(base + path, wait_until="load")
            loaded = (time.perf_counter() - start) * 1000
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.chart')).every(c => c.dataset.ready === '1')",
                timeout=30_000,
            )
            drawn = (time.perf_counter() - start) * 1000
            out[name] = (loaded, drawn)
            context.close()
        browser.close()
    return out


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="roadcarbon-bench-web-") as tmp:
        proc, base = web_fixtures.start_server(Path(tmp))
        try:
            rows = []
            with httpx.Client(base_url=base, timeout=120) as client:
                for name, path in PAGES:
                    first, status = timed_get(client, path)
                    warm = [timed_get(client, path)[0] for _ in range(args.repeat)]
                    rows.append((name, path, status, first, statistics.median(warm)))
            browser = {}
            if not args.no_browser and web_fixtures.CHROMIUM.exists():
                browser = browser_times(base)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print()
    print(
        f"| page | HTTP | server, first request [ms] | server, median of next {args.repeat} [ms] "
        "| browser: load / charts drawn [ms] |"
    )
    print("| --- | --- | --- | --- | --- |")
    for name, _path, status, first, warm in rows:
        b = browser.get(name)
        shown = f"{b[0]:.0f} / {b[1]:.0f}" if b else "—"
        print(f"| {name} | {status} | {first:.0f} | {warm:.0f} | {shown} |")


if __name__ == "__main__":
    main()
