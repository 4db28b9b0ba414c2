"""``roadcarbon batch``: a registry file (CSV or Parquet) through the engine and the rule library on Dask."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from roadcarbon.cli._common import console, err_console, fail, user_errors


def register(app: typer.Typer) -> None:
    """Add ``batch`` to the root command."""

    @app.command("batch")
    def batch(
        input_path: Annotated[str, typer.Argument(metavar="INPUT", help="Registry file, .csv or .parquet.")],
        out: Annotated[
            str, typer.Option("--out", help="Output file, .csv or .parquet (one row per input row).")
        ],
        schemes: Annotated[
            str | None,
            typer.Option("--schemes", help="Scheme ids, comma-separated (e.g. TH.excise_passenger_car)."),
        ] = None,
        samples: Annotated[
            int | None, typer.Option("--samples", help="Monte Carlo samples per distinct set-up (2-10000).")
        ] = None,
        seed: Annotated[int, typer.Option("--seed", help="Seed of the Monte Carlo draws.")] = 0,
        workers: Annotated[
            int | None, typer.Option("--workers", help="Local Dask workers (default: CPU count).")
        ] = None,
        scheduler: Annotated[
            str | None, typer.Option("--scheduler", help="Existing Dask scheduler, tcp://HOST:PORT.")
        ] = None,
        partition_rows: Annotated[
            int, typer.Option("--partition-rows", help="Rows per partition (memory per worker).")
        ] = 250_000,
    ) -> None:
        """Assess every row of a registry file; rejects go to OUTPUT.rejects.csv with row and reason."""
        if workers is not None and scheduler is not None:
            fail("--workers, --scheduler: give one of them, not both")
        if workers is not None and not 1 <= workers <= 256:
            fail("--workers: must be between 1 and 256")
        if samples is not None and not 2 <= samples <= 10_000:
            fail("--samples: must be between 2 and 10000")
        if scheduler is not None and not scheduler.startswith(("tcp://", "tls://", "inproc://")):
            fail(f"--scheduler: must be an address like tcp://HOST:PORT (got {scheduler!r})")
        if partition_rows < 1:
            fail("--partition-rows: must be >= 1")
        with user_errors():
            try:
                from roadcarbon.batch.core import BatchOptions
                from roadcarbon.batch.run import run_batch
            except ImportError as exc:  # pragma: no cover - depends on the installed extras
                fail(
                    f'`batch` needs the batch extra: pip install "roadcarbon[batch]" ({exc.name} is missing)'
                )
            ids = tuple(s.strip() for s in (schemes or "").split(",") if s.strip())
            options = BatchOptions(schemes=ids, samples=samples, seed=seed)
            with Progress(
                TextColumn("partitions"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rows]:,} rows"),
                TimeElapsedColumn(),
                console=err_console,
                transient=True,
            ) as bar:
                task = bar.add_task("batch", total=None, rows=0)

                def progress(done: int, total: int, rows: int) -> None:
                    bar.update(task, completed=done, total=total, rows=rows)

                summary = run_batch(
                    input_path,
                    out,
                    options=options,
                    workers=workers,
                    scheduler=scheduler,
                    partition_rows=partition_rows,
                    progress=progress,
                )
        console.print(summary.line(), markup=False, highlight=False, soft_wrap=True)
