"""Phone numbers are accepted only as valid numbers written in E.164 form."""

import pytest
from django.core.exceptions import ValidationError

from facetcare.phones import EXAMPLE_PHONE, display_phone, parse_phone, validate_e164


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


@pytest.mark.parametrize(
    ("text", "locale", "number"),
    [
        ("020 7946 0123", "en-GB", "+442079460123"),
        ("+44 (0)20 7946 0123", "en-US", "+442079460123"),
        ("(213) 555-0123", "en-US", "+12135550123"),
        ("  07911 123456 ", "en-GB", "+447911123456"),
    ],
)
def test_a_number_is_read_as_people_type_it_in_the_locales_country(
    text: str, locale: str, number: str
) -> None:
    assert parse_phone(text, locale=locale) == number


@pytest.mark.parametrize("text", ["12345", "07700 900123", "not a number", ""])
def test_what_is_not_a_valid_number_reads_as_none(text: str) -> None:
    assert parse_phone(text, locale="en-GB") is None


@pytest.mark.parametrize(
    ("number", "locale", "shown"),
    [
        ("+442079460123", None, "020 7946 0123"),
        ("+442079460123", "en-GB", "020 7946 0123"),
        ("+442079460123", "en-US", "+44 20 7946 0123"),
        ("+447911123456", "en-GB", "07911 123456"),
        ("+12135550123", None, "(213) 555-0123"),
        ("+12135550123", "en-GB", "+1 213-555-0123"),
        ("not a number", "en-GB", "not a number"),
    ],
)
def test_a_number_is_written_nationally_at_home_and_internationally_abroad(
    number: str, locale: str | None, shown: str
) -> None:
    assert display_phone(number, locale) == shown
