"""Calendar arithmetic for rolling windows and elapsed intervals.

The conventions are the packs' (see docs/policy-engine.md): a rolling window of
N months ending on the request date holds an event when
``request - N months < event <= request``, so the anniversary date is outside;
"at least N months since" passes on the anniversary. Month arithmetic clamps to
the end of a shorter month (31 August + 6 months = 28 or 29 February).
"""

from calendar import monthrange
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by a whole number of calendar months (negative goes back),
    clamped to the last day of the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def window_start(request_date: date, months: int) -> date:
    """The exclusive lower bound of a rolling window of ``months`` ending on ``request_date``."""
    return add_months(request_date, -months)


def in_window(event: date, request_date: date, months: int) -> bool:
    """Whether ``event`` lies in the rolling window (anniversary excluded)."""
    return window_start(request_date, months) < event <= request_date


def months_elapsed(since: date, request_date: date, months: int) -> bool:
    """Whether at least ``months`` calendar months separate ``since`` from ``request_date``
    (the anniversary itself counts as elapsed)."""
    return request_date >= add_months(since, months)


def whole_months_between(start: date, end: date) -> int:
    """Completed calendar months from ``start`` to ``end`` (0 if ``end`` is earlier)."""
    count = (end.year - start.year) * 12 + (end.month - start.month)
    while count > 0 and add_months(start, count) > end:
        count -= 1
    return max(count, 0)


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``22nd`` for clinician-facing messages."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def list_dates(days: list[date]) -> str:
    """``2025-10-18, 2025-12-01 and 2026-01-10`` (or ``none``)."""
    texts = [d.isoformat() for d in sorted(days)]
    if not texts:
        return "none"
    if len(texts) == 1:
        return texts[0]
    return ", ".join(texts[:-1]) + " and " + texts[-1]
