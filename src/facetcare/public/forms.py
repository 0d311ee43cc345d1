"""Forms of the public booking pages. Every message names the field it is about."""

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from facetcare import locales
from facetcare.patients.fields import (
    DateOfBirthField,
    PhoneNumberField,
    localise_person_fields,
)
from facetcare.public.gazetteer import Place, find_place


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
    date_of_birth = DateOfBirthField()
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
    phone = PhoneNumberField(label="Mobile or phone number")
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
        localise_person_fields(self, locale=locale, today=today)
        kept = self.initial.get("date_of_birth")
        if isinstance(kept, str):
            # The session keeps it as ISO text; show it as this locale writes dates.
            try:
                self.initial["date_of_birth"] = date.fromisoformat(kept)
            except ValueError:
                self.initial.pop("date_of_birth")

    def clean_first_name(self) -> str:
        return _name(self.cleaned_data["first_name"], "first name")

    def clean_last_name(self) -> str:
        return _name(self.cleaned_data["last_name"], "last name")

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip()


def _name(value: str, what: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValidationError(f"Enter your {what}")
    if not any(character.isalpha() for character in value):
        raise ValidationError(f"Your {what} needs at least one letter")
    return value
