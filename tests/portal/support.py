"""A small portal world: patients with accounts, clients signed in as them, links from emails."""

import re
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from facetcare.patients.models import Patient
from facetcare.portal.models import PortalAccount
from facetcare.portal.services import open_portal_account
from tests.factories import make_patient

BORN = date(1980, 5, 17)
LINK = re.compile(r"https?://\S+/portal/sign-in/link/\?sesame=\S+")


def patient_with_account(**fields: Any) -> PortalAccount:
    return open_portal_account(patient=make_patient(**fields), now=timezone.now())


def signed_in(account: PortalAccount) -> Client:
    client = Client()
    client.force_login(account.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def ask_for_link(client: Client, *, email: str, born: date = BORN) -> Any:
    """Ask for a link as the sign-in page does; the email goes once the request commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/portal/sign-in/",
            {"email": email, "day": born.day, "month": born.month, "year": born.year},
        )


def links_in_last_email() -> list[str]:
    assert mail.outbox, "no email was sent"
    return LINK.findall(str(mail.outbox[-1].body))


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["sesame"][0]


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def sign_in_with(client: Client, link: str) -> Any:
    return client.post("/portal/sign-in/link/", {"token": token_of(link)})


__all__ = ["BORN", "Patient"]
