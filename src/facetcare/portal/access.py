"""Who may open a portal page: a signed-in patient, reading their own record only."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from facetcare.errors import Forbidden, NotFound
from facetcare.portal.models import PortalAccount
from facetcare.portal.selectors import get_home_clinic, get_portal_account, page_locale

type PatientView = Callable[..., HttpResponse]


def patient_page(view: PatientView) -> Callable[..., HttpResponse]:
    """Sign-in required, as a patient: the view gets the signed-in ``PortalAccount``
    after the request, and never a patient id from the address.

    A visitor goes to the portal's sign-in page; a staff user (who has no portal
    account) gets 403. A selector's NotFound or Forbidden becomes 404 or 403.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:sign_in"))
        account = get_portal_account(user=request.user)
        if account is None:
            raise PermissionDenied("These pages are for patients; staff sign in to the diary")
        try:
            return view(request, account, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.detail) from error
        except Forbidden as error:
            raise PermissionDenied(error.detail) from error

    return wrapped


def portal_context(account: PortalAccount | None, **extra: Any) -> dict[str, Any]:
    """What every portal page shares: the patient, their clinic and its language."""
    clinic = get_home_clinic(patient=account.patient) if account else None
    return {
        "account": account,
        "patient": account.patient if account else None,
        "clinic": clinic,
        "locale": page_locale(clinic),
        "page_lang": page_locale(clinic),
        **extra,
    }
