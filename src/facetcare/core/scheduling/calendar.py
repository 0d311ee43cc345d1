"""A clinic's local days as UTC instants, computed once per (time zone, day).

Instants inside the engine are integer microseconds since the epoch, UTC. A
local day is described by its UTC bounds and its constant-offset segments (one,
or two on a daylight-saving day), so wall-clock boundaries and the slot grid are
plain arithmetic afterwards instead of a zoneinfo call per slot.

Daylight-saving rules (pinned by the golden tests):

- A local day runs from the first instant its wall clock reads 00:00 to the
  first instant the next day's wall clock reads 00:00 (23, 24 or 25 hours).
- A wall-clock boundary (opening, closing, start or end of work) that does not
  exist, because clocks jump forward over it, means the instant of the jump: the
  first moment the clock reads that time or later. Opening 01:00-03:00 on
  Europe/London's spring-forward day gives one hour, 02:00-03:00 BST.
- A boundary that happens twice, because clocks go back, means its first
  occurrence (``fold=0``). Opening 01:00-03:00 on London's autumn day gives
  three hours, 01:00 BST to 03:00 GMT.
- Slot starts are the instants whose local wall-clock reading is a whole
  multiple of the step after local midnight. A wall time that does not exist
  yields no start; a repeated wall time yields a start at each occurrence, since
  both are real instants (told apart by their UTC offset).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

US = 1_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 - wall-clock arithmetic, no zone on purpose
_DAY = timedelta(days=1)


def to_us(value: datetime) -> int:
    """Microseconds since the epoch of an aware datetime (exact, no float rounding)."""
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * US + delta.microseconds


def from_us(value: int) -> datetime:
    """The UTC datetime of ``value`` microseconds since the epoch."""
    return _EPOCH + timedelta(microseconds=value)


def _wall_us(value: datetime) -> int:
    """Microseconds since the epoch of a naive wall-clock reading, as if it were UTC."""
    delta = value - _NAIVE_EPOCH
    return (delta.days * 86_400 + delta.seconds) * US + delta.microseconds


def _offset_us(zone: ZoneInfo, instant_s: int) -> int:
    offset = datetime.fromtimestamp(instant_s, zone).utcoffset()
    assert offset is not None
    return (offset.days * 86_400 + offset.seconds) * US


def _first_instant(zone: ZoneInfo, wall: datetime) -> int:
    """The first instant whose local reading is ``wall`` or later (see the module rules)."""
    early = to_us(wall.replace(tzinfo=zone))
    back = from_us(early).astimezone(zone).replace(tzinfo=None)
    if back == wall:
        return early
    # In a gap fold=0 uses the offset before the jump and fold=1 the one after;
    # the jump lies between the two readings, found to the second by bisection.
    late = to_us(wall.replace(tzinfo=zone, fold=1))
    low, high = sorted((early // US, late // US))
    target = _wall_us(wall)
    while low < high:
        mid = (low + high) // 2
        if mid * US + _offset_us(zone, mid) >= target:
            high = mid
        else:
            low = mid + 1
    return low * US


@dataclass(frozen=True, slots=True)
class LocalDay:
    """One local day: UTC bounds ``[start, end)`` and ``(from, to, offset)`` segments."""

    day: date
    start: int
    end: int
    midnight: int
    segments: tuple[tuple[int, int, int], ...]

    def instant(self, wall: time) -> int:
        """UTC instant of a wall-clock boundary on this day (gap: the jump; repeat: first)."""
        reading = self.midnight + (wall.hour * 3600 + wall.minute * 60 + wall.second) * US
        reading += wall.microsecond
        for first, last, offset in self.segments:
            candidate = reading - offset
            if candidate < last:
                return max(candidate, first)
        return self.end

    def grid(self, low: int, high: int, step: int) -> Iterator[int]:
        """Slot starts in ``[low, high]`` (inclusive) on this day's wall-clock grid of ``step``."""
        for first, last, offset in self.segments:
            begin = max(low, first)
            stop = min(high, last - 1)
            if begin > stop:
                continue
            begin += -(begin + offset - self.midnight) % step
            yield from range(begin, stop + 1, step)

    def is_on_grid(self, instant: int, step: int) -> bool:
        """Whether ``instant`` (within this day) is on the wall-clock grid of ``step``."""
        for first, last, offset in self.segments:
            if first <= instant < last:
                return (instant + offset - self.midnight) % step == 0
        return False


@lru_cache(maxsize=8192)
def local_day(zone_name: str, day: date) -> LocalDay:
    """The UTC description of local ``day`` in IANA zone ``zone_name`` (cached)."""
    zone = ZoneInfo(zone_name)
    midnight = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - a wall-clock reading
    start = _first_instant(zone, midnight)
    end = _first_instant(zone, midnight + _DAY)
    first_offset = _offset_us(zone, start // US)
    last_offset = _offset_us(zone, (end - 1) // US)
    if first_offset == last_offset:
        segments: tuple[tuple[int, int, int], ...] = ((start, end, first_offset),)
    else:
        low, high = start // US, (end - 1) // US
        while low < high:
            mid = (low + high) // 2
            if _offset_us(zone, mid) == last_offset:
                high = mid
            else:
                low = mid + 1
        jump = low * US
        segments = ((start, jump, first_offset), (jump, end, last_offset))
    return LocalDay(day, start, end, _wall_us(midnight), segments)


def local_date(zone_name: str, instant: int) -> date:
    """The local calendar date of ``instant`` in zone ``zone_name``."""
    return from_us(instant).astimezone(ZoneInfo(zone_name)).date()


def local_text(zone_name: str, instant: int) -> str:
    """``instant`` as a person at the clinic reads it, e.g. ``09:30 BST``."""
    return f"{from_us(instant).astimezone(ZoneInfo(zone_name)):%H:%M %Z}"


def day_text(day: date) -> str:
    """``day`` written out, e.g. ``Sunday 29 March 2026``."""
    return f"{day:%A} {day.day} {day:%B %Y}"
