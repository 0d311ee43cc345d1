"""first_slots across clinics and has_slot_today."""

from datetime import timedelta

import pytest

from facetcare.core.scheduling.errors import NaiveDatetimeError
from facetcare.core.scheduling.slots import find_slots, first_slots, has_slot_today
from tests.core.scheduling.world import (
    ALEX,
    LONDON,
    MONDAY,
    NOW,
    booking,
    every_day,
    local,
    service,
    site,
)

LEEDS = (53.8008, -1.5491)
LONDON_CENTRE = (51.5072, -0.1276)
MANCHESTER = (53.4808, -2.2426)


def clinics():
    # Leeds opens early but its first morning is fully booked; Manchester closes at noon.
    morning = tuple(booking(local(MONDAY, f"{h:02d}:00"), 60) for h in range(7, 12))
    return (
        site(clinic_id=3, opening=every_day("07:00", "17:00"), bookings=morning, where=LEEDS),
        site(clinic_id=1, where=LONDON_CENTRE),
        site(clinic_id=2, opening=every_day("08:00", "12:00"), where=MANCHESTER),
    )


def first(n, *, sites=None, near=None, days=3, now=NOW):
    return first_slots(
        service=service(),
        sites=sites or clinics(),
        first_day=MONDAY,
        days=days,
        now=now,
        limit=n,
        near=near,
    )


def every_slot(sites, days=3):
    found = [
        slot
        for one in sites
        for slot in find_slots(service=service(), site=one, first_day=MONDAY, days=days, now=NOW)
    ]
    return sorted(found, key=lambda s: (s.start, s.clinic_id, s.practitioner_id))


def test_it_returns_the_earliest_slots_across_clinics_with_ties_by_clinic():
    slots = first(5)
    # Both start at 09:00 BST (08:00 UTC), when their practitioner starts work.
    assert [(s.clinic_id, f"{s.start:%H:%M}") for s in slots] == [
        (1, "08:00"),
        (2, "08:00"),
        (1, "08:30"),
        (2, "08:30"),
        (1, "09:00"),
    ]


@pytest.mark.parametrize("limit", [1, 7, 20, 40, 200])
def test_it_matches_the_head_of_every_clinics_full_list(limit):
    assert first(limit) == every_slot(clinics())[:limit]


def test_it_orders_clinics_by_distance_when_given_a_place():
    slots = first(20, near=(53.7, -1.6))  # just south of Leeds
    assert [s.clinic_id for s in slots[:16]] == [3] * 16
    assert slots[0].start == local(MONDAY, "12:00")
    assert {s.clinic_id for s in slots[16:]} == {3}
    from_london = first(3, near=(51.5, -0.12))
    assert [s.clinic_id for s in from_london] == [1, 1, 1]


def test_it_puts_clinics_without_coordinates_last_when_ordering_by_distance():
    unplaced = site(clinic_id=0, opening=every_day("00:00", "23:00"))
    slots = first(60, sites=(unplaced, site(clinic_id=5, where=LEEDS)), near=LEEDS)
    assert slots[0].clinic_id == 5
    assert slots[-1].clinic_id == 0


def test_it_returns_nothing_for_a_limit_of_zero():
    assert first(0) == []


def test_it_rejects_a_naive_now_across_clinics():
    with pytest.raises(NaiveDatetimeError):
        first(3, now=NOW.replace(tzinfo=None))


def test_it_says_whether_anything_is_left_today():
    clinic = site()
    assert has_slot_today(service=service(), site=clinic, now=local(MONDAY, "08:00"))
    assert has_slot_today(service=service(), site=clinic, now=local(MONDAY, "16:30"))
    assert not has_slot_today(service=service(), site=clinic, now=local(MONDAY, "16:31"))


def test_it_finds_nothing_today_when_the_day_is_fully_booked():
    full = tuple(booking(local(MONDAY, f"{h:02d}:00"), 60) for h in range(9, 17))
    clinic = site(bookings=full)
    assert not has_slot_today(service=service(), site=clinic, now=local(MONDAY, "07:00"))
    notice = service(min_notice=timedelta(hours=10))
    assert not has_slot_today(service=notice, site=site(), now=local(MONDAY, "08:00"))


def test_it_uses_the_clinics_own_today():
    # 23:30 in Los Angeles is already the next morning in London.
    la_evening = local(MONDAY - timedelta(days=1), "23:30", "America/Los_Angeles")
    london = site(zone=LONDON)
    slots = find_slots(service=service(), site=london, first_day=MONDAY, days=1, now=la_evening)
    assert slots
    assert slots[0].practitioner_id == ALEX
    assert has_slot_today(service=service(), site=london, now=la_evening)
