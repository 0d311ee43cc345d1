"""Phone numbers are accepted only as valid numbers written in E.164 form."""

import pytest
from django.core.exceptions import ValidationError

from facetcare.phones import EXAMPLE_PHONE, validate_e164


@pytest.mark.parametrize("value", ["+442079460123", "+12133734253"])
def test_a_valid_number_in_e164_form_is_accepted(value: str) -> None:
    validate_e164(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("020 7946 0123", "Enter the phone number"),
        ("+44 20 7946 0123", "Enter a valid phone number"),
        ("+4420794601", "Enter a valid phone number"),
        ("not a number", "Enter the phone number"),
    ],
)
def test_anything_else_is_refused_every_time_it_is_checked(value: str, message: str) -> None:
    # Twice: the second check is answered from the cache and must refuse as well.
    for _ in range(2):
        with pytest.raises(ValidationError, match=message):
            validate_e164(value)


def test_the_example_the_errors_give_is_itself_accepted() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_e164("07700 900123")
    assert EXAMPLE_PHONE in refused.value.messages[0]
    validate_e164(EXAMPLE_PHONE)
