"""The diary's forms. Each names the field a person must correct, in words."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django import forms

from facetcare.booking.selectors import LocalSlot
from facetcare.clinics.models import Clinic, Practitioner, Service
from facetcare.diary.choices import MoveChoices
from facetcare.locales import format_numeric_date, format_time
from facetcare.patients.fields import DateOfBirthField, PhoneNumberField, localise_person_fields

# The diary reaches back and forward this far; further is almost certainly a typo.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
CHOOSE_CLINIC = "Choose a clinic from the list"
# How reception's messages name the person a booking is for.
PATIENTS = "the patient's"
BOOKING_FORM_ID = "booking-form"
ATTENDANCE_CHOICES = [("arrived", "Arrived"), ("completed", "Completed"), ("no_show", "No-show")]


class DiaryForm(forms.Form):
    """A form whose labels carry no colon, like the diary's own hand-written ones."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DayField(forms.DateField):
    """A local day, from a date input (YYYY-MM-DD) or typed day first (31/12/2026)."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {"invalid": "Enter a date, e.g. 2026-03-02"}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(
                f"Choose a day between {FIRST_DAY.year} and {LAST_DAY.year}"
            )


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    found = form.fields[name]
    assert isinstance(found, forms.ChoiceField)
    return found


def _clinic_choices(clinics: Iterable[Clinic]) -> list[tuple[int, str]]:
    return [(clinic.pk, clinic.name) for clinic in clinics]


def _clinic_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": CHOOSE_CLINIC},
    )


class DayForm(DiaryForm):
    """Which clinic's diary, on which day (or the week holding it)."""

    clinic = _clinic_field()
    day = DayField(required=False)

    def __init__(self, data: Any, *, clinics: Sequence[Clinic]) -> None:
        super().__init__(data)
        _choice_field(self, "clinic").choices = _clinic_choices(clinics)


class TodayForm(DiaryForm):
    """Whose list, on which day."""

    practitioner = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a practitioner from the list"},
    )
    day = DayField(required=False)

    def __init__(self, data: Any, *, practitioners: Sequence[Practitioner]) -> None:
        super().__init__(data)
        _choice_field(self, "practitioner").choices = [("", "Choose a practitioner")] + [
            (p.pk, p.display_name) for p in practitioners
        ]


class UtilisationForm(DiaryForm):
    clinic = _clinic_field()
    week = DayField(required=False, label="Week of")

    def __init__(self, data: Any, *, clinics: Sequence[Clinic]) -> None:
        super().__init__(data)
        _choice_field(self, "clinic").choices = _clinic_choices(clinics)


class SlotField(forms.CharField):
    """An aware start time, chosen from a list of free starts (ISO 8601 with offset)."""

    widget = forms.Select

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            found = datetime.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError("Choose a time from the list") from None
        if found.tzinfo is None:
            raise forms.ValidationError("Choose a time from the list")
        return found


def slot_choices(slots: Iterable[LocalSlot], locale: str) -> list[tuple[str, str]]:
    return [(slot.start.isoformat(), format_time(slot.start, locale)) for slot in slots]


class PatientLookupForm(DiaryForm):
    """The search for an existing patient; its example birth date is written as the
    clinic's locale writes dates, as the search reads them."""

    q = forms.CharField(
        label="Find a patient",
        min_length=2,
        max_length=80,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"min_length": "Type at least 2 characters"},
    )

    def __init__(self, data: Any = None, *, locale: str) -> None:
        super().__init__(data)
        self.locale = locale
        example = format_numeric_date(date(1980, 5, 17), locale)
        self.fields["q"].help_text = f"Name, date of birth (e.g. {example}) or phone number."


