"""Shared CLI plumbing: one-line errors with exit code 2, JSON output, consoles."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console

from roadcarbon.errors import RoadcarbonError

console = Console()
err_console = Console(stderr=True)

USAGE_ERROR = 2


def fail(message: str) -> NoReturn:
    """Print one line to stderr and exit with code 2."""
    err_console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(USAGE_ERROR)


def describe_validation_error(exc: ValidationError, *, prefix: str = "") -> str:
    """One line naming the first offending field of a pydantic error and what was expected."""
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first.get("loc", ()) if p != "__root__")
    where = ".".join(p for p in (prefix, loc) if p)
    msg = str(first.get("msg", "invalid value"))
    msg = msg.removeprefix("Value error, ")
    more = len(exc.errors()) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
    return f"{where}: {msg}{tail}" if where else f"{msg}{tail}"


@contextmanager
def user_errors(prefix: str = "") -> Iterator[None]:
    """Turn deliberate errors into one line + exit 2 (never a traceback)."""
    try:
        yield
    except ValidationError as exc:
        fail(describe_validation_error(exc, prefix=prefix))
    except RoadcarbonError as exc:
        fail(str(exc))
    except FileNotFoundError as exc:
        fail(f"file not found: {exc.filename}")


def print_json(document: Any) -> None:
    """Print one JSON document on stdout."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False, default=_json_default) + "\n")


def _json_default(value: Any) -> Any:
    import datetime as _dt

    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def command(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator: run a command body inside :func:`user_errors`."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with user_errors():
            return func(*args, **kwargs)

    return wrapper


def print_csv(rows: list[dict[str, Any]], columns: tuple[str, ...] | list[str]) -> None:
    """Print rows as CSV (header first) on stdout; one value per cell, never JSON; a text cell a spreadsheet
    would run as a formula gets a ``'`` in front, as in the API's and the web's exports."""
    import csv

    from roadcarbon.services.exports import spreadsheet_safe

    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)


def read_stdin_document(field: str) -> Any:
    """Parse a YAML or JSON document from standard input (the ``-`` argument)."""
    import yaml

    from roadcarbon.errors import SpecError

    text = sys.stdin.read()
    if not text.strip():
        raise SpecError("standard input is empty; expected a YAML or JSON spec", field=field)
    try:
        from roadcarbon.io.specs import read_yaml_text

        return read_yaml_text(text)  # JSON is YAML (YAML 1.2 booleans: `NO` stays a country code)
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "parse error"
        raise SpecError(f"standard input is not valid YAML or JSON: {reason}", field=field) from None


OUTCOME_COLUMNS = ("scheme", "vehicle", "on", "field", "value", "status", "provisional")
"""Columns of ``rules evaluate --csv`` / ``rules compare --csv``: one row per scalar outcome field."""


def outcome_rows(
    scheme: str, vehicle: str, on: str, outcome: dict[str, Any] | None, error: str | None = None
) -> list[dict[str, Any]]:
    """Tidy rows of one rule outcome: its scalar fields (lists and nested records stay in --json)."""
    if error is not None:
        return [
            {
                "scheme": scheme,
                "vehicle": vehicle,
                "on": on,
                "field": "error",
                "value": error,
                "status": "",
                "provisional": "",
            }
        ]
    outcome = outcome or {}
    skip = {"status", "provisional", "non_enacted", "non_enacted_parameters", "reference"}
    return [
        {
            "scheme": scheme,
            "vehicle": vehicle,
            "on": on,
            "field": key,
            "value": value,
            "status": outcome.get("status", ""),
            "provisional": outcome.get("provisional", ""),
        }
        for key, value in outcome.items()
        if key not in skip and (value is None or isinstance(value, str | int | float | bool))
    ]
