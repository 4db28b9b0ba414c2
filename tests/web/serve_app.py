"""Start the platform (API + dashboard) with uvicorn for the browser tests and the web benchmark.

Usage: ``python tests/web/serve_app.py --port PORT`` with ``ROADCARBON_DATABASE_URL``
set to a fresh database.  Uses the platform's app factory when it is present,
else a bare FastAPI app carrying only the dashboard.
"""

from __future__ import annotations

import argparse
from typing import Any


def build_app() -> Any:
    """The app to serve: ``create_app(settings)`` with the dashboard mounted."""
    from fastapi import FastAPI

    from roadcarbon.web import mount

    try:
        from roadcarbon.api.app import create_app
        from roadcarbon.settings import Settings
    except ImportError:
        app = FastAPI()
        mount(app, None)
        return app
    app = create_app(Settings())
    if not getattr(app.state, "roadcarbon_web", None):
        mount(app, Settings())
    return app


def main() -> None:
    """Parse the port and serve on loopback."""
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(build_app(), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
