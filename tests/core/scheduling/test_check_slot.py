"""check_slot: one test per SlotUnavailable reason, and the order in which they are reported."""

from datetime import datetime, timedelta

import pytest

from facetcare.core.scheduling.errors import NaiveDatetimeError, SlotUnavailable
from facetcare.core.scheduling.slots import check_slot, find_slots
from facetcare.core.scheduling.types import ClosedDays, Interval, RoomSpec
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
    practitioner,
    service,
    site,
)


def check(clock="10:00", *, clinic=None, who=None, spec=None, now=NOW, day=MONDAY):
    return check_slot(
        service=spec or service(),
        site=clinic or site(),
        practitioner=who or practitioner(),
        start=local(day, clock),
        now=now,
    )


def reason_of(**kwargs):
    with pytest.raises(SlotUnavailable) as caught:
        check(**kwargs)
    return caught.value.reason, caught.value.detail


def test_it_accepts_a_free_aligned_start_and_names_the_room():
    slot = check("10:00")
    assert slot.start == local(MONDAY, "10:00")
    assert slot.end == local(MONDAY, "10:30")
    assert (slot.practitioner_id, slot.room_id, slot.places_left) == (ALEX, COUCH_ROOM, 1)


def test_it_rejects_a_start_in_the_past():
    reason, detail = reason_of(now=local(MONDAY, "11:00"))
    assert reason == "in_the_past"
    assert detail == "10:00 BST on Monday 15 June 2026 has already passed."


def test_it_rejects_a_start_with_too_little_notice():
    spec = service(min_notice=timedelta(hours=2))
    reason, detail = reason_of(spec=spec, now=local(MONDAY, "09:00"))
    assert reason == "too_short_notice"
    assert detail == (
        "This service must be booked at least 2 hours ahead: "
        "10:00 BST on Monday 15 June 2026 is too soon; "
        "the earliest start is 11:00 BST on Monday 15 June 2026."
    )


def test_it_rejects_a_start_beyond_the_booking_horizon():
    spec = service(max_advance=timedelta(days=7))
    reason, detail = reason_of(spec=spec)
    assert reason == "beyond_horizon"
    assert "at most 7 days ahead" in detail
    assert "after 09:00 BST on Monday 8 June 2026" in detail


def test_it_rejects_a_start_on_a_closed_day():
    reason, detail = reason_of(clinic=site(closures=(ClosedDays(MONDAY, MONDAY),)))
    assert reason == "clinic_closed"
    assert detail == "The clinic is closed on Monday 15 June 2026."


def test_it_rejects_a_booking_outside_opening_hours():
    reason, detail = reason_of(clock="16:45")
    assert reason == "outside_opening_hours"
    assert detail == (
        "The appointment time, 16:45 BST–17:15 BST on Monday 15 June 2026, falls outside "
        "the clinic's opening hours (it is open 09:00 BST–17:00 BST)."
    )


def test_it_counts_buffers_against_opening_hours():
    spec = service(buffer_before=timedelta(minutes=10))
    reason, detail = reason_of(clock="09:00", spec=spec)
    assert reason == "outside_opening_hours"
    assert "with its preparation and clean-up time, 08:50 BST–09:30 BST" in detail


def test_it_rejects_a_start_when_the_practitioner_is_not_working():
    who = practitioner(working=every_day("12:00", "17:00"))
    reason, detail = reason_of(who=who)
    assert reason == "practitioner_not_working"
    assert detail == (
        "The practitioner is not working at this clinic for 10:00 BST–10:30 BST on "
        "Monday 15 June 2026 (their hours there that day are 12:00 BST–17:00 BST)."
    )


def test_it_rejects_a_start_during_time_off():
    off = Interval(local(MONDAY, "10:15"), local(MONDAY, "11:00"))
    reason, detail = reason_of(who=practitioner(time_off=(off,)))
    assert reason == "practitioner_time_off"
    assert detail == (
        "The practitioner is on leave during 10:00 BST–10:30 BST on Monday 15 June 2026."
    )


def test_it_rejects_a_start_when_the_practitioner_is_busy():
    taken = booking(local(MONDAY, "09:00"), 60, after=15, room=XRAY_ROOM)
    reason, detail = reason_of(clinic=site(bookings=(taken,)))
    assert reason == "practitioner_busy"
    assert "already has an appointment during 10:00 BST–10:30 BST" in detail


