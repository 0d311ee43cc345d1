"""The demo's rehabilitation programmes, written through the rehab services.

Every demo case whose open episode holds an injection or block gets a programme
after its latest one, dated from that procedure, planned from the assessment's
goals and cautions by the demo physiotherapist, and moved on at reviews held
near each phase's planned start (as far as today allows). If the patient has a
portal account, the last days of the current phase carry some exercise logs, as
the patient would tick them. A case that already has a programme is left as it
is, so loading twice adds nothing.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from facetcare.audit.models import RecordVersion
from facetcare.demo.clinical import Case
from facetcare.pathway.models import Assessment, ProcedureRecord
from facetcare.patients.models import Patient
from facetcare.rehab.models import ExerciseLog, Programme, ProgrammeExercise, ProgrammePhase
from facetcare.rehab.services import advance_phase, log_exercise, start_programme

PHYSIO_LOGIN = "physio"
SPINAL_INJECTIONS = (
    ProcedureRecord.Type.IA_DIAGNOSTIC,
    ProcedureRecord.Type.IA_THERAPEUTIC,
    ProcedureRecord.Type.MBB_DIAGNOSTIC,
    ProcedureRecord.Type.MBB_THERAPEUTIC,
    ProcedureRecord.Type.RFA,
)
# Reviews fall this many days after each later phase's planned start.
REVIEW_DELAY_DAYS = 2
REVIEW_NOTES = {
    2: "Pain down to 3/10 from 7 since the injection; moving freely. On to strengthening.",
    3: "Strength and range much better; working a full day. Start specific stability work.",
    4: "Goals nearly met; independent with the programme. Self-management from here.",
}
LOGGED_DAYS = 10


def load_programmes(*, cases: Sequence[Case], now: datetime) -> int:
    """Give each case with an injection on an open episode its programme; return how many
    were added. Call after ``load_clinical_cases`` (and after the portal accounts, if the
    logs should show)."""
    physio = User.objects.get(username=PHYSIO_LOGIN)
    added = 0
    for case in cases:
        episode = case.episode
        if not episode.is_open or Programme.objects.filter(episode=episode).exists():
            continue
        procedure = (
            episode.procedures.filter(type__in=SPINAL_INJECTIONS)
            .select_related("appointment__clinic")
            .order_by("-performed_on", "-pk")
            .first()
        )
        if procedure is None or procedure.appointment is None:
            continue
        clinic = procedure.appointment.clinic
        today = now.astimezone(ZoneInfo(clinic.time_zone)).date()
        programme = _start(episode.assessments.order_by("-assessed_at").first(), procedure, physio)
        _review(programme, physio, today)
        _log_recent_days(programme, today)
        added += 1
    return added


def _start(assessment: Assessment | None, procedure: ProcedureRecord, physio: User) -> Programme:
    assert procedure.appointment is not None
    return start_programme(
        episode=procedure.episode,
        pathway="post_injection",
        procedure=procedure,
        started_on=procedure.performed_on,
        goals=list(assessment.functional_goals) if assessment else [],
        cautions=["osteoporosis"] if assessment and assessment.osteoporosis else [],
        clinic=procedure.appointment.clinic,
        acting_user=physio,
    )


def _review(programme: Programme, physio: User, today: date) -> None:
    for phase in programme.phases.filter(number__gt=1).order_by("number"):
        reviewed_on = phase.planned_start + timedelta(days=REVIEW_DELAY_DAYS)
        if reviewed_on > today:
            return
        advance_phase(
            programme=programme,
            reviewed_on=reviewed_on,
            note=REVIEW_NOTES[phase.number],
            acting_user=physio,
            today=today,
        )


def _log_recent_days(programme: Programme, today: date) -> None:
    """Ticks for the current phase's last days, two days in three, as the patient logs
    them in the portal; none without a portal account."""
    account_user = getattr(programme.patient, "portal_account", None)
    user = getattr(account_user, "user", None)
    if user is None:
        return
    phase = programme.phases.get(number=programme.current_phase)
    assert phase.actual_start is not None
    first = max(phase.actual_start, today - timedelta(days=LOGGED_DAYS))
    rows = list(phase.exercises.filter(removed_at__isnull=True).order_by("order"))
    for offset in range((today - first).days):
        day = first + timedelta(days=offset)
        if offset % 3 == 2:
            continue
        for row in rows[: 2 + offset % 2]:
            log_exercise(
                programme_exercise=row, day=day, sets_done=row.sets, acting_user=user, today=today
            )


def wipe_programmes(patients: QuerySet[Patient]) -> None:
    """Delete the demo patients' programmes, their logs and versions (``demo --reset``
    only: the patients are fiction). Call before the episodes and procedures go."""
    programmes = Programme.objects.filter(patient__in=patients)
    phases = ProgrammePhase.objects.filter(programme__in=programmes)
    exercises = ProgrammeExercise.objects.filter(phase__in=phases)
    logs = ExerciseLog.objects.filter(programme_exercise__in=exercises)
    for rows in (logs, exercises, phases, programmes):
        _wipe_versions(rows)
        rows.delete()


def _wipe_versions(rows: QuerySet[Any]) -> None:
    RecordVersion.objects.filter(
        content_type=ContentType.objects.get_for_model(rows.model),
        object_id__in=list(rows.values_list("pk", flat=True)),
    ).delete()


def programme_links(cases: Iterable[Case]) -> list[tuple[str, int]]:
    """(patient's name, programme id) of each case's active programme, for the summary."""
    found = Programme.objects.filter(
        episode__in=[case.episode for case in cases], status=Programme.Status.ACTIVE
    ).select_related("patient")
    return [(p.patient.full_name, p.pk) for p in found.order_by("pk")]
