"""find_slots: each rule of free time, one at a time, on an ordinary summer Monday in London."""

from datetime import UTC, datetime, time, timedelta

import pytest

from facetcare.core.scheduling.errors import NaiveDatetimeError
from facetcare.core.scheduling.slots import find_slots
from facetcare.core.scheduling.types import ClosedDays, Interval, RoomSpec, WeeklyHours
from tests.core.scheduling.world import (
    ALEX,
    COUCH_ROOM,
    MONDAY,
    NOW,
    SAM,
    XRAY_ROOM,
    booking,
    every_day,
    local,
    local_starts,
    practitioner,
    service,
    site,
)

ALL_DAY = [f"{h:02d}:{m:02d}" for h in range(9, 17) for m in (0, 30)]


def monday(clinic=None, spec=None, now=NOW, **kwargs):
    return find_slots(
        service=spec or service(),
        site=clinic or site(),
        first_day=MONDAY,
        days=1,
        now=now,
        **kwargs,
    )


def test_it_offers_every_grid_start_inside_opening_and_working_hours():
    slots = monday()
    assert local_starts(slots) == ALL_DAY
    first = slots[0]
    assert first.start == datetime(2026, 6, 15, 8, 0, tzinfo=UTC)
    assert first.end == datetime(2026, 6, 15, 8, 30, tzinfo=UTC)
    assert (first.clinic_id, first.practitioner_id, first.room_id, first.places_left) == (
        1,
        ALEX,
        COUCH_ROOM,
        1,
    )


def test_it_returns_instants_in_utc():
    assert all(slot.start.utcoffset() == timedelta(0) for slot in monday())


def test_it_keeps_only_the_intersection_of_opening_and_working_hours():
    clinic = site(
        opening=every_day("08:00", "12:00") + every_day("13:00", "18:00"),
        practitioners=(practitioner(working=every_day("11:00", "14:00")),),
    )
    assert local_starts(monday(clinic)) == ["11:00", "11:30", "13:00", "13:30"]


def test_it_honours_the_dates_a_working_pattern_is_valid():
    pattern = every_day("09:00", "10:00", valid_until=MONDAY - timedelta(days=1)) + every_day(
        "15:00", "16:00", valid_from=MONDAY
    )
    clinic = site(practitioners=(practitioner(working=pattern),))
    assert local_starts(monday(clinic)) == ["15:00", "15:30"]


def test_it_offers_nothing_on_a_closed_day():
    clinic = site(closures=(ClosedDays(MONDAY, MONDAY),))
    assert monday(clinic) == []


def test_it_offers_nothing_on_a_weekday_without_opening_hours():
    sunday_only = (WeeklyHours(6, time(9), time(17)),)
    assert monday(site(opening=sunday_only)) == []


def test_it_leaves_out_time_off():
    off = Interval(local(MONDAY, "10:15"), local(MONDAY, "15:00"))
    clinic = site(practitioners=(practitioner(time_off=(off,)),))
    assert local_starts(monday(clinic)) == ["09:00", "09:30", "15:00", "15:30", "16:00", "16:30"]


def test_it_leaves_out_the_practitioners_bookings_widened_by_their_buffers():
    taken = booking(local(MONDAY, "10:00"), 60, before=10, after=20, room=XRAY_ROOM)
    starts = local_starts(monday(site(bookings=(taken,))))
    assert starts == [s for s in ALL_DAY if s not in {"09:30", "10:00", "10:30", "11:00"}]


def test_it_keeps_the_new_slots_own_buffers_inside_free_time():
    spec = service(buffer_before=timedelta(minutes=15), buffer_after=timedelta(minutes=15))
    starts = local_starts(monday(spec=spec))
    assert starts[0] == "09:30"
    assert starts[-1] == "16:00"
    taken = booking(local(MONDAY, "12:00"), 30)
    starts = local_starts(monday(site(bookings=(taken,)), spec=spec))
    assert "11:30" not in starts
    assert "12:30" not in starts
    assert "11:00" in starts
    assert "13:00" in starts


def test_it_picks_the_lowest_free_room_with_every_required_tag():
    assert {slot.room_id for slot in monday()} == {COUCH_ROOM}
    needs_xray = service(required_equipment=frozenset({"fluoroscopy"}))
    assert {slot.room_id for slot in monday(spec=needs_xray)} == {XRAY_ROOM}


def test_a_room_carries_a_service_only_with_every_tag_it_needs():
    suite = RoomSpec(1, frozenset({"fluoroscopy", "ultrasound"}))
    assert suite.carries(frozenset())
    assert suite.carries(frozenset({"fluoroscopy"}))
    assert suite.carries(frozenset({"fluoroscopy", "ultrasound"}))
    assert not suite.carries(frozenset({"fluoroscopy", "gym"}))


def test_it_moves_to_the_next_room_when_another_practitioner_holds_the_first():
    other = booking(local(MONDAY, "09:00"), pid=SAM, room=COUCH_ROOM)
    slots = monday(site(bookings=(other,)))
    assert (slots[0].room_id, slots[1].room_id) == (XRAY_ROOM, COUCH_ROOM)


def test_it_offers_nothing_when_every_equipped_room_is_taken():
    needs_xray = service(required_equipment=frozenset({"fluoroscopy"}))
    other = booking(local(MONDAY, "09:00"), 480, pid=SAM, room=XRAY_ROOM)
    assert monday(site(bookings=(other,)), spec=needs_xray) == []


def test_it_respects_minimum_notice_and_maximum_advance():
    now = local(MONDAY, "10:05")
    spec = service(min_notice=timedelta(hours=1), max_advance=timedelta(hours=4))
    assert local_starts(monday(spec=spec, now=now)) == [
        "11:30",
        "12:00",
        "12:30",
        "13:00",
        "13:30",
        "14:00",
    ]


def test_it_lists_several_practitioners_by_start_then_practitioner():
    # Each slot is an alternative: both may name the same free room until one is booked.
    clinic = site(
        practitioners=(practitioner(SAM), practitioner(ALEX)),
        room_specs=(RoomSpec(1, frozenset()), RoomSpec(2, frozenset())),
    )
    slots = monday(clinic)
    assert [(s.practitioner_id, s.room_id) for s in slots[:2]] == [(ALEX, 1), (SAM, 1)]
    assert monday(clinic, practitioner_id=SAM)[0].practitioner_id == SAM
    assert len(monday(clinic, practitioner_id=SAM)) == 16


def test_it_walks_several_days_in_order():
    slots = find_slots(service=service(), site=site(), first_day=MONDAY, days=3, now=NOW)
    assert len(slots) == 48
    assert slots == sorted(slots, key=lambda slot: slot.start)


def test_it_rejects_a_naive_now():
    with pytest.raises(NaiveDatetimeError, match="now must be timezone-aware"):
        monday(now=datetime(2026, 6, 1, 8, 0))


def test_it_rejects_a_naive_booking_interval():
    with pytest.raises(NaiveDatetimeError):
        Interval(datetime(2026, 6, 1, 8, 0), datetime(2026, 6, 1, 9, 0))
