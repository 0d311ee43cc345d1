"""Reads of the patient register."""

import re
from datetime import date, datetime

from django.db.models import Q, QuerySet

from facetcare import locales
from facetcare.patients.models import Patient

# The reader's locale decides whether 05/04/1980 is the 5th of April (en-GB, day
# first) or the 4th of May (en-US, month first); the other order, ISO and the dotted
# and dashed forms are tried after it.
_DATE_FORMATS = {
    locales.EN_GB: ("%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"),
    locales.EN_US: ("%m/%d/%Y", "%d/%m/%Y", "%Y-%m-%d", "%m-%d-%Y", "%d.%m.%Y"),
}
_PHONE_TEXT = re.compile(r"^\+?[\d\s().-]+$")
# Fewer digits than this could be part of almost any number.
MIN_PHONE_DIGITS = 6


def search_patients(
    *, query: str, limit: int = 20, locale: str = locales.EN_GB
) -> QuerySet[Patient]:
    """Patients matching every word of ``query``, for staff look-up.

    A query made of digits and phone punctuation is a phone number (national or
    international, any spacing; at least six digits). Otherwise each word is a
    date of birth (17/05/1980, 05/17/1980 or 1980-05-17; an ambiguous one read as
    ``locale`` writes dates) or the start of a first, last or preferred name,
    case-insensitive: "sam tay", "Taylor 17/05/1980".
    """
    text = query.strip()
    formats = _DATE_FORMATS.get(locale, _DATE_FORMATS[locales.EN_GB])
    if _PHONE_TEXT.match(text) and _as_date(text, formats) is None:
        condition = _phone(text)
    else:
        condition = Q()
        for word in text.split():
            condition &= _word(word, formats)
    return Patient.objects.filter(condition).order_by("last_name", "first_name", "date_of_birth")[
        :limit
    ]


def _word(word: str, formats: tuple[str, ...]) -> Q:
    born = _as_date(word, formats)
    if born is not None:
        return Q(date_of_birth=born)
    return (
        Q(last_name__istartswith=word)
        | Q(first_name__istartswith=word)
        | Q(preferred_name__istartswith=word)
    )


def _phone(text: str) -> Q:
    # Stored numbers are E.164 (+447911123456); a national one drops its leading
    # zero (07911 123456), so the digits after it are what both share.
    digits = re.sub(r"\D", "", text).lstrip("0")
    if len(digits) < MIN_PHONE_DIGITS:
        return Q(pk__in=[])
    return Q(phone__contains=digits)


def _as_date(word: str, formats: tuple[str, ...]) -> date | None:
    for pattern in formats:
        try:
            return datetime.strptime(word, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None
