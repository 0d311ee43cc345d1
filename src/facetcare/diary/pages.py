"""What the diary's views put on their pages: contexts, and the utilisation chart's geometry.

Presentation only: every read is a selector and every write a service; this
module arranges their results for the templates.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from facetcare import locales
from facetcare.booking.models import Appointment
from facetcare.clinics.models import Practitioner
from facetcare.diary import booking_page
from facetcare.diary.appointments import (
    attendance_marks,
    get_moved_to,
    list_appointment_history,
)
from facetcare.diary.choices import MoveChoices
from facetcare.diary.forms import ATTENDANCE_CHOICES, AttendanceForm, DayForm, MoveForm
from facetcare.diary.services import DESK_ROLES
from facetcare.diary.utilisation import Usage, Utilisation
from facetcare.errors import DomainError
from facetcare.web.access import HtmxHttpRequest
from facetcare.web.roles import has_role


def local_day(appointment: Appointment) -> date:
    return appointment.start.astimezone(ZoneInfo(appointment.clinic.time_zone)).date()


def when(appointment: Appointment) -> str:
    start = appointment.start.astimezone(ZoneInfo(appointment.clinic.time_zone))
    return locales.format_datetime(start, appointment.clinic.locale)


def status_label(form: AttendanceForm) -> str:
    return dict(ATTENDANCE_CHOICES)[form.cleaned_data["status"]].lower()


def as_slot_error(error: DomainError) -> DomainError:
    """A refusal of the start time, shown next to the move form's time list."""
    return type(error)(error.detail, field="slot")


def booking(request: HtmxHttpRequest, *, now: datetime) -> HttpResponse:
    """The phone booking page (GET and POST); see ``booking_page``."""
    params = request.POST if request.method == "POST" else request.GET
    try:
        target = booking_page.read_target(params, user=request.user, now=now)
    except booking_page.BadTarget as bad:
        return render(request, "diary/pages/book.html", {"target_form": bad.form}, status=400)
    search, patients = booking_page.lookup(request.GET)
    context: dict[str, Any] = {"target": target, "search": search, "patients": patients}
    status = 400 if search is not None and search.errors else 200
    if request.htmx and request.htmx.target == "patient-results":
        return render(request, "diary/partials/patient_results.html", context, status=status)
    form = booking_page.booking_form(
        target, request.POST if request.method == "POST" else None, request.GET
    )
    if request.method == "POST":
        status = 400
        if form.is_valid():
            result, status = booking_page.submit(form, target, user=request.user)
            if result is not None:
                return _booked(request, result.appointment)
    context |= {"form": form, "page_lang": target.clinic.locale}
    template = "diary/pages/book.html"
    if request.htmx and request.htmx.target == "start-field":
        template = "diary/partials/start_field.html"
    return render(request, template, context, status=status)


def _booked(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    messages.success(
        request,
        f"Booked {appointment.patient} for {appointment.service} with "
        f"{appointment.practitioner.display_name}, {when(appointment)}.",
    )
    url = reverse("diary:day")
    day = local_day(appointment).isoformat()
    return redirect(f"{url}?clinic={appointment.clinic_id}&day={day}#appointment-{appointment.pk}")


def appointment_context(
    appointment: Appointment, *, user: Any, now: datetime, attendance: AttendanceForm | None = None
) -> dict[str, Any]:
    zone = ZoneInfo(appointment.clinic.time_zone)
    desk = has_role(user, *DESK_ROLES)
    changeable = appointment.status == Appointment.Status.BOOKED and appointment.start > now
    return {
        "appointment": appointment,
        "start": appointment.start.astimezone(zone),
        "end": appointment.end.astimezone(zone),
        "marks": [
            (status, label)
            for status, label in ATTENDANCE_CHOICES
            if status in attendance_marks(appointment=appointment, now=now)
        ],
        "can_change": desk and changeable,
        "history": list_appointment_history(appointment=appointment),
        "moved_to": get_moved_to(appointment=appointment),
        "attendance": attendance or AttendanceForm(),
        "page_lang": appointment.clinic.locale,
        "day": local_day(appointment),
        "started": appointment.start <= now,
        "started_day": now.astimezone(zone).date() >= local_day(appointment),
    }


def appointment_page(
    request: HttpRequest,
    appointment: Appointment,
    *,
    now: datetime,
    attendance: AttendanceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = appointment_context(appointment, user=request.user, now=now, attendance=attendance)
    return render(request, "diary/pages/appointment.html", context, status=status)


def move_context(
    appointment: Appointment, form: MoveForm, day_form: DayForm, choices: MoveChoices
) -> dict[str, Any]:
    zone = ZoneInfo(appointment.clinic.time_zone)
    return {
        "appointment": appointment,
        "start": appointment.start.astimezone(zone),
        "form": form,
        "day_form": day_form,
        "choices": choices,
        "day": choices.day,
        "page_lang": appointment.clinic.locale,
    }


def practitioner_place(practitioner: Practitioner | None, now: datetime) -> tuple[date, str]:
    """Today and the locale where the practitioner works (their first clinic), or London's."""
    clinic = practitioner.clinics.order_by("name").first() if practitioner else None
    zone = ZoneInfo(clinic.time_zone if clinic else "Europe/London")
    return now.astimezone(zone).date(), clinic.locale if clinic else locales.EN_GB


# The utilisation chart: each row is a label line (name, and the figures at the right)
# over a bar; a viewBox about as wide as the chart is drawn, so its text stays legible.
CHART_WIDTH = 480
BAR_HEIGHT = 16
ROW_HEIGHT = 46


@dataclass(frozen=True)
class Bar:
    usage: Usage
    text_y: int
    bar_y: int
    booked_y: int
    available: int
    booked: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    bar_height: int


def chart(rows: list[Usage]) -> Chart:
    """Bars scaled to the largest figure: available as an outline, booked filled inside it."""
    top = max((max(r.available, r.booked) for r in rows), default=0) or 1
    span = CHART_WIDTH - 2
    bars = []
    for n, usage in enumerate(rows):
        y = n * ROW_HEIGHT
        bars.append(
            Bar(
                usage,
                text_y=y + 15,
                bar_y=y + 22,
                booked_y=y + 26,
                available=round(span * usage.available / top),
                booked=round(span * usage.booked / top),
            )
        )
    return Chart(bars, CHART_WIDTH, max(1, len(rows)) * ROW_HEIGHT, BAR_HEIGHT)


def charts(report: Utilisation) -> dict[str, Chart]:
    return {
        "clinic_chart": chart(report.clinics),
        "practitioner_chart": chart(report.practitioners),
    }
