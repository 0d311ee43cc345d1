"""A patient's manage pages, reached from the link in their emails: no account, no login.

Each view opens the booking its signed link names (``manage.open_manage_link``),
checks it may still change (booked, outside the service's minimum notice) on GET
and on POST alike, and calls the booking services. A repeated POST (a double
click, a reload) finds the booking already moved or cancelled and says so.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from facetcare import locales
from facetcare.booking import manage
from facetcare.booking.forms import CancelForm, DayForm, RescheduleForm
from facetcare.booking.models import Appointment
from facetcare.booking.notifications import summarise_appointment
from facetcare.booking.services import cancel_appointment, reschedule_appointment
from facetcare.booking.tokens import manage_link_token
from facetcare.clinics.hours import local_today
from facetcare.errors import Conflict, DomainError, InvalidInput
from facetcare.phones import display_phone
from facetcare.web.access import HtmxHttpRequest, add_domain_error
from facetcare.web.rate_limits import limit_per_client

ManageView = Callable[[HtmxHttpRequest, Appointment, datetime], HttpResponse]


def manage_link_page(view: ManageView) -> Callable[..., HttpResponse]:
    """Rate-limit per client, open the link's booking, or answer 404/410 with a plain page."""

    @wraps(view)
    def opened(request: HtmxHttpRequest, token: str) -> HttpResponse:
        now = timezone.now()
        try:
            appointment = manage.open_manage_link(token, now=now)
        except manage.ManageLinkRefused as refused:
            return _link_problem(request, refused)
        return view(request, appointment, now)

    return limit_per_client("facetcare.booking.manage")(opened)


@require_safe
@manage_link_page
def manage_booking(
    request: HtmxHttpRequest, appointment: Appointment, now: datetime
) -> HttpResponse:
    """The booking as it stands, and what may still be done with it."""
    return render(request, "booking/pages/manage.html", _booking_context(appointment, now))


