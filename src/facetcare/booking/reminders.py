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

SMS reminders are not sent yet: the SMS backend does not exist.
"""

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from facetcare import locales
from facetcare.booking.locks import lock_appointment
from facetcare.booking.models import Appointment, Reminder
from facetcare.booking.tokens import manage_link_token
from facetcare.clinics.models import Clinic

logger = logging.getLogger(__name__)

_ERROR_CHARS = 2000


@dataclass(frozen=True, slots=True)
class SweepResult:
    sent: int
    skipped: int  # claimed meanwhile by another sweep, or no longer booked


def worker_name() -> str:
    """Who claims a reminder: host and process, shown on the reminder row."""
    return f"{socket.gethostname()}:{os.getpid()}"


@task
def send_due_reminders() -> int:
    """The worker's periodic task: send every reminder that is due now; returns how many."""
    return sweep_reminders(now=timezone.now()).sent


def sweep_reminders(*, now: datetime, worker: str | None = None) -> SweepResult:
    """Claim, send and mark each due reminder in turn (see the module docstring).

    Raises whatever the mail backend raises, after recording it on the reminder
    being sent; the reminders after it stay unclaimed for the next sweep.
    """
    due = list_due_reminders(now=now)
    if not due:
        return SweepResult(sent=0, skipped=0)
    worker = worker or worker_name()
    mailer = mailers.default
    # Opened before anything is claimed: a mail server that is down fails here.
    mailer.open()
    sent = skipped = 0
    try:
        for appointment in due:
            if _send_one(appointment, mailer=mailer, now=now, worker=worker):
                sent += 1
            else:
                skipped += 1
    finally:
        mailer.close()
    return SweepResult(sent=sent, skipped=skipped)


def list_due_reminders(*, now: datetime) -> list[Appointment]:
    """Booked appointments, not yet started, whose email reminder is due and not claimed.

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
    claimed = Reminder.objects.filter(appointment=OuterRef("pk"), channel=Reminder.Channel.EMAIL)
    return list(
        Appointment.objects.filter(due, status=Appointment.Status.BOOKED, start__gt=now)
        .exclude(Exists(claimed))
        .select_related("clinic", "service", "practitioner", "patient")
        .order_by("start", "pk")
    )


def claim_reminder(*, appointment: Appointment, now: datetime, worker: str) -> Reminder | None:
    """Claim the email reminder of ``appointment``, or None if it is not ours to send.

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
            channel = Reminder.Channel.EMAIL
            if Reminder.objects.filter(appointment=current, channel=channel).exists():
                return None
            return Reminder.objects.create(
                appointment=current, channel=channel, claimed_at=now, claimed_by=worker[:120]
            )
    except IntegrityError:
        # The unique constraint: a concurrent sweep inserted the row first.
        return None


def _send_one(
    appointment: Appointment, *, mailer: BaseEmailBackend, now: datetime, worker: str
) -> bool:
    message = reminder_email(appointment)
    reminder = claim_reminder(appointment=appointment, now=now, worker=worker)
    if reminder is None:
        return False
    try:
        mailer.send_messages([message])
    except Exception as error:
        Reminder.objects.filter(pk=reminder.pk).update(
            state=Reminder.State.FAILED, error=repr(error)[:_ERROR_CHARS]
        )
        logger.exception("Reminder for appointment %s failed; not retried", appointment.pk)
        raise
    Reminder.objects.filter(pk=reminder.pk).update(
        state=Reminder.State.SENT, sent_at=timezone.now()
    )
    return True


def manage_url(appointment: Appointment) -> str:
    """The absolute link that lets the patient see, move or cancel ``appointment``."""
    path = reverse("booking:manage", kwargs={"token": manage_link_token(appointment)})
    return f"{settings.FACETCARE_SITE_URL}{path}"


def reminder_email(appointment: Appointment) -> EmailMessage:
    """The reminder: local time with its zone in the clinic's locale, address, manage link."""
    clinic = appointment.clinic
    local = appointment.start.astimezone(ZoneInfo(clinic.time_zone))
    when = locales.format_datetime(local, clinic.locale)
    lines = [
        f"Dear {appointment.patient.first_name},",
        "",
        f"This is a reminder of your {appointment.service.name} with "
        f"{appointment.practitioner.display_name}:",
        "",
        f"  {when}",
        f"  {clinic.name}, {clinic.address}",
        "",
    ]
    if appointment.service.preparation:
        lines += ["What to bring:", appointment.service.preparation, ""]
    lines += [
        "To see, reschedule or cancel this booking:",
        manage_url(appointment),
        "",
        f"If you need to talk to us, call {clinic.phone}.",
    ]
    return EmailMessage(
        subject=f"Reminder: {appointment.service.name}, {when}",
        body="\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[appointment.patient.email],
    )
