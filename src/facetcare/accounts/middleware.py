"""Session controls for signed-in staff: sign out after inactivity, and the second-factor gate."""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from facetcare.accounts.selectors import has_second_factor
from facetcare.accounts.two_factor import (
    admin_site_needs_second_factor,
    is_staff_account,
    must_use_second_factor,
)

LAST_SEEN_KEY = "facetcare.last_seen"
# The last-seen time is rewritten at most this often, so a burst of page loads
# does not write the session on every request; the timeout is as exact as this.
LAST_SEEN_RESOLUTION_S = 30
# Set at sign-in when the user has no second factor and their role needs none, so
# page loads do not query their devices each time (``remember_sign_in``). The
# admin site's own requirement comes from the setting on every request.
NO_CODE_NEEDED_KEY = "facetcare.no_second_factor_needed"
# Pages a signed-in but not yet verified user may still open.
OPEN_NAMESPACES = frozenset({"accounts", "api"})
OPEN_URL_NAMES = frozenset({"login", "logout"})


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    # An htmx request would swap the sign-in page into a fragment; have the
    # browser load it instead.
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class IdleTimeoutMiddleware:
    """Sign a user out after ``FACETCARE_IDLE_TIMEOUT_MINUTES`` without a request,
    and send them to the sign-in page with a message saying why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout_s = settings.FACETCARE_IDLE_TIMEOUT_MINUTES * 60
        if timeout_s > 0 and request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > timeout_s:
                login_url = _sign_in_url(request.user)
                logout(request)
                if request.path == login_url:
                    # Signing in again anyway: let the sign-in form have the request.
                    return self.get_response(request)
                minutes = settings.FACETCARE_IDLE_TIMEOUT_MINUTES
                messages.info(
                    request,
                    f"You were signed out after {minutes} minutes without activity. "
                    "Sign in again to carry on.",
                )
                return _redirect(request, f"{login_url}?{urlencode({'next': _back_to(request)})}")
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION_S:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def _sign_in_url(user: Any) -> str:
    """Staff sign in again at the staff page; a patient at the portal's own page."""
    if is_staff_account(user):
        return reverse(settings.LOGIN_URL)
    return reverse("portal:sign_in")


def _back_to(request: HttpRequest) -> str:
    """Where to return after signing in: this page, unless it was a form post or fragment."""
    if request.method == "GET" and request.headers.get("HX-Request") != "true":
        return request.get_full_path()
    return request.headers.get("HX-Current-URL") or reverse("home")


class SecondFactorGateMiddleware:
    """A signed-in user who has a second factor, or must have one, opens nothing but
    the code and enrolment pages (and sign-out) until they have given a code.

    Runs after django-otp's ``OTPMiddleware``, which sets ``request.user.is_verified()``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.namespace in OPEN_NAMESPACES:
            return None
        if match.url_name in OPEN_URL_NAMES:
            return None
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        admin_needs_code = match.app_name == "admin" and admin_site_needs_second_factor()
        if not admin_needs_code and request.session.get(NO_CODE_NEEDED_KEY) == user.pk:
            return None
        if has_second_factor(user=user):
            step = "accounts:verify"
        elif must_use_second_factor(user) or admin_needs_code:
            step = "accounts:enrol"
        else:
            request.session[NO_CODE_NEEDED_KEY] = user.pk
            return None
        return _redirect(request, f"{reverse(step)}?{urlencode({'next': _back_to(request)})}")


def remember_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Signal receiver at each sign-in: the idle clock starts, and the user's devices
    and role are checked afresh (once per sign-in, not on every page)."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[LAST_SEEN_KEY] = time.time()
    if has_second_factor(user=user) or must_use_second_factor(user):
        request.session.pop(NO_CODE_NEEDED_KEY, None)
    else:
        request.session[NO_CODE_NEEDED_KEY] = user.pk