@require_http_methods(["GET", "HEAD", "POST"])
@manage_link_page
def reschedule(request: HtmxHttpRequest, appointment: Appointment, now: datetime) -> HttpResponse:
    """A day strip and that day's free times; POST moves the booking to the chosen one."""
    if (refused := _refuse_change(request, appointment, now, moving=True)) is not None:
        return refused
    if request.method != "POST":
        day_form = DayForm(request.GET, **_day_bounds(appointment, now))
        return _picker(request, appointment, now, day_form, RescheduleForm())
    form = RescheduleForm(request.POST)
    if form.is_valid():
        try:
            free = manage.chosen_time(appointment, choice=form.cleaned_data["time"], now=now)
            moved = reschedule_appointment(
                appointment=appointment,
                new_start=free.start,
                new_practitioner=free.practitioner,
                now=now,
            ).appointment
        except DomainError as error:
            return _reschedule_refused(request, appointment, now, form, error)
        when = summarise_appointment(moved).when
        messages.success(request, f"Your appointment has moved to {when}. We have emailed you.")
        return _to_manage(moved)
    day_form = DayForm(request.POST, **_day_bounds(appointment, now))
    return _picker(request, appointment, now, day_form, form, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@manage_link_page
def cancel(request: HtmxHttpRequest, appointment: Appointment, now: datetime) -> HttpResponse:
    """Ask once ("are you sure?"); POST cancels, a repeated POST is told it is done already."""
    if (refused := _refuse_change(request, appointment, now, moving=False)) is not None:
        return refused
    form = CancelForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        reason = dict(CancelForm.REASONS).get(form.cleaned_data["reason"], "")
        try:
            cancel_appointment(
                appointment=appointment,
                reason=f"Cancelled by the patient online{': ' + reason if reason else ''}",
                now=now,
            )
        except Conflict:
            return _already_changed(request, appointment)
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Your appointment is cancelled. We have emailed you.")
            return _to_manage(appointment)
    context = _booking_context(appointment, now) | {"form": form}
    status = 400 if form.errors else 200
    return render(request, "booking/pages/cancel.html", context, status=status)


def _refuse_change(
    request: HttpRequest, appointment: Appointment, now: datetime, *, moving: bool
) -> HttpResponse | None:
    """None when the booking may change online; else the answer that says why not."""
    if not manage.is_open_to_change(appointment):
        return _already_changed(request, appointment)
    if manage.too_late_to_change(appointment, now=now) or (
        moving and not manage.can_move_online(appointment)
    ):
        context = _booking_context(appointment, now) | {"refused": True}
        return render(request, "booking/pages/manage.html", context, status=403)
    return None


def _already_changed(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    """A change to a booking that has changed already (a second click): say what it is now."""
    appointment.refresh_from_db(fields=["status", "cancellation_reason"])
    moved = manage.latest_move(appointment)
    if moved is not None:
        when = summarise_appointment(moved).when
        messages.info(request, f"This appointment has already moved to {when}.")
        return _to_manage(moved)
    if appointment.status == Appointment.Status.CANCELLED:
        messages.info(request, "This appointment was already cancelled. Nothing more to do.")
    else:
        messages.info(request, "This appointment can no longer be changed online.")
    return _to_manage(appointment)


def _to_manage(appointment: Appointment) -> HttpResponse:
    return redirect(manage.manage_path(appointment))


def _reschedule_refused(
    request: HtmxHttpRequest,
    appointment: Appointment,
    now: datetime,
    form: RescheduleForm,
    error: DomainError,
) -> HttpResponse:
    """Back to the time list with the reason next to it, or on if the booking changed meanwhile."""
    if type(error) is Conflict:  # the booking itself changed (not a taken slot, not policy)
        return _already_changed(request, appointment)
    form.add_error("time", error.detail)
    day_form = DayForm(request.POST, **_day_bounds(appointment, now))
    return _picker(request, appointment, now, day_form, form, status=error.http_status)


def _day_bounds(appointment: Appointment, now: datetime) -> dict[str, Any]:
    window = manage.day_window(appointment, now=now)
    return {"first": window.first, "last": window.last, "locale": appointment.clinic.locale}


def _picker(
    request: HtmxHttpRequest,
    appointment: Appointment,
    now: datetime,
    day_form: DayForm,
    form: RescheduleForm,
    *,
    status: int = 200,
) -> HttpResponse:
    """The reschedule page, or only its day picker and times for an htmx request."""
    day_ok = day_form.is_valid()
    chosen = day_form.cleaned_data.get("day") if day_ok else None
    selected = chosen or manage.first_day_with_space(appointment, now=now)
    strip, window = manage.day_strip(appointment, selected=selected, now=now)
    times = manage.free_times(appointment, day=selected, now=now) if day_ok else []
    if day_ok:
        # Show the day being listed in the date field too, chosen or not.
        day_form = DayForm({"day": selected.isoformat()}, **_day_bounds(appointment, now))
    week = timedelta(days=manage.STRIP_DAYS)
    earlier, later = strip[0].day - week, strip[0].day + week
    context = _booking_context(appointment, now) | {
        "day_form": day_form,
        "form": form,
        "selected": selected,
        "strip": strip,
        "earlier_day": earlier if earlier >= window.first else None,
        "later_day": later if later <= window.last else None,
        "time_groups": [(part, list(group)) for part, group in groupby(times, _part_of_day)],
        "has_times": bool(times),
    }
    if status == 200 and not day_ok:
        status = 400
    partial = request.htmx and not request.htmx.history_restore_request
    template = "booking/partials/day_picker.html" if partial else "booking/pages/reschedule.html"
    return render(request, template, context, status=status)


def _part_of_day(free: manage.FreeTime) -> str:
    return free.part_of_day


def _booking_context(appointment: Appointment, now: datetime) -> dict[str, Any]:
    clinic = appointment.clinic
    moved_to = manage.latest_move(appointment) if not appointment.is_live else None
    moved_from = appointment.rescheduled_from
    start = manage.local_start(appointment)
    return {
        "appointment": appointment,
        "clinic": clinic,
        "page_lang": clinic.locale,
        "summary": summarise_appointment(appointment),
        "start": start,
        "token": manage_link_token(appointment),
        "is_open": manage.is_open_to_change(appointment),
        "too_late": manage.too_late_to_change(appointment, now=now),
        "can_move": manage.can_move_online(appointment),
        "deadline": manage.change_deadline(appointment).astimezone(start.tzinfo),
        "notice": _notice_text(appointment.service.min_notice_minutes),
        "moved_to": moved_to,
        "moved_to_token": manage_link_token(moved_to) if moved_to else "",
        "moved_to_when": summarise_appointment(moved_to).when if moved_to else "",
        "moved_from_when": summarise_appointment(moved_from).when if moved_from else "",
        "hours": manage.opening_hours(clinic),
        "locale_today": local_today(clinic, now),
    }


def _notice_text(minutes: int) -> str:
    """``24 hours``, ``2 days``, ``90 minutes``: the notice a change needs, in plain words."""
    if minutes % (24 * 60) == 0 and minutes >= 24 * 60:
        days = minutes // (24 * 60)
        return f"{days} day{'s' if days != 1 else ''}"
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _link_problem(request: HttpRequest, refused: manage.ManageLinkRefused) -> HttpResponse:
    clinic = refused.clinic
    context = {
        "refused": refused,
        "expired": refused.status == 410,
        "clinic": clinic,
        "page_lang": clinic.locale if clinic else locales.EN_GB,
        "phone": display_phone(clinic.phone, clinic.locale) if clinic else "",
        "hours": manage.opening_hours(clinic) if clinic else [],
    }
    return render(request, "booking/pages/link_problem.html", context, status=refused.status)
