"""Patients. Minimal identity and contact details; the clinical record lives in ``pathway``."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models


def validate_e164(value: str) -> None:
    """Accept only a valid phone number already written in E.164 form (+ and digits)."""
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            "Enter the phone number in international form, e.g. +447700900123"
        ) from None
    if (
        not phonenumbers.is_valid_number(parsed)
        or phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) != value
    ):
        raise ValidationError(
            "Enter a valid phone number in international form, e.g. +447700900123"
        )


class Patient(models.Model):
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    email = models.EmailField()
    phone = models.CharField(max_length=16, validators=[validate_e164], help_text="E.164")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "date_of_birth"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
