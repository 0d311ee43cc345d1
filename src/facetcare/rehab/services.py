"""Writes to rehabilitation programmes. Each is atomic, versions what it changes and logs
the access; clinical rows are amended or marked removed, never deleted.

For the clinician pages and the patient portal:

- ``start_programme(*, episode, pathway, started_on, goals, cautions, clinic, acting_user,
  procedure=None)`` plans a programme with the core planner and stores it;
- ``edit_programme_exercise(*, programme_exercise, acting_user, sets, reps, hold_seconds,
  minutes, per_day, per_week, clinician_note, reason="")`` changes a dose;
- ``add_exercise(*, phase, exercise_slug, acting_user, clinician_note="")`` and
  ``remove_exercise(*, programme_exercise, reason, acting_user)``;
- ``advance_phase(*, programme, reviewed_on, note, acting_user, today=None)`` starts the
  next phase on the review's day;
- ``log_exercise(*, programme_exercise, day, sets_done, acting_user, note="", today=None)``
  records (or corrects) that an exercise was done on a day; ``sets_done=0`` un-ticks it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from facetcare.audit.actors import Actor, authenticated
from facetcare.audit.services import log_access, record_version
from facetcare.clinics.hours import local_today
from facetcare.clinics.models import Clinic
from facetcare.core.rehab import (
    DOSAGE_BOUNDS,
    Dosage,
    Pathway,
    PlannedPhase,
    RehabError,
    get_template,
    goal_tags,
    plan_programme,
)
from facetcare.core.rehab import Programme as CoreProgramme
from facetcare.core.rehab import advance_phase as core_advance_phase
from facetcare.errors import Conflict, InvalidInput
from facetcare.pathway.models import Episode, ProcedureRecord
from facetcare.rehab.access import require_clinician, require_logger
from facetcare.rehab.library import library_for
from facetcare.rehab.models import (
    Exercise,
    ExerciseLog,
    Programme,
    ProgrammeExercise,
    ProgrammePhase,
)

DOSE_FIELDS = tuple(DOSAGE_BOUNDS)
MAX_SETS_LOGGED = 20


def _log(user: Actor, action: str, instance: models.Model, patient_id: int) -> None:
    log_access(
        user=user,
        action=action,
        patient_id=patient_id,
        object_type=instance._meta.model_name or "",
        object_id=instance.pk,
    )


def _invalid(error: RehabError) -> InvalidInput:
    return InvalidInput(error.detail, field=error.field)


def clinic_today(clinic: Clinic) -> date:
    """Today's date where the clinic is, now."""
    return local_today(clinic, timezone.now())


@dataclass(frozen=True)
class _Request:
    episode: Episode
    pathway: Pathway
    procedure: ProcedureRecord | None
    started_on: date


def _check_request(
    episode: Episode, pathway: str, procedure: ProcedureRecord | None, started_on: date
) -> _Request:
    if not episode.is_open:
        raise Conflict("The episode is closed", field="episode")
    if Programme.objects.filter(episode=episode, status=Programme.Status.ACTIVE).exists():
        raise Conflict("This episode already has an active programme", field="episode")
    try:
        chosen = Pathway(pathway)
    except ValueError:
        raise InvalidInput(f"Unknown pathway {pathway!r}", field="pathway") from None
    if chosen is Pathway.POST_INJECTION:
        if procedure is None:
            raise InvalidInput("Choose the injection the programme follows", field="procedure")
        if procedure.episode_id != episode.pk:
            raise InvalidInput("That procedure belongs to another episode", field="procedure")
        if started_on < procedure.performed_on:
            raise InvalidInput(
                "A programme after an injection cannot start before the injection",
                field="started_on",
            )
    elif procedure is not None:
        raise InvalidInput(
            "A programme without an injection follows no procedure", field="procedure"
        )
    return _Request(episode, chosen, procedure, started_on)


