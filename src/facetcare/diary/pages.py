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
from facetcare.booking.services import BookingResult
from facetcare.clinics.models import Practitioner
from facetcare.clinics.selectors import get_practitioner
from facetcare.diary import booking_page
from facetcare.diary.appointments import (
    attendance_marks,
    get_moved_to,
    list_appointment_history,
)
from facetcare.diary.choices import get_home_clinic, list_move_choices
from facetcare.diary.forms import (
    ATTENDANCE_CHOICES,
    AttendanceForm,
    DayForm,
    MoveForm,
    move_choices,
)
from facetcare.diary.services import DESK_ROLES, move_booking
from facetcare.diary.utilisation import Usage, Utilisation
from facetcare.errors import DomainError, InvalidInput, SlotTaken
from facetcare.web.access import HtmxHttpRequest
from facetcare.web.roles import has_role


def local_day(appointment: Appointment) -> date:
    return appointment.start.astimezone(ZoneInfo(appointment.clinic.time_zone)).date()


def when(appointment: Appointment) -> str:
    start = appointment.start.astimezone(ZoneInfo(appointment.clinic.time_zone))
    return locales.format_datetime(start, appointment.clinic.locale)


def status_label(form: AttendanceForm) -> str:
    return dict(ATTENDANCE_CHOICES)[form.cleaned_data["status"]].lower()


def booking(request: HtmxHttpRequest, *, now: datetime) -> HttpResponse:
    """The phone booking page (GET and POST); see ``booking_page``."""
    params = request.POST if request.method == "POST" else request.GET
    try:
        target = booking_page.read_target(params, user=request.user, now=now)
    except booking_page.BadTarget as bad:
        return render(request, "diary/pages/book.html", {"target_form": bad.form}, status=400)
    search, patients = booking_page.lookup(request.GET, locale=target.clinic.locale)
    context: dict[str, Any] = {"target": target, "search": search, "patients": patients}
    status = 400 if search.errors else 200
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


def moving(request: HttpRequest, appointment: Appointment, *, now: datetime) -> HttpResponse:
    """The move page (GET and POST): free times on a chosen day, a reason, the move."""
    day_form = DayForm(request.GET, clinics=[appointment.clinic])
    asked = day_form.cleaned_data["day"] if day_form.is_valid() else None
    choices = list_move_choices(
        appointment=appointment, day=asked or local_day(appointment), now=now
    )
    form = MoveForm(
        request.POST if request.method == "POST" else None,
        choices=move_choices(choices, appointment.clinic.locale),
    )
    status = 400 if request.method == "POST" or day_form.errors else 200
    if form.is_valid():
        result, status = _move(form, appointment, user=request.user)
        if result is not None:
            messages.success(request, f"Moved {appointment.patient} to {when(result.appointment)}.")
            return redirect("diary:appointment", appointment_id=result.appointment.pk)
    zone = ZoneInfo(appointment.clinic.time_zone)
    context = {
        "appointment": appointment,
        "start": appointment.start.astimezone(zone),
        "form": form,
        "day_form": day_form,
        "choices": choices,
        "day": choices.day,
        "page_lang": appointment.clinic.locale,
    }
    return render(request, "diary/pages/move.html", context, status=status)


def _move(
    form: MoveForm, appointment: Appointment, *, user: Any
) -> tuple[BookingResult | None, int]:
    """Move as the valid form asks; a refusal is shown next to the time list or the reason."""
    practitioner_id, start = form.cleaned_data["slot"]
    practitioner = get_practitioner(practitioner_id=practitioner_id)
    try:
        if practitioner is None:
            raise InvalidInput("Choose a new time from the list", field="slot")
        result = move_booking(
            appointment=appointment,
            new_start=start,
            new_practitioner=practitioner,
            reason=form.cleaned_data["reason"],
            by_user=user,
        )
    except DomainError as error:
        # The booking service names the time "start"; on this form it is "slot".
        taken = isinstance(error, SlotTaken) or error.field in {"start", "practitioner"}
        field = "slot" if taken else error.field
        form.add_error(field if field in form.fields else None, error.detail)
        return None, error.http_status
    return result, 200


def practitioner_place(practitioner: Practitioner | None, now: datetime) -> tuple[date, str]:
    """Today and the locale where the practitioner works (their first clinic), or London's."""
    clinic = get_home_clinic(practitioner=practitioner) if practitioner else None
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
