"""The demo's patient portal: an account for the cervical case (Martin Birtwistle), whose
programme and pain diary the portal then shows. A newcomer signs in as him from
``/portal/sign-in/`` with the email and date of birth the summary prints; the
one-time link is emailed to the server's console."""

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from facetcare.demo import clinical_data as data
from facetcare.demo.clinical import Case
from facetcare.patients.models import Patient
from facetcare.portal.models import PortalAccount
from facetcare.portal.services import open_portal_account

PORTAL_CASES = (data.STEROID_LIMIT.key,)


def open_demo_portal_accounts(*, cases: Sequence[Case], now: datetime) -> list[Patient]:
    """Open (or find) the portal accounts of the demo's portal patients; return them."""
    patients = [case.patient for case in cases if case.key in PORTAL_CASES]
    for patient in patients:
        open_portal_account(patient=patient, now=now)
    return patients


def wipe_portal_accounts(patients: QuerySet[Patient]) -> None:
    """Delete the demo patients' portal accounts and their sign-in users (reset only)."""
    accounts = PortalAccount.objects.filter(patient__in=patients)
    user_ids = list(accounts.values_list("user_id", flat=True))
    accounts.delete()
    get_user_model().objects.filter(pk__in=user_ids).delete()
