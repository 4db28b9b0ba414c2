"""Page through a SELECT: ``page`` from 1, ``per_page`` items, with the total count."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

from roadcarbon.db.repositories.paging import page_rows
from roadcarbon.errors import InputError

T = TypeVar("T")

PER_PAGE_MAX = 200


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list."""

    items: list[T]
    total: int
    page: int
    per_page: int

    def as_dict(self) -> dict[str, Any]:
        """``{items, total, page, per_page}``."""
        return {"items": self.items, "total": self.total, "page": self.page, "per_page": self.per_page}


def check_paging(page: int, per_page: int) -> None:
    """Refuse page < 1 and per_page outside 1..PER_PAGE_MAX."""
    if page < 1:
        raise InputError(f"must be >= 1, got {page}", field="page")
    if not 1 <= per_page <= PER_PAGE_MAX:
        raise InputError(f"must be between 1 and {PER_PAGE_MAX}, got {per_page}", field="per_page")


def paginate(
    session: Session,
    query: Select[*tuple[Any, ...]],
    *,
    page: int,
    per_page: int,
    to_dict: Callable[[Any], T],
    columns: bool = False,
) -> Page[T]:
    """One page of ``query`` (a SELECT from :mod:`roadcarbon.db.repositories`) as plain dicts.

    ``columns``: the query selects columns (rows are passed to ``to_dict``)
    rather than one ORM entity.
    """
    check_paging(page, per_page)
    rows, total = page_rows(session, query, page=page, per_page=per_page, columns=columns)
    return Page(items=[to_dict(r) for r in rows], total=total, page=page, per_page=per_page)