class PhoneBookingForm(DiaryForm):
    """Service, time and patient (an existing record, or a new patient's details)."""

    service = forms.TypedChoiceField(
        coerce=int, error_messages={"invalid_choice": "Choose a service from the list"}
    )
    start = SlotField(label="Time", error_messages={"required": "Choose a time"})
    patient = forms.IntegerField(required=False, widget=forms.HiddenInput)
    first_name = forms.CharField(max_length=80, required=False)
    last_name = forms.CharField(max_length=80, required=False)
    date_of_birth = DateOfBirthField(required=False, whose=PATIENTS)
    email = forms.EmailField(required=False, error_messages={"invalid": "Enter an email address"})
    phone = PhoneNumberField(required=False, whose=PATIENTS, help_text="Mobile if they have one.")

    NEW_PATIENT_FIELDS = ("first_name", "last_name", "date_of_birth", "email", "phone")

    def __init__(
        self,
        data: Any = None,
        *,
        clinic: Clinic,
        services: Sequence[Service],
        slots: Sequence[LocalSlot],
        today: date,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.clinic = clinic
        self.today = today
        _choice_field(self, "service").choices = [(s.pk, _service_label(s)) for s in services]
        choices = slot_choices(slots, clinic.locale)
        if not choices:
            choices = [("", "No free time on this day")]
        self.fields["start"].widget.choices = choices
        localise_person_fields(self, locale=clinic.locale, today=today)
        self.fields["phone"].widget.attrs.update({"type": "tel", "autocomplete": "off"})
        # The new patient's fields sit in the page's "Patient" step, outside the form
        # element; the form attribute still submits them with it.
        for name in self.NEW_PATIENT_FIELDS:
            self.fields[name].widget.attrs["form"] = BOOKING_FORM_ID

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("patient") or self.has_error("patient"):
            return cleaned
        for name in self.NEW_PATIENT_FIELDS:
            if not cleaned.get(name) and not self.has_error(name):
                label = self.fields[name].label or name.replace("_", " ").capitalize()
                self.add_error(name, f"Enter the patient's {label.lower()}")
        return cleaned

    @property
    def new_patient_errors(self) -> bool:
        return any(name in self.errors for name in self.NEW_PATIENT_FIELDS)


def _service_label(service: Service) -> str:
    return f"{service.name} ({service.duration_minutes} min)"


class AttendanceForm(DiaryForm):
    status = forms.ChoiceField(
        choices=ATTENDANCE_CHOICES,
        error_messages={"invalid_choice": "Choose arrived, completed or no-show"},
    )


class CancelForm(DiaryForm):
    reason = forms.CharField(
        max_length=150,
        min_length=3,
        help_text="Told to the patient and kept with the booking.",
        error_messages={
            "required": "Give a reason for the cancellation",
            "min_length": "Give a reason, in a few words",
        },
    )


class MoveForm(DiaryForm):
    """A new time (and perhaps practitioner) for a booking, and why."""

    slot = forms.CharField(
        label="New time",
        widget=forms.Select,
        error_messages={"required": "Choose a new time"},
    )
    reason = forms.CharField(
        max_length=150,
        min_length=3,
        error_messages={
            "required": "Give a reason for the move",
            "min_length": "Give a reason, in a few words",
        },
    )

    def __init__(self, data: Any = None, *, choices: Any = (), **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["slot"].widget.choices = choices or [("", "No free time on this day")]

    def clean_slot(self) -> tuple[int, datetime]:
        text: str = self.cleaned_data["slot"]
        pid, _, start = text.partition("@")
        try:
            found = datetime.fromisoformat(start)
            practitioner_id = int(pid)
        except ValueError:
            raise forms.ValidationError("Choose a new time from the list") from None
        if found.tzinfo is None:
            raise forms.ValidationError("Choose a new time from the list")
        return practitioner_id, found


def move_value(practitioner_id: int, start: datetime) -> str:
    return f"{practitioner_id}@{start.isoformat()}"


def move_choices(choices: MoveChoices, locale: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The move form's time list: one group per practitioner."""
    return [
        (
            practitioner.display_name,
            [(move_value(practitioner.pk, s.start), format_time(s.start, locale)) for s in slots],
        )
        for practitioner, slots in choices.by_practitioner
    ]
