"""The signed-in patient's pages: today, their programme, their progress, their account.

Each view is given the signed-in ``PortalAccount`` by ``patient_page`` and passes
it to the selectors and services, which read and write that patient's record only.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from facetcare.errors import InvalidInput
from facetcare.portal import services
from facetcare.portal.access import patient_page, portal_context
from facetcare.portal.forms import PortalPasswordForm
from facetcare.portal.models import PortalAccount
from facetcare.portal.selectors import list_upcoming_appointments, local_today
from facetcare.web.access import add_domain_error

GET_AND_POST = ["GET", "HEAD", "POST"]


@require_http_methods(["GET", "HEAD"])
@patient_page
def today(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    """Today: the exercises and pain score due, and the appointments to come."""
    now = timezone.now()
    context = portal_context(
        account, section="today", appointments=list_upcoming_appointments(account=account, now=now)
    )
    context["today"] = local_today(context["clinic"], now=now)
    return render(request, "portal/pages/today.html", context)


@require_http_methods(GET_AND_POST)
@patient_page
def account_page(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    """Set (or change) a password, to sign in without waiting for an email."""
    form = PortalPasswordForm(account.user, request.POST or None)
    if form.is_valid():
        try:
            services.set_portal_password(
                request=request, account=account, password=form.cleaned_data["new_password1"]
            )
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Your password is saved. Use it with your email address.")
            return redirect("portal:account")
    context = portal_context(account, form=form, has_password=account.user.has_usable_password())
    return render(request, "portal/pages/account.html", context, status=400 if form.errors else 200)


@require_POST
@patient_page
def remove_password(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    services.remove_portal_password(request=request, account=account)
    messages.success(request, "Your password is removed. Sign in with an emailed link.")
    return redirect("portal:account")


@require_http_methods(["GET", "HEAD"])
@patient_page
def programme(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    """The patient's programme, phase by phase, the current phase marked."""
    context = portal_context(account, section="programme", programme=None)
    return render(request, "portal/pages/programme.html", context)


@require_http_methods(["GET", "HEAD"])
@patient_page
def progress(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    """Pain over time, as a chart and as a table."""
    context = portal_context(account, section="progress", chart=None)
    return render(request, "portal/pages/progress.html", context)
