"""Start the platform (API + dashboard) with uvicorn for the browser tests and the web benchmark.

Usage: ``python tests/web/serve_app.py --port PORT [--credentials FILE]`` with
``ROADCARBON_DATABASE_URL`` naming a fresh database.  The database is migrated
and seeded exactly as ``roadcarbon serve`` does it (``prepare_database``); the
demo accounts the seed creates are written to ``FILE`` as JSON so the tests can
sign in.  Without the platform's app factory, a bare FastAPI app carries only
the dashboard.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def build_app(credentials: Path | None) -> Any:
    """The app to serve: the platform's ``create_app(settings)`` (which mounts the dashboard)."""
    from fastapi import FastAPI

    from roadcarbon.web import mount

    try:
        from roadcarbon.api import create_app
        from roadcarbon.cli.serve import prepare_database
        from roadcarbon.settings import Settings
    except ImportError:
        app = FastAPI()
        mount(app, None)
        return app
    settings = Settings()
    report = prepare_database(settings.database_url)
    if credentials is not None:
        credentials.write_text(json.dumps(report.get("credentials", []), indent=1), encoding="utf-8")
    app = create_app(settings)
    if not getattr(app.state, "roadcarbon_web", None):
        mount(app, settings)
    return app


def main() -> None:
    """Parse the arguments and serve on loopback."""
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--credentials", type=Path, default=None)
    args = parser.parse_args()
    uvicorn.run(build_app(args.credentials), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
