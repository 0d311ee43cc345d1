"""Patients: identity, demographics, contact preferences, GP, funding and consents.

The clinical record (episodes, assessments, procedures) lives in ``pathway``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper

from facetcare.phones import validate_e164


def nhs_number_is_valid(value: str) -> bool:
    """Whether ``value`` is ten digits whose last is the NHS modulus-11 check digit.

    Weights 10..2 apply to the first nine digits; the check digit is 11 minus the
    remainder of the weighted sum by 11, where 11 becomes 0 and 10 means the
    number was never issued.
    """
    if len(value) != 10 or not value.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(value[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(value[9])


def validate_nhs_number(value: str) -> None:
    if not nhs_number_is_valid(value):
        raise ValidationError("Enter a valid 10-digit NHS number (the last digit is a check digit)")


class Patient(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"
        NOT_STATED = "not_stated", "Not stated"

    class Funding(models.TextChoices):
        SELF_PAY = "self_pay", "Self-pay"
        INSURER = "insurer", "Insurer"
        MEDICO_LEGAL = "medico_legal", "Solicitor / medico-legal"
        EMPLOYER = "employer", "Employer"
        NHS = "nhs", "NHS"
        MEDICARE = "medicare", "Medicare"

    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    preferred_name = models.CharField(max_length=80, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=12, choices=Sex.choices, default=Sex.NOT_STATED)
    email = models.EmailField()
    phone = models.CharField(max_length=16, validators=[validate_e164], help_text="E.164")
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=16, blank=True)

    # Opt-ins for anything beyond the messages a booking itself needs.
    contact_by_email = models.BooleanField(default=False)
    contact_by_sms = models.BooleanField(default=False)
    contact_by_phone = models.BooleanField(default=False)
    contact_by_post = models.BooleanField(default=False)

    gp_name = models.CharField(max_length=120, blank=True)
    gp_practice = models.CharField(max_length=160, blank=True)
    gp_address = models.TextField(blank=True)

    nhs_number = models.CharField(
        max_length=10, blank=True, validators=[validate_nhs_number], help_text="10 digits"
    )
    mrn = models.CharField("medical record number", max_length=40, blank=True)

    funding_source = models.CharField(
        max_length=14, choices=Funding.choices, default=Funding.SELF_PAY
    )
    insurer_name = models.CharField(max_length=120, blank=True)
    insurer_authorisation_code = models.CharField(max_length=60, blank=True)
    insurer_sessions_authorised = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0)]
    )
    solicitor_firm = models.CharField(max_length=160, blank=True)
    solicitor_reference = models.CharField(max_length=80, blank=True)
    employer_name = models.CharField(max_length=160, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "date_of_birth"]),
            # Booking matches a patient case-insensitively (find_or_create_patient);
            # without this the match scans the whole register on every booking.
            models.Index(Upper("last_name"), "date_of_birth", name="patient_match_name_dob"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"], condition=~Q(nhs_number=""), name="patient_nhs_number_unique"
            ),
            models.UniqueConstraint(
                fields=["mrn"], condition=~Q(mrn=""), name="patient_mrn_unique"
            ),
            models.CheckConstraint(
                condition=~Q(funding_source="insurer") | ~Q(insurer_name=""),
                name="patient_insurer_funding_names_insurer",
            ),
            models.CheckConstraint(
                condition=~Q(funding_source="medico_legal") | ~Q(solicitor_firm=""),
                name="patient_medico_legal_funding_names_firm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return " ".join(part for part in (self.title, first, self.last_name) if part)


class Consent(models.Model):
    """One consent decision. A change is a new row; the latest row of a kind is in force."""

    class Kind(models.TextChoices):
        DATA_PROCESSING = "data_processing", "Processing of health data"
        TREATMENT = "treatment", "Assessment and treatment"
        SHARE_WITH_REFERRER = "share_with_referrer", "Share reports with the referrer"
        SHARE_WITH_GP = "share_with_gp", "Share reports with the GP"
        MARKETING = "marketing", "News and offers"
        RESEARCH = "research", "Use of anonymised data for research"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    given = models.BooleanField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["patient", "kind", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["patient", "kind", "recorded_at"])]

    def __str__(self) -> str:
        state = "given" if self.given else "withdrawn"
        return f"{self.get_kind_display()} {state} for {self.patient}"
