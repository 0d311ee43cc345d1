"""The clinic directory: clinics, their hours and closures, rooms, practitioners and services."""

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from facetcare.phones import validate_e164


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone name (e.g. Europe/London)")


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Locale(models.TextChoices):
    """The locales FacetCare writes pages in (BCP 47 tags, as the ``lang`` attribute wants)."""

    EN_GB = "en-GB", "English (United Kingdom)"
    EN_US = "en-US", "English (United States)"


class Clinic(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    address = models.TextField()
    postcode = models.CharField(max_length=16, blank=True)
    latitude = models.DecimalField(
        max_digits=8, decimal_places=5, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.DecimalField(
        max_digits=8, decimal_places=5, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    phone = models.CharField(max_length=20, validators=[validate_e164], help_text="E.164")
    email = models.EmailField()
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    currency = models.CharField(max_length=3, default="GBP")
    locale = models.CharField(
        max_length=5,
        choices=Locale.choices,
        default=Locale.EN_GB,
        help_text="How the clinic's pages write dates and times, and their lang attribute",
    )
    reminder_hours_before = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text="Hours before an appointment that its reminder is sent",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reminder_hours_before__gte=1, reminder_hours_before__lte=168),
                name="clinic_reminder_within_a_week",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """One opening interval on a weekday, in the clinic's local time; several a day allowed."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["clinic", "weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="opening_hours_close_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinic} {self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Closure(models.Model):
    """Whole local days a clinic is shut: bank holidays and one-off closures."""

    class Kind(models.TextChoices):
        BANK_HOLIDAY = "bank_holiday", "Bank holiday"
        ONE_OFF = "one_off", "One-off closure"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="closures")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ONE_OFF)
    first_day = models.DateField()
    last_day = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["clinic", "first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="closure_last_day_not_before_first"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.clinic} closed {self.first_day}..{self.last_day} ({self.reason or self.kind})"
        )


class Room(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=80)
    equipment = models.JSONField(
        default=list, blank=True, help_text='Tags, e.g. ["fluoroscopy"], ["gym"], ["studio"]'
    )
    capacity = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["clinic", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="room_name_unique_per_clinic"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.clinic})"


class Profession(models.TextChoices):
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    PAIN_CONSULTANT = "pain_consultant", "Consultant in pain medicine"
    PILATES_INSTRUCTOR = "pilates_instructor", "Pilates instructor"
    SPORTS_THERAPIST = "sports_therapist", "Sports therapist"


class Service(models.Model):
    """An appointment type a clinic sells."""

    class Category(models.TextChoices):
        ASSESSMENT = "assessment", "Assessment"
        TREATMENT = "treatment", "Treatment"
        CONSULTATION = "consultation", "Consultation"
        PROCEDURE = "procedure", "Procedure"
        CLASS = "class", "Class"

    class ProcedureType(models.TextChoices):
        """The policy engine's request types; set on procedure services only."""

        MBB_DIAGNOSTIC = "mbb_diagnostic", "Diagnostic medial branch block"
        IA_DIAGNOSTIC = "ia_diagnostic", "Diagnostic intra-articular facet injection"
        IA_THERAPEUTIC = "ia_therapeutic", "Therapeutic intra-articular facet injection"
        MBB_THERAPEUTIC = "mbb_therapeutic", "Therapeutic medial branch block"
        RFA = "rfa", "Radiofrequency ablation"

    class Region(models.TextChoices):
        CERVICAL = "cervical", "Cervical"
        THORACIC = "thoracic", "Thoracic"
        LUMBAR = "lumbar", "Lumbar"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.TextField(blank=True, help_text="What it is, in plain words")
    audience = models.TextField(blank=True, help_text="Who it is for, in plain words")
    preparation = models.TextField(
        blank=True, help_text="What to bring and how to prepare, shown on the confirmation"
    )
    duration_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(5)])
    buffer_before_minutes = models.PositiveSmallIntegerField(default=0)
    buffer_after_minutes = models.PositiveSmallIntegerField(default=0)
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    online_discount_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    required_profession = models.CharField(max_length=30, choices=Profession.choices)
    required_equipment = models.JSONField(default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)], help_text="1 for one-to-one, more for classes"
    )
    slot_step_minutes = models.PositiveSmallIntegerField(
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text="Bookable starts fall on this local grid, e.g. 15 for :00 :15 :30 :45",
    )
    min_notice_minutes = models.PositiveIntegerField(default=60)
    max_advance_days = models.PositiveIntegerField(default=90, validators=[MinValueValidator(1)])
    online_bookable = models.BooleanField(
        default=True, help_text="Off: only staff can book it (e.g. procedures after review)"
    )
    procedure_type = models.CharField(
        max_length=20, choices=ProcedureType.choices, blank=True, default=""
    )
    region = models.CharField(max_length=10, choices=Region.choices, blank=True, default="")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="service_capacity_positive"),
            models.CheckConstraint(
                condition=Q(online_discount_percent__gte=0, online_discount_percent__lte=100),
                name="service_discount_is_a_percentage",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="service_price_not_negative"),
            models.CheckConstraint(
                condition=Q(slot_step_minutes__gte=5, slot_step_minutes__lte=240),
                name="service_slot_step_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_class(self) -> bool:
        return self.capacity > 1


class Practitioner(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practitioner",
    )
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    profession = models.CharField(max_length=30, choices=Profession.choices)
    registration_number = models.CharField(
        max_length=40, blank=True, help_text="HCPC, GMC or state licence number"
    )
    clinics = models.ManyToManyField(Clinic, related_name="practitioners", blank=True)
    services = models.ManyToManyField(Service, related_name="practitioners", blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)


class WorkingHours(models.Model):
    """One interval of a practitioner's weekly pattern at one clinic, in local time.

    Several rows a day give split shifts; ``valid_from``/``valid_until`` (inclusive
    local dates) let a pattern change on a date without rewriting history.
    """

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="working_hours"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["practitioner", "clinic", "weekday", "starts"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")), name="working_hours_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="working_hours_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["clinic", "practitioner"])]

    def __str__(self) -> str:
        span = f"{self.starts:%H:%M}-{self.ends:%H:%M}"
        return f"{self.practitioner} @ {self.clinic} {self.get_weekday_display()} {span}"


class TimeOff(models.Model):
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="time_off"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["practitioner", "start"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="time_off_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["practitioner", "end"])]

    def __str__(self) -> str:
        return f"{self.practitioner} off {self.start:%Y-%m-%d %H:%M}..{self.end:%Y-%m-%d %H:%M}"
