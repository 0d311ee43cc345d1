"""The phone booking page's moving parts: what the request asks for, and the booking itself.

The page's state lives in its query string (clinic, practitioner, start,
service, patient, search), so every step works as a plain link or GET form
without JavaScript; htmx only refreshes the patient results and the time list.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.http import QueryDict

from facetcare.audit.actors import Actor
from facetcare.booking.selectors import LocalSlot
from facetcare.booking.services import BookingResult, book_appointment
from facetcare.clinics.hours import local_today
from facetcare.clinics.models import Clinic, Practitioner, Service
from facetcare.clinics.selectors import get_clinic, get_practitioner
from facetcare.diary.choices import list_bookable_services, list_free_starts
from facetcare.diary.forms import DayField, PatientLookupForm, PhoneBookingForm
from facetcare.errors import DomainError, NotFound, SlotTaken
from facetcare.patients.models import Patient
from facetcare.patients.records import get_patient
from facetcare.patients.selectors import search_patients
from facetcare.patients.services import PatientDetails


class TargetForm(forms.Form):
    """The query string: who, where and when the gap was, and what is chosen so far."""

    clinic = forms.IntegerField(
        error_messages={"required": "Choose a clinic", "invalid": "Choose a clinic"}
    )
    practitioner = forms.IntegerField(
        error_messages={"required": "Choose a practitioner", "invalid": "Choose a practitioner"}
    )
    # Read leniently: a bad value here is reported by the booking form, next to its field.
    start = forms.CharField(required=False)
    end = forms.CharField(required=False)
    day = DayField(required=False)
    service = forms.CharField(required=False)
    patient = forms.CharField(required=False)

    def clean_start(self) -> datetime | None:
        try:
            # A "+" typed into a query string arrives as a space.
            return datetime.fromisoformat(self.cleaned_data["start"].replace(" ", "+"))
        except ValueError:
            return None

    def clean_end(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.cleaned_data["end"].replace(" ", "+"))
        except ValueError:
            return None

    def clean_service(self) -> int | None:
        return _number(self.cleaned_data["service"])

    def clean_patient(self) -> int | None:
        return _number(self.cleaned_data["patient"])


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 12 else None


@dataclass
class Target:
    """What the booking page is about, resolved."""

    clinic: Clinic
    practitioner: Practitioner
    day: date
    today: date
    start: datetime | None
    services: list[Service]
    service: Service | None
    slots: list[LocalSlot] = field(default_factory=list)
    patient: Patient | None = None

    def query(self, **extra: Any) -> str:
        """The page's query string, with ``extra`` values added or replaced."""
        values: dict[str, Any] = {"clinic": self.clinic.pk, "practitioner": self.practitioner.pk}
        if self.start is not None:
            values["start"] = self.start.isoformat(timespec="minutes")
        else:
            values["day"] = self.day.isoformat()
        if self.service is not None:
            values["service"] = self.service.pk
        if self.patient is not None:
            values["patient"] = self.patient.pk
        values.update(extra)
        return urlencode({k: v for k, v in values.items() if v is not None})

    @property
    def query_without_patient(self) -> str:
        return self.query(patient=None)

    @property
    def initial_start(self) -> str | None:
        """The first free start at or after the gap's start (or the first of the day)."""
        if not self.slots:
            return None
        if self.start is not None:
            later = [slot for slot in self.slots if slot.start >= self.start]
            if later:
                return later[0].start.isoformat()
        return self.slots[0].start.isoformat()


