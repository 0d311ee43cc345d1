"""Signing in to the patient portal: ask for an emailed link, open it, or use a password."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit
from sesame import settings as sesame_settings

from facetcare.errors import InvalidInput
from facetcare.portal import services
from facetcare.portal.access import portal_context
from facetcare.portal.forms import LinkForm, PasswordSignInForm, SignInLinkForm
from facetcare.portal.selectors import get_portal_account
from facetcare.public.access import public_page
from facetcare.web.access import add_domain_error

GET_AND_POST = ["GET", "HEAD", "POST"]
LINK_GROUP = "facetcare.portal.link"
View = Callable[..., HttpResponse]


def _link_rate(group: str, request: HttpRequest) -> str:
    return str(settings.FACETCARE_PORTAL_LINK_RATE)


def _email_key(group: str, request: HttpRequest) -> str:
    # Per address, whatever its case: stops anyone filling one inbox with links.
    return request.POST.get("email", "").strip().lower()


def _signed_in_already(request: HttpRequest) -> bool:
    return get_portal_account(user=request.user) is not None


# Per address, beside public_page's limit per client address.
_per_email: Callable[[View], View] = ratelimit(
    group=LINK_GROUP, key=_email_key, rate=_link_rate, method="POST", block=True
)


@require_http_methods(GET_AND_POST)
@public_page
@_per_email
def sign_in(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link by email address and date of birth."""
    if request.method != "POST" and _signed_in_already(request):
        return redirect("portal:today")
    form = SignInLinkForm(request.POST or None, today=timezone.localdate())
    if form.is_valid():
        services.request_sign_in_link(
            email=form.cleaned_data["email"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            now=timezone.now(),
        )
        return redirect("portal:link_sent")
    context = portal_context(None, form=form, password_form=PasswordSignInForm())
    return render(request, "portal/pages/sign_in.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD"])
@public_page
def link_sent(request: HttpRequest) -> HttpResponse:
    """The same answer whether or not the address is known."""
    minutes = round(sesame_settings.MAX_AGE / 60) if sesame_settings.MAX_AGE else None
    return render(request, "portal/pages/link_sent.html", portal_context(None, minutes=minutes))


@require_http_methods(GET_AND_POST)
@public_page
def link(request: HttpRequest) -> HttpResponse:
    """The emailed link: a page with one button, so a mail scanner that follows links
    does not use it up; the button signs the patient in."""
    form = LinkForm(request.POST or {"token": request.GET.get(sesame_settings.TOKEN_NAME, "")})
    account, status = None, 200
    if form.is_valid():
        token = form.cleaned_data["token"]
        try:
            if request.method == "POST":
                services.sign_in_with_link(request=request, token=token)
                return redirect("portal:today")
            account = services.check_sign_in_link(request=request, token=token)
        except InvalidInput as error:
            add_domain_error(form, error)
            status = _refused_status(error, otherwise=410)
    elif form.errors:
        status = 410
    context = portal_context(account, form=form, refused=form.errors, request_form=_fresh_form())
    return render(request, "portal/pages/link.html", context, status=status)


def _refused_status(error: InvalidInput, *, otherwise: int) -> int:
    """429 while sign-in is locked after too many failures; ``otherwise`` for a refusal."""
    return 429 if error.code == services.LOCKED_OUT else otherwise


def _fresh_form() -> SignInLinkForm:
    return SignInLinkForm(today=timezone.localdate())


@require_http_methods(GET_AND_POST)
@public_page
def password_sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in with the email address on record and a password the patient set."""
    form = PasswordSignInForm(request.POST or None)
    status = 200
    if form.is_valid():
        try:
            services.sign_in_with_password(
                request=request,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except InvalidInput as error:
            add_domain_error(form, error)
            status = _refused_status(error, otherwise=400)
        else:
            return redirect(_next_page(request))
    elif form.errors:
        status = 400
    context: dict[str, Any] = portal_context(None, password_form=form, next=_next_page(request))
    return render(request, "portal/pages/password_sign_in.html", context, status=status)


def _next_page(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith("/portal/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return "/portal/"


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(request=request)
    return redirect("portal:signed_out")


@require_http_methods(["GET", "HEAD"])
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/pages/signed_out.html", portal_context(None))
