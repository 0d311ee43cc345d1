"""What the worker tests run inside a real ``facetcare worker`` process.

``RecordingMailBackend`` appends one JSON line per message to the file named by
``FACETCARE_TEST_MAIL_LOG`` (flushed to disk before it returns, so a SIGKILL
cannot lose it), then waits ``FACETCARE_TEST_MAIL_DELAY`` seconds: the wait is
where a test's kill lands, after the mail server "took" the message and before
the worker recorded it as sent. ``seed`` fills a fresh database.
"""

import json
import os
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from facetcare.booking.models import Appointment
from tests.factories import make_clinic, make_patient, make_practitioner, make_room, make_service


class RecordingMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        messages: list[EmailMessage] = list(email_messages)
        for message in messages:
            line = json.dumps({"to": message.to, "subject": message.subject})
            with open(os.environ["FACETCARE_TEST_MAIL_LOG"], "a", encoding="utf-8") as log:
                log.write(line + "\n")
                log.flush()
                os.fsync(log.fileno())
            time.sleep(float(os.environ.get("FACETCARE_TEST_MAIL_DELAY", "0")))
        return len(messages)


def seed(due: int) -> dict[str, Any]:
    """``due`` appointments whose reminders are due now (booked a week ago, starting in
    three hours), one cancelled and one booked an hour ago; their patients' emails."""
    clinic = make_clinic()
    service = make_service()
    now = timezone.now()
    start = now + timedelta(hours=3)
    week_ago = now - timedelta(days=7)
    emails: dict[str, list[str]] = {"due": [], "cancelled": [], "late_booking": []}
    kinds = ["due"] * due + ["cancelled", "late_booking"]
    for n, kind in enumerate(kinds):
        email = f"patient{n}@example.org"
        appointment = Appointment.objects.create(
            patient=make_patient(first_name=f"Patient{n}", email=email),
            service=service,
            clinic=clinic,
            practitioner=make_practitioner(clinic, service),
            room=make_room(clinic),
            start=start + timedelta(minutes=n),
            end=start + timedelta(minutes=n + 45),
            occupied_start=start + timedelta(minutes=n),
            occupied_end=start + timedelta(minutes=n + 45),
            session_key=f"appt:seed-{n}",
            channel=Appointment.Channel.ONLINE,
            price=Decimal("60.00"),
            currency="GBP",
            status="cancelled" if kind == "cancelled" else "booked",
        )
        made = now - timedelta(hours=1) if kind == "late_booking" else week_ago
        Appointment.objects.filter(pk=appointment.pk).update(created_at=made)
        emails[kind].append(email)
    return emails
