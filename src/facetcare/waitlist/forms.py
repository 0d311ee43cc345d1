"""Waitlist forms: joining (public), and the staff page's filters, offers and removals."""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from facetcare.clinics.models import Clinic, Service, Weekday
from facetcare.locales import EN_GB
from facetcare.patients.fields import DateOfBirthField, PhoneNumberField, localise_person_fields
from facetcare.patients.services import PatientDetails
from facetcare.waitlist import selectors
from facetcare.waitlist.models import PartOfDay, WaitlistEntry

_ALL_DAYS = [day.value for day in Weekday]
_ALL_PARTS = [part.value for part in PartOfDay]


class JoinForm(forms.Form):
    """Who is waiting, for what, where and when, and their consent to be emailed."""

    first_name = forms.CharField(
        max_length=80,
        widget=forms.TextInput({"autocomplete": "given-name"}),
        error_messages={"required": "Enter your first name"},
    )
    last_name = forms.CharField(
        max_length=80,
        widget=forms.TextInput({"autocomplete": "family-name"}),
        error_messages={"required": "Enter your last name"},
    )
    date_of_birth = DateOfBirthField()
    email = forms.EmailField(
        widget=forms.EmailInput({"autocomplete": "email"}),
        error_messages={"required": "Enter your email address: offers are sent there"},
    )
    phone = PhoneNumberField()
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),  # set in __init__: the services bookable online
        to_field_name="slug",
        empty_label="Choose a service",
        error_messages={
            "required": "Choose the service you are waiting for",
            "invalid_choice": "Choose one of the services listed",
        },
    )
    clinics = forms.ModelMultipleChoiceField(
        queryset=Clinic.objects.none(),  # set in __init__: the open clinics
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        label="Clinics you can get to",
        error_messages={"required": "Choose at least one clinic"},
    )
    weekdays = forms.TypedMultipleChoiceField(
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Days you can come",
        initial=_ALL_DAYS,
        error_messages={"required": "Choose at least one day of the week"},
    )
    parts_of_day = forms.MultipleChoiceField(
        choices=PartOfDay.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Times of day you can come",
        initial=_ALL_PARTS,
        error_messages={"required": "Choose at least one time of day"},
    )
    consent = forms.BooleanField(
        label="Email me when a time comes up, and keep these details until I leave the list",
        label_suffix="",
        error_messages={
            "required": "We can only offer you a time if you agree to be emailed about it"
        },
    )

    def __init__(
        self, *args: Any, clinic: Clinic | None = None, now: datetime, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        # Dates and numbers as the clinic the person came from writes them; the clinic's
        # today, or UTC's when they came from none (a birth date checks to the day).
        zone = ZoneInfo(clinic.time_zone) if clinic is not None else UTC
        locale = clinic.locale if clinic is not None else EN_GB
        localise_person_fields(self, locale=locale, today=now.astimezone(zone).date())
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.ModelChoiceField)
        service_field.queryset = selectors.bookable_services()
        clinics_field = self.fields["clinics"]
        assert isinstance(clinics_field, forms.ModelMultipleChoiceField)
        clinics_field.queryset = selectors.open_clinics()

    def details(self) -> PatientDetails:
        data = self.cleaned_data
        return PatientDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            email=data["email"],
            phone=data["phone"],
        )


class EntryFilterForm(forms.Form):
    """The staff list's filters; every one optional."""

    clinic = forms.ModelChoiceField(
        queryset=Clinic.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label="All clinics",
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label="All services",
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *WaitlistEntry.Status.choices],
        required=False,
        initial=WaitlistEntry.Status.WAITING,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clinic_field = self.fields["clinic"]
        assert isinstance(clinic_field, forms.ModelChoiceField)
        clinic_field.queryset = selectors.open_clinics()
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.ModelChoiceField)
        service_field.queryset = selectors.bookable_services()


class OfferSlotForm(forms.Form):
    """One of the suggested free times, as the staff page posts it back."""

    clinic = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    practitioner = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    start = forms.DateTimeField(widget=forms.HiddenInput)


class RemoveEntryForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        label="Reason",
        help_text="e.g. booked by phone, no longer needed, asked to leave",
    )
