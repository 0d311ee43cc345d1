"""Appointment reminders: one email, some hours before each booked appointment, sent once.

When: ``clinic.reminder_hours_before`` hours (24 unless the clinic says otherwise)
before the start, for every appointment still *booked*. A cancelled appointment
gets none; a rescheduled one is a new appointment, so it gets its own reminder
for its new time (and the old one none, being cancelled). A booking made inside
that window (say three hours ahead) gets no reminder: its confirmation has just
told the patient the same thing. A reminder the worker could not send on time
(it was stopped) goes out late, as long as the appointment has not started.

Once: the sweep (``send_due_reminders``, run every minute by ``facetcare
worker``) handles each due appointment in three steps.

1. *Claim*: in one transaction, lock the appointment, check it is still booked
   and has no reminder row, insert ``Reminder(state=sending)``, commit. The
   unique constraint on (appointment, channel) means two sweeps, two workers or a
   restarted worker can never both claim it.
2. *Send*: hand the message to the mail server.
3. *Mark*: set the row to ``sent`` (one autocommitted update).

Where a worker can die, and what follows:

- before the claim commits: nothing is recorded and nothing was sent; the next
  sweep claims and sends it;
- between the claim and the mail server accepting the message: the row stays
  ``sending`` and the reminder is *not* sent (the next sweep sees a claimed row);
- between the mail server accepting it and the mark: the patient has it, the
  row stays ``sending``, and it is not sent again.

The worker cannot tell the last two apart (no mail server can be asked "did you
take it?" inside our transaction), so a row left in ``sending`` is never
retried: in that narrow window a reminder is sent *at most* once, and
everywhere else exactly once. A duplicate is never sent. The window is kept
small: the message is built and the mail connection opened before the claim.
If the mail server raises while sending, the row becomes ``failed`` with the
error (again not retried, since the server may have taken the message before
the connection broke), and the sweep stops, leaving the rest unclaimed for the
next one. A mail server that cannot be reached at all fails the sweep before
anything is claimed, so an outage delays reminders rather than losing them.

Texts: a patient who opted in (``Patient.contact_by_sms``) also gets a short
SMS, claimed, sent and marked the same way under a row of its own (channel
``sms``), so a failed text never holds back the email or the other way round.
"""

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.tasks import task
from django.utils import timezone

from facetcare.booking.locks import lock_appointment
from facetcare.booking.models import Appointment, Reminder
from facetcare.booking.notifications import render_appointment_summary, summarise_appointment
from facetcare.clinics.models import Clinic
from facetcare.sms import send_sms

logger = logging.getLogger(__name__)

_ERROR_CHARS = 2000


@dataclass(frozen=True, slots=True)
class SweepResult:
    sent: int  # messages handed over, emails and texts
    skipped: int  # claimed meanwhile by another sweep, or no longer booked


def worker_name() -> str:
    """Who claims a reminder: host and process, shown on the reminder row."""
    return f"{socket.gethostname()}:{os.getpid()}"


@task
def send_due_reminders() -> int:
    """The worker's periodic task: send every reminder that is due now; returns how many."""
    return sweep_reminders(now=timezone.now()).sent


def sweep_reminders(*, now: datetime, worker: str | None = None) -> SweepResult:
    """Claim, send and mark each due reminder in turn, emails then texts (see the
    module docstring).

    Raises what a mail or SMS backend raises, after recording it on the reminder
    being sent; the reminders after it on that channel stay unclaimed for the
    next sweep. A failing channel does not stop the other.
    """
    worker = worker or worker_name()
    sent = skipped = 0
    failures: list[Exception] = []
    for channel in (Reminder.Channel.EMAIL, Reminder.Channel.SMS):
        try:
            done, passed = _sweep_channel(channel, now=now, worker=worker)
        except Exception as error:
            failures.append(error)
            continue
        sent, skipped = sent + done, skipped + passed
    if failures:
        raise failures[0]
    return SweepResult(sent=sent, skipped=skipped)


def list_due_reminders(
    *, now: datetime, channel: str = Reminder.Channel.EMAIL
) -> list[Appointment]:
    """Booked appointments, not yet started, whose reminder on ``channel`` is due and
    not claimed; for texts, only patients who opted in to them.

    Due: the start is at most the clinic's ``reminder_hours_before`` away, and the
    booking was made before that moment. One query for the clinics' lead times,
    one for the appointments; earliest start first.
    """
    leads = Clinic.objects.values_list("reminder_hours_before", flat=True).distinct()
    due = Q()
    for hours in leads:
        lead = timedelta(hours=hours)
        due |= Q(
            clinic__reminder_hours_before=hours,
            start__lte=now + lead,
            created_at__lte=F("start") - lead,
        )
    if not due:
        return []
    if channel == Reminder.Channel.SMS:
        due &= Q(patient__contact_by_sms=True) & ~Q(patient__phone="")
    claimed = Reminder.objects.filter(appointment=OuterRef("pk"), channel=channel)
    return list(
        Appointment.objects.filter(due, status=Appointment.Status.BOOKED, start__gt=now)
        .exclude(Exists(claimed))
        .select_related("clinic", "service", "practitioner", "patient")
        .order_by("start", "pk")
    )


