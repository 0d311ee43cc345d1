"""Emails for measures that are due: one email per patient per sweep, each measure once.

Due: ``remind_at`` (18:00 local on the due date for pain, 09:00 for
questionnaires) has passed, the measure is neither done nor reminded, and it is
still open today. Only patients who agreed to be contacted by email
(``Patient.contact_by_email``) and have an address are emailed.

Once: the measures are *claimed* (``reminded_at`` set by one UPDATE that only
touches rows still unclaimed) before the email is sent, so two sweeps never
both send them. A worker that dies between the claim and the send leaves them
claimed and unsent: a reminder is sent at most once, never twice, the same
trade the appointment reminders make (``booking/reminders.py``).
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.urls import NoReverseMatch, reverse

from facetcare.outcomes.models import DueMeasure
from facetcare.patients.models import Patient


def list_due_reminders(*, now: datetime) -> list[DueMeasure]:
    """Unclaimed, undone measures whose reminder time has passed and which are still
    open today in their schedule's zone, for patients who take email."""
    rows = (
        DueMeasure.objects.filter(
            remind_at__lte=now,
            reminded_at__isnull=True,
            completed_at__isnull=True,
            closes_on__gte=(now - timedelta(days=1)).date(),
            patient__contact_by_email=True,
        )
        .exclude(patient__email="")
        .select_related("schedule", "patient")
        .order_by("patient_id", "due_on", "pk")
    )
    return [row for row in rows if row.closes_on >= _local_today(row, now)]


def _local_today(row: DueMeasure, now: datetime) -> date:
    return now.astimezone(ZoneInfo(row.schedule.time_zone)).date()


def _portal_link() -> str:
    try:
        path = reverse("portal:today")
    except NoReverseMatch:
        path = "/portal/"
    return f"{settings.FACETCARE_SITE_URL}{path}"


def due_email(patient: Patient, measures: list[DueMeasure]) -> EmailMessage:
    lines = [f"- {m.get_measure_display()} ({m.label})" for m in measures]
    body = "\n".join(
        [
            f"Dear {patient.preferred_name or patient.first_name},",
            "",
            "It is time to record how you are doing:",
            *lines,
            "",
            f"It takes a minute or two: {_portal_link()}",
            "",
            "Your answers help your physiotherapist and consultant judge how your "
            "treatment is working. If your pain is suddenly much worse, or you have "
            "any of the warning signs in your aftercare leaflet, contact the clinic "
            "or get urgent help instead of waiting for your next appointment.",
        ]
    )
    return EmailMessage(
        subject="FacetCare: your follow-up is due",
        body=body + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[patient.email],
    )


def sweep_due_measures(*, now: datetime) -> int:
    """Claim and email each patient's due measures; how many patients were emailed."""
    by_patient: dict[int, list[DueMeasure]] = defaultdict(list)
    for row in list_due_reminders(now=now):
        by_patient[row.patient_id].append(row)
    if not by_patient:
        return 0
    mailer = mailers.default
    mailer.open()
    sent = 0
    try:
        for rows in by_patient.values():
            message = due_email(rows[0].patient, rows)
            claimed = DueMeasure.objects.filter(
                pk__in=[row.pk for row in rows], reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                mailer.send_messages([message])
                sent += 1
    finally:
        mailer.close()
    return sent
