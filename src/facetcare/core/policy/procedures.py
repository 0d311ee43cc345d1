"""Derived facts over the procedure history: sessions in a window, blocks at a site.

A session is every facet procedure in one spinal region group on one calendar
date, so a bilateral procedure is one session while staged left and right sides
on two dates are two. Only procedures dated on or before the request date count
as history. The requested procedure is always counted as one session.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from facetcare.core.policy.anatomy import GROUP_OF_REGION, groups_of
from facetcare.core.policy.facts import Facts, Procedure
from facetcare.core.policy.months import in_window, window_start


def prior(facts: Facts, types: Collection[str]) -> list[Procedure]:
    """History procedures of ``types`` on or before the request date, oldest first
    (same-day ones in the order ``latest`` ranks them)."""
    found = [p for p in facts.history if p.type in types and p.date <= facts.request.date]
    return sorted(found, key=_recency)


def groups_of_procedure(procedure: Procedure) -> set[str]:
    if procedure.levels and procedure.region != "other":
        return groups_of(procedure.levels)
    group = GROUP_OF_REGION.get(procedure.region or "")
    return {group} if group else set()


@dataclass(frozen=True)
class SessionCount:
    group: str
    previous: tuple[date, ...]
    start: date
    request_date: date

    @property
    def total(self) -> int:
        return len(self.previous) + 1


def sessions_in_window(
    facts: Facts, types: Collection[str], group: str, months: int
) -> SessionCount:
    """Sessions of ``types`` in region ``group`` inside the rolling window, plus the request.

    A history procedure on the request date is part of the requested session.
    """
    request_date = facts.request.date
    dates = {
        p.date
        for p in prior(facts, types)
        if group in groups_of_procedure(p) and in_window(p.date, request_date, months)
    }
    dates.discard(request_date)

    return SessionCount(
        group, tuple(sorted(dates)), window_start(request_date, months), request_date
    )


def at_site(procedures: Iterable[Procedure], pairs: frozenset[tuple[str, str]]) -> list[Procedure]:
    """Procedures covering at least one of the (level, side) ``pairs``."""
    return [p for p in procedures if p.pairs & pairs]


def latest(procedures: Iterable[Procedure]) -> Procedure | None:
    """The most recent procedure. Of several on that date, the one that gave the least
    relief, a missing figure counting as least: the answer never depends on the order
    the history was recorded in, and a same-day procedure that helped cannot hide one
    that did not."""
    return max(procedures, key=_recency, default=None)


def _recency(procedure: Procedure) -> tuple[object, ...]:
    relief = -1.0 if procedure.relief_percent is None else procedure.relief_percent
    days = -1 if procedure.relief_duration_days is None else procedure.relief_duration_days
    # The rest only makes the order total, so equal keys mean equal procedures.
    rest = (procedure.type, procedure.levels, procedure.side or "", procedure.agent or "")
    return (procedure.date, -relief, -days, *rest, repr(procedure.steroid_mg_mpde))


def spaced_count(days: Iterable[date], min_days_apart: int) -> int:
    """How many of ``days`` can be chosen with at least ``min_days_apart`` between each."""
    count, last = 0, None
    for day in sorted(set(days)):
        if last is None or (day - last).days >= min_days_apart:
            count, last = count + 1, day
    return count


def describe_blocks(blocks: Iterable[Procedure]) -> str:
    parts = []
    for block in blocks:
        relief = (
            "relief not recorded"
            if block.relief_percent is None
            else (f"{block.relief_percent:g}%")
        )
        parts.append(f"{block.date.isoformat()} {block.type} {relief}")
    return "; ".join(parts) or "none"
