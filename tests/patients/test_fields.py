"""The date-of-birth and phone fields every form about a person shares."""

from datetime import date

import pytest
from django import forms

from facetcare.patients.fields import DateOfBirthField, PhoneNumberField, localise_person_fields


class Person(forms.Form):
    date_of_birth = DateOfBirthField()
    phone = PhoneNumberField()

    def __init__(self, data: dict[str, str], *, locale: str) -> None:
        super().__init__(data)
        localise_person_fields(self, locale=locale, today=date(2027, 1, 12))


@pytest.mark.parametrize(
    ("locale", "typed", "born"),
    [
        ("en-GB", "05/04/1980", date(1980, 4, 5)),
        ("en-US", "05/04/1980", date(1980, 5, 4)),
        ("en-US", "1980-05-04", date(1980, 5, 4)),
    ],
)
def test_a_date_of_birth_is_read_as_the_locale_writes_dates(
    locale: str, typed: str, born: date
) -> None:
    form = Person({"date_of_birth": typed, "phone": "+442079460123"}, locale=locale)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == born


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("13/01/2027", "Your date of birth cannot be in the future"),
        ("31/12/1899", "Check the year of your date of birth"),
        ("31/02/1980", "Enter your date of birth as a real date, for example 17/05/1980"),
        ("", "Enter your date of birth"),
    ],
)
def test_a_date_of_birth_that_cannot_be_is_refused_in_words(typed: str, message: str) -> None:
    form = Person({"date_of_birth": typed, "phone": "+442079460123"}, locale="en-GB")

    assert form.errors["date_of_birth"] == [message]


@pytest.mark.parametrize("typed", ["12345", "a\x00b", "7" * 5000, "(213) 555-0123"])
def test_a_phone_number_that_is_not_one_is_refused_with_an_example(typed: str) -> None:
    form = Person({"date_of_birth": "17/05/1980", "phone": typed}, locale="en-GB")

    assert form.errors["phone"] == [
        "Enter a phone number we can call or text, for example 020 7946 0123"
    ]


def test_a_phone_number_is_kept_in_e164_form() -> None:
    form = Person({"date_of_birth": "05/17/1980", "phone": "(213) 555-0123"}, locale="en-US")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+12135550123"
