"""The waitlist services: joining, offers in order when a slot frees, accepting, lapsing."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from facetcare.booking.models import Appointment
from facetcare.booking.services import cancel_appointment, reschedule_appointment
from facetcare.errors import Conflict, InvalidInput, SlotTaken
from facetcare.waitlist import services
from facetcare.waitlist.models import WaitlistEntry, WaitlistOffer
from facetcare.waitlist.selectors import FreeSlot
from facetcare.waitlist.services import (
    OfferExpired,
    OfferGone,
    accept_offer,
    offer_freed_slot,
    offer_slot,
    remove_entry,
    sweep_offers,
)
from tests.factories import make_clinic, make_service, patient_details
from tests.waitlist.conftest import Waitworld


def in_line(waitworld: Waitworld, *names: str) -> list[WaitlistEntry]:
    """Join ``names`` in this order, a minute apart."""
    first = timezone.now() - timedelta(days=1)
    return [
        waitworld.join(name, joined=first + timedelta(minutes=n)) for n, name in enumerate(names)
    ]


def free_slot(waitworld: Waitworld, hour: int = 10, **extra: Any) -> Appointment:
    """A booking at ``hour`` three days ahead, cancelled: its slot is free to offer."""
    appointment = waitworld.book(waitworld.at(hour), **extra)
    return cancel_appointment(appointment=appointment)


def offered_names(offers: list[WaitlistOffer]) -> list[str]:
    return [offer.entry.first_name for offer in offers]


# Joining


def test_joining_puts_a_person_on_the_list_with_their_choices(waitworld: Waitworld) -> None:
    entry = waitworld.join(
        "Ada", clinics=[waitworld.clinic, waitworld.other_clinic], weekdays=[4, 0, 0]
    )

    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.WAITING
    assert entry.weekdays == [0, 4]
    assert set(entry.clinics.all()) == {waitworld.clinic, waitworld.other_clinic}
    assert entry.email == "ada@example.org"


@pytest.mark.parametrize(
    ("choices", "field"),
    [
        ({"clinics": []}, "clinics"),
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": [7]}, "weekdays"),
        ({"parts_of_day": []}, "parts_of_day"),
        ({"parts_of_day": ["night"]}, "parts_of_day"),
        ({"consent": False}, "consent"),
    ],
)
def test_joining_refuses_a_missing_choice_naming_the_field(
    waitworld: Waitworld, choices: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        waitworld.join("Ada", **choices)

    assert refused.value.field == field
    assert not WaitlistEntry.objects.exists()


def test_joining_refuses_a_clinic_that_does_not_offer_the_service(waitworld: Waitworld) -> None:
    elsewhere = make_clinic(name="Leeds Spine")

    with pytest.raises(InvalidInput, match="Leeds Spine does not offer") as refused:
        waitworld.join("Ada", clinics=[waitworld.clinic, elsewhere])

    assert refused.value.field == "clinics"


def test_joining_refuses_a_service_that_cannot_be_booked_online(waitworld: Waitworld) -> None:
    staff_only = make_service(online_bookable=False)

    with pytest.raises(InvalidInput) as refused:
        waitworld.join("Ada", service=staff_only)

    assert refused.value.field == "service"


def test_joining_refuses_a_birth_date_in_the_future(waitworld: Waitworld) -> None:
    tomorrow = timezone.now().date() + timedelta(days=1)

    with pytest.raises(InvalidInput) as refused:
        services.join_waitlist(
            details=patient_details(date_of_birth=tomorrow),
            service=waitworld.service,
            clinics=[waitworld.clinic],
            weekdays=[0],
            parts_of_day=["morning"],
            consent=True,
            now=timezone.now(),
        )

    assert refused.value.field == "date_of_birth"


def test_joining_refuses_a_phone_number_not_in_international_form(waitworld: Waitworld) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.join_waitlist(
            details=patient_details(phone="07911 123456"),
            service=waitworld.service,
            clinics=[waitworld.clinic],
            weekdays=[0],
            parts_of_day=["morning"],
            consent=True,
            now=timezone.now(),
        )

    assert refused.value.field == "phone"


def test_the_same_person_cannot_wait_twice_for_the_same_service(waitworld: Waitworld) -> None:
    waitworld.join("Ada")

    with pytest.raises(InvalidInput, match="already on the waiting list") as refused:
        waitworld.join("ADA")

    assert refused.value.field == "service"
    assert WaitlistEntry.objects.count() == 1


# Offers when a slot frees


def test_a_freed_slot_is_offered_to_the_first_three_in_line(waitworld: Waitworld) -> None:
    in_line(waitworld, "Ada", "Ben", "Cy", "Dee")
    freed = free_slot(waitworld)

    offers = offer_freed_slot(appointment_id=freed.pk, now=timezone.now())

    assert offered_names(offers) == ["Ada", "Ben", "Cy"]
    assert {offer.start for offer in offers} == {freed.start}
    assert all(offer.freed_by == freed for offer in offers)


def test_people_the_slot_does_not_suit_are_passed_over(waitworld: Waitworld) -> None:
    weekday = waitworld.day().weekday()
    first = timezone.now() - timedelta(days=1)
    waitworld.join("Eve", joined=first, parts_of_day=["evening"])
    waitworld.join("Wes", joined=first, weekdays=[(weekday + 1) % 7])
    waitworld.join("Oli", joined=first, clinics=[waitworld.other_clinic])
    waitworld.join("Ada", joined=first + timedelta(minutes=1), parts_of_day=["morning"])
    freed = free_slot(waitworld, hour=10)

    offers = offer_freed_slot(appointment_id=freed.pk, now=timezone.now())

    assert offered_names(offers) == ["Ada"]


def test_a_slot_still_booked_is_not_offered(waitworld: Waitworld) -> None:
    in_line(waitworld, "Ada")
    live = waitworld.book(waitworld.at(10))

    assert offer_freed_slot(appointment_id=live.pk, now=timezone.now()) == []


def test_a_freed_slot_taken_again_before_the_offer_is_not_offered(waitworld: Waitworld) -> None:
    in_line(waitworld, "Ada")
    freed = free_slot(waitworld)
    waitworld.book(freed.start, patient_details=patient_details(first_name="Quick"))

    assert offer_freed_slot(appointment_id=freed.pk, now=timezone.now()) == []


def test_a_slot_too_close_to_book_online_is_not_offered(waitworld: Waitworld) -> None:
    in_line(waitworld, "Ada")
    freed = free_slot(waitworld)
    too_late = freed.start - timedelta(minutes=30)  # the service needs an hour's notice

    assert offer_freed_slot(appointment_id=freed.pk, now=too_late) == []


def test_cancelling_a_booking_emails_the_offer_to_the_first_in_line(
    waitworld: Waitworld, django_capture_on_commit_callbacks: Any
) -> None:
    in_line(waitworld, "Ada", "Ben", "Cy", "Dee")
    appointment = waitworld.book(waitworld.at(10))

    with django_capture_on_commit_callbacks(execute=True):
        cancel_appointment(appointment=appointment)

    offer_mails = [m for m in mail.outbox if m.subject.startswith("A time for")]
    assert sorted(m.to[0] for m in offer_mails) == [
        "ada@example.org",
        "ben@example.org",
        "cy@example.org",
    ]
    assert "/waitlist/offer/" in offer_mails[0].body
    assert "10:00 GMT" in offer_mails[0].body or "10:00 BST" in offer_mails[0].body
    assert "on 020 7123 4567." in offer_mails[0].body


def test_rescheduling_a_booking_offers_its_old_slot(
    waitworld: Waitworld, django_capture_on_commit_callbacks: Any
) -> None:
    in_line(waitworld, "Ada")
    appointment = waitworld.book(waitworld.at(10))

    with django_capture_on_commit_callbacks(execute=True):
        reschedule_appointment(appointment=appointment, new_start=waitworld.at(15))

    offer = WaitlistOffer.objects.get()
    assert (offer.entry.first_name, offer.start) == ("Ada", waitworld.at(10))


# Accepting


def test_the_first_to_accept_books_the_slot_and_leaves_the_list(waitworld: Waitworld) -> None:
    in_line(waitworld, "Ada", "Ben")
    freed = free_slot(waitworld)
    ada, ben = offer_freed_slot(appointment_id=freed.pk, now=timezone.now())

    accepted = accept_offer(offer_id=ben.pk, now=timezone.now())

    assert accepted.status == WaitlistOffer.Status.ACCEPTED
    booking = accepted.appointment
    assert booking is not None
    assert (booking.start, booking.status, booking.channel) == (freed.start, "booked", "online")
    assert booking.patient.first_name == "Ben"
    ben.entry.refresh_from_db()
    assert (ben.entry.status, ben.entry.appointment) == (WaitlistEntry.Status.BOOKED, booking)
    ada.refresh_from_db()
    assert ada.status == WaitlistOffer.Status.TAKEN


def test_a_second_acceptance_is_told_the_slot_has_gone(waitworld: Waitworld) -> None:
    in_line(waitworld, "Ada", "Ben")
    freed = free_slot(waitworld)
    ada, ben = offer_freed_slot(appointment_id=freed.pk, now=timezone.now())
    accept_offer(offer_id=ada.pk, now=timezone.now())

    with pytest.raises(OfferGone, match="someone else accepted it first"):
        accept_offer(offer_id=ben.pk, now=timezone.now())

    assert Appointment.objects.filter(start=freed.start, status="booked").count() == 1
    ben.entry.refresh_from_db()
    assert ben.entry.status == WaitlistEntry.Status.WAITING


def test_accepting_twice_returns_the_same_booking(waitworld: Waitworld) -> None:
    in_line(waitworld, "Ada")
    freed = free_slot(waitworld)
    (offer,) = offer_freed_slot(appointment_id=freed.pk, now=timezone.now())

    first = accept_offer(offer_id=offer.pk, now=timezone.now())
    again = accept_offer(offer_id=offer.pk, now=timezone.now())

    assert again.appointment == first.appointment
    assert Appointment.objects.filter(start=freed.start, status="booked").count() == 1


def test_an_offer_whose_slot_was_booked_elsewhere_has_gone(waitworld: Waitworld) -> None:
    in_line(waitworld, "Ada")
    freed = free_slot(waitworld)
    (offer,) = offer_freed_slot(appointment_id=freed.pk, now=timezone.now())
    waitworld.book(freed.start, patient_details=patient_details(first_name="Quick"))

    with pytest.raises(OfferGone, match="booked before you accepted"):
        accept_offer(offer_id=offer.pk, now=timezone.now())

    offer.refresh_from_db()
    assert offer.status == WaitlistOffer.Status.TAKEN


def test_a_lapsed_offer_cannot_be_accepted(waitworld: Waitworld) -> None:
    in_line(waitworld, "Ada")
    freed = free_slot(waitworld)
    (offer,) = offer_freed_slot(appointment_id=freed.pk, now=timezone.now())

    with pytest.raises(OfferExpired):
        accept_offer(offer_id=offer.pk, now=offer.expires_at + timedelta(seconds=1))

    offer.refresh_from_db()
    assert offer.status == WaitlistOffer.Status.EXPIRED
    assert not Appointment.objects.filter(start=freed.start, status="booked").exists()


def test_an_offer_lasts_twelve_hours_or_until_the_slot_is_too_close(waitworld: Waitworld) -> None:
    in_line(waitworld, "Ada")
    freed = free_slot(waitworld)
    now = timezone.now()
    (far,) = offer_freed_slot(appointment_id=freed.pk, now=now)
    WaitlistOffer.objects.all().delete()
    near_now = freed.start - timedelta(hours=3)
    (near,) = offer_freed_slot(appointment_id=freed.pk, now=near_now)

    assert far.expires_at == now + timedelta(hours=12)
    assert near.expires_at == freed.start - timedelta(hours=1)


# The sweep: lapsed offers pass to the next in line


def test_when_every_offer_lapses_the_next_three_are_offered(waitworld: Waitworld) -> None:
    in_line(waitworld, "Ada", "Ben", "Cy", "Dee", "Eli")
    freed = free_slot(waitworld)
    first = offer_freed_slot(appointment_id=freed.pk, now=timezone.now())
    later = first[0].expires_at + timedelta(minutes=1)

    made = sweep_offers(now=later)

    assert made == 2
    pending = WaitlistOffer.objects.filter(status=WaitlistOffer.Status.PENDING)
    assert sorted(o.entry.first_name for o in pending) == ["Dee", "Eli"]
    assert WaitlistOffer.objects.filter(status=WaitlistOffer.Status.EXPIRED).count() == 3


def test_the_sweep_leaves_a_slot_alone_while_an_offer_is_open(waitworld: Waitworld) -> None:
    in_line(waitworld, "Ada", "Ben", "Cy", "Dee")
    freed = free_slot(waitworld)
    offer_freed_slot(appointment_id=freed.pk, now=timezone.now())

    assert sweep_offers(now=timezone.now()) == 0
    assert WaitlistOffer.objects.count() == 3


# Reception


def test_reception_offers_a_free_time_to_one_person(
    waitworld: Waitworld, django_user_model: Any
) -> None:
    (ada,) = in_line(waitworld, "Ada")
    clerk = django_user_model.objects.create_user(username="clerk")
    slot = FreeSlot(waitworld.service, waitworld.clinic, waitworld.practitioner, waitworld.at(11))

    offer = offer_slot(entry=ada, slot=slot, by_user=clerk, now=timezone.now())

    assert (offer.offered_by, offer.freed_by, offer.start) == (clerk, None, waitworld.at(11))
    with pytest.raises(Conflict, match="already been offered"):
        offer_slot(entry=ada, slot=slot, by_user=clerk, now=timezone.now())


def test_reception_cannot_offer_a_taken_time(waitworld: Waitworld) -> None:
    (ada,) = in_line(waitworld, "Ada")
    waitworld.book(waitworld.at(11))
    slot = FreeSlot(waitworld.service, waitworld.clinic, waitworld.practitioner, waitworld.at(11))

    with pytest.raises(SlotTaken):
        offer_slot(entry=ada, slot=slot, by_user=None, now=timezone.now())

    assert not WaitlistOffer.objects.exists()


def test_reception_cannot_offer_a_clinic_the_person_did_not_choose(waitworld: Waitworld) -> None:
    (ada,) = in_line(waitworld, "Ada")
    slot = FreeSlot(
        waitworld.service, waitworld.other_clinic, waitworld.other_practitioner, waitworld.at(11)
    )

    with pytest.raises(InvalidInput) as refused:
        offer_slot(entry=ada, slot=slot, by_user=None, now=timezone.now())

    assert refused.value.field == "clinic"


def test_removing_an_entry_withdraws_its_open_offers(waitworld: Waitworld) -> None:
    (ada,) = in_line(waitworld, "Ada")
    freed = free_slot(waitworld)
    (offer,) = offer_freed_slot(appointment_id=freed.pk, now=timezone.now())

    remove_entry(entry=ada, by_user=None, reason="Booked by phone", now=timezone.now())

    ada.refresh_from_db()
    offer.refresh_from_db()
    assert (ada.status, ada.removal_reason) == (WaitlistEntry.Status.REMOVED, "Booked by phone")
    assert offer.status == WaitlistOffer.Status.WITHDRAWN
    with pytest.raises(OfferGone, match="no longer on the waiting list"):
        accept_offer(offer_id=offer.pk, now=timezone.now())
    with pytest.raises(Conflict):
        remove_entry(entry=ada, by_user=None, reason="again", now=timezone.now())
