"""Writes behind the patient portal: accounts, signing in and out, a patient's password,
and the patient's own entries (exercise ticks, pain scores, questionnaire answers).

A patient signs in with a link emailed to the address on their record
(django-sesame): the link names the account's user, is signed, scoped to the
portal, expires after ``SESAME_MAX_AGE`` seconds and works once, because signing
in changes the user's last sign-in time, which the link was signed against. A
patient may later set a password and sign in with their email address and it.

Every attempt goes through Django's ``authenticate``, so django-axes counts
failures and locks out by account and client address as it does for staff; the
portal checks the lock itself first, so a patient reads the portal's own words
rather than the staff sign-in page.

The patient's entries are written by the rehab and outcomes apps' own services
(``rehab.services.log_exercise``, ``outcomes.services.record_pain_score``,
``record_questionnaire_response``), always for the signed-in account's patient,
with the patient's portal user as the one acting; those services check it and
write the access log.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from facetcare.errors import InvalidInput
from facetcare.outcomes.models import PainScore, QuestionnaireResponse
from facetcare.outcomes.services import record_pain_score, record_questionnaire_response
from facetcare.patients.models import Patient
from facetcare.portal.models import PortalAccount
from facetcare.portal.notifications import LINK_SCOPE, queue_sign_in_link
from facetcare.portal.selectors import (
    find_accounts_by_email,
    find_patients_for_sign_in,
    get_due_exercise,
    get_questionnaire,
    programme_day,
)
from facetcare.rehab import services as rehab_services
from facetcare.rehab.models import ExerciseLog

# Portal users' usernames start with this; staff usernames cannot hold a colon
# (Django's username validator), so one can never be taken for the other.
USERNAME_PREFIX = "portal:"
LINK_REFUSED = (
    "This sign-in link has expired or has already been used. "
    "Ask for a new one below: it arrives in a minute or two."
)
# The name the site header shows while a patient is signed in (``web/base.html``
# reads it from the session, so staff pages pay no query to tell a patient apart).
SESSION_NAME_KEY = "portal_name"
LOCKED_OUT = "locked_out"
NO_MATCH = "That email address and password do not match. Check both, or sign in by email."


@dataclass(frozen=True, slots=True)
class LinkRequest:
    """What asking for a link did: how many links were sent (never shown to the visitor)."""

    links_sent: int


@transaction.atomic
def open_portal_account(*, patient: Patient, now: datetime) -> PortalAccount:
    """The patient's portal account, made the first time it is needed.

    Its user holds no role, no staff flag, no usable password and no details of the
    person: the patient record is where the portal reads who they are.
    """
    # Locking the patient makes two requests at once find or make the same account.
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    account = PortalAccount.objects.select_related("user").filter(patient=patient).first()
    if account is not None:
        return account
    user = User.objects.create_user(username=f"{USERNAME_PREFIX}{secrets.token_hex(12)}")
    return PortalAccount.objects.create(patient=patient, user=user, created_at=now)


@transaction.atomic
def request_sign_in_link(*, email: str, date_of_birth: date, now: datetime) -> LinkRequest:
    """Email a sign-in link to each patient on record with this email and date of birth.

    The caller answers the same way whether or not anyone matched, so the page
    does not tell a stranger whether an address is known. One email carries the
    links of every match (two people sharing an address and a birthday, such as
    twins, each get their own link in it). The email is sent once this commits.
    """
    patients = find_patients_for_sign_in(email=email, date_of_birth=date_of_birth)
    accounts = [open_portal_account(patient=patient, now=now) for patient in patients]
    if accounts:
        queue_sign_in_link(account_ids=[account.pk for account in accounts])
    return LinkRequest(links_sent=len(accounts))


def _lockout(field: str) -> InvalidInput:
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return InvalidInput(
        f"Too many sign-in attempts. Please wait {minutes} minutes and try again, "
        "or call your clinic.",
        field=field,
        code=LOCKED_OUT,
    )


def _authenticate(
    request: HttpRequest, field: str, **credentials: str
) -> tuple[PortalAccount, User] | None:
    """The portal account these credentials sign in to, with its user as Django's
    ``authenticate`` returned it (ready for ``login``); None if they sign in to none.

    Raises InvalidInput (code ``locked_out``) while django-axes holds the account or
    the address locked, and when this failure is the one that locks it: the portal
    says so in its own page (Axes would otherwise answer with the staff sign-in page).
    """
    if AxesProxyHandler.is_locked(request, {"username": credentials.get("username")}):
        raise _lockout(field)
    user = authenticate(request, **credentials)
    if getattr(request, "axes_locked_out", False):
        request.axes_locked_out = False  # type: ignore[attr-defined]
        raise _lockout(field)
    if not isinstance(user, User):
        return None
    account = PortalAccount.objects.select_related("patient").filter(user=user).first()
    return (account, user) if account is not None else None


def _sign_in(request: HttpRequest, account: PortalAccount, user: User) -> None:
    login(request, user)
    patient = account.patient
    request.session[SESSION_NAME_KEY] = patient.preferred_name or patient.first_name


def _check_link(request: HttpRequest, token: str) -> tuple[PortalAccount, User]:
    found = _authenticate(request, "link", sesame=token, scope=LINK_SCOPE)
    if found is None:
        raise InvalidInput(LINK_REFUSED, field="link")
    return found


def check_sign_in_link(*, request: HttpRequest, token: str) -> PortalAccount:
    """The account a sign-in link opens, without using the link up.

    Raises InvalidInput (field ``link``) for a link that is altered, expired, used,
    or whose account is gone.
    """
    return _check_link(request, token)[0]


def sign_in_with_link(*, request: HttpRequest, token: str) -> PortalAccount:
    """Sign the visitor in with a sign-in link, using it up.

    Raises InvalidInput (field ``link``) as ``check_sign_in_link`` does.
    """
    with transaction.atomic():
        account, _ = _check_link(request, token)
        # Two clicks at once: the row lock lets one sign in, and the other then
        # finds the link already used (signing in moved the user's last sign-in).
        User.objects.select_for_update().filter(pk=account.user_id).first()
        account, user = _check_link(request, token)
        _sign_in(request, account, user)
    return account


def sign_in_with_password(*, request: HttpRequest, email: str, password: str) -> PortalAccount:
    """Sign in a patient who has set a password, by the email address on their record.

    Raises InvalidInput (field ``password``) when no account with that address has
    that password, in the same words whether or not the address is known.
    """
    candidates = [
        account
        for account in find_accounts_by_email(email=email)
        if account.user.has_usable_password()
    ]
    # Unknown addresses are still checked (against a username no user can hold),
    # so they take as long and are counted by the lockout as known ones are.
    usernames = [account.user.username for account in candidates] or [
        f"{USERNAME_PREFIX}unknown:{email.strip().lower()}"
    ]
    for username in usernames:
        found = _authenticate(request, "password", username=username, password=password)
        if found is not None:
            _sign_in(request, *found)
            return found[0]
    raise InvalidInput(NO_MATCH, field="password")


@transaction.atomic
def set_portal_password(
    *, request: HttpRequest, account: PortalAccount, password: str
) -> PortalAccount:
    """Give the patient a password (or a new one); they stay signed in here.

    Raises InvalidInput (field ``new_password1``) naming what the password lacks.
    Links already emailed stop working, since a link is signed against the password.
    """
    user = account.user
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="new_password1") from None
    user.set_password(password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    return account


def remove_portal_password(*, request: HttpRequest, account: PortalAccount) -> PortalAccount:
    """Go back to signing in by emailed link only."""
    user = account.user
    user.set_unusable_password()
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    return account


def sign_out(*, request: HttpRequest) -> None:
    logout(request)


# --- The patient's own entries, written through the rehab and outcomes apps' services ---


def log_exercise_done(
    *, account: PortalAccount, programme_exercise_id: int, done: bool, now: datetime
) -> ExerciseLog:
    """Tick (or untick) an exercise of today in the patient's own programme: done is the
    whole prescribed dose, not done is nought sets.

    NotFound for an exercise that is not one of theirs for today; the rehab app's
    own refusals (InvalidInput, Conflict) pass through.
    """
    due = get_due_exercise(account=account, programme_exercise_id=programme_exercise_id, now=now)
    row = due.programme_exercise
    programme = row.phase.programme
    return rehab_services.log_exercise(
        programme_exercise=row,
        day=programme_day(programme, now=now),
        sets_done=row.sets if done else 0,
        acting_user=account.user,
        today=programme_day(programme, now=now),
    )


def record_pain(*, account: PortalAccount, score: int, now: datetime) -> PainScore:
    """The patient's pain now, 0 to 10 (NRS-11); it completes the pain score due today.

    InvalidInput (field ``value``) for a score outside 0 to 10, from the outcomes app.
    """
    return record_pain_score(
        patient=account.patient,
        value=score,
        recorded_at=now,
        acting_user=account.user,
        now=now,
    )


def answer_questionnaire(
    *, account: PortalAccount, measure: str, answers: dict[str, int], now: datetime
) -> QuestionnaireResponse:
    """Answers to a questionnaire due today; InvalidInput (``answers.<linkId>``) names
    a missing or impossible answer, and nothing is written then."""
    questionnaire = get_questionnaire(account=account, measure=measure)
    return record_questionnaire_response(
        patient=account.patient,
        instrument_code=questionnaire.code,
        answers=answers,
        answered_at=now,
        acting_user=account.user,
        now=now,
    )