@transaction.atomic
def start_programme(
    *,
    episode: Episode,
    pathway: str,
    started_on: date,
    goals: Sequence[str],
    cautions: Sequence[str],
    clinic: Clinic,
    acting_user: Actor,
    procedure: ProcedureRecord | None = None,
) -> Programme:
    """Plan a programme for the episode's region and store it, dated from ``started_on``.

    ``goals`` are the patient's own words (they choose and order the
    exercises); ``cautions`` are caution codes (they exclude exercises). After an
    injection, ``procedure`` is required and the programme cannot start before
    it. Conflict if the episode is closed or already has an active programme.
    """
    require_clinician(acting_user, doing="start a rehabilitation programme")
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    request = _check_request(locked, pathway, procedure, started_on)
    try:
        planned = plan_programme(
            get_template(locked.region, request.pathway),
            goals=goals,
            cautions=cautions,
            start=started_on,
            library=library_for(clinic.pk),
        )
    except RehabError as error:
        raise _invalid(error) from None
    programme = Programme.objects.create(
        patient_id=locked.patient_id,
        episode=locked,
        procedure=procedure,
        clinic=clinic,
        region=locked.region,
        pathway=request.pathway.value,
        started_on=started_on,
        goals=[{"text": g.text, "tags": sorted(g.tags)} for g in planned.goals],
        cautions=sorted(planned.cautions),
        shortfalls=[
            {"phase": s.phase, "aim": s.aim.value, "message": s.message} for s in planned.shortfalls
        ],
        created_by=authenticated(acting_user),
        created_at=timezone.now(),
    )
    record_version(instance=programme, changed_by=acting_user, reason="started")
    for phase in planned.phases:
        _store_phase(programme, phase, acting_user)
    _log(acting_user, "create", programme, programme.patient_id)
    return programme


def _store_phase(programme: Programme, planned: PlannedPhase, acting_user: Actor) -> None:
    template = planned.template
    row = ProgrammePhase.objects.create(
        programme=programme,
        number=template.number,
        title=template.title,
        weeks_label=template.weeks_label,
        planned_start=planned.planned_start,
        planned_end=planned.planned_end,
        actual_start=planned.actual_start,
        goals=template.goals,
        interventions=list(template.interventions),
        aims=[aim.value for aim in template.aims],
    )
    record_version(instance=row, changed_by=acting_user, reason="planned")
    custom = {
        e.slug: e for e in Exercise.objects.filter(slug__in=[p.slug for p in planned.exercises])
    }
    now = timezone.now()
    for order, prescription in enumerate(planned.exercises, start=1):
        own = custom.get(prescription.slug)
        exercise = ProgrammeExercise.objects.create(
            phase=row,
            exercise_slug="" if own else prescription.slug,
            custom_exercise=own,
            order=order,
            goals=list(prescription.goals),
            added_by=authenticated(acting_user),
            added_at=now,
            **prescription.dosage.as_dict(),
        )
        record_version(instance=exercise, changed_by=acting_user, reason="planned")


def _active_programme(programme_id: int) -> Programme:
    # The row lock serialises edits of one programme, so two clinicians cannot both
    # pass a check (the phase in force, the next order number) against old state.
    programme = (
        Programme.objects.select_for_update(of=("self",))
        .select_related("clinic")
        .get(pk=programme_id)
    )
    if programme.status != Programme.Status.ACTIVE:
        raise Conflict("The programme is no longer active", field="programme")
    return programme


def _dosage(values: dict[str, Any]) -> Dosage:
    try:
        return Dosage(**values)
    except RehabError as error:
        raise _invalid(error) from None


@transaction.atomic
def edit_programme_exercise(
    *,
    programme_exercise: ProgrammeExercise,
    acting_user: Actor,
    sets: int,
    reps: int | None,
    hold_seconds: int | None,
    minutes: int | None,
    per_day: int | None,
    per_week: int | None,
    clinician_note: str = "",
    reason: str = "",
) -> ProgrammeExercise:
    """Change an exercise's dose or note; the earlier version stays in the audit trail.

    InvalidInput naming the field for a dose out of bounds (see ``DOSAGE_BOUNDS``)
    or when nothing changes; Conflict for a removed exercise or an inactive
    programme.
    """
    require_clinician(acting_user, doing="change a programme")
    programme = _active_programme(programme_exercise.phase.programme_id)
    current = ProgrammeExercise.objects.select_for_update().get(pk=programme_exercise.pk)
    if not current.is_active:
        raise Conflict("The exercise was removed from the programme", field="exercise")
    values = {
        "sets": sets,
        "reps": reps,
        "hold_seconds": hold_seconds,
        "minutes": minutes,
        "per_day": per_day,
        "per_week": per_week,
    }
    _dosage(values)
    note = clinician_note.strip()
    if all(getattr(current, k) == v for k, v in values.items()) and note == current.clinician_note:
        raise InvalidInput("Nothing was changed", field="sets")
    for name, value in values.items():
        setattr(current, name, value)
    current.clinician_note = note
    current.save(update_fields=[*values, "clinician_note"])
    record_version(
        instance=current, changed_by=acting_user, reason=reason.strip() or "dose changed"
    )
    _log(acting_user, "amend", current, programme.patient_id)
    return current


