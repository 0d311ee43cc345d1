from datetime import datetime

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from facetcare.pathway.access import CLINICAL_READERS
from facetcare.pathway.selectors import list_episodes
from facetcare.patients.forms import PatientSearchForm
from facetcare.patients.records import get_patient
from facetcare.patients.selectors import search_patients
from facetcare.web.access import HtmxHttpRequest, staff_page
from facetcare.web.roles import has_role
from facetcare.web.selectors import DiaryRow, list_patient_appointments


@staff_page()
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Look a patient up by name, date of birth or phone number."""
    form = PatientSearchForm(request.GET or None)
    patients = list(search_patients(query=form.cleaned_data["q"])) if form.is_valid() else []
    status = 400 if form.errors else 200
    template = (
        "patients/partials/search_results.html" if request.htmx else "patients/pages/search.html"
    )
    return render(request, template, {"form": form, "patients": patients}, status=status)


@staff_page()
def detail(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Demographics and bookings for the front desk; the episodes too for clinicians."""
    patient = get_patient(patient_id=patient_id, acting_user=request.user)
    clinical = has_role(request.user, *CLINICAL_READERS)
    upcoming, past = _split(list_patient_appointments(patient_id=patient.pk), timezone.now())
    context = {
        "patient": patient,
        "upcoming": upcoming,
        "past": past,
        "episodes": list_episodes(patient_id=patient.pk, acting_user=request.user)
        if clinical
        else None,
    }
    return render(request, "patients/pages/detail.html", context)


def _split(rows: list[DiaryRow], now: datetime) -> tuple[list[DiaryRow], list[DiaryRow]]:
    """Bookings still to come (soonest first) and those past (latest first)."""
    upcoming = [row for row in rows if row.appointment.end > now]
    past = [row for row in rows if row.appointment.end <= now]
    return upcoming[::-1], past
