"""Long lists a page at a time: sorted, searched and counted in SQL.

A list that can grow past a few thousand rows (a year of gifts at a large association) is
not loaded whole to be sorted and searched in memory: the database sorts it, filters it by
the words typed, counts it, and hands back only the rows asked for. The table on screen asks
for the next page as it scrolls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import and_, literal, or_
from sqlalchemy.sql import ColumnElement, Select

from occe_bureau.formats import fold

Row = TypeVar("Row")

# The rows a table asks for at a time: a few screens' worth.
PAGE_SIZE = 200


@dataclass(frozen=True)
class RowPage(Generic[Row]):
    rows: list[Row]
    total: int  # how many rows the whole list has, with its filters and search


def words_match(text: str, *keys: ColumnElement) -> ColumnElement | None:
    """Every word typed (accents and case ignored) found in one of the keys (folded columns),
    or None when nothing was typed. The words are literal: `%` and `_` match themselves."""
    words = fold(text).split()
    if not words:
        return None
    conditions = []
    for word in words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(*(key.like(literal(pattern), escape="\\") for key in keys)))
    return and_(*conditions)


def fetch_page(conn, *, ids: Select, count: Select, rows: Callable[[list[Any]], Select],
               offset: int, limit: int | None, build: Callable[[Any], Row]) -> RowPage[Row]:
    """One page of a list, in two short steps: the ids of the page, sorted by the database on
    the fewest tables it needs (`ids`, already ordered), then the whole rows of just those ids
    (`rows(ids)`, whose first column is the id), kept in the page's order; with how many rows
    the list has (`count`, also on the fewest tables)."""
    total = conn.execute(count).scalar_one()
    paged = ids.offset(max(0, offset))
    if limit is not None:
        paged = paged.limit(limit)
    page_ids = [r[0] for r in conn.execute(paged)]
    if not page_ids:
        return RowPage([], total)
    found = {r[0]: r for r in conn.execute(rows(page_ids))}
    return RowPage([build(found[i]) for i in page_ids if i in found], total)
