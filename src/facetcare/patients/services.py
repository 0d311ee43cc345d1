"""Writes to the patient register."""

import functools
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from facetcare import plain_sql
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
        existing = _matching_patient(details)
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
        plain_sql.insert(patient)
        return patient


# What a booking needs of a matched patient; other fields are read on first access.
_MATCH_FIELDS = ("id", "first_name", "last_name", "date_of_birth", "email", "phone")


@functools.cache
def _match_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    # Only quoted names and placeholders are put into the text.
    return (
        f"SELECT {plain_sql.columns('p', _MATCH_FIELDS, Patient)} "  # noqa: S608
        f"FROM {quote(Patient._meta.db_table)} p "
        "WHERE UPPER(p.last_name) = UPPER(%s) AND p.date_of_birth = %s "
        "AND UPPER(p.first_name) = UPPER(%s) AND UPPER(p.email) = UPPER(%s) "
        "ORDER BY p.id LIMIT 1"
    )


def _matching_patient(details: PatientDetails) -> Patient | None:
    """The first patient (by id) with these names, birth date and email, ignoring case.

    Plain SQL, as every booking for a new patient asks it: UPPER on both sides is
    what the ORM's ``iexact`` compiles to on PostgreSQL, and what the
    (UPPER(last_name), date_of_birth) index is built on.
    """
    params = [
        details.last_name.strip(),
        connection.ops.adapt_datefield_value(details.date_of_birth),
        details.first_name.strip(),
        details.email.strip(),
    ]
    (rows,) = plain_sql.fetch_each([(_match_sql(connection.vendor), params)])
    return plain_sql.instance_from_row(Patient, _MATCH_FIELDS, rows[0]) if rows else None
