"""Logging of the server: access log and application logs, as text or one JSON object per line."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

LEVELS = ("debug", "info", "warning", "error")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time`` (UTC ISO 8601), ``level``, ``logger``, ``message`` and extras.

    uvicorn's access records carry ``client_addr``, ``method``, ``path``, ``http_version`` and
    ``status`` as fields, so log collectors need no parsing.
    """

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) == 5:
            client, method, path, version, status = record.args
            out.update(
                client_addr=client, method=method, path=path, http_version=version, status=int(str(status))
            )
            out["message"] = f"{method} {path} {status}"
        else:
            out["message"] = record.getMessage()
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in out:
                out[key] = value if isinstance(value, str | int | float | bool | None) else repr(value)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def log_config(level: str = "info", *, json_format: bool = False, access_log: bool = True) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` document for uvicorn and roadcarbon.

    ``level`` applies to the application loggers (``roadcarbon``, ``uvicorn.error``); the access log
    (one line per request) is written at INFO when ``access_log`` is true.
    """
    level = level.lower()
    if level not in LEVELS:
        raise ValueError(f"log level must be one of {', '.join(LEVELS)}")
    formatter = (
        {"()": f"{__name__}.JsonFormatter"}
        if json_format
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"}
        },
        "loggers": {
            "roadcarbon": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {
                "handlers": ["stderr"] if access_log else [],
                "level": "INFO" if access_log else "CRITICAL",
                "propagate": False,
            },
        },
    }
