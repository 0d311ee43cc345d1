"""Phone numbers: every number FacetCare stores is a valid one written in E.164 form.

One place reads a number as people type it (``parse_phone``) and writes one as
people read it (``display_phone``), so every page, email and text agrees.
"""

import functools

import phonenumbers
from django.core.exceptions import ValidationError

from facetcare import locales

# The example the error messages give: Ofcom's range for drama in London, so it is
# nobody's number, yet a valid one (its mobile range for drama, 07700 900xxx, is not).
EXAMPLE_PHONE = "+442079460123"
# How a number written without +country is read, by the clinic's locale.
HOME_REGION = {locales.EN_GB: "GB", locales.EN_US: "US"}
# Examples in each locale's national form: the drama range above, and the US 555-01xx
# numbers set aside for fiction.
NATIONAL_EXAMPLE = {locales.EN_GB: "020 7946 0123", locales.EN_US: "(213) 555-0123"}


def validate_e164(value: str) -> None:
    """Accept only a valid phone number already written in E.164 form (+ and digits)."""
    problem = _e164_problem(value)
    if problem is not None:
        raise ValidationError(problem)


@functools.lru_cache(maxsize=256)
def _e164_problem(value: str) -> str | None:
    """Why ``value`` is not a valid E.164 number, or None.

    Parsing a number is slow, and a booking checks the same one twice, in the API
    schema and again in the model; a small cache answers the second check.
    """
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return f"Enter the phone number in international form, e.g. {EXAMPLE_PHONE}"
    if (
        not phonenumbers.is_valid_number(parsed)
        or phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) != value
    ):
        return f"Enter a valid phone number in international form, e.g. {EXAMPLE_PHONE}"
    return None


def parse_phone(text: str, *, locale: str) -> str | None:
    """``text`` as a valid E.164 number however it was written (spaces, brackets, a
    leading 0 or +44), a number without its country read as ``locale``'s country
    (an unknown locale reads as en-GB); None when it is not a valid number."""
    region = HOME_REGION.get(locale, HOME_REGION[locales.EN_GB])
    try:
        parsed = phonenumbers.parse(text.strip(), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@functools.lru_cache(maxsize=1024)
def display_phone(number: str, locale: str | None = None) -> str:
    """An E.164 number as people write it: nationally in its own country
    (``020 7946 0123``, ``(213) 555-0123``); for a reader in ``locale``, a number
    from another country internationally (``+1 213-555-0123``). A value that does
    not parse is returned as given.

    Cached: parsing is slow, and a clinic list or a diary writes many numbers.
    """
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    home = HOME_REGION.get(locale or "")
    # By calling code, not region: a UK mobile may belong to Guernsey's numbering (GG),
    # yet people in the UK still dial it as 07911 123456.
    abroad = home is not None and parsed.country_code != phonenumbers.country_code_for_region(home)
    style = (
        phonenumbers.PhoneNumberFormat.INTERNATIONAL
        if abroad
        else phonenumbers.PhoneNumberFormat.NATIONAL
    )
    return phonenumbers.format_number(parsed, style)
