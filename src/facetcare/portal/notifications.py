"""The sign-in link email, sent by the task backend once the request has committed.

The task gets only account ids and makes the links when it runs, so a link's
fifteen minutes start when the email leaves, not when it was queued.
"""

from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from sesame import settings as sesame_settings
from sesame.utils import get_token

from facetcare.phones import display_phone
from facetcare.portal.models import PortalAccount
from facetcare.portal.selectors import get_home_clinic, page_locale

# A sign-in link is good for the portal only (django-sesame scope).
LINK_SCOPE = "portal"


def queue_sign_in_link(*, account_ids: list[int]) -> None:
    """Email sign-in links for these accounts (one patient's address) after commit."""
    transaction.on_commit(partial(send_sign_in_link.enqueue, account_ids), robust=True)


def sign_in_url(account: PortalAccount) -> str:
    """A full, fresh sign-in link for the account's user."""
    token = get_token(account.user, scope=LINK_SCOPE)
    query = urlencode({sesame_settings.TOKEN_NAME: token})
    return f"{settings.FACETCARE_SITE_URL}{reverse('portal:link')}?{query}"


@dataclass(frozen=True, slots=True)
class SignInLink:
    name: str
    url: str


@task
def send_sign_in_link(account_ids: list[int]) -> None:
    """One email to the patients' shared address, with a link for each of them."""
    accounts = list(
        PortalAccount.objects.select_related("patient", "user")
        .filter(pk__in=account_ids)
        .order_by("patient__first_name", "pk")
    )
    if not accounts:
        return  # Erased meanwhile: nothing to send, and no one to send it to.
    first = accounts[0].patient
    clinic = get_home_clinic(patient=first)
    context = {
        "links": [
            SignInLink(a.patient.preferred_name or a.patient.first_name, sign_in_url(a))
            for a in accounts
        ],
        "name": first.preferred_name or first.first_name,
        "minutes": round(sesame_settings.MAX_AGE / 60) if sesame_settings.MAX_AGE else None,
        "clinic": clinic,
        "clinic_phone": display_phone(clinic.phone, clinic.locale) if clinic else "",
        "page_lang": page_locale(clinic),
    }
    message = EmailMultiAlternatives(
        subject="Your link to sign in to FacetCare",
        body=render_to_string("portal/email/sign_in_link.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[first.email],
        reply_to=[clinic.email] if clinic else None,
    )
    message.attach_alternative(
        render_to_string("portal/email/sign_in_link.html", context), "text/html"
    )
    message.send()