def test_it_rejects_a_start_when_no_equipped_room_is_free():
    spec = service(required_equipment=frozenset({"fluoroscopy"}))
    other = booking(local(MONDAY, "10:00"), pid=SAM, room=XRAY_ROOM)
    reason, detail = reason_of(spec=spec, clinic=site(bookings=(other,)))
    assert reason == "no_room"
    assert detail == "No room (fluoroscopy) is free for 10:00 BST–10:30 BST on Monday 15 June 2026."


def test_it_rejects_a_start_off_the_grid():
    reason, detail = reason_of(clock="10:10")
    assert reason == "misaligned"
    assert detail == (
        "10:10 BST on Monday 15 June 2026 is not a start time for this service: "
        "starts are every 30 minutes from midnight, clinic time."
    )


def test_it_reports_the_first_failing_reason_in_the_documented_order():
    # Closed, outside hours, not working, busy and misaligned all at once: closed wins.
    taken = booking(local(MONDAY, "18:00"))
    clinic = site(closures=(ClosedDays(MONDAY, MONDAY),), bookings=(taken,))
    assert reason_of(clock="18:10", clinic=clinic)[0] == "clinic_closed"
    assert reason_of(clock="18:10", clinic=site(bookings=(taken,)))[0] == "outside_opening_hours"
    assert reason_of(clock="10:10", now=local(MONDAY, "11:00"))[0] == "in_the_past"


def test_it_rejects_naive_instants():
    with pytest.raises(NaiveDatetimeError, match="start"):
        check_slot(
            service=service(),
            site=site(),
            practitioner=practitioner(),
            start=datetime(2026, 6, 15, 10, 0),
            now=NOW,
        )
    with pytest.raises(NaiveDatetimeError, match="now"):
        check(now=datetime(2026, 6, 1, 8, 0))


def test_it_agrees_with_find_slots_on_every_grid_start_of_a_busy_day():
    clinic = site(bookings=(booking(local(MONDAY, "11:00"), 90, before=5),))
    offered = {
        slot.start: slot
        for slot in find_slots(service=service(), site=clinic, first_day=MONDAY, days=1, now=NOW)
    }
    for minutes in range(0, 24 * 60, 30):
        start = local(MONDAY, "00:00") + timedelta(minutes=minutes)
        try:
            slot = check_slot(
                service=service(), site=clinic, practitioner=practitioner(), start=start, now=NOW
            )
        except SlotUnavailable:
            assert start not in offered
        else:
            assert offered[start] == slot


CLASS = service(60, capacity=3, service_id=8)
STUDIO = RoomSpec(200, frozenset({"studio"}), capacity=2)
BIG_STUDIO = RoomSpec(201, frozenset({"studio"}), capacity=10)


def class_site(attendees, room=STUDIO):
    start = local(MONDAY, "10:00")
    return site(
        room_specs=(room,),
        bookings=tuple(
            booking(start, 60, room=room.room_id, key="class:8:10:10", service_id=8)
            for _ in range(attendees)
        ),
    )


def test_it_caps_a_class_at_the_smaller_of_service_and_room_capacity():
    spec = service(60, capacity=3, service_id=8, required_equipment=frozenset({"studio"}))
    assert check(spec=spec, clinic=class_site(0)).places_left == 2
    assert check(spec=spec, clinic=class_site(0, BIG_STUDIO)).places_left == 3


def test_it_offers_the_places_left_in_an_existing_session():
    slot = check(spec=CLASS, clinic=class_site(1))
    assert (slot.room_id, slot.places_left) == (200, 1)


def test_it_rejects_joining_a_full_class():
    reason, detail = reason_of(spec=CLASS, clinic=class_site(2))
    assert reason == "class_full"
    assert detail == "The class at 10:00 BST on Monday 15 June 2026 is full (2 of 2 places)."


def test_it_offers_an_existing_session_but_not_a_full_one():
    def starts(attendees):
        slots = find_slots(
            service=CLASS, site=class_site(attendees), first_day=MONDAY, days=1, now=NOW
        )
        return {
            s.start.astimezone(local(MONDAY, "00:00").tzinfo).strftime("%H:%M"): s for s in slots
        }

    partly = starts(1)
    assert partly["10:00"].places_left == 1
    assert "10:30" not in partly
    assert "11:00" in partly
    assert "10:00" not in starts(2)
