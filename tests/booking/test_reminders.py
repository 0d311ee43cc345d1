"""Reminders: when they are due, what they say, and that each goes once.

The sweep is given ``now``; each booking's ``created_at`` is set to when it was
"made", since whether a reminder is due depends on it. The worker killed and
restarted mid-sweep is in ``tests/test_worker.py``.
"""

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from facetcare.booking import reminders
from facetcare.booking.models import Appointment, Reminder
from facetcare.booking.reminders import claim_reminder, list_due_reminders, sweep_reminders
from facetcare.booking.services import cancel_appointment, reschedule_appointment
from facetcare.booking.tokens import read_manage_link
from facetcare.patients.models import Patient
from facetcare.sms import InMemorySmsBackend
from tests.booking.conftest import World
from tests.factories import book, local, make_clinic, make_practitioner, make_room, patient_details

TUESDAY = local(datetime(2026, 3, 3).date(), 10)  # 10:00 GMT, Tuesday 3 March 2026
A_WEEK_BEFORE = TUESDAY - timedelta(days=7)


def booking(
    world: World, start: datetime = TUESDAY, *, made: datetime = A_WEEK_BEFORE, **extra: Any
) -> Appointment:
    """A booking for ``start``, made at ``made``."""
    extra.setdefault("patient_details", patient_details(email=f"p{start:%d%H%M}@example.org"))
    args = {"service": world.service, "clinic": world.clinic, "practitioner": world.practitioner}
    appointment = book(**(args | extra), start=start, now=made).appointment
    Appointment.objects.filter(pk=appointment.pk).update(created_at=made)
    appointment.refresh_from_db()
    return appointment


def sent_to() -> list[str]:
    """Who has been sent a reminder (a booking's own confirmation is not one)."""
    return [m.to[0] for m in mail.outbox if m.subject.startswith("Reminder:")]


def test_a_reminder_is_not_sent_before_its_lead_time(world: World) -> None:
    booking(world)

    result = sweep_reminders(now=TUESDAY - timedelta(hours=24, minutes=1))

    assert (result.sent, sent_to()) == (0, [])


def test_a_reminder_goes_once_when_its_lead_time_comes(world: World) -> None:
    appointment = booking(world)

    first = sweep_reminders(now=TUESDAY - timedelta(hours=24))
    second = sweep_reminders(now=TUESDAY - timedelta(hours=23))

    assert (first.sent, second.sent) == (1, 0)
    assert sent_to() == [appointment.patient.email]
    reminder = Reminder.objects.get(appointment=appointment)
    assert (reminder.state, reminder.channel) == (Reminder.State.SENT, Reminder.Channel.EMAIL)
    assert reminder.sent_at is not None


def test_the_reminder_says_when_where_and_how_to_manage_the_booking(world: World) -> None:
    world.service.preparation = "Shorts and a T-shirt"
    world.service.save()
    appointment = booking(world)

    sweep_reminders(now=TUESDAY - timedelta(hours=20))

    (message,) = mail.outbox
    assert "Tuesday 3 March 2026 at 10:00 GMT" in message.body
    assert message.subject == f"Reminder: {world.service.name}, Tue 3 Mar, 10:00 GMT"
    assert world.clinic.address in message.body
    assert "Shorts and a T-shirt" in message.body
    link = next(line for line in message.body.splitlines() if "/manage/" in line)
    assert link.startswith("http")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert read_manage_link(token, now=TUESDAY).appointment_id == appointment.pk


def test_a_patient_who_opted_in_to_texts_is_also_texted_once(world: World) -> None:
    texted = booking(world)
    Patient.objects.filter(pk=texted.patient_id).update(contact_by_sms=True)
    booking(world, TUESDAY + timedelta(hours=1))  # this patient did not opt in

    first = sweep_reminders(now=TUESDAY - timedelta(hours=3))
    again = sweep_reminders(now=TUESDAY - timedelta(hours=2))

    assert (first.sent, again.sent) == (3, 0)  # two emails, one text
    (text,) = InMemorySmsBackend.outbox
    assert text.to == texted.patient.phone
    assert "Tue 3 Mar, 10:00 GMT" in text.body
    assert "/manage/" in text.body
    assert Reminder.objects.filter(channel=Reminder.Channel.SMS, state="sent").count() == 1


