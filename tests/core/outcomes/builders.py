"""Small builders for RD-1 tests: scores and procedures in a clinic's local time."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from facetcare.core.outcomes import Procedure, Scale, Score

LONDON = ZoneInfo("Europe/London")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
_ids = count(1)


def local(day: date, clock: str, zone: ZoneInfo = LONDON) -> datetime:
    """An aware instant from a local date and "HH:MM" (first occurrence when repeated)."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), zone).astimezone(UTC)


def score(at: datetime, value: int, scale: Scale = Scale.NRS_11) -> Score:
    return Score(next(_ids), at, value, scale)


def procedure(
    at: datetime | None, kind: str = "ia_therapeutic", agent: str = "", region: str = "lumbar"
) -> Procedure:
    return Procedure(next(_ids), at, kind, region, agent)


def diary_days(
    performed: datetime | None,
    values: dict[int, int],
    zone: ZoneInfo = LONDON,
    clock: str = "20:00",
) -> list[Score]:
    """One score at ``clock`` local time on each day index in ``values``."""
    assert performed is not None
    day0 = performed.astimezone(zone).date()
    return [score(local(day0 + timedelta(days=k), clock, zone), v) for k, v in values.items()]
