"""The waiting list: people waiting for a time that suits, and the offers made to them.

An entry is a person (no account: the details a booking needs) waiting for one
service at one or more clinics, on chosen weekdays and parts of the day. When a
matching slot frees, the first in line are offered it (``WaitlistOffer``); the
first to accept books it and leaves the list.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Clinic, Practitioner, Service, Weekday
from facetcare.phones import validate_e164


class PartOfDay(models.TextChoices):
    """Parts of a clinic's local day, as a person chooses them (see ``matching``)."""

    MORNING = "morning", "Morning (before 12:00)"
    AFTERNOON = "afternoon", "Afternoon (12:00 to 17:00)"
    EVENING = "evening", "Evening (from 17:00)"


class WaitlistEntry(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        BOOKED = "booked", "Booked from an offer"
        REMOVED = "removed", "Removed"

    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    email = models.EmailField()
    phone = models.CharField(max_length=16, validators=[validate_e164], help_text="E.164")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    clinics = models.ManyToManyField(Clinic, related_name="+")
    # Local weekdays (0 = Monday) and parts of the day the person can come.
    weekdays = models.JSONField(default=list)
    parts_of_day = models.JSONField(default=list)
    consent_to_contact = models.BooleanField(help_text="Agreed to be emailed when a time comes up")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removal_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_to_contact=True), name="waitlist_entry_has_consent"
            ),
        ]
        indexes = [
            # Who is waiting for a service, first joined first.
            models.Index(fields=["service", "status", "joined_at"], name="waitlist_in_line"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} waiting for {self.service}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def weekday_names(self) -> str:
        """``Every day``, or the chosen days: ``Mon, Wed, Fri``."""
        if len(self.weekdays) == len(Weekday):
            return "Every day"
        return ", ".join(Weekday(day).label[:3] for day in sorted(self.weekdays))

    @property
    def part_of_day_names(self) -> str:
        """``Any time of day``, or the chosen parts of the day: ``Morning, evening``."""
        if len(self.parts_of_day) == len(PartOfDay):
            return "Any time of day"
        chosen = ", ".join(part for part in PartOfDay.values if part in self.parts_of_day)
        return chosen.capitalize()


class WaitlistOffer(models.Model):
    """One slot offered to one entry. Offers of the same slot share clinic,
    practitioner and start; the first accepted books it, the rest are ``taken``."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted and booked"
        TAKEN = "taken", "Gone to someone else"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn (left the list)"

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The cancelled booking whose slot this is; none for an offer made by reception.
    freed_by = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "clinic", "practitioner", "start"],
                name="waitlist_offer_once_per_entry_and_slot",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="waitlist_offer_expires_after_made",
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "practitioner", "start"], name="waitlist_offer_slot"),
            models.Index(fields=["status", "expires_at"], name="waitlist_offer_open"),
        ]

    def __str__(self) -> str:
        return f"Offer of {self.service} at {self.start:%Y-%m-%d %H:%M} UTC to {self.entry}"

    @property
    def local_start(self) -> datetime:
        """The start in the clinic's own zone."""
        return self.start.astimezone(ZoneInfo(self.clinic.time_zone))

    @property
    def local_expires_at(self) -> datetime:
        return self.expires_at.astimezone(ZoneInfo(self.clinic.time_zone))
