"""The public booking pages: find a clinic, then clinic → service → day and time → details
→ confirm → confirmation. No account; every page works without JavaScript.
"""

from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from facetcare.booking.models import Appointment
from facetcare.booking.services import book_appointment
from facetcare.booking.tokens import manage_link_token
from facetcare.clinics.hours import local_today, weekly_hours
from facetcare.clinics.models import Clinic
from facetcare.clinics.selectors import get_practitioner
from facetcare.errors import InvalidInput, SlotTaken
from facetcare.public import journey
from facetcare.public.access import public_page
from facetcare.public.clinic_finder import list_clinic_cards
from facetcare.public.forms import DayForm, DetailsForm, NearForm, SlotForm
from facetcare.public.selectors import (
    ServiceOffer,
    find_offered_slot,
    get_booked_appointment,
    get_public_clinic,
    get_service_offer,
    get_time_picker,
    list_service_offers,
)
from facetcare.web.access import HtmxHttpRequest, add_domain_error

GET_AND_POST = ["GET", "HEAD", "POST"]


@require_GET
@public_page
def clinic_list(request: HtmxHttpRequest, *, booking: bool = False) -> HttpResponse:
    """Every clinic with its hours today and next free appointment; nearest first on request."""
    form = NearForm(request.GET or None)
    near = form.near() if form.is_valid() else None
    cards = list_clinic_cards(now=timezone.now(), near=near[0] if near else None)
    context = {
        "form": form,
        "cards": cards,
        "near_label": near[1] if near else "",
        "booking": booking,
    }
    template = "public/partials/clinic_list.html" if request.htmx else "public/pages/clinics.html"
    return render(request, template, context, status=400 if form.errors else 200)


@require_GET
@public_page
def services(request: HttpRequest, clinic: str) -> HttpResponse:
    """Step 2: what the clinic offers, with prices, online savings and plain descriptions."""
    found = get_public_clinic(slug=clinic)
    context = {**_clinic_context(found), "offers": list_service_offers(clinic=found)}
    return render(request, "public/pages/services.html", context)


@require_GET
@public_page
def times(request: HtmxHttpRequest, clinic: str, service: str) -> HttpResponse:
    """Step 3: a week strip marking days with space, and the chosen day's times."""
    found, offer = _subjects(clinic, service)
    if not offer.online:
        return render(request, "public/pages/call_us.html", _offer_context(found, offer))
    form = DayForm(request.GET)
    day = form.cleaned_data["day"] if form.is_valid() else None
    now = timezone.now()
    try:
        picker = get_time_picker(clinic=found, service=offer.service, day=day, now=now)
    except InvalidInput as error:
        add_domain_error(form, error)
        picker = get_time_picker(clinic=found, service=offer.service, day=None, now=now)
    context = {**_offer_context(found, offer), "form": form, "picker": picker}
    template = "public/partials/times.html" if request.htmx else "public/pages/times.html"
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(GET_AND_POST)
@public_page
def details(request: HttpRequest, clinic: str, service: str) -> HttpResponse:
    """Step 4: who the appointment is for. The time chosen comes in the query string."""
    found, offer = _subjects(clinic, service)
    choice = SlotForm(request.GET)
    if not offer.online or not choice.is_valid():
        return _back_to_times(request, found, offer, CHOOSE_FIRST)
    start, practitioner_id = choice.cleaned_data["start"], choice.cleaned_data["practitioner"]
    now = timezone.now()
    offered = find_offered_slot(
        clinic=found, service=offer.service, practitioner_id=practitioner_id, start=start, now=now
    )
    form = _details_form(request, found, now)
    if offered is None:
        if request.method != "POST":
            return _back_to_times(request, found, offer, GONE_MESSAGE, day=start)
        if form.is_valid():
            journey.keep_details(request.session, form.cleaned_data)
        return _back_to_times(request, found, offer, TAKEN_MESSAGE, day=start)
    if request.method == "POST" and form.is_valid():
        pending = journey.Pending(clinic, service, start, practitioner_id, _fresh(request, form))
        journey.save_pending(request.session, pending, form.cleaned_data)
        return redirect("public:confirm", clinic=clinic, service=service)
    context = {**_offer_context(found, offer), "form": form, "slot": offered[1]}
    context |= {"practitioner": offered[0], "start_query": urlencode(request.GET)}
    return render(request, "public/pages/details.html", context, status=400 if form.errors else 200)


