"""A cache of anonymous public reads, invalidated by the audit log.

Every write of the platform appends to ``audit_events`` in the same
transaction, so the largest audit-event id is a database-wide version: a
cached answer is served only while that id has not moved.  Only requests
without credentials are cached (they see public data only), only ``GET``
with status 200, only under the listed prefixes.  Each worker process keeps
its own bounded cache; the version comes from the database, so workers never
serve data older than the last committed write.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import Engine, text
from starlette.concurrency import run_in_threadpool

CACHED_PREFIXES = (
    "/api/v1/vehicles",
    "/api/v1/datasets",
    "/api/v1/releases",
    "/api/v1/rules",
    "/api/v1/presets",
    "/api/v1/contributions",
    "/api/v1/audit",
    "/api/v1/supply-chain/aggregates",
    "/api/v1/organisations",
)
MAX_ENTRIES = 512
MAX_BODY_BYTES = 2_000_000


class PublicReadCache:
    """ASGI middleware; see the module docstring."""

    def __init__(self, app: Any, engine: Engine, max_entries: int = MAX_ENTRIES) -> None:
        self.app = app
        self.engine = engine
        self.max_entries = max_entries
        self._entries: OrderedDict[
            tuple[str, bytes, bytes], tuple[int, int, list[tuple[bytes, bytes]], bytes]
        ] = OrderedDict()
        self._lock = threading.Lock()

    def _version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(text("SELECT coalesce(max(id), 0) FROM audit_events")).scalar_one())

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(CACHED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        if b"authorization" in headers or b"cookie" in headers:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""), headers.get(b"accept", b""))
        version = await run_in_threadpool(self._version)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == version:
                self._entries.move_to_end(key)
        if hit is not None and hit[0] == version:
            _, status, response_headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": response_headers})
            await send({"type": "http.response.body", "body": body})
            return
        captured: dict[str, Any] = {"body": []}

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                captured["body"].append(message.get("body", b""))
                if not message.get("more_body", False):
                    captured["done"] = True
            await send(message)

        await self.app(scope, receive, capture)
        body = b"".join(captured["body"])
        if captured.get("status") == 200 and captured.get("done") and len(body) <= MAX_BODY_BYTES:
            with self._lock:
                self._entries[key] = (version, 200, captured["headers"], body)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
