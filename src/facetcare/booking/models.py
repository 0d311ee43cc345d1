"""Appointments. The database itself refuses double booking.

On PostgreSQL two exclusion constraints (btree_gist, created by migration 0002
because SQLite has no equivalent) refuse two live appointments whose occupied
ranges (the appointment widened by its service's buffers) overlap on the same
practitioner, or on the same room, unless both belong to the same class session
(same ``session_key``). On SQLite the booking service serialises writers
(IMMEDIATE transactions) and checks inside them.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from facetcare.clinics.models import Clinic, Practitioner, Room, Service
from facetcare.patients.models import Patient


def new_manage_secret() -> str:
    return secrets.token_urlsafe(24)


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        ARRIVED = "arrived", "Arrived"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    class Channel(models.TextChoices):
        ONLINE = "online", "Online"
        PHONE = "phone", "Phone"
        REFERRAL = "referral", "Referral"
        STAFF = "staff", "Staff"

    # The (patient, start), (clinic, start), (practitioner, occupied_start) and
    # (room, occupied_start) indexes below lead with these keys, so a single-column
    # index of each would only cost every booking's insert another index write.
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="appointments", db_index=False
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="appointments")
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, related_name="appointments", db_index=False
    )
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="appointments", db_index=False
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="appointments", db_index=False
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    # The appointment widened by the service's buffers at booking time; this is
    # what may not overlap another live appointment's occupied range.
    occupied_start = models.DateTimeField()
    occupied_end = models.DateTimeField()
    # Class attendees share one key (service, practitioner, start) so they may
    # share the time; a one-to-one appointment has a key of its own.
    session_key = models.CharField(max_length=80)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    discount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(max_length=3)
    # Unique through a constraint rather than unique=True, which on PostgreSQL
    # would add a second (pattern-matching) index that no query uses. NULL, not
    # "", is "no key", so any number of bookings may have none.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    request_fingerprint = models.CharField(max_length=64, blank=True)
    manage_secret = models.CharField(max_length=64, default=new_manage_secret, editable=False)
    rescheduled_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="rescheduled_to"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=200, blank=True)

    LIVE = ~Q(status="cancelled")

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="appointment_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(occupied_start__lte=F("start"), occupied_end__gte=F("end")),
                name="appointment_occupied_covers_appointment",
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0), name="appointment_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(discount__gte=0, discount__lte=F("price")),
                name="appointment_discount_within_price",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"], name="appointment_idempotency_key_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["practitioner", "occupied_start"], name="appt_practitioner_start"),
            models.Index(fields=["room", "occupied_start"], name="appt_room_start"),
            models.Index(fields=["clinic", "start"], name="appt_clinic_start"),
            models.Index(fields=["patient", "start"], name="appt_patient_start"),
        ]

    def __str__(self) -> str:
        return f"{self.service} for {self.patient} at {self.start:%Y-%m-%d %H:%M} UTC"

    @property
    def is_live(self) -> bool:
        return self.status != self.Status.CANCELLED


class Reminder(models.Model):
    """One reminder for one appointment on one channel: the record that makes it go once.

    The row is the claim. A sweep inserts it (state ``sending``) and commits before
    handing the message to the mail server, then marks it ``sent``; the unique
    constraint means a second sweep, or a restarted worker, can never claim the
    same appointment again. A row left in ``sending`` is one whose worker stopped
    between the claim and the mark: the message may or may not have gone, and it
    is never sent again (see ``booking/reminders.py``).
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "SMS"

    class State(models.TextChoices):
        SENDING = "sending", "Sending (or stopped while sending)"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    state = models.CharField(max_length=8, choices=State.choices, default=State.SENDING)
    claimed_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=120, help_text="The worker that claimed it")
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            # The (appointment, channel) index this creates also answers the
            # sweep's "has it had its reminder?" question.
            models.UniqueConstraint(
                fields=["appointment", "channel"], name="reminder_once_per_appointment_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} reminder for appointment {self.appointment_id}"
