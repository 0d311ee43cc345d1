"""Daylight-saving days pinned as tables of exact instants and offsets.

Rules under test (stated in facetcare.core.scheduling.calendar): a wall-clock
boundary skipped by a spring jump means the instant of the jump; a repeated one
means its first occurrence; slot starts exist at each real instant on the grid,
so none in the gap and two in the repeated hour.
"""

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from facetcare.core.scheduling.errors import SlotUnavailable
from facetcare.core.scheduling.slots import check_slot, find_slots
from tests.core.scheduling.world import (
    LONDON,
    LOS_ANGELES,
    every_day,
    practitioner,
    service,
    site,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LONDON_SPRING = date(2026, 3, 29)
LONDON_AUTUMN = date(2026, 10, 25)
LA_SPRING = date(2026, 3, 8)
LA_AUTUMN = date(2026, 11, 1)
YEAR_AHEAD = service(30, max_advance=timedelta(days=365))


def utc(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def day_slots(zone, day, opens, closes):
    clinic = site(
        zone=zone,
        opening=every_day(opens, closes),
        practitioners=(practitioner(working=every_day("00:00", "23:59")),),
    )
    return find_slots(service=YEAR_AHEAD, site=clinic, first_day=day, days=1, now=NOW)


def offset_of(zone, instant):
    return instant.astimezone(ZoneInfo(zone)).strftime("%z")


# zone, day, opening, count, first start (UTC), its offset, last start (UTC), its offset
TABLE = [
    (
        LONDON,
        LONDON_SPRING,
        ("00:00", "23:59"),
        45,
        "2026-03-29 00:00",
        "+0000",
        "2026-03-29 22:00",
        "+0100",
    ),
    (
        LONDON,
        LONDON_AUTUMN,
        ("00:00", "23:59"),
        49,
        "2026-10-24 23:00",
        "+0100",
        "2026-10-25 23:00",
        "+0000",
    ),
    (
        LONDON,
        date(2026, 3, 28),
        ("00:00", "23:59"),
        47,
        "2026-03-28 00:00",
        "+0000",
        "2026-03-28 23:00",
        "+0000",
    ),
    (
        LONDON,
        LONDON_SPRING,
        ("08:00", "20:00"),
        24,
        "2026-03-29 07:00",
        "+0100",
        "2026-03-29 18:30",
        "+0100",
    ),
    (
        LONDON,
        LONDON_AUTUMN,
        ("08:00", "20:00"),
        24,
        "2026-10-25 08:00",
        "+0000",
        "2026-10-25 19:30",
        "+0000",
    ),
    (
        LOS_ANGELES,
        LA_SPRING,
        ("00:00", "23:59"),
        45,
        "2026-03-08 08:00",
        "-0800",
        "2026-03-09 06:00",
        "-0700",
    ),
    (
        LOS_ANGELES,
        LA_AUTUMN,
        ("00:00", "23:59"),
        49,
        "2026-11-01 07:00",
        "-0700",
        "2026-11-02 07:00",
        "-0800",
    ),
    (
        LOS_ANGELES,
        LA_SPRING,
        ("08:00", "20:00"),
        24,
        "2026-03-08 15:00",
        "-0700",
        "2026-03-09 02:30",
        "-0700",
    ),
    (
        LOS_ANGELES,
        LA_AUTUMN,
        ("08:00", "20:00"),
        24,
        "2026-11-01 16:00",
        "-0800",
        "2026-11-02 03:30",
        "-0800",
    ),
]


@pytest.mark.parametrize("row", TABLE, ids=lambda row: f"{row[0]}-{row[1]}-{row[2][0]}")
def test_it_places_slots_exactly_on_daylight_saving_days(row):
    zone, day, hours, count, first, first_offset, last, last_offset = row
    slots = day_slots(zone, day, *hours)
    assert len(slots) == count
    assert (slots[0].start, offset_of(zone, slots[0].start)) == (utc(first), first_offset)
    assert (slots[-1].start, offset_of(zone, slots[-1].start)) == (utc(last), last_offset)


# A clinic open 01:00-03:00 local: the spring gap shortens it, the autumn overlap lengthens it.
GAP_AND_OVERLAP = [
    (LONDON, LONDON_SPRING, ["01:00+0000", "01:30+0000"], ["02:00 BST", "02:30 BST"]),
    (
        LONDON,
        LONDON_AUTUMN,
        ["00:00+0000", "00:30+0000", "01:00+0000", "01:30+0000", "02:00+0000", "02:30+0000"],
        ["01:00 BST", "01:30 BST", "01:00 GMT", "01:30 GMT", "02:00 GMT", "02:30 GMT"],
    ),
    (LOS_ANGELES, LA_SPRING, ["09:00+0000", "09:30+0000"], ["01:00 PST", "01:30 PST"]),
    (
        LOS_ANGELES,
        LA_AUTUMN,
        ["08:00+0000", "08:30+0000", "09:00+0000", "09:30+0000", "10:00+0000", "10:30+0000"],
        ["01:00 PDT", "01:30 PDT", "01:00 PST", "01:30 PST", "02:00 PST", "02:30 PST"],
    ),
]


@pytest.mark.parametrize(("zone", "day", "utc_starts", "local_starts"), GAP_AND_OVERLAP)
def test_it_skips_the_spring_gap_and_repeats_the_autumn_hour(zone, day, utc_starts, local_starts):
    slots = day_slots(zone, day, "01:00", "03:00")
    assert [f"{s.start:%H:%M%z}" for s in slots] == utc_starts
    assert [f"{s.start.astimezone(ZoneInfo(zone)):%H:%M %Z}" for s in slots] == local_starts


def test_it_accepts_both_occurrences_of_a_repeated_start():
    clinic = site(
        opening=every_day("01:00", "03:00"),
        practitioners=(practitioner(working=every_day("00:00", "23:59")),),
    )
    for instant in (utc("2026-10-25 00:00"), utc("2026-10-25 01:00")):
        slot = check_slot(
            service=YEAR_AHEAD,
            site=clinic,
            practitioner=clinic.practitioners[0],
            start=instant,
            now=NOW,
        )
        assert slot.start == instant


def test_it_treats_a_closing_time_in_the_repeated_hour_as_its_first_occurrence():
    clinic = site(
        opening=every_day("00:00", "01:30"),
        practitioners=(practitioner(working=every_day("00:00", "23:59")),),
    )
    slots = find_slots(service=YEAR_AHEAD, site=clinic, first_day=LONDON_AUTUMN, days=1, now=NOW)
    assert [f"{s.start:%H:%M}" for s in slots] == ["23:00", "23:30", "00:00"]
    with pytest.raises(SlotUnavailable) as caught:
        check_slot(
            service=YEAR_AHEAD,
            site=clinic,
            practitioner=clinic.practitioners[0],
            start=utc("2026-10-25 01:00"),
            now=NOW,
        )
    assert caught.value.reason == "outside_opening_hours"
    assert "01:00 GMT–01:30 GMT on Sunday 25 October 2026" in caught.value.detail


def test_it_gives_a_25_hour_day_two_more_half_hour_slots_than_a_23_hour_day():
    spring = day_slots(LONDON, LONDON_SPRING, "00:00", "23:59")
    autumn = day_slots(LONDON, LONDON_AUTUMN, "00:00", "23:59")
    assert len(autumn) - len(spring) == 4
    gaps = {b.start - a.start for a, b in pairwise(autumn)}
    assert gaps == {timedelta(minutes=30)}
