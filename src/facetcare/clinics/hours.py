"""Clinic facts written for patients: opening hours ("Monday to Friday 08:00–20:00"), and
the clinic's own today."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from facetcare import locales
from facetcare.clinics.models import Clinic, Closure, OpeningHours, Weekday

DAY_NAMES = [label for _, label in Weekday.choices]


def local_today(clinic: Clinic, now: datetime) -> date:
    """The date it is at ``clinic`` at the aware instant ``now`` (its own time zone)."""
    return now.astimezone(ZoneInfo(clinic.time_zone)).date()


@dataclass(frozen=True, slots=True)
class HoursLine:
    """Days that share the same hours, and those hours ("" when closed)."""

    days: str
    hours: str


def day_hours(rows: Iterable[OpeningHours], weekday: int) -> list[tuple[time, time]]:
    """The opening intervals on ``weekday`` (0 = Monday), earliest first."""
    return sorted((row.opens, row.closes) for row in rows if row.weekday == weekday)


def format_intervals(intervals: list[tuple[time, time]], locale: str) -> str:
    """``08:00–13:00, 14:00–20:00`` (en-GB) or ``8:00 AM–1:00 PM`` (en-US); "" if none."""
    return ", ".join(
        f"{locales.format_time(opens, locale)}–{locales.format_time(closes, locale)}"
        for opens, closes in intervals
    )


def weekly_hours(rows: Iterable[OpeningHours], locale: str) -> list[HoursLine]:
    """The week's hours, consecutive days with the same hours written once.

    ``[HoursLine("Monday to Friday", "08:00–20:00"), HoursLine("Saturday", "09:00–17:00"),
    HoursLine("Sunday", "")]``.
    """
    rows = list(rows)
    texts = [format_intervals(day_hours(rows, day), locale) for day in range(7)]
    lines: list[HoursLine] = []
    first = 0
    for day in range(1, 8):
        if day == 7 or texts[day] != texts[first]:
            last = day - 1
            days = DAY_NAMES[first]
            if last > first:
                joiner = " and " if last == first + 1 else " to "
                days += joiner + DAY_NAMES[last]
            lines.append(HoursLine(days, texts[first]))
            first = day
    return lines


def closure_on(closures: Iterable[Closure], day: date) -> Closure | None:
    """The closure covering ``day``, if any."""
    return next((c for c in closures if c.first_day <= day <= c.last_day), None)
