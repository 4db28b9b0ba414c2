"""The application factory: ``create_app(settings)`` builds one app per database (no module-global engine)."""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from fastapi import APIRouter, FastAPI, Response

from roadcarbon.api import docs, problems
from roadcarbon.api.cache import PublicReadCache
from roadcarbon.api.limits import BodySizeLimit, RateLimiter
from roadcarbon.api.responses import respond
from roadcarbon.api.routers import accounts, calculations, fleet, plan, records, rules, workflow
from roadcarbon.api.schedule import aggregates_schedule
from roadcarbon.api.schemas.responses import Health
from roadcarbon.db.session import make_engine, make_sessionmakers
from roadcarbon.settings import Settings

API_PREFIX = "/api/v1"
log = logging.getLogger("roadcarbon.api")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API (and the web dashboard when ``roadcarbon.web.mount`` exists) for ``settings``.

    The database must be migrated already (``roadcarbon serve`` and
    ``roadcarbon db upgrade`` do it).
    """
    settings = settings or Settings()
    engine = make_engine(settings.database_url)
    read_sessions, write_sessions = make_sessionmakers(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        schedule = None
        if settings.aggregates_refresh_seconds > 0:
            schedule = asyncio.create_task(
                aggregates_schedule(write_sessions, settings.aggregates_refresh_seconds)
            )
        yield
        if schedule is not None:
            schedule.cancel()
            with suppress(asyncio.CancelledError):
                await schedule
        engine.dispose()

    from importlib.metadata import version

    app = FastAPI(
        title="roadcarbon",
        version=version("roadcarbon"),
        summary="Life-cycle carbon of road vehicles and executable low-carbon vehicle standards",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.read_sessions = read_sessions
    app.state.write_sessions = write_sessions
    app.state.secret_key = settings.resolved_secret_key()
    app.state.calc_limiter = RateLimiter(settings.calculations_per_minute, what="calculations")
    app.state.login_limiter = RateLimiter(settings.login_attempts_per_minute, what="sign-in attempts")
    problems.install(app)
    docs.install(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(PublicReadCache, engine=engine)

    api = APIRouter(prefix=API_PREFIX)

    @api.get(
        "/health", tags=["meta"], response_model=Health, summary="Service status and the data versions in use"
    )
    def health() -> Response:
        from roadcarbon.services.versions import data_version, rule_library_version

        with read_sessions() as session:
            from roadcarbon.services.releases import latest_release

            release = latest_release(session)
            return respond(
                {
                    "status": "ok",
                    "database": engine.dialect.name,
                    "data_version": data_version(),
                    "rule_library_version": rule_library_version(),
                    "release": release.tag if release else None,
                }
            )

    for module in (calculations, rules, records, workflow, accounts, fleet, plan):
        api.include_router(module.router)
    app.include_router(api)
    _mount_web(app, settings)
    return app


def _mount_web(app: FastAPI, settings: Settings) -> None:
    try:
        web: Any = importlib.import_module("roadcarbon.web")
    except ImportError as exc:
        log.info("web dashboard not available: %s", exc)
        return
    mount = getattr(web, "mount", None)
    if callable(mount):
        mount(app, settings)
