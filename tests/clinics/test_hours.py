from datetime import time

from facetcare.clinics.hours import HoursLine, weekly_hours
from facetcare.clinics.models import OpeningHours


def _hours(*rows: tuple[int, time, time]) -> list[OpeningHours]:
    return [OpeningHours(weekday=day, opens=opens, closes=closes) for day, opens, closes in rows]


def test_days_with_the_same_hours_are_written_once() -> None:
    rows = _hours(
        *((day, time(8), time(20)) for day in range(5)),
        (5, time(9), time(17)),
        (6, time(9), time(16)),
    )

    assert weekly_hours(rows, "en-GB") == [
        HoursLine("Monday to Friday", "08:00–20:00"),
        HoursLine("Saturday", "09:00–17:00"),
        HoursLine("Sunday", "09:00–16:00"),
    ]


def test_a_us_clinic_writes_twelve_hour_times_and_two_closed_days_with_and() -> None:
    rows = _hours(*((day, time(7), time(17)) for day in range(5)))

    assert weekly_hours(rows, "en-US") == [
        HoursLine("Monday to Friday", "7:00 AM–5:00 PM"),
        HoursLine("Saturday and Sunday", ""),
    ]


def test_a_split_day_lists_both_intervals() -> None:
    rows = _hours((0, time(14), time(18)), (0, time(8), time(12)))

    assert weekly_hours(rows, "en-GB")[0] == HoursLine("Monday", "08:00–12:00, 14:00–18:00")