@transaction.atomic
def add_exercise(
    *,
    phase: ProgrammePhase,
    exercise_slug: str,
    acting_user: Actor,
    clinician_note: str = "",
) -> ProgrammeExercise:
    """Add a library exercise (shipped or the clinic's own) to a phase, at its starting dose.

    InvalidInput (field ``exercise``) if it is unknown or unsuitable for the
    programme's region, this phase or the patient's cautions; Conflict if the
    phase already holds it.
    """
    require_clinician(acting_user, doing="change a programme")
    programme = _active_programme(phase.programme_id)
    library = library_for(programme.clinic_id)
    try:
        exercise = library.get(exercise_slug)
    except RehabError as error:
        raise _invalid(error) from None
    template = get_template(programme.region, programme.pathway)
    in_force = frozenset(programme.cautions) | template.phase(phase.number).implied_cautions
    reasons = exercise.unsuitable_because(template.region, phase.number, in_force)
    if reasons:
        raise InvalidInput(
            f"{exercise.name} does not suit this programme: {'; '.join(reasons)}",
            field="exercise",
        )
    if (
        phase.exercises.filter(removed_at__isnull=True)
        .filter(
            models.Q(exercise_slug=exercise_slug) | models.Q(custom_exercise__slug=exercise_slug)
        )
        .exists()
    ):
        raise Conflict(f"{exercise.name} is already in this phase", field="exercise")
    own = Exercise.objects.filter(slug=exercise_slug).first()
    added = ProgrammeExercise.objects.create(
        phase=phase,
        exercise_slug="" if own else exercise_slug,
        custom_exercise=own,
        order=next_order(phase),
        clinician_note=clinician_note.strip(),
        goals=goals_served(programme, exercise.goal_tags),
        added_by=authenticated(acting_user),
        added_at=timezone.now(),
        **exercise.dosage.as_dict(),
    )
    record_version(instance=added, changed_by=acting_user, reason="added by clinician")
    _log(acting_user, "amend", added, programme.patient_id)
    return added


@transaction.atomic
def remove_exercise(
    *, programme_exercise: ProgrammeExercise, reason: str, acting_user: Actor
) -> ProgrammeExercise:
    """Take an exercise out of its phase; the row stays, marked removed, with who and why."""
    require_clinician(acting_user, doing="change a programme")
    if not reason.strip():
        raise InvalidInput("Say why the exercise is removed", field="reason")
    programme = _active_programme(programme_exercise.phase.programme_id)
    current = ProgrammeExercise.objects.select_for_update().get(pk=programme_exercise.pk)
    if not current.is_active:
        raise Conflict("The exercise was already removed", field="exercise")
    current.removed_at = timezone.now()
    current.removed_by = authenticated(acting_user)
    current.removed_reason = reason.strip()
    current.save(update_fields=["removed_at", "removed_by", "removed_reason"])
    record_version(instance=current, changed_by=acting_user, reason=f"removed: {reason.strip()}")
    _log(acting_user, "amend", current, programme.patient_id)
    return current


def _as_core(programme: Programme, phases: Sequence[ProgrammePhase]) -> CoreProgramme:
    """The stored programme's dates as the planner's value (exercises are not needed)."""
    template = get_template(programme.region, programme.pathway)
    return CoreProgramme(
        template=template,
        start=programme.started_on,
        goals=(),
        cautions=frozenset(programme.cautions),
        phases=tuple(
            PlannedPhase(
                template=template.phase(row.number),
                planned_start=row.planned_start,
                planned_end=row.planned_end,
                actual_start=row.actual_start,
                exercises=(),
                shortfalls=(),
            )
            for row in phases
        ),
        current_phase=programme.current_phase,
    )


