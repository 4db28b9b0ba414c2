"""Work the server does on a schedule: recomputing the public supply-chain aggregates.

Each worker process runs the loop; the check and the recomputation share one write transaction
(SQLite: ``BEGIN IMMEDIATE``), so the snapshot is recomputed about once per interval whatever the
number of workers, and a restart does not recompute a snapshot that is still fresh.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from roadcarbon.db.session import transaction
from roadcarbon.services.records import aggregates_refresh_due, refresh_supply_chain_aggregates

log = logging.getLogger("roadcarbon.api.schedule")
RETRY_AFTER_ERROR_S = 300.0


def refresh_aggregates_if_due(sessions: sessionmaker[Session], interval_s: float) -> float:
    """Recompute when the stored snapshot is ``interval_s`` old (or missing); seconds until the next time."""
    with transaction(sessions) as session:
        wait_s = aggregates_refresh_due(session, interval_s)
        if wait_s > 0:
            return wait_s
        report = refresh_supply_chain_aggregates(session)
    log.info("supply-chain aggregates recomputed: %s group(s) published", report["groups"])
    return float(interval_s)


async def aggregates_schedule(sessions: sessionmaker[Session], interval_s: float) -> None:
    """Run :func:`refresh_aggregates_if_due` forever (cancelled when the server stops)."""
    while True:
        try:
            wait_s = await run_in_threadpool(refresh_aggregates_if_due, sessions, interval_s)
        except Exception:  # a database hiccup must not end the schedule
            log.exception("recomputing the supply-chain aggregates failed; retrying later")
            wait_s = min(float(interval_s), RETRY_AFTER_ERROR_S)
        await asyncio.sleep(max(wait_s, 0.5))
