"""Reads behind the patient portal.

Every read of a patient's record here takes the signed-in ``PortalAccount`` and
reads that account's own patient: no page passes a patient id in, so changing a
number in an address can only ever miss (404), never reach someone else. Each
clinical read is written to the access log as a staff read is, with the
patient's own portal user as the reader.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import QuerySet
from django.urls import reverse

from facetcare import locales
from facetcare.audit.services import log_access
from facetcare.booking.manage import is_open_to_change, too_late_to_change
from facetcare.booking.models import Appointment
from facetcare.booking.tokens import manage_link_token
from facetcare.clinics.hours import local_today as clinic_local_today
from facetcare.clinics.models import Clinic
from facetcare.errors import NotFound
from facetcare.outcomes import selectors as outcomes_selectors
from facetcare.outcomes.charts import pain_chart_svg
from facetcare.outcomes.models import DueMeasure
from facetcare.outcomes.selectors import DueNow, PainPoint, PainSeries, QuestionnaireView
from facetcare.patients.models import Patient
from facetcare.portal.models import PortalAccount
from facetcare.rehab import selectors as rehab_selectors
from facetcare.rehab.handout import get_handout
from facetcare.rehab.models import Programme
from facetcare.rehab.selectors import DueExercise, PhaseCard

# Due measures answered as a questionnaire in the portal (pain has its own buttons).
QUESTIONNAIRES = frozenset(
    {DueMeasure.Measure.PSFS, DueMeasure.Measure.GLOBAL_CHANGE, DueMeasure.Measure.DISABILITY}
)


def find_patients_for_sign_in(*, email: str, date_of_birth: date) -> QuerySet[Patient]:
    """Patients with this email address (ignoring case) and date of birth."""
    return Patient.objects.filter(email__iexact=email.strip(), date_of_birth=date_of_birth)


def find_accounts_by_email(*, email: str) -> QuerySet[PortalAccount]:
    """Portal accounts of patients whose record holds this email address (ignoring case)."""
    return PortalAccount.objects.select_related("user", "patient").filter(
        patient__email__iexact=email.strip()
    )


def get_portal_account(*, user: AbstractBaseUser | AnonymousUser) -> PortalAccount | None:
    """The signed-in user's portal account with its patient; None for staff or visitors."""
    if not user.is_authenticated:
        return None
    account = PortalAccount.objects.select_related("patient").filter(user_id=user.pk).first()
    if account is not None and isinstance(user, User):
        # The request's own user: what other apps learn about it (its roles) is then
        # read once per request, not again for a second copy of the same row.
        account.user = user
    return account


def get_home_clinic(*, patient: Patient) -> Clinic | None:
    """The clinic of the patient's latest appointment (a live one first), if any."""
    latest = Appointment.objects.filter(patient=patient).select_related("clinic").order_by("-start")
    live = latest.filter(Appointment.LIVE).first()
    chosen = live or latest.first()
    return chosen.clinic if chosen else None


def page_locale(clinic: Clinic | None) -> str:
    """The locale the patient's pages speak: their clinic's, else British English."""
    return clinic.locale if clinic is not None else locales.EN_GB


def local_today(clinic: Clinic | None, *, now: datetime) -> date:
    """Today's date where the patient's clinic is (UTC for a patient with no clinic yet)."""
    if clinic is None:
        return now.astimezone(UTC).date()
    return clinic_local_today(clinic, now)


def log_patient_read(
    account: PortalAccount, object_type: str, object_id: int | None = None
) -> None:
    """Record that the patient read part of their own record through the portal."""
    log_access(
        user=account.user,
        action="read",
        patient_id=account.patient_id,
        object_type=object_type,
        object_id=object_id,
    )


def get_own_details(*, account: PortalAccount) -> Patient:
    """The patient's own details (names, contact), read as a staff read of them is logged."""
    log_patient_read(account, "patient", account.patient_id)
    return account.patient


@dataclass(frozen=True, slots=True)
class UpcomingAppointment:
    appointment: Appointment
    manage_url: str
    can_change_online: bool


def list_upcoming_appointments(
    *, account: PortalAccount, now: datetime, limit: int = 5
) -> list[UpcomingAppointment]:
    """The patient's booked appointments still to come, soonest first, each with its
    manage link; logged as a read when there are any."""
    found = list(
        Appointment.objects.filter(
            patient_id=account.patient_id, status=Appointment.Status.BOOKED, end__gt=now
        )
        .select_related("service", "clinic", "practitioner")
        .order_by("start", "pk")[:limit]
    )
    if found:
        log_patient_read(account, "appointment_list")
    return [
        UpcomingAppointment(
            appointment=appointment,
            manage_url=reverse("booking:manage", kwargs={"token": manage_link_token(appointment)}),
            can_change_online=is_open_to_change(appointment)
            and not too_late_to_change(appointment, now=now),
        )
        for appointment in found
    ]


