"""Sign-in pages: the one-time code step, authenticator set-up, recovery codes, lockout."""

from typing import Any

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from facetcare.accounts import services
from facetcare.accounts.forms import AuthenticatorCodeForm, SignInCodeForm
from facetcare.accounts.qr import grouped_secret, qr_code_data_uri
from facetcare.accounts.selectors import (
    count_recovery_codes_left,
    has_authenticator,
    has_second_factor,
)
from facetcare.accounts.two_factor import must_use_second_factor
from facetcare.errors import InvalidInput
from facetcare.web.access import add_domain_error

# Fresh recovery codes wait here for the one page that shows them, then are gone.
CODES_TO_SHOW_KEY = "facetcare.recovery_codes_to_show"


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the authenticator app or a recovery code."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.is_verified():
        return redirect(_next_url(request))
    if not has_second_factor(user=user):
        return _step("accounts:enrol", request)
    form = SignInCodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.verify_second_factor(user=user, code=form.cleaned_data["code"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            _mark_verified(request, device)
            return redirect(_next_url(request))
    status = 400 if form.errors else 200
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/pages/verify.html", context, status=status)


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code."""
    refused = _needs_code_first(request)
    if refused:
        return refused
    user: Any = request.user
    if request.method == "GET" and has_authenticator(user=user) and "replace" not in request.GET:
        return redirect("accounts:security")
    form = AuthenticatorCodeForm(request.POST or None)
    if form.is_valid():
        try:
            enrolled = services.confirm_authenticator(user=user, code=form.cleaned_data["code"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            _mark_verified(request, enrolled.device)
            request.session[CODES_TO_SHOW_KEY] = enrolled.recovery_codes
            return _step("accounts:recovery_codes", request)
    device = services.start_authenticator_enrolment(user=user)
    context = {"form": form, "next": _next_url(request), **_authenticator_details(device)}
    context["required"] = must_use_second_factor(user)
    status = 400 if form.errors else 200
    return render(request, "accounts/pages/enrol.html", context, status=status)


@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows freshly issued recovery codes once; a post issues new ones (the old stop working)."""
    refused = _needs_code_first(request)
    if refused:
        return refused
    if request.method == "POST":
        codes = services.regenerate_recovery_codes(user=request.user)  # type: ignore[arg-type]
        request.session[CODES_TO_SHOW_KEY] = codes
        return _step("accounts:recovery_codes", request)
    codes = request.session.pop(CODES_TO_SHOW_KEY, None)
    context = {"codes": codes, "next": _next_url(request)}
    return render(request, "accounts/pages/recovery_codes.html", context)


def security(request: HttpRequest) -> HttpResponse:
    """Whether two-factor sign-in is on for this user, and what they can do about it."""
    refused = _needs_code_first(request)
    if refused:
        return refused
    user: Any = request.user
    context = {
        "has_authenticator": has_authenticator(user=user),
        "codes_left": count_recovery_codes_left(user=user),
        "required": must_use_second_factor(user),
    }
    return render(request, "accounts/pages/security.html", context)


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer once an account or address is locked: the sign-in page again,
    saying why and for how long, with status 429 and ``Retry-After``."""
    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60) if cool_off else None
    username = get_client_username(request, credentials) or ""
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "locked_out": True,
        "cool_off_minutes": minutes,
        "next": request.POST.get("next", ""),
    }
    status: int = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    response = render(request, "web/pages/login.html", context, status=status)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def _needs_code_first(request: HttpRequest) -> HttpResponse | None:
    """Sign-in first; and a user who has a second factor gives a code before changing it,
    so a stolen password alone cannot set up the thief's own authenticator."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user.is_verified() and has_second_factor(user=user):
        return _step("accounts:verify", request, next_url=request.get_full_path())
    return None


def _authenticator_details(device: TOTPDevice) -> dict[str, str]:
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return {"qr_code": qr_code_data_uri(device.config_url), "secret": grouped_secret(secret)}


def _mark_verified(request: HttpRequest, device: Device) -> None:
    # A new session key at the step up, as at sign-in, so a key seen before it is worthless.
    request.session.cycle_key()
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        left = count_recovery_codes_left(user=request.user)  # type: ignore[arg-type]
        messages.warning(
            request,
            f"You signed in with a recovery code, which now no longer works; {left} are left. "
            "You can print new ones from your two-factor page.",
        )


def _step(name: str, request: HttpRequest, *, next_url: str | None = None) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': next_url or _next_url(request)})}")


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)
