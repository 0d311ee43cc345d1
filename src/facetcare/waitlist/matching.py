"""Whether a slot suits a waiting person: plain functions over local wall-clock times.

A slot's weekday and part of the day are read in its clinic's own zone, since
that is what the person chose from: "Tuesday mornings" at a London clinic means
a London Tuesday morning, whatever the server's clock says.
"""

from collections.abc import Iterable
from datetime import datetime, time

MORNING = "morning"
AFTERNOON = "afternoon"
EVENING = "evening"
PARTS_OF_DAY = (MORNING, AFTERNOON, EVENING)

_NOON = time(12)
_FIVE_PM = time(17)


def part_of_day(local: datetime | time) -> str:
    """``morning`` before 12:00, ``afternoon`` from 12:00 to before 17:00, then ``evening``."""
    clock = local.time() if isinstance(local, datetime) else local
    if clock < _NOON:
        return MORNING
    if clock < _FIVE_PM:
        return AFTERNOON
    return EVENING


def suits(local_start: datetime, *, weekdays: Iterable[int], parts_of_day: Iterable[str]) -> bool:
    """Whether a slot starting at ``local_start`` (in its clinic's zone) falls on one of
    ``weekdays`` (0 = Monday) and in one of ``parts_of_day``."""
    return local_start.weekday() in set(weekdays) and part_of_day(local_start) in set(parts_of_day)