# --- The patient's care, read through the rehab and outcomes apps' own selectors ---
# Those selectors check that the reader is this patient (their portal account) and
# write the access log themselves; the patient id always comes from the account.


@dataclass(frozen=True, slots=True)
class Today:
    """What the Today page shows, for one local day at the patient's clinic."""

    day: date
    programme: Programme | None
    exercises: list[DueExercise]
    pain_due: DueNow | None
    questionnaires: list[DueNow]
    appointments: list[UpcomingAppointment]


def get_current_programme(*, account: PortalAccount) -> Programme | None:
    return rehab_selectors.get_current_programme(
        patient_id=account.patient_id, acting_user=account.user
    )


def programme_day(programme: Programme, *, now: datetime) -> date:
    """Today's date at the programme's clinic: the day exercises are due and logged."""
    return now.astimezone(ZoneInfo(programme.clinic.time_zone)).date()


def get_today(*, account: PortalAccount, now: datetime, clinic: Clinic | None) -> Today:
    programme = get_current_programme(account=account)
    if programme is not None:
        day = programme_day(programme, now=now)
        exercises = rehab_selectors.list_exercises_due(programme=programme, day=day)
    else:
        day, exercises = local_today(clinic, now=now), []
    due = outcomes_selectors.list_due_measures(
        patient_id=account.patient_id, acting_user=account.user, now=now
    )
    pain = [measure for measure in due if measure.measure == DueMeasure.Measure.PAIN]
    return Today(
        day=day,
        programme=programme,
        exercises=exercises,
        pain_due=pain[0] if pain else None,
        questionnaires=[measure for measure in due if measure.measure in QUESTIONNAIRES],
        appointments=list_upcoming_appointments(account=account, now=now),
    )


def get_due_exercise(
    *, account: PortalAccount, programme_exercise_id: int, now: datetime
) -> DueExercise:
    """One exercise due today in the patient's own current programme; NotFound for any
    other id (another patient's, a removed one, one of another phase), so an address
    never tells whether someone else's exercise exists."""
    programme = get_current_programme(account=account)
    if programme is not None:
        day = programme_day(programme, now=now)
        for due in rehab_selectors.list_exercises_due(programme=programme, day=day):
            if due.programme_exercise.pk == programme_exercise_id:
                return due
    raise NotFound("That exercise is not in your programme for today")


@dataclass(frozen=True, slots=True)
class ProgrammePlan:
    programme: Programme
    phases: list[PhaseCard]
    cautions: list[str]


def get_programme_plan(*, account: PortalAccount) -> ProgrammePlan | None:
    """The patient's current programme by phase (the current one marked), or None."""
    programme = get_current_programme(account=account)
    if programme is None:
        return None
    return ProgrammePlan(
        programme=programme,
        phases=rehab_selectors.programme_phases(programme),
        cautions=rehab_selectors.caution_labels(programme),
    )


def get_programme_handout(*, account: PortalAccount) -> tuple[Programme, bytes]:
    """The printable handout of the patient's current programme (the rehab app renders
    it, with the clinic's details, and logs it as an export); NotFound without one."""
    programme = get_current_programme(account=account)
    if programme is None:
        raise NotFound("You have no programme yet")
    return get_handout(programme_id=programme.pk, acting_user=account.user)


@dataclass(frozen=True, slots=True)
class PainChart:
    series: PainSeries
    svg: str
    recent: list[PainPoint]


def get_pain_chart(*, account: PortalAccount, recent: int = 14) -> PainChart:
    """Every pain score the patient has recorded, drawn over time, with the latest few
    as a table (newest first)."""
    series = outcomes_selectors.pain_series(patient_id=account.patient_id, acting_user=account.user)
    return PainChart(
        series=series,
        svg=pain_chart_svg(series),
        recent=list(reversed(series.points[-recent:])),
    )


def get_questionnaire(*, account: PortalAccount, measure: str) -> QuestionnaireView:
    """The questions of a questionnaire due today (PSFS, global change, a clinic's
    disability questionnaire); NotFound when none of that kind is due."""
    due = outcomes_selectors.list_due_measures(
        patient_id=account.patient_id, acting_user=account.user
    )
    if measure not in QUESTIONNAIRES or not any(m.measure == measure for m in due):
        raise NotFound("No questionnaire of that kind is due")
    return outcomes_selectors.get_questionnaire(
        patient_id=account.patient_id, measure=measure, acting_user=account.user
    )
