"""Form fields for a person's own details, shared by every form that takes them (online
booking, the waiting list, reception's phone booking), so each reads and checks them alike.

A form calls ``localise_person_fields`` from its ``__init__`` with the clinic's
locale (how dates and numbers are written) and the clinic's today (a birth date
after it is refused).
"""

from datetime import date
from typing import Any

from django import forms

from facetcare import locales
from facetcare.phones import NATIONAL_EXAMPLE, parse_phone

# A typed date as each locale writes it, day first or month first, beside ISO 8601.
BIRTH_DATE_FORMATS = {
    locales.EN_GB: ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y"],
    locales.EN_US: ["%m/%d/%Y", "%Y-%m-%d", "%m-%d-%Y"],
}
OLDEST_BIRTH_YEAR = 1900
_EXAMPLE_BIRTH_DATE = date(1980, 5, 17)


def _known(locale: str) -> str:
    return locale if locale in locales.LOCALES else locales.EN_GB


class DateOfBirthField(forms.DateField):
    """A date of birth, typed as the clinic's locale writes dates (``17/05/1980`` in
    en-GB, ``05/17/1980`` in en-US; ``1980-05-17`` too), never on a date picker:
    a picker makes a birth date decades back a long scroll, and typed digits work
    the same with or without JavaScript.

    ``whose`` names the person in the messages: ``your`` on the patients' own
    pages, ``the patient's`` on reception's.
    """

    def __init__(self, *, whose: str = "your", **kwargs: Any) -> None:
        kwargs.setdefault("label", "Date of birth")
        kwargs.setdefault(
            "widget", forms.DateInput(attrs={"autocomplete": "bday", "inputmode": "numeric"})
        )
        kwargs["error_messages"] = {"required": f"Enter {whose} date of birth"} | kwargs.get(
            "error_messages", {}
        )
        super().__init__(**kwargs)
        self.whose = whose
        self.today: date | None = None
        self.localise(locale=locales.EN_GB, today=None)

    def localise(self, *, locale: str, today: date | None) -> None:
        """Read and write dates as ``locale`` does; refuse a birth date after ``today``."""
        formats = BIRTH_DATE_FORMATS[_known(locale)]
        self.input_formats = formats
        assert isinstance(self.widget, forms.DateInput)
        self.widget.format = formats[0]
        example = _EXAMPLE_BIRTH_DATE.strftime(formats[0])
        self.help_text = f"For example {example}"
        self.error_messages["invalid"] = (
            f"Enter {self.whose} date of birth as a real date, for example {example}"
        )
        self.today = today

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if self.today is not None and value > self.today:
            raise forms.ValidationError(
                f"{self.whose.capitalize()} date of birth cannot be in the future"
            )
        if value.year < OLDEST_BIRTH_YEAR:
            raise forms.ValidationError(f"Check the year of {self.whose} date of birth")


class PhoneNumberField(forms.CharField):
    """A phone number typed as people write it (``020 7946 0123``, ``+44 20 7946 0123``,
    ``(213) 555-0123``), cleaned to E.164; one without its country is read as the
    clinic's locale's country."""

    def __init__(self, *, whose: str = "your", **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        kwargs["error_messages"] = {"required": f"Enter {whose} phone number"} | kwargs.get(
            "error_messages", {}
        )
        super().__init__(**kwargs)
        self.localise(locale=locales.EN_GB)

    def localise(self, *, locale: str) -> None:
        """Read a number without its country as ``locale``'s country."""
        self.locale = _known(locale)
        self.example = NATIONAL_EXAMPLE[self.locale]
        if not self.help_text or self.help_text.startswith("For example"):
            self.help_text = f"For example {self.example}"

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        if self.max_length is not None and len(text) > self.max_length:
            # Checked here, on what was typed: the validators see only the E.164 result.
            raise forms.ValidationError(
                f"Enter a phone number we can call or text, for example {self.example}",
                code="max_length",
            )
        number = parse_phone(text, locale=self.locale)
        if number is None:
            raise forms.ValidationError(
                f"Enter a phone number we can call or text, for example {self.example}",
                code="invalid",
            )
        return number


def localise_person_fields(form: forms.BaseForm, *, locale: str, today: date | None) -> None:
    """Set ``form``'s person fields to ``locale``, and its date of birth to refuse a day
    after ``today`` (the clinic's today)."""
    for field in form.fields.values():
        if isinstance(field, DateOfBirthField):
            field.localise(locale=locale, today=today)
        elif isinstance(field, PhoneNumberField):
            field.localise(locale=locale)
