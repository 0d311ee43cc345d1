"""Reception's pages: the diary (day and week), phone booking, a booking's page with
attendance, cancel and move, a practitioner's printable list, and utilisation."""

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from facetcare.booking.services import record_attendance
from facetcare.clinics.hours import local_today
from facetcare.diary import pages
from facetcare.diary.appointments import get_diary_appointment, list_practitioner_day
from facetcare.diary.choices import get_practitioner_for, list_practitioners
from facetcare.diary.forms import (
    AttendanceForm,
    CancelForm,
    DayForm,
    TodayForm,
    UtilisationForm,
)
from facetcare.diary.selectors import (
    choose_clinic,
    get_day_diary,
    get_week_diary,
    list_diary_clinics,
)
from facetcare.diary.services import DESK_ROLES, cancel_booking
from facetcare.diary.utilisation import get_utilisation, week_start
from facetcare.errors import DomainError
from facetcare.web.access import HtmxHttpRequest, add_domain_error, staff_page
from facetcare.web.roles import Role, has_role


@staff_page()
def day(request: HttpRequest) -> HttpResponse:
    """One clinic's day: a column per practitioner, bookings, free gaps to book."""
    clinics = list_diary_clinics(user=request.user)
    form = DayForm(request.GET, clinics=clinics)
    if not form.is_valid():
        return render(request, "diary/pages/bad_filters.html", {"form": form}, status=400)
    clinic = choose_clinic(clinics, form.cleaned_data["clinic"])
    now = timezone.now()
    shown = form.cleaned_data["day"] or local_today(clinic, now)
    diary = get_day_diary(clinic=clinic, day=shown, now=now)
    context = {
        "diary": diary,
        "clinics": clinics,
        "page_lang": clinic.locale,
        "can_book": has_role(request.user, *DESK_ROLES),
        "now": now,
    }
    return render(request, "diary/pages/day.html", context)


@staff_page()
def week(request: HttpRequest) -> HttpResponse:
    """One clinic's week: per practitioner and day, bookings and free time."""
    clinics = list_diary_clinics(user=request.user)
    form = DayForm(request.GET, clinics=clinics)
    if not form.is_valid():
        return render(request, "diary/pages/bad_filters.html", {"form": form}, status=400)
    clinic = choose_clinic(clinics, form.cleaned_data["clinic"])
    now = timezone.now()
    shown = form.cleaned_data["day"] or local_today(clinic, now)
    diary = get_week_diary(clinic=clinic, first_day=week_start(shown), now=now)
    context = {"week": diary, "clinics": clinics, "page_lang": clinic.locale}
    return render(request, "diary/pages/week.html", context)


@staff_page(*DESK_ROLES)
@require_http_methods(["GET", "POST"])
def book(request: HtmxHttpRequest) -> HttpResponse:
    """Book by phone from a free gap: find or enter the patient, choose service and time."""
    return pages.booking(request, now=timezone.now())


@staff_page()
def appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """A booking: who, what, when, where, its history, and what can be done with it now."""
    found = get_diary_appointment(appointment_id=appointment_id)
    return pages.appointment_page(request, found, now=timezone.now())


@staff_page()
@require_POST
def attendance(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Mark a booking arrived, completed or no-show."""
    found = get_diary_appointment(appointment_id=appointment_id)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            record_attendance(
                appointment=found, status=form.cleaned_data["status"], by_user=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
            return pages.appointment_page(
                request, found, now=timezone.now(), attendance=form, status=error.http_status
            )
        messages.success(request, f"{found.patient} marked {pages.status_label(form)}.")
        return redirect("diary:appointment", appointment_id=found.pk)
    return pages.appointment_page(request, found, now=timezone.now(), attendance=form, status=400)


@staff_page(*DESK_ROLES)
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Cancel a booking, with a reason."""
    found = get_diary_appointment(appointment_id=appointment_id)
    form = CancelForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if form.is_valid():
        try:
            cancel_booking(
                appointment=found, reason=form.cleaned_data["reason"], by_user=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.http_status
        else:
            messages.success(request, f"Cancelled {found.service} for {found.patient}.")
            return _back_to_diary(found.clinic_id, pages.local_day(found))
    context = {"appointment": found, "form": form, "page_lang": found.clinic.locale}
    return render(request, "diary/pages/cancel.html", context, status=status)


@staff_page(*DESK_ROLES)
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Move a booking to another free time (any day), with a reason."""
    found = get_diary_appointment(appointment_id=appointment_id)
    return pages.moving(request, found, now=timezone.now())


@staff_page()
def today(request: HttpRequest) -> HttpResponse:
    """A practitioner's appointments for one day, to print."""
    practitioners = list_practitioners()
    form = TodayForm(request.GET, practitioners=practitioners)
    if not form.is_valid():
        return render(request, "diary/pages/today.html", {"form": form}, status=400)
    chosen = form.cleaned_data["practitioner"]
    practitioner = (
        next((p for p in practitioners if p.pk == chosen), None)
        if chosen
        else get_practitioner_for(user=request.user)
    )
    today, locale = pages.practitioner_place(practitioner, timezone.now())
    shown = form.cleaned_data["day"] or today
    rows = list_practitioner_day(practitioner=practitioner, day=shown) if practitioner else []
    context = {"form": form, "practitioner": practitioner, "day": shown, "rows": rows}
    return render(request, "diary/pages/today.html", context | {"page_lang": locale})


@staff_page(Role.MANAGER)
def utilisation(request: HttpRequest) -> HttpResponse:
    """Booked against available minutes, per clinic and per practitioner, for a week."""
    clinics = list_diary_clinics(user=request.user)
    form = UtilisationForm(request.GET, clinics=clinics)
    if not form.is_valid():
        return render(request, "diary/pages/bad_filters.html", {"form": form}, status=400)
    clinic = choose_clinic(clinics, form.cleaned_data["clinic"])
    shown = form.cleaned_data["week"] or local_today(clinic, timezone.now())
    report = get_utilisation(first_day=week_start(shown), clinic=clinic, clinics=clinics)
    context = {"report": report, "clinics": clinics, "page_lang": clinic.locale}
    return render(request, "diary/pages/utilisation.html", context | pages.charts(report))


def _back_to_diary(clinic_id: int, shown: date) -> HttpResponseRedirect:
    url = reverse("diary:day")
    return redirect(f"{url}?clinic={clinic_id}&day={shown.isoformat()}")