@transaction.atomic
def advance_phase(
    *,
    programme: Programme,
    reviewed_on: date,
    note: str,
    acting_user: Actor,
    today: date | None = None,
) -> Programme:
    """Start the programme's next phase on the review's day, with the review's note.

    The review decides, not the calendar: the next phase may start before or
    after its planned date. InvalidInput for a missing note, a review dated in
    the future (``today`` defaults to the clinic's local date) or before the
    current phase began, or a programme already in its last phase.
    """
    require_clinician(acting_user, doing="move a programme on")
    if not note.strip():
        raise InvalidInput("Write what the review found", field="note")
    current = _active_programme(programme.pk)
    if reviewed_on > (today or clinic_today(current.clinic)):
        raise InvalidInput("The review cannot be dated in the future", field="reviewed_on")
    phases = list(current.phases.select_for_update().order_by("number"))
    try:
        moved = core_advance_phase(_as_core(current, phases), reviewed_on=reviewed_on)
    except RehabError as error:
        raise _invalid(error) from None
    started = phases[moved.current_phase - 1]
    started.actual_start = reviewed_on
    started.review_note = note.strip()
    started.reviewed_by = authenticated(acting_user)
    started.save(update_fields=["actual_start", "review_note", "reviewed_by"])
    record_version(instance=started, changed_by=acting_user, reason="started at review")
    current.current_phase = moved.current_phase
    current.save(update_fields=["current_phase"])
    record_version(
        instance=current, changed_by=acting_user, reason=f"to phase {moved.current_phase}"
    )
    _log(acting_user, "amend", current, current.patient_id)
    programme.refresh_from_db()
    return current


def _check_log_day(exercise: ProgrammeExercise, day: date, today: date) -> None:
    if day > today:
        raise InvalidInput("Exercises cannot be logged for a day still to come", field="day")
    phase = exercise.phase
    following = (
        ProgrammePhase.objects.filter(programme_id=phase.programme_id, number=phase.number + 1)
        .values_list("actual_start", flat=True)
        .first()
    )
    began = phase.actual_start
    if began is None or day < began or (following is not None and day >= following):
        raise InvalidInput("That exercise was not part of the programme on that day", field="day")


@transaction.atomic
def log_exercise(
    *,
    programme_exercise: ProgrammeExercise,
    day: date,
    sets_done: int,
    acting_user: Actor,
    note: str = "",
    today: date | None = None,
) -> ExerciseLog:
    """Record that the patient did ``sets_done`` sets of an exercise on ``day`` (their local
    date at the clinic); 0 records it as not done. A second log for the same day corrects
    the first, keeping its version.

    The patient themself or a clinician may log. InvalidInput for a day in the
    future (``today`` defaults to the clinic's local date), a day the exercise's
    phase was not in force, or a count outside 0 to 20; Conflict for a removed
    exercise or an inactive programme.
    """
    current = ProgrammeExercise.objects.select_related("phase__programme__clinic").get(
        pk=programme_exercise.pk
    )
    programme = current.phase.programme
    require_logger(acting_user, programme.patient_id)
    if programme.status != Programme.Status.ACTIVE:
        raise Conflict("The programme is no longer active", field="programme")
    if not current.is_active:
        raise Conflict("The exercise was removed from the programme", field="exercise")
    if isinstance(sets_done, bool) or not 0 <= sets_done <= MAX_SETS_LOGGED:
        raise InvalidInput(f"Sets done must be from 0 to {MAX_SETS_LOGGED}", field="sets_done")
    _check_log_day(current, day, today or clinic_today(programme.clinic))
    log, created = ExerciseLog.objects.select_for_update().get_or_create(
        programme_exercise=current,
        day=day,
        defaults={
            "sets_done": sets_done,
            "note": note.strip()[:300],
            "recorded_by": authenticated(acting_user),
            "recorded_at": timezone.now(),
        },
    )
    if not created:
        if log.sets_done == sets_done and log.note == note.strip()[:300]:
            return log
        log.sets_done = sets_done
        log.note = note.strip()[:300]
        log.recorded_by = authenticated(acting_user)
        log.recorded_at = timezone.now()
        log.save(update_fields=["sets_done", "note", "recorded_by", "recorded_at"])
    record_version(
        instance=log, changed_by=acting_user, reason="logged" if created else "corrected"
    )
    _log(acting_user, "create" if created else "amend", log, programme.patient_id)
    return log


def goals_served(programme: Programme, exercise_goal_tags: frozenset[str]) -> list[str]:
    """The programme's goals (their texts) an exercise with these tags serves."""
    return [
        goal["text"]
        for goal in programme.goals
        if set(goal.get("tags") or goal_tags(goal["text"])) & exercise_goal_tags
    ]


def next_order(phase: ProgrammePhase) -> int:
    latest = phase.exercises.aggregate(latest=Max("order"))["latest"]
    return (latest or 0) + 1
