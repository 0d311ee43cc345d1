"""Phone numbers: every number FacetCare stores is a valid one written in E.164 form."""

import functools

import phonenumbers
from django.core.exceptions import ValidationError

# The example the error messages give: Ofcom's range for drama in London, so it is
# nobody's number, yet a valid one (its mobile range for drama, 07700 900xxx, is not).
EXAMPLE_PHONE = "+442079460123"


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