def test_a_failing_text_does_not_hold_back_the_emails(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    texted = booking(world)
    Patient.objects.filter(pk=texted.patient_id).update(contact_by_sms=True)

    def refuse(self: Any, message: Any) -> None:
        raise ConnectionError("gateway down")

    monkeypatch.setattr(InMemorySmsBackend, "send", refuse)

    with pytest.raises(ConnectionError):
        sweep_reminders(now=TUESDAY - timedelta(hours=3))

    assert sent_to() == [texted.patient.email]
    states = dict(Reminder.objects.values_list("channel", "state"))
    assert states == {"email": "sent", "sms": "failed"}


def test_a_us_clinic_writes_the_time_as_its_patients_do(world: World) -> None:
    clinic = make_clinic(time_zone="America/Los_Angeles", locale="en-US", currency="USD")
    make_room(clinic)
    practitioner = make_practitioner(clinic, world.service)
    start = datetime.fromisoformat("2026-03-03T14:30:00-08:00")
    booking(world, start, clinic=clinic, practitioner=practitioner)

    sweep_reminders(now=start - timedelta(hours=2))

    assert "Tuesday, March 3, 2026 at 2:30 PM PST" in mail.outbox[0].body


def test_each_clinic_sets_its_own_lead_time(world: World) -> None:
    world.clinic.reminder_hours_before = 48
    world.clinic.save()
    booking(world)

    assert sweep_reminders(now=TUESDAY - timedelta(hours=49)).sent == 0
    assert sweep_reminders(now=TUESDAY - timedelta(hours=48)).sent == 1


def test_a_cancelled_booking_gets_no_reminder(world: World) -> None:
    appointment = booking(world)
    cancel_appointment(appointment=appointment, now=A_WEEK_BEFORE + timedelta(days=1))

    assert sweep_reminders(now=TUESDAY - timedelta(hours=2)).sent == 0
    assert mail.outbox == []


def test_a_rescheduled_booking_is_reminded_of_its_new_time_only(world: World) -> None:
    old = booking(world)
    moved_at = A_WEEK_BEFORE + timedelta(days=1)
    new = reschedule_appointment(
        appointment=old, new_start=TUESDAY + timedelta(hours=5), now=moved_at
    ).appointment
    Appointment.objects.filter(pk=new.pk).update(created_at=moved_at)

    first = sweep_reminders(now=TUESDAY - timedelta(hours=2))
    later = sweep_reminders(now=TUESDAY + timedelta(hours=1))

    assert (first.sent, later.sent) == (1, 0)
    assert "15:00 GMT" in mail.outbox[0].body
    assert Reminder.objects.get().appointment == new
    assert not Reminder.objects.filter(appointment=old).exists()


def test_a_booking_made_inside_the_lead_time_gets_no_reminder(world: World) -> None:
    booking(world, made=TUESDAY - timedelta(hours=3))

    assert sweep_reminders(now=TUESDAY - timedelta(hours=2)).sent == 0


def test_a_late_reminder_still_goes_before_the_start_but_not_after(world: World) -> None:
    booking(world)
    booking(world, TUESDAY - timedelta(hours=2))

    result = sweep_reminders(now=TUESDAY - timedelta(minutes=30))

    assert result.sent == 1
    assert "10:00 GMT" in mail.outbox[0].body


def test_a_claimed_reminder_is_never_sent_again(world: World) -> None:
    # A worker that claimed it and died: the message may have gone, so it must not go twice.
    appointment = booking(world)
    claimed = claim_reminder(appointment=appointment, now=TUESDAY - timedelta(hours=5), worker="w1")

    result = sweep_reminders(now=TUESDAY - timedelta(hours=4))

    assert claimed is not None
    assert (result.sent, mail.outbox) == (0, [])
    assert claim_reminder(appointment=appointment, now=TUESDAY, worker="w2") is None
    assert Reminder.objects.get().state == Reminder.State.SENDING


def test_a_mail_server_error_fails_that_reminder_and_leaves_the_rest(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = booking(world, TUESDAY - timedelta(hours=1))
    second = booking(world)
    real_send = mail.backends.locmem.EmailBackend.send_messages

    def refuse_first(self: Any, messages: list[Any]) -> int:
        if messages[0].to == [first.patient.email]:
            raise OSError("connection reset")
        return real_send(self, messages)

    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "send_messages", refuse_first)

    with pytest.raises(OSError, match="connection reset"):
        sweep_reminders(now=TUESDAY - timedelta(hours=2))
    retried = sweep_reminders(now=TUESDAY - timedelta(hours=2))

    failed = Reminder.objects.get(appointment=first)
    assert (failed.state, "connection reset" in failed.error) == (Reminder.State.FAILED, True)
    assert retried.sent == 1
    assert sent_to() == [second.patient.email]


def test_the_due_list_costs_two_queries(world: World, django_assert_num_queries: Any) -> None:
    for hour in (9, 10, 11, 12):
        booking(world, TUESDAY.replace(hour=hour))

    with django_assert_num_queries(2):
        due = list_due_reminders(now=TUESDAY - timedelta(hours=12))

    assert len(due) == 4
    assert [a.clinic.name for a in due] == [world.clinic.name] * 4


def test_the_periodic_task_sweeps_with_the_clock(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    booking(world)
    monkeypatch.setattr(reminders.timezone, "now", lambda: TUESDAY - timedelta(hours=1))

    assert reminders.send_due_reminders.call() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_racing_send_each_reminder_exactly_once(world: World) -> None:
    appointments = [booking(world, TUESDAY.replace(hour=hour)) for hour in range(8, 20)]
    now = TUESDAY.replace(hour=7)
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def sweep(worker: str) -> None:
        try:
            barrier.wait(timeout=30)
            sweep_reminders(now=now, worker=worker)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep, args=(f"w{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert sorted(sent_to()) == sorted(a.patient.email for a in appointments)
    assert Reminder.objects.filter(state=Reminder.State.SENT).count() == len(appointments)