def claim_reminder(
    *,
    appointment: Appointment,
    now: datetime,
    worker: str,
    channel: str = Reminder.Channel.EMAIL,
) -> Reminder | None:
    """Claim the reminder of ``appointment`` on ``channel``, or None if it is not ours.

    None when the appointment is no longer booked or has started, or when a
    reminder row exists already (another sweep got there first). The appointment
    is locked while we look, so a cancellation either happens before (and we
    skip it) or waits until the claim has committed.
    """
    try:
        with transaction.atomic():
            current = lock_appointment(appointment_id=appointment.pk)
            if current is None or current.status != Appointment.Status.BOOKED:
                return None
            if current.start <= now:
                return None
            if Reminder.objects.filter(appointment=current, channel=channel).exists():
                return None
            return Reminder.objects.create(
                appointment=current, channel=channel, claimed_at=now, claimed_by=worker[:120]
            )
    except IntegrityError:
        # The unique constraint: a concurrent sweep inserted the row first.
        return None


def _sweep_channel(channel: str, *, now: datetime, worker: str) -> tuple[int, int]:
    due = list_due_reminders(now=now, channel=channel)
    if not due:
        return 0, 0
    if channel == Reminder.Channel.SMS:
        return _send_each(due, _texter(), channel=channel, now=now, worker=worker)
    mailer = mailers.default
    # Opened before anything is claimed: a mail server that is down fails here.
    mailer.open()
    try:
        return _send_each(due, _mailer(mailer), channel=channel, now=now, worker=worker)
    finally:
        mailer.close()


Sender = Callable[[Appointment], Callable[[], object]]


def _mailer(mailer: BaseEmailBackend) -> Sender:
    """Builds the email first, so only the hand-over to the server is left after the claim."""

    def prepare(appointment: Appointment) -> Callable[[], object]:
        message = reminder_email(appointment)
        return lambda: mailer.send_messages([message])

    return prepare


def _texter() -> Sender:
    def prepare(appointment: Appointment) -> Callable[[], object]:
        body = reminder_text(appointment)
        return lambda: send_sms(to=appointment.patient.phone, body=body)

    return prepare


def _send_each(
    due: list[Appointment], prepare: Sender, *, channel: str, now: datetime, worker: str
) -> tuple[int, int]:
    sent = skipped = 0
    for appointment in due:
        send = prepare(appointment)
        reminder = claim_reminder(appointment=appointment, now=now, worker=worker, channel=channel)
        if reminder is None:
            skipped += 1
            continue
        try:
            send()
        except Exception as error:
            Reminder.objects.filter(pk=reminder.pk).update(
                state=Reminder.State.FAILED, error=repr(error)[:_ERROR_CHARS]
            )
            logger.exception("The %s reminder of appointment %s failed", channel, appointment.pk)
            raise
        Reminder.objects.filter(pk=reminder.pk).update(
            state=Reminder.State.SENT, sent_at=timezone.now()
        )
        sent += 1
    return sent, skipped


def reminder_email(appointment: Appointment) -> EmailMessage:
    """The reminder: what, with whom, when (local time with its zone, in the clinic's
    locale), where, what to bring, and the link to see, move or cancel it."""
    summary = summarise_appointment(appointment)
    body = "\n".join(
        [
            f"Dear {appointment.patient.first_name},",
            "",
            f"This is a reminder of your appointment at {summary.clinic} on {summary.when}.",
            "",
            render_appointment_summary(appointment),
            "",
            f"If you need to talk to us, call {summary.clinic} on {summary.phone}.",
        ]
    )
    return EmailMessage(
        subject=f"Reminder: {summary.service}, {summary.short_when}",
        body=body + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[appointment.patient.email],
        reply_to=[appointment.clinic.email],
    )


def reminder_text(appointment: Appointment) -> str:
    """The reminder's text message: when and where, and the link to change or cancel."""
    summary = summarise_appointment(appointment)
    return (
        f"{summary.clinic}: reminder of your {summary.service} on {summary.short_when}, "
        f"{summary.address_line}. To change or cancel: {summary.manage_url}"
    )
