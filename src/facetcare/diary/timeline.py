"""Where things sit on a diary day: working time, free gaps and grid positions.

Plain values in, plain values out (no Django), on the scheduling core's integer
microsecond spans, so a daylight-saving day comes out as the engine sees it. A
day's diary is a grid of five-minute rows counted from a whole local hour; a
block's place on it is a first row and a number of rows, which the diary's
stylesheet turns into CSS grid positions (the page's content security policy
allows no inline styles, so positions are classes, not computed styles).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from facetcare.core.scheduling.calendar import US, from_us, local_day
from facetcare.core.scheduling.intervals import Span, intersect, normalise, subtract
from facetcare.core.scheduling.types import WeeklyHours

ROW = 5 * 60 * US
HOUR = 60 * 60 * US
MINUTE = 60 * US
# The stylesheet has classes for rows 1..MAX_ROWS: a 25-hour day (clocks going
# back) of five-minute rows is 300.
MAX_ROWS = 300
# A gap shorter than this fits no service and is left blank rather than offered.
MIN_GAP = 15 * MINUTE
# When nothing is known about a day (nobody working, clinic shut), show these hours.
DEFAULT_HOURS = (8, 18)


def valid_on(hours: WeeklyHours, day: date) -> bool:
    """Whether a weekly row applies on local ``day`` (its weekday and dates)."""
    return (
        hours.weekday == day.weekday()
        and (hours.valid_from is None or hours.valid_from <= day)
        and (hours.valid_until is None or day <= hours.valid_until)
    )


def spans_on(zone: str, day: date, rows: Iterable[WeeklyHours]) -> list[Span]:
    """The UTC spans of the weekly rows that apply on local ``day`` (sorted, joined)."""
    local = local_day(zone, day)
    return normalise(
        (local.instant(row.start), local.instant(row.end)) for row in rows if valid_on(row, day)
    )


def working_time(
    *,
    zone: str,
    day: date,
    working: Iterable[WeeklyHours],
    opening: Iterable[WeeklyHours],
    closed: bool,
    time_off: Sequence[Span] = (),
) -> list[Span]:
    """When a practitioner can see patients at a clinic on local ``day``: their working
    hours inside the clinic's opening hours, less time off; nothing on a closed day."""
    if closed:
        return []
    hours = intersect(spans_on(zone, day, working), spans_on(zone, day, opening))
    return subtract(hours, normalise(time_off))


def free_gaps(working: Sequence[Span], busy: Iterable[Span], *, not_before: int) -> list[Span]:
    """Working time not taken by ``busy`` spans, from ``not_before`` on, leaving out
    gaps shorter than ``MIN_GAP``.

    ``not_before`` is rounded up to a quarter hour of UTC time, which is a local
    quarter hour too: every zone's offset is a whole number of quarter hours.
    """
    quarter = 15 * MINUTE
    floor = -(-not_before // quarter) * quarter
    free = subtract(working, normalise(busy))
    clipped = ((max(start, floor), end) for start, end in free)
    return [(start, end) for start, end in clipped if end - start >= MIN_GAP]


def minutes(spans: Iterable[Span]) -> int:
    """Whole minutes covered by disjoint spans."""
    return sum(end - start for start, end in spans) // MINUTE


@dataclass(frozen=True, slots=True)
class Place:
    """A block's first grid row (1-based) and how many rows it covers."""

    row: int
    rows: int

    @property
    def css(self) -> str:
        return f"start-{self.row} span-{self.rows}"


@dataclass(frozen=True, slots=True)
class Grid:
    """Five-minute rows from ``origin`` (a UTC instant on a whole local hour)."""

    origin: int
    rows: int

    @property
    def hours(self) -> int:
        return self.rows // 12

    def place(self, start: int, end: int) -> Place:
        """The rows a span covers, widened to whole rows and kept inside the grid."""
        first = max(0, (start - self.origin) // ROW)
        last = min(self.rows, -(-(end - self.origin) // ROW))
        first = min(first, self.rows - 1)
        return Place(first + 1, max(1, last - first))

    def marks(self, zone: str) -> list[tuple[Place, datetime]]:
        """Each hour line: its place (one hour of rows) and the local time it reads."""
        tz = ZoneInfo(zone)
        return [
            (Place(hour * 12 + 1, 12), from_us(self.origin + hour * HOUR).astimezone(tz))
            for hour in range(self.hours)
        ]


def day_grid(zone: str, day: date, spans: Iterable[Span]) -> Grid:
    """A grid of whole local hours covering ``spans`` (or the default hours) on ``day``.

    Whole hours from the start of the first hour touched to the end of the last;
    on a daylight-saving day hours are counted in real time, so an hour that is
    repeated appears twice and a skipped one not at all.
    """
    local = local_day(zone, day)
    found = [(start, end) for start, end in spans if end > local.start and start < local.end]
    if found:
        low = max(local.start, min(start for start, _ in found))
        high = min(local.end, max(end for _, end in found))
    else:
        first, last = DEFAULT_HOURS
        low, high = local.instant(time(first)), local.instant(time(last))
    origin = _hour_floor(zone, low)
    rows = -(-(high - origin) // HOUR) * 12
    return Grid(origin, min(max(rows, 12), MAX_ROWS))


def _hour_floor(zone: str, instant: int) -> int:
    """The start of the local hour holding ``instant`` (the local reading decides, so a
    zone with a half-hour offset still gets its own whole hours)."""
    local = from_us(instant).astimezone(ZoneInfo(zone))
    return instant - (local.minute * 60 + local.second) * US - local.microsecond
