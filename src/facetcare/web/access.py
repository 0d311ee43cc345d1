"""Who may open a staff page, and how domain errors from selectors and services reach it."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from facetcare.errors import DomainError, Forbidden, NotFound
from facetcare.web.roles import Role, has_role, is_staff_member

View = Callable[..., HttpResponse]


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it, for views that branch on ``htmx``."""

    htmx: HtmxDetails


def staff_page(*roles: Role) -> Callable[[View], View]:
    """Sign-in required; with ``roles``, the user must hold one of them (else 403).

    A selector's ``NotFound``/``Forbidden`` become Django's 404/403 pages, so a view
    body stays "authorise, call, render" without its own try/except.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            allowed = has_role(request.user, *roles) if roles else is_staff_member(request.user)
            if not allowed:
                raise PermissionDenied("Your role does not give access to this page")
            try:
                return view(request, *args, **kwargs)
            except NotFound as error:
                raise Http404(error.detail) from error
            except Forbidden as error:
                raise PermissionDenied(error.detail) from error

        return wrapped

    return decorate


def add_domain_error(form: BaseForm, error: DomainError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.detail)
