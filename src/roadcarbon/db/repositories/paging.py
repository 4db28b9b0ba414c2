"""Run a SELECT for one page, with the number of rows it matches."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


def page_rows(
    session: Session, query: Select[*tuple[Any, ...]], *, page: int, per_page: int, columns: bool = False
) -> tuple[list[Any], int]:
    """``(rows, total)``: ORM objects (or column rows with ``columns``) of one page, and the total count.

    When the first page is not full, its length is the total (no count query).
    """
    page_query = query.offset((page - 1) * per_page).limit(per_page)
    rows: list[Any] = list(
        session.execute(page_query).all() if columns else session.scalars(page_query).all()
    )
    if page == 1 and len(rows) < per_page:
        return rows, len(rows)
    total = int(session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0)
    return rows, total
