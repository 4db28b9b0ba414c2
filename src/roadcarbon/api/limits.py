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
        received = 0
        too_large = False

        async def limited_receive() -> Any:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    raise _TooLarge
            return message

        started = False

        async def tracking_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)
        except Exception:
            if too_large and not started:
                await self._refuse(send)
                return
            raise

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


class _TooLarge(Exception):
    pass


class RateLimiter:
    """Sliding-window limit: at most ``limit`` events per ``window_s`` seconds per key (thread-safe)."""

    def __init__(self, limit: int, window_s: float = 60.0, *, what: str = "requests") -> None:
        self.limit = limit
        self.window_s = window_s
        self.what = what
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Count one event for ``key``; RateLimitedError when over the limit."""
        now = time.monotonic()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window_s:
                events.popleft()
            if len(events) >= self.limit:
                retry = max(1, math.ceil(events[0] + self.window_s - now))
                raise RateLimitedError(
                    f"too many {self.what}: at most {self.limit} per {int(self.window_s)} s; retry in {retry} s",
                    retry_after_s=retry,
                )
            events.append(now)
            if len(self._events) > 100_000:
                self._events = {k: v for k, v in self._events.items() if v and v[-1] > now - self.window_s}
