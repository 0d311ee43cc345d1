"""Forms of the public booking pages. Every message names the field it is about."""

from datetime import date, datetime
from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError

from facetcare import locales
from facetcare.phones import validate_e164
from facetcare.public.gazetteer import Place, find_place

# How a phone number written without +country is read, by the clinic's locale.
PHONE_REGION = {locales.EN_GB: "GB", locales.EN_US: "US"}
PHONE_EXAMPLE = {locales.EN_GB: "07911 123456", locales.EN_US: "(213) 555-0123"}
# A typed date of birth as each locale writes it, beside the ISO form a date input sends.
DATE_FORMATS = {
    locales.EN_GB: ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y"],
    locales.EN_US: ["%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y"],
}
OLDEST_BIRTH_YEAR = 1900


class PublicForm(forms.Form):
    """Labels without a trailing colon, as the rest of the public pages write them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class NearForm(PublicForm):
    """Where the patient is: a typed place, or the browser's position (hidden fields)."""

    place = forms.CharField(
        label="Postcode, ZIP code or town",
        required=False,
        max_length=60,
        help_text="For example M3 4ZZ, 91307 or Bolton",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "text"}),
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon = data.get("lat"), data.get("lon")
        if self.errors.get("lat") or self.errors.get("lon") or (lat is None) != (lon is None):
            # A hidden field is the browser's doing; tell the person about the visible one.
            self.errors.pop("lat", None)
            self.errors.pop("lon", None)
            self.add_error(
                "place", "We could not use your location. Type your postcode or town instead."
            )
            return data
        place = data.get("place", "")
        if lat is None and place:
            found = find_place(place)
            if found is None:
                self.add_error(
                    "place",
                    f"We could not find “{place}”. Try a UK postcode (such as M3 4ZZ), "
                    "a US ZIP code (such as 91307) or the name of a town.",
                )
            data["found"] = found
        return data

    def near(self) -> tuple[tuple[float, float], str] | None:
        """The point to measure from and how to describe it, if the person gave one."""
        data = self.cleaned_data
        if data.get("lat") is not None and data.get("lon") is not None:
            return (data["lat"], data["lon"]), "your location"
        found: Place | None = data.get("found")
        if found is None:
            return None
        typed = " ".join(data["place"].split())
        if any(character.isdigit() for character in typed):
            return found.point, f"{typed.upper()} ({found.name})"
        return found.point, found.name


class DayForm(forms.Form):
    day = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Choose a day from the calendar"},
    )


CHOOSE_A_TIME = "Choose a time"


class SlotForm(forms.Form):
    """The time a patient picked: the slot's start (with its offset) and who gives it."""

    # Text, not a DateTimeField: that would read a start without an offset in the
    # server's zone, and a slot's start always carries the clinic's offset.
    start = forms.CharField(
        max_length=40, error_messages={"required": CHOOSE_A_TIME, "invalid": CHOOSE_A_TIME}
    )
    practitioner = forms.IntegerField(
        min_value=1, error_messages={"required": CHOOSE_A_TIME, "invalid": CHOOSE_A_TIME}
    )

    def clean_start(self) -> datetime:
        try:
            start = datetime.fromisoformat(self.cleaned_data["start"])
        except ValueError:
            raise ValidationError(CHOOSE_A_TIME) from None
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValidationError(CHOOSE_A_TIME)
        return start


class DetailsForm(PublicForm):
    """Who the appointment is for, and their agreement to hear from the clinic about it."""

    first_name = forms.CharField(
        label="First name",
        max_length=80,
        error_messages={"required": "Enter your first name"},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=80,
        error_messages={"required": "Enter your last name"},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        error_messages={
            "required": "Enter your date of birth",
            "invalid": "Enter your date of birth as a real date, for example 17/05/1980",
        },
        # Typed, not a date picker: a picker makes a birth date decades back a long
        # scroll, and typed digits work the same with or without JavaScript.
        widget=forms.DateInput(attrs={"autocomplete": "bday", "inputmode": "numeric"}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send your confirmation here.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Mobile or phone number",
        max_length=32,
        error_messages={"required": "Enter your phone number"},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=(
            "I agree that the clinic may email and text me about this booking "
            "(confirmation, reminder and any change)."
        ),
        error_messages={
            "required": "Tick the box to agree to messages about this booking, "
            "or call the clinic to book instead"
        },
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, locale: str = locales.EN_GB, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locale = locale if locale in PHONE_REGION else locales.EN_GB
        self.today = today
        born = self.fields["date_of_birth"]
        assert isinstance(born, forms.DateField)
        assert isinstance(born.widget, forms.DateInput)
        born.input_formats = DATE_FORMATS[self.locale]
        born.widget.format = DATE_FORMATS[self.locale][1]
        example = date(1980, 5, 17).strftime(born.widget.format)
        born.help_text = f"For example {example}"
        born.error_messages["invalid"] = (
            f"Enter your date of birth as a real date, for example {example}"
        )
        kept = self.initial.get("date_of_birth")
        if isinstance(kept, str):
            # The session keeps it as ISO text; show it as this locale writes dates.
            try:
                self.initial["date_of_birth"] = date.fromisoformat(kept)
            except ValueError:
                self.initial.pop("date_of_birth")
        self.fields["phone"].help_text = f"For example {PHONE_EXAMPLE[self.locale]}"

    def clean_first_name(self) -> str:
        return _name(self.cleaned_data["first_name"], "first name")

    def clean_last_name(self) -> str:
        return _name(self.cleaned_data["last_name"], "last name")

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        if born > self.today:
            raise ValidationError("Your date of birth cannot be in the future")
        if born.year < OLDEST_BIRTH_YEAR:
            raise ValidationError("Check the year of your date of birth")
        return born

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip()

    def clean_phone(self) -> str:
        """The number in E.164 form, however it was written (spaces, brackets, 0 or +44)."""
        text = self.cleaned_data["phone"]
        problem = ValidationError(
            f"Enter a phone number we can call or text, for example {PHONE_EXAMPLE[self.locale]}"
        )
        try:
            parsed = phonenumbers.parse(text, PHONE_REGION[self.locale])
        except phonenumbers.NumberParseException:
            raise problem from None
        if not phonenumbers.is_valid_number(parsed):
            raise problem
        number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        validate_e164(number)
        return number


def _name(value: str, what: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValidationError(f"Enter your {what}")
    if not any(character.isalpha() for character in value):
        raise ValidationError(f"Your {what} needs at least one letter")
    return value