@require_http_methods(GET_AND_POST)
@public_page
def confirm(request: HttpRequest, clinic: str, service: str) -> HttpResponse:
    """Step 5: check and confirm. The POST books, once, however often it is sent."""
    found, offer = _subjects(clinic, service)
    if request.method == "POST" and (token := journey.booked_token(request.session, _key(request))):
        return redirect("public:booked", token=token)
    pending = journey.load_pending(request.session, clinic=clinic, service=service)
    patient = journey.patient_details(request.session)
    if pending is None or patient is None or not offer.online:
        return _back_to_times(request, found, offer, CHOOSE_FIRST)
    if request.method == "POST":
        return _book(request, found, offer, pending)
    practitioner = get_practitioner(practitioner_id=pending.practitioner_id)
    context = {**_offer_context(found, offer), "pending": pending, "practitioner": practitioner}
    context |= {"patient": patient, "start": pending.start.astimezone(ZoneInfo(found.time_zone))}
    context["slot_query"] = _slot_query(pending)
    return render(request, "public/pages/confirm.html", context)


@require_GET
@public_page
def booked(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation, reached only through the booking's signed link."""
    appointment = get_booked_appointment(token=token, now=timezone.now())
    context = {**_clinic_context(appointment.clinic), "appointment": appointment, "token": token}
    context["payable"] = appointment.price - appointment.discount
    return render(request, "public/pages/booked.html", context)


TAKEN_MESSAGE = (
    "That time has just been taken by someone else. Please choose another time: "
    "we have kept your details."
)
GONE_MESSAGE = "That time is no longer free. Please choose another time."
CHOOSE_FIRST = "Choose a time for your appointment first."


def _book(
    request: HttpRequest, clinic: Clinic, offer: ServiceOffer, pending: journey.Pending
) -> HttpResponse:
    details = journey.patient_details(request.session)
    practitioner = get_practitioner(practitioner_id=pending.practitioner_id)
    if _key(request) != pending.key or details is None or practitioner is None:
        messages.info(request, "Please check your booking and confirm it again.")
        return redirect("public:confirm", clinic=clinic.slug, service=offer.service.slug)
    try:
        result = book_appointment(
            service=offer.service,
            clinic=clinic,
            practitioner=practitioner,
            start=pending.start,
            patient_details=details,
            channel=Appointment.Channel.ONLINE,
            idempotency_key=pending.key,
        )
    except SlotTaken:
        return _back_to_times(request, clinic, offer, TAKEN_MESSAGE, day=pending.start)
    except InvalidInput as error:
        if error.field and error.field.startswith("patient."):
            messages.error(request, f"{error.detail}. Please check your details.")
            return redirect(f"{_url('public:details', clinic, offer)}?{_slot_query(pending)}")
        return _back_to_times(request, clinic, offer, error.detail, day=pending.start)
    token = manage_link_token(result.appointment)
    journey.remember_booked(request.session, key=pending.key, token=token)
    return redirect("public:booked", token=token)


def _subjects(clinic: str, service: str) -> tuple[Clinic, ServiceOffer]:
    found = get_public_clinic(slug=clinic)
    return found, get_service_offer(clinic=found, slug=service)


def _clinic_context(clinic: Clinic) -> dict[str, Any]:
    return {
        "clinic": clinic,
        "page_lang": clinic.locale,
        "hours": weekly_hours(clinic.opening_hours.all(), clinic.locale),
    }


def _offer_context(clinic: Clinic, offer: ServiceOffer) -> dict[str, Any]:
    return {**_clinic_context(clinic), "offer": offer, "service": offer.service}


def _url(name: str, clinic: Clinic, offer: ServiceOffer) -> str:
    return reverse(name, kwargs={"clinic": clinic.slug, "service": offer.service.slug})


def _back_to_times(
    request: HttpRequest,
    clinic: Clinic,
    offer: ServiceOffer,
    message: str,
    *,
    day: datetime | None = None,
) -> HttpResponseRedirect:
    """Back to the time list (of ``day``'s local date, when given) with ``message``."""
    messages.error(request, message)
    url = _url("public:times", clinic, offer)
    if day is not None:
        url += "?" + urlencode({"day": day.astimezone(ZoneInfo(clinic.time_zone)).date()})
    return HttpResponseRedirect(url)


def _details_form(request: HttpRequest, clinic: Clinic, now: datetime) -> DetailsForm:
    """Bound to the POST, or filled with the details kept in the session and a new key."""
    today = local_today(clinic, now)
    if request.method == "POST":
        return DetailsForm(request.POST, locale=clinic.locale, today=today)
    initial = {**journey.kept_details(request.session), "key": journey.new_key()}
    return DetailsForm(initial=initial, locale=clinic.locale, today=today)


def _fresh(request: HttpRequest, form: DetailsForm) -> str:
    """The form's key, unless a booking was already made with it (back, change, submit)."""
    key = str(form.cleaned_data["key"])
    return journey.new_key() if journey.booked_token(request.session, key) else key


def _key(request: HttpRequest) -> str:
    return str(request.POST.get("key", ""))[:64]


def _slot_query(pending: journey.Pending) -> str:
    return urlencode({"start": pending.start.isoformat(), "practitioner": pending.practitioner_id})
