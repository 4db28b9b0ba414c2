"""Request size limits (ASGI middleware) and in-memory rate limiting."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from typing import Any

from roadcarbon.api.problems import PROBLEM_MEDIA_TYPE, RateLimitedError


class BodySizeLimit:
    """Refuse request bodies larger than ``max_bytes`` with 413 problem+json (declared or streamed)."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.max_bytes:
                    await self._refuse(send)
                    return
        # the body is read whole (it is bounded by max_bytes), so a chunked body over the limit gets
        # the same 413 as a declared one, and JSON is checked before the app parses it
        chunks: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        problem = _json_problem(scope, body)
        if problem is not None:
            await _send_problem(send, 422, "Invalid input", *problem)
            return
        await self.app(
            scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send
        )

    async def _refuse(self, send: Any) -> None:
        import json

        body = json.dumps(
            {
                "type": "https://roadcarbon.example/problems/413",
                "title": "Request too large",
                "status": 413,
                "detail": f"the request body exceeds {self.max_bytes} bytes",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects accepted in a JSON body (the API's documents nest under 10)."""


def _replay(messages: list[dict[str, Any]], receive: Any = None) -> Any:
    queue = list(messages)

    async def replay() -> Any:
        if queue:
            return queue.pop(0)
        if receive is None:
            return {"type": "http.disconnect"}
        return await receive()

    return replay


def _json_problem(scope: dict[str, Any], body: bytes) -> tuple[str, str] | None:
    """``(detail, field)`` when a JSON body nests too deeply or holds a NUL character, else None.

    NUL characters are refused here so SQLite (which would store them) and PostgreSQL (which refuses
    them in text) answer alike, naming the field.
    """
    if not body:
        return None
    content_type = next((v for k, v in scope.get("headers", []) if k == b"content-type"), b"")
    if b"json" not in content_type.lower():
        return None
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                return f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels", "body"
        elif byte in (0x5D, 0x7D):
            depth -= 1
    if b"\\u0000" not in body and b"\x00" not in body:
        return None
    import json

    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None  # the app reports malformed JSON itself
    where = _nul_path(document, "")
    if where is None:
        return None
    return "a text may not contain a NUL character (U+0000)", where or "body"


def _nul_path(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return child
            found = _nul_path(item, child)
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _nul_path(item, f"{path}.{i}" if path else str(i))
            if found is not None:
                return found
    return None


async def _send_problem(send: Any, status: int, title: str, detail: str, field: str) -> None:
    import json

    body = json.dumps(
        {
            "type": f"https://roadcarbon.example/problems/{status}",
            "title": title,
            "status": status,
            "detail": detail,
            "field": field,
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """Sliding-window limit: at most ``limit`` events per ``window_s`` seconds per key (thread-safe)."""

    def __init__(self, limit: int, window_s: float = 60.0, *, what: str = "requests") -> None:
        self.limit = limit
        self.window_s = window_s
        self.what = what
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, events_n: int = 1) -> None:
        """Count ``events_n`` events for ``key`` (one by default); RateLimitedError when over the limit."""
        now = time.monotonic()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window_s:
                events.popleft()
            if len(events) + events_n > self.limit:
                retry = max(1, math.ceil(events[0] + self.window_s - now))
                raise RateLimitedError(
                    f"too many {self.what}: at most {self.limit} per {int(self.window_s)} s; retry in {retry} s",
                    retry_after_s=retry,
                )
            events.extend([now] * events_n)
            if len(self._events) > 100_000:
                self._events = {k: v for k, v in self._events.items() if v and v[-1] > now - self.window_s}
