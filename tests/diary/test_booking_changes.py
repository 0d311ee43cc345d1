"""A booking's page: attendance (arrived, completed, no-show), cancel and move, each with
who did it and why."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from facetcare.audit.models import RecordVersion
from facetcare.booking.models import Appointment
from facetcare.booking.services import mark_arrived, mark_completed, mark_no_show
from facetcare.diary.services import move_booking
from facetcare.errors import Conflict, Forbidden, InvalidInput
from tests.diary.conftest import NOW, TODAY, Desk
from tests.factories import local

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return str(response.content.decode())


def versions(appointment: Appointment) -> list[tuple[str, str]]:
    return [
        (v.reason, v.changed_by.username)
        for v in RecordVersion.objects.filter(object_id=appointment.pk).order_by("version")
    ]


class TestAttendanceRules:
    def test_a_patient_is_marked_arrived_on_the_day_and_who_did_it_is_kept(
        self, desk: Desk
    ) -> None:
        booked = desk.book(10)

        arrived = mark_arrived(appointment=booked, by_user=desk.reception, now=NOW)

        assert arrived.status == "arrived"
        assert versions(booked) == [("Marked arrived", "reception")]

    def test_arrived_is_refused_before_the_day_of_the_appointment(self, desk: Desk) -> None:
        tomorrow = desk.book(10, start=local(TODAY + timedelta(days=1), 10))

        with pytest.raises(InvalidInput, match="on the day of the appointment"):
            mark_arrived(appointment=tomorrow, by_user=desk.reception, now=NOW)

    def test_completed_and_no_show_wait_until_the_appointment_has_started(self, desk: Desk) -> None:
        booked = desk.book(10)

        with pytest.raises(InvalidInput, match="once it has started"):
            mark_completed(appointment=booked, by_user=desk.physio, now=NOW)
        with pytest.raises(InvalidInput, match="once it has started"):
            mark_no_show(appointment=booked, by_user=desk.reception, now=NOW)
        later = local(TODAY, 10, 5)
        assert mark_no_show(appointment=booked, by_user=desk.reception, now=later).status == (
            "no_show"
        )

    def test_arrived_then_completed_is_the_usual_way(self, desk: Desk) -> None:
        booked = desk.book(10)

        mark_arrived(appointment=booked, by_user=desk.reception, now=NOW)
        done = mark_completed(appointment=booked, by_user=desk.physio, now=local(TODAY, 10, 30))

        assert done.status == "completed"
        assert versions(booked) == [("Marked arrived", "reception"), ("Marked completed", "physio")]

    @pytest.mark.parametrize(
        ("first", "then"),
        [("completed", mark_arrived), ("completed", mark_no_show), ("no_show", mark_completed)],
    )
    def test_a_mark_must_follow_the_status_before_it(
        self, desk: Desk, first: str, then: Any
    ) -> None:
        booked = desk.book(10)
        Appointment.objects.filter(pk=booked.pk).update(status=first)

        with pytest.raises(Conflict, match="cannot be marked"):
            then(appointment=booked, by_user=desk.reception, now=local(TODAY, 11))
        assert Appointment.objects.get(pk=booked.pk).status == first
        assert versions(booked) == []

    def test_a_late_arrival_after_a_no_show_can_still_be_marked_arrived(self, desk: Desk) -> None:
        booked = desk.book(10)
        mark_no_show(appointment=booked, by_user=desk.reception, now=local(TODAY, 10, 10))

        assert mark_arrived(appointment=booked, by_user=desk.reception, now=NOW).status == (
            "arrived"
        )

    def test_a_cancelled_booking_takes_no_mark(self, desk: Desk) -> None:
        booked = desk.book(10)
        Appointment.objects.filter(pk=booked.pk).update(status="cancelled")

        with pytest.raises(Conflict, match="cancelled"):
            mark_arrived(appointment=booked, by_user=desk.reception, now=NOW)

    def test_only_staff_record_attendance(self, desk: Desk) -> None:
        booked = desk.book(10)

        with pytest.raises(Forbidden):
            mark_arrived(appointment=booked, by_user=desk.referrer, now=NOW)
        with pytest.raises(Forbidden):
            mark_arrived(appointment=booked, by_user=AnonymousUser(), now=NOW)


def test_the_booking_page_offers_only_the_marks_allowed_now(reception: Client, desk: Desk) -> None:
    booked = desk.book(10)

    page = text(reception.get(f"/diary/appointments/{booked.pk}/"))

    assert "Mark arrived" in page
    assert "Mark completed" not in page  # it has not started
    assert "Mark no-show" not in page
    assert "Move to another time" in page
    assert "Cancel booking" in page
    assert f'href="/waitlist/?clinic={desk.clinic.slug}"' in page


def test_reception_marks_a_patient_arrived_from_the_booking_page(
    reception: Client, desk: Desk
) -> None:
    booked = desk.book(10)

    response = reception.post(
        f"/diary/appointments/{booked.pk}/attendance/", {"status": "arrived"}, follow=True
    )

    page = text(response)
    assert Appointment.objects.get(pk=booked.pk).status == "arrived"
    assert "Sam Taylor marked arrived." in page
    assert re.search(r'class="status status-arrived">Arrived<', page)
    assert "Marked arrived" in page  # the history, with who
    assert "Rita Desk" in page


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        ("completed", 422, "once it has started"),
        ("finished", 400, "Choose arrived, completed or no-show"),
        ("", 400, "This field is required"),
    ],
)
def test_a_refused_mark_says_why_and_changes_nothing(
    reception: Client, desk: Desk, status: str, code: int, message: str
) -> None:
    booked = desk.book(10)

    response = reception.post(f"/diary/appointments/{booked.pk}/attendance/", {"status": status})

    assert response.status_code == code
    assert message in text(response)
    assert Appointment.objects.get(pk=booked.pk).status == "booked"


def test_a_physiotherapist_may_record_attendance_but_not_cancel_or_move(
    client: Client, desk: Desk
) -> None:
    booked = desk.book(10)
    client.force_login(desk.physio)

    page = text(client.get(f"/diary/appointments/{booked.pk}/"))

    assert "Mark arrived" in page
    assert "Move to another time" not in page
    assert client.get(f"/diary/appointments/{booked.pk}/cancel/").status_code == 403
    assert client.post(f"/diary/appointments/{booked.pk}/move/").status_code == 403


def test_reception_cancels_with_a_reason(reception: Client, desk: Desk) -> None:
    booked = desk.book(10)

    response = reception.post(
        f"/diary/appointments/{booked.pk}/cancel/", {"reason": "Patient is unwell"}
    )

    cancelled = Appointment.objects.get(pk=booked.pk)
    assert response.status_code == 302
    assert response["Location"] == f"/diary/?clinic={desk.clinic.pk}&day=2026-03-02"
    assert cancelled.status == "cancelled"
    assert cancelled.cancellation_reason == "Patient is unwell"
    assert versions(booked) == [("Cancelled: Patient is unwell", "reception")]


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Give a reason for the cancellation"), ("no", "Give a reason, in a few words")],
)
def test_a_cancellation_needs_a_reason(
    reception: Client, desk: Desk, reason: str, message: str
) -> None:
    booked = desk.book(10)

    response = reception.post(f"/diary/appointments/{booked.pk}/cancel/", {"reason": reason})

    assert response.status_code == 400
    assert f'id="id_reason_error"><li>{message}' in text(response)
    assert Appointment.objects.get(pk=booked.pk).status == "booked"


def test_a_booking_already_cancelled_cannot_be_cancelled_again(
    reception: Client, desk: Desk
) -> None:
    booked = desk.book(10)
    Appointment.objects.filter(pk=booked.pk).update(status="cancelled")

    response = reception.post(f"/diary/appointments/{booked.pk}/cancel/", {"reason": "Again"})

    assert response.status_code == 409
    assert "no longer active" in text(response)


def test_the_move_page_lists_free_times_by_practitioner_for_any_day(
    reception: Client, desk: Desk
) -> None:
    booked = desk.book(10)

    today = text(reception.get(f"/diary/appointments/{booked.pk}/move/"))
    tuesday = text(reception.get(f"/diary/appointments/{booked.pk}/move/?day=2026-03-03"))

    assert '<optgroup label="Priya Raman">' in today
    assert '<optgroup label="Tom Ashworth">' in today
    assert f'value="{desk.tom.pk}@{local(TODAY, 10).isoformat()}"' in today
    assert f'value="{desk.priya.pk}@{local(TODAY, 10).isoformat()}"' not in today  # her own
    assert "Free times on Tuesday 3 March 2026" in tuesday


def test_reception_moves_a_booking_to_another_practitioner_with_a_reason(
    reception: Client, desk: Desk
) -> None:
    booked = desk.book(10)
    slot = f"{desk.tom.pk}@{local(TODAY, 14).isoformat()}"

    response = reception.post(
        f"/diary/appointments/{booked.pk}/move/", {"slot": slot, "reason": "Asked for later"}
    )

    old = Appointment.objects.get(pk=booked.pk)
    new = Appointment.objects.get(rescheduled_from=old)
    assert response.status_code == 302
    assert response["Location"] == f"/diary/appointments/{new.pk}/"
    assert old.status == "cancelled"
    assert old.cancellation_reason == "Moved by reception: Asked for later"
    assert (new.practitioner, new.start, new.status) == (desk.tom, local(TODAY, 14), "booked")
    assert versions(old) == [("Moved: Asked for later", "reception")]


@pytest.mark.parametrize(
    "case",
    [
        ("", "Asked for later", "slot", "Choose a new time"),
        ("abc", "Asked for later", "slot", "Choose a new time from the list"),
        ("1@2026-03-02T14:00", "Asked for later", "slot", "Choose a new time from the list"),
        ("TOM@14", "", "reason", "Give a reason for the move"),
    ],
)
def test_a_move_with_bad_input_says_which_field_and_changes_nothing(
    reception: Client, desk: Desk, case: tuple[str, str, str, str]
) -> None:
    slot, reason, field, message = case
    booked = desk.book(10)
    slot = slot.replace("TOM@14", f"{desk.tom.pk}@{local(TODAY, 14).isoformat()}")

    response = reception.post(
        f"/diary/appointments/{booked.pk}/move/", {"slot": slot, "reason": reason}
    )

    assert response.status_code == 400
    assert f'id="id_{field}_error"><li>{message}' in text(response)
    assert Appointment.objects.get(pk=booked.pk).status == "booked"
    assert Appointment.objects.count() == 1


def test_a_move_to_a_time_taken_meanwhile_keeps_the_booking(reception: Client, desk: Desk) -> None:
    booked = desk.book(10)
    desk.book(14, practitioner=desk.tom)  # someone takes Tom's 14:00 first

    response = reception.post(
        f"/diary/appointments/{booked.pk}/move/",
        {"slot": f"{desk.tom.pk}@{local(TODAY, 14).isoformat()}", "reason": "Asked for later"},
    )

    assert response.status_code == 409
    assert 'id="id_slot_error"><li>That slot has just been taken' in text(response)
    assert Appointment.objects.get(pk=booked.pk).status == "booked"
    assert Appointment.objects.count() == 2


def test_moving_needs_a_reason_in_the_service_too(desk: Desk) -> None:
    booked = desk.book(10)

    with pytest.raises(InvalidInput) as refused:
        move_booking(
            appointment=booked,
            new_start=local(TODAY, 14),
            new_practitioner=None,
            reason="  ",
            by_user=desk.reception,
            now=NOW,
        )
    assert refused.value.field == "reason"


@pytest.mark.parametrize("who", ["999999", "PRIYA"])
def test_a_move_to_nobody_or_to_a_time_outside_hours_is_refused_next_to_the_time(
    reception: Client, desk: Desk, who: str
) -> None:
    booked = desk.book(10)
    practitioner = who.replace("PRIYA", str(desk.priya.pk))
    slot = f"{practitioner}@{local(TODAY, 18).isoformat()}"

    response = reception.post(
        f"/diary/appointments/{booked.pk}/move/", {"slot": slot, "reason": "Asked for later"}
    )

    assert response.status_code == 422
    assert 'id="id_slot_error"><li>' in text(response)
    assert Appointment.objects.get(pk=booked.pk).status == "booked"
    assert Appointment.objects.count() == 1
