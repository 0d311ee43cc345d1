"""Writes to the patient register."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from facetcare.errors import InvalidInput
from facetcare.patients.models import Patient


@dataclass(frozen=True, slots=True)
class PatientDetails:
    """Identity and contact details as a booking form or API gives them."""

    first_name: str
    last_name: str
    date_of_birth: date
    email: str
    phone: str


def find_or_create_patient(*, details: PatientDetails) -> Patient:
    """The patient with the same first name, last name, date of birth and email
    (case-insensitive names and email), or a new one.

    The match is deliberately strict: two people rarely share all four, and a
    looser match (name and birth date only) could attach a booking to someone
    else's record. An existing record is never changed here, so a self-service
    booking cannot overwrite a patient's phone number. Raises InvalidInput
    naming the field when a value does not validate.
    """
    # No savepoint: a booking calls this inside its own transaction, and a failure
    # here fails the whole booking anyway.
    with transaction.atomic(savepoint=False):
        existing = (
            Patient.objects.filter(
                first_name__iexact=details.first_name.strip(),
                last_name__iexact=details.last_name.strip(),
                date_of_birth=details.date_of_birth,
                email__iexact=details.email.strip(),
            )
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing
        patient = Patient(
            first_name=details.first_name.strip(),
            last_name=details.last_name.strip(),
            date_of_birth=details.date_of_birth,
            email=details.email.strip(),
            phone=details.phone.strip(),
        )
        try:
            # The fields given here are checked; the unique and check constraints
            # concern fields a new record leaves blank (NHS number, MRN, funding
            # details), and the database enforces them regardless. Checking them
            # in Python would cost a query and a savepoint each.
            patient.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise InvalidInput(messages[0], field=f"patient.{field}") from None
        patient.save()
        return patient
