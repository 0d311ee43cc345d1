"""The diary's layout arithmetic: working time, free gaps and grid places (no database)."""

from datetime import UTC, date, datetime, time
from pathlib import Path

from facetcare.core.scheduling.calendar import to_us
from facetcare.core.scheduling.types import WeeklyHours
from facetcare.diary import timeline

LONDON = "Europe/London"
MONDAY = date(2026, 3, 2)


def at(hour: int, minute: int = 0, day: date = MONDAY) -> int:
    """A UTC instant (London is on GMT on MONDAY)."""
    return to_us(datetime.combine(day, time(hour, minute), tzinfo=UTC))


def every_day(start: int, end: int) -> list[WeeklyHours]:
    return [WeeklyHours(day, time(start), time(end)) for day in range(7)]


def test_working_time_is_working_hours_inside_opening_hours_less_time_off() -> None:
    working = timeline.working_time(
        zone=LONDON,
        day=MONDAY,
        working=every_day(7, 17),
        opening=every_day(8, 20),
        closed=False,
        time_off=[(at(12), at(13))],
    )

    assert working == [(at(8), at(12)), (at(13), at(17))]


def test_a_closed_day_has_no_working_time() -> None:
    working = timeline.working_time(
        zone=LONDON, day=MONDAY, working=every_day(9, 17), opening=every_day(8, 20), closed=True
    )

    assert working == []


def test_hours_valid_from_a_later_date_do_not_count_yet() -> None:
    later = [WeeklyHours(0, time(9), time(17), valid_from=date(2026, 3, 9))]

    assert timeline.spans_on(LONDON, MONDAY, later) == []
    assert timeline.spans_on(LONDON, date(2026, 3, 9), later) != []


def test_gaps_leave_out_short_ones_and_the_past() -> None:
    working = [(at(9), at(17))]
    busy = [(at(9), at(10)), (at(10, 10), at(12)), (at(13), at(17))]

    gaps = timeline.free_gaps(working, busy, not_before=at(12, 20))

    # 10:00-10:10 is too short; 12:00-13:00 is open from the next quarter hour.
    assert gaps == [(at(12, 30), at(13))]


def test_a_grid_covers_whole_local_hours_and_places_blocks_on_five_minute_rows() -> None:
    grid = timeline.day_grid(LONDON, MONDAY, [(at(9, 10), at(16, 50))])

    assert grid.origin == at(9)
    assert grid.rows == 8 * 12
    assert grid.place(at(9), at(9, 45)) == timeline.Place(1, 9)
    # A block off the five-minute grid is widened to whole rows.
    assert grid.place(at(10, 2), at(10, 31)) == timeline.Place(13, 7)
    assert grid.place(at(10), at(11)).css == "start-13 span-12"


def test_a_grid_on_the_spring_forward_day_counts_real_hours() -> None:
    # Clocks go from 01:00 GMT to 02:00 BST on 29 March 2026: opening 00:00-04:00
    # local is three real hours.
    day = date(2026, 3, 29)
    opening = timeline.spans_on(LONDON, day, [WeeklyHours(6, time(0), time(4))])

    grid = timeline.day_grid(LONDON, day, opening)

    assert grid.hours == 3
    assert [mark.hour for _, mark in grid.marks(LONDON)] == [0, 2, 3]


def test_the_stylesheet_has_a_class_for_every_row_a_grid_can_use() -> None:
    css = (Path(timeline.__file__).parent / "static" / "diary" / "grid.css").read_text(
        encoding="utf-8"
    )

    assert f".start-{timeline.MAX_ROWS}{{" in css
    assert f".span-{timeline.MAX_ROWS}{{" in css
    assert f".hours-{timeline.MAX_ROWS // 12}{{" in css
