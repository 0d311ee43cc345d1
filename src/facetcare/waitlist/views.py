"""Waitlist pages: joining and accepting an offer (public, no account), and the staff list."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from facetcare.booking.manage import manage_path
from facetcare.clinics.models import Clinic
from facetcare.errors import DomainError, InvalidInput, NotFound
from facetcare.locales import EN_GB
from facetcare.waitlist import selectors, services
from facetcare.waitlist.forms import EntryFilterForm, JoinForm, OfferSlotForm, RemoveEntryForm
from facetcare.waitlist.models import WaitlistEntry, WaitlistOffer
from facetcare.waitlist.tokens import OfferLinkInvalid, read_offer_link
from facetcare.web.access import add_domain_error, staff_page
from facetcare.web.rate_limits import limit_per_client
from facetcare.web.roles import Role

WAITLIST_STAFF = (Role.RECEPTIONIST, Role.MANAGER)
# Reads and writes counted per client address, as on the booking pages.
public_page = limit_per_client("facetcare.waitlist")


def _lang(clinic: Clinic | None) -> str:
    return clinic.locale if clinic is not None else EN_GB


@require_http_methods(["GET", "POST"])
@public_page
def join(request: HttpRequest) -> HttpResponse:
    """Join the waiting list; ``?clinic=<slug>&service=<slug>`` pre-fill the choices."""
    clinic = selectors.find_clinic(slug=request.GET.get("clinic"))
    service = selectors.find_service(slug=request.GET.get("service"))
    initial: dict[str, Any] = {"service": service, "clinics": [clinic] if clinic else []}
    form = JoinForm(request.POST or None, initial=initial, clinic=clinic, now=timezone.now())
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                entry = _join(form)
            except DomainError as refused:
                add_domain_error(form, refused)
                status = refused.http_status
            else:
                return redirect(_joined_url(entry, clinic))
    context = {"form": form, "clinic": clinic, "page_lang": _lang(clinic)}
    return render(request, "waitlist/pages/join.html", context, status=status)


def _join(form: JoinForm) -> WaitlistEntry:
    data = form.cleaned_data
    return services.join_waitlist(
        details=form.details(),
        service=data["service"],
        clinics=list(data["clinics"]),
        weekdays=data["weekdays"],
        parts_of_day=data["parts_of_day"],
        consent=data["consent"],
        now=timezone.now(),
    )


def _joined_url(entry: WaitlistEntry, clinic: Clinic | None) -> str:
    query = f"?service={entry.service.slug}" + (f"&clinic={clinic.slug}" if clinic else "")
    return reverse("waitlist:joined") + query


@require_GET
@public_page
def joined(request: HttpRequest) -> HttpResponse:
    """Confirmation that the person is on the list (after the form redirects here)."""
    clinic = selectors.find_clinic(slug=request.GET.get("clinic"))
    service = selectors.find_service(slug=request.GET.get("service"))
    context = {"clinic": clinic, "service": service, "page_lang": _lang(clinic)}
    return render(request, "waitlist/pages/joined.html", context)


@require_http_methods(["GET", "POST"])
@public_page
def offer(request: HttpRequest, token: str) -> HttpResponse:
    """An emailed offer: see it (GET), take it (POST). Opening the link books nothing,
    so a mail scanner following it cannot accept on the person's behalf."""
    now = timezone.now()
    try:
        found = selectors.get_offer(offer_id=read_offer_link(token, now=now).offer_id)
    except OfferLinkInvalid as invalid:
        return _offer_closed(request, None, invalid.detail, 410 if invalid.expired else 400)
    except NotFound as missing:
        return _offer_closed(request, None, missing.detail, 404)
    try:
        if request.method == "POST":
            found = services.accept_offer(offer_id=found.pk, now=now)
        elif found.status != WaitlistOffer.Status.ACCEPTED:
            services.check_offer_open(found, now)
    except DomainError as refused:
        return _offer_closed(request, found, refused.detail, refused.http_status)
    return _offer_page(request, found)


def _offer_page(request: HttpRequest, found: WaitlistOffer) -> HttpResponse:
    context: dict[str, Any] = {"offer": found, "page_lang": found.clinic.locale}
    if found.status == WaitlistOffer.Status.ACCEPTED and found.appointment is not None:
        context["manage_url"] = manage_path(found.appointment)
        return render(request, "waitlist/pages/offer_booked.html", context)
    return render(request, "waitlist/pages/offer.html", context)


def _offer_closed(
    request: HttpRequest, found: WaitlistOffer | None, detail: str, status: int
) -> HttpResponse:
    context = {
        "offer": found,
        "detail": detail,
        "page_lang": _lang(found.clinic if found else None),
    }
    return render(request, "waitlist/pages/offer_closed.html", context, status=status)


@require_GET
@staff_page(*WAITLIST_STAFF)
def entries(request: HttpRequest) -> HttpResponse:
    """Everyone on the list, by service, with their offers; filtered by clinic,
    service and status (waiting, unless another is chosen)."""
    form = EntryFilterForm(request.GET or {"status": WaitlistEntry.Status.WAITING})
    if form.is_valid():
        chosen: dict[str, Any] = form.cleaned_data
        found = selectors.list_entries(
            clinic=chosen["clinic"], service=chosen["service"], status=chosen["status"]
        )
        status = 200
    else:
        found, status = selectors.list_entries(status=WaitlistEntry.Status.WAITING), 400
    context = {"form": form, "entries": found}
    return render(request, "waitlist/pages/entries.html", context, status=status)


@require_GET
@staff_page(*WAITLIST_STAFF)
def entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    """One entry: who, what and when, the offers made, free times to offer, removal."""
    found = selectors.get_entry(entry_id=entry_id)
    return render(request, "waitlist/pages/entry.html", _entry_context(found))


def _entry_context(found: WaitlistEntry, **forms: Any) -> dict[str, Any]:
    waiting = found.status == WaitlistEntry.Status.WAITING
    home = next(iter(found.clinics.all()), None)  # the page writes dates as this clinic does
    return {
        "entry": found,
        "page_lang": _lang(home),
        "offers": selectors.list_entry_offers(entry=found),
        "suggestions": selectors.suggest_slots(entry=found, now=timezone.now()) if waiting else [],
        "remove_form": forms.get("remove_form") or RemoveEntryForm(),
        "offer_error": forms.get("offer_error"),
    }


@require_POST
@staff_page(*WAITLIST_STAFF)
def offer_time(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Reception offers one of the suggested free times to this person."""
    found = selectors.get_entry(entry_id=entry_id)
    form = OfferSlotForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput("Choose one of the times listed", field="start")
        slot = selectors.get_slot(service=found.service, **form.cleaned_data)
        services.offer_slot(entry=found, slot=slot, by_user=request.user, now=timezone.now())
    except DomainError as refused:
        context = _entry_context(found, offer_error=refused.detail)
        return render(request, "waitlist/pages/entry.html", context, status=refused.http_status)
    messages.success(request, f"Offered to {found.full_name}; they have been emailed the link.")
    return redirect("waitlist:entry", entry_id=found.pk)


@require_POST
@staff_page(*WAITLIST_STAFF)
def remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Take this person off the list, with a reason."""
    found = selectors.get_entry(entry_id=entry_id)
    form = RemoveEntryForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.remove_entry(
                entry=found,
                by_user=request.user,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except DomainError as refused:
            add_domain_error(form, refused)
            status = refused.http_status
        else:
            messages.success(request, f"{found.full_name} is off the waiting list.")
            return redirect("waitlist:entries")
    context = _entry_context(found, remove_form=form)
    return render(request, "waitlist/pages/entry.html", context, status=status)