def read_target(params: QueryDict, *, user: Actor, now: datetime) -> Target:
    """The clinic, practitioner, day, services and free starts the request names.

    Raises NotFound for an unknown clinic, practitioner or patient, and
    InvalidInput-like form errors through ``TargetForm`` (the caller checks it).
    """
    form = TargetForm(params)
    if not form.is_valid():
        raise BadTarget(form)
    data = form.cleaned_data
    clinic = get_clinic(clinic_id=data["clinic"])
    practitioner = get_practitioner(practitioner_id=data["practitioner"])
    if clinic is None or practitioner is None:
        raise NotFound("No such clinic or practitioner")
    zone = ZoneInfo(clinic.time_zone)
    start = data["start"]
    if start is not None and start.tzinfo is None:
        start = start.replace(tzinfo=zone)
    today = local_today(clinic, now)
    day = start.astimezone(zone).date() if start is not None else data["day"] or today
    services = list_bookable_services(clinic=clinic, practitioner=practitioner)
    service = next((s for s in services if s.pk == data["service"]), None)
    service = service or _fitting(services, start, data["end"])
    target = Target(clinic, practitioner, day, today, start, services, service)
    if service is not None:
        target.slots = list_free_starts(
            service=service, clinic=clinic, practitioner=practitioner, day=day, now=now
        )
    if data["patient"]:
        target.patient = get_patient(patient_id=data["patient"], acting_user=user)
    return target


def _fitting(
    services: list[Service], start: datetime | None, end: datetime | None
) -> Service | None:
    """The first service that fits the gap from ``start`` to ``end`` (buffers and all),
    else the first service."""
    if start is not None and end is not None and end.tzinfo is not None:
        room = (end - start).total_seconds() // 60
        for service in services:
            needed = (
                service.buffer_before_minutes
                + service.duration_minutes
                + service.buffer_after_minutes
            )
            if needed <= room:
                return service
    return services[0] if services else None


class BadTarget(Exception):
    """The query string does not name a clinic, practitioner and time."""

    def __init__(self, form: TargetForm) -> None:
        super().__init__("bad booking target")
        self.form = form


def lookup(params: QueryDict, *, locale: str) -> tuple[PatientLookupForm, list[Patient]]:
    """The patient search (unbound when the query string has none) and what it finds,
    a birth date read as ``locale`` writes dates."""
    if "q" not in params:
        return PatientLookupForm(locale=locale), []
    form = PatientLookupForm(params, locale=locale)
    if not form.is_valid():
        return form, []
    return form, list(search_patients(query=form.cleaned_data["q"], locale=locale))


def booking_form(target: Target, data: QueryDict | None, initial: QueryDict) -> PhoneBookingForm:
    """The booking form, filled from ``data`` (a POST) or from the page's query string."""
    values: dict[str, Any] = {
        name: initial.get(name) for name in PhoneBookingForm.NEW_PATIENT_FIELDS
    }
    values |= {"service": target.service.pk if target.service else None}
    values |= {"start": target.initial_start}
    values |= {"patient": target.patient.pk if target.patient else None}
    return PhoneBookingForm(
        data,
        initial=values,
        clinic=target.clinic,
        services=target.services,
        slots=target.slots,
        today=target.today,
    )


def submit(
    form: PhoneBookingForm, target: Target, *, user: Actor
) -> tuple[BookingResult | None, int]:
    """Book by phone from a valid form: the booking, or None and the HTTP status of the
    refusal, which is shown next to the field it names (or above the form)."""
    data = form.cleaned_data
    service = next(s for s in target.services if s.pk == data["service"])
    details = None
    if target.patient is None:
        details = PatientDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            email=data["email"],
            phone=data["phone"],
        )
    try:
        result = book_appointment(
            service=service,
            clinic=target.clinic,
            practitioner=target.practitioner,
            start=data["start"],
            patient=target.patient,
            patient_details=details,
            channel="phone",
            booked_by=user,
        )
    except DomainError as error:
        # The patient's own fields are named "patient.<field>" by the booking service;
        # a slot someone else took is a matter of the time chosen.
        name = (error.field or ("start" if isinstance(error, SlotTaken) else "")).removeprefix(
            "patient."
        )
        form.add_error(name if name in form.fields else None, error.detail)
        return None, error.http_status
    return result, 200
