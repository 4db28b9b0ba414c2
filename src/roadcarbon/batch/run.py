"""Registry files through :func:`roadcarbon.batch.core.process_partition` on Dask (design: ``roadcarbon batch``).

The input (CSV or Parquet) is cut into partitions that the workers read themselves; results come
back partition by partition and are written in input order as they arrive (at most a few
partitions per worker in flight, so memory stays bounded whatever the file size).  The same code runs
serial (Dask's synchronous scheduler) in unit tests and, with ``workers``, on a local cluster or,
with ``scheduler``, on an existing one.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from roadcarbon.batch.core import BatchOptions, process_partition
from roadcarbon.errors import InputError

DEFAULT_PARTITION_ROWS = 250_000
"""Rows per partition (CSV: bytes are estimated from the file size)."""

Progress = Callable[[int, int, int], None]
"""``progress(partitions_done, partitions_total, rows_done)``."""


@dataclass(frozen=True)
class BatchSummary:
    """What a batch run did."""

    rows: int
    rejected: int
    partitions: int
    seconds: float
    output: Path
    rejects: Path

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        rate = self.rows / self.seconds if self.seconds > 0 else float("inf")
        return (
            f"{self.rows:,} rows done, {self.rejected:,} rejected (see {self.rejects}) -> {self.output} "
            f"in {self.seconds:.1f} s ({rate:,.0f} rows/s)"
        )


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix == ".csv":
        return "csv"
    raise InputError(f"must end in .csv or .parquet (got {path.name!r})", field=str(path))


@functools.cache
def _tables() -> Any:
    """Reference data, loaded once per worker process."""
    from roadcarbon.io.reference import load_reference

    return load_reference()


@functools.cache
def _library() -> Any:
    """The rule library, loaded once per worker process (only when schemes are asked for)."""
    from roadcarbon.io.rulebook import default_library

    return default_library()


def _read_csv_part(path: str, skip: int, nrows: int, header: list[str]) -> pd.DataFrame:
    return pd.read_csv(
        path, skiprows=1 + skip, nrows=nrows, header=None, names=header, dtype=str, keep_default_na=True
    )


def _read_parquet_part(path: str, row_groups: list[int]) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).read_row_groups(row_groups).to_pandas()


def _task(
    reader: Callable[..., pd.DataFrame], args: tuple[Any, ...], options: BatchOptions, number: int
) -> pd.DataFrame:
    library = _library() if options.schemes else None
    return process_partition(reader(*args), _tables(), library, options, number)


def _partitions(
    path: Path, kind: str, partition_rows: int
) -> list[tuple[Callable[..., pd.DataFrame], tuple[Any, ...]]]:
    """(reader, args) per partition, cheap to ship to a worker."""
    if kind == "parquet":
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(path).metadata
        parts: list[tuple[Callable[..., pd.DataFrame], tuple[Any, ...]]] = []
        group: list[int] = []
        rows = 0
        for i in range(meta.num_row_groups):
            group.append(i)
            rows += meta.row_group(i).num_rows
            if rows >= partition_rows:
                parts.append((_read_parquet_part, (str(path), group)))
                group, rows = [], 0
        if group or not parts:
            parts.append((_read_parquet_part, (str(path), group)))
        return parts
    header = list(pd.read_csv(path, nrows=0).columns)
    with path.open("rb") as fh:
        total = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 24), b""))
    total = max(total - 1, 0)  # minus the header (a last line without newline is counted below)
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        if size:
            fh.seek(size - 1)
            if fh.read(1) != b"\n":
                total += 1
    starts = range(0, max(total, 1), partition_rows)
    return [(_read_csv_part, (str(path), s, min(partition_rows, total - s), header)) for s in starts]


class _Writer:
    """Writes result partitions in order to CSV or Parquet, and the rejects CSV."""

    def __init__(self, output: Path, kind: str) -> None:
        self.output, self.kind = output, kind
        self.rejects = output.with_name(output.name + ".rejects.csv")
        self.columns: list[str] | None = None
        self.schema: Any = None
        self.parquet: Any = None
        self.offset = 0
        self.rejected = 0
        output.parent.mkdir(parents=True, exist_ok=True)
        pd.DataFrame({"row": pd.Series(dtype="int64"), "reason": pd.Series(dtype="string")}).to_csv(
            self.rejects, index=False
        )

    def write(self, part: pd.DataFrame) -> None:
        part.insert(0, "row", range(self.offset + 1, self.offset + 1 + len(part)))
        self.offset += len(part)
        bad = part[part["status"] == "rejected"]
        if len(bad):
            self.rejected += len(bad)
            bad[["row", "reason"]].to_csv(self.rejects, mode="a", header=False, index=False)
        if self.columns is None:
            self.columns = list(part.columns)
        else:
            part = part.reindex(columns=self.columns)
        if self.kind == "csv":
            first = self.offset == len(part)
            part.to_csv(self.output, mode="w" if first else "a", header=first, index=False)
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.parquet is None:
            table = pa.Table.from_pandas(part, preserve_index=False)
            self.schema = table.schema
            self.parquet = pq.ParquetWriter(self.output, self.schema)
        else:
            try:
                table = pa.Table.from_pandas(part, schema=self.schema, preserve_index=False)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                table = pa.Table.from_pandas(
                    part.astype({c: "string" for c in part.columns if part[c].dtype == object}),
                    preserve_index=False,
                ).cast(self.schema, safe=False)
        self.parquet.write_table(table)

    def close(self) -> None:
        if self.parquet is not None:
            self.parquet.close()
        elif self.kind == "parquet":
            pd.DataFrame({"row": pd.Series(dtype="int64")}).to_parquet(self.output, index=False)


def run_batch(
    input_path: str | Path,
    output_path: str | Path,
    *,
    options: BatchOptions | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    serial: bool = False,
    partition_rows: int = DEFAULT_PARTITION_ROWS,
    progress: Progress | None = None,
    memory_limit: str = "2GB",
) -> BatchSummary:
    """Assess every row of a registry file; one output row per input row, in input order.

    Parameters
    ----------
    input_path, output_path
        ``.csv`` or ``.parquet``.  Rejected rows are listed in ``OUTPUT.rejects.csv`` (``row``, 1-based
        data row of the input, and ``reason``) and kept in the output with ``status = rejected``.
    options
        Schemes, Monte Carlo samples and seed.
    workers
        Local Dask cluster of this many single-threaded worker processes (default: the CPU count).
    scheduler
        Address of an existing Dask scheduler (``tcp://host:port``) instead of a local cluster.
    serial
        Run every partition in this process, in order (Dask's synchronous path, for tests).
    partition_rows
        Rows per partition.
    progress
        Called after each partition written.
    memory_limit
        Per-worker memory limit of the local cluster.
    """
    options = options or BatchOptions()
    src, dst = Path(input_path), Path(output_path)
    if not src.is_file():
        raise InputError(f"input file not found: {src}", field="INPUT")
    kind_in, kind_out = _format(src), _format(dst)
    if src.resolve() == dst.resolve():
        raise InputError("must differ from INPUT", field="--out")
    if options.schemes:
        unknown = [s for s in options.schemes if s not in _library().schemes]
        if unknown:
            raise InputError(f"unknown scheme id(s): {', '.join(unknown)}", field="--schemes")
    if partition_rows < 1:
        raise InputError("must be >= 1", field="partition_rows")
    parts = _partitions(src, kind_in, partition_rows)
    writer = _Writer(dst, kind_out)
    start = time.perf_counter()
    rows = 0

    def done(i: int, frame: pd.DataFrame) -> None:
        nonlocal rows
        writer.write(frame)
        rows += len(frame)
        if progress:
            progress(i + 1, len(parts), rows)

    try:
        if serial:
            import dask

            for i, (reader, args) in enumerate(parts):
                (frame,) = dask.compute(
                    dask.delayed(_task)(reader, args, options, i), scheduler="synchronous"
                )
                done(i, frame)
        else:
            _distributed(parts, options, workers, scheduler, memory_limit, done)
    finally:
        writer.close()
    return BatchSummary(
        rows=rows,
        rejected=writer.rejected,
        partitions=len(parts),
        seconds=time.perf_counter() - start,
        output=dst,
        rejects=writer.rejects,
    )


def _distributed(
    parts: list[tuple[Callable[..., pd.DataFrame], tuple[Any, ...]]],
    options: BatchOptions,
    workers: int | None,
    scheduler: str | None,
    memory_limit: str,
    done: Callable[[int, pd.DataFrame], None],
) -> None:
    import os

    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler, timeout="30s")
    else:
        n = workers or os.cpu_count() or 1
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            memory_limit=memory_limit,
            dashboard_address=None,
        )
        client = Client(cluster)
    try:
        slots = max(2, 2 * len(client.scheduler_info().get("workers", {})))
        pending = iter(enumerate(parts))
        futures = {}
        for i, (reader, args) in pending:
            futures[client.submit(_task, reader, args, options, i, pure=False)] = i
            if len(futures) >= slots:
                break
        ready: dict[int, pd.DataFrame] = {}
        next_i = 0
        queue = as_completed(list(futures))
        for fut in queue:
            i = futures.pop(fut)
            ready[i] = fut.result()
            fut.release()
            while next_i in ready:
                done(next_i, ready.pop(next_i))
                next_i += 1
            while len(futures) + len(ready) < slots:
                nxt = next(pending, None)
                if nxt is None:
                    break
                j, (reader, args) = nxt
                new = client.submit(_task, reader, args, options, j, pure=False)
                futures[new] = j
                queue.add(new)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


__all__ = ["DEFAULT_PARTITION_ROWS", "BatchSummary", "run_batch"]
