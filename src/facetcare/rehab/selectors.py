"""Reads of rehabilitation programmes. Each that reaches patient data takes the acting user,
enforces what that user may see (``rehab.access``) and logs the access.

For the patient portal:

- ``get_current_programme(*, patient_id, acting_user) -> Programme | None``: the patient's
  active programme (newest first), its phases and exercises prefetched; a patient may
  read only their own, staff by role;
- ``list_exercises_due(*, programme, day) -> list[DueExercise]``: the exercises of the
  phase in force on ``day`` with their card (name, steps, dose), that day's log and the
  days done this week; pass a programme obtained from one of the selectors here;
- ``programme_phases(programme) -> list[PhaseCard]``: the programme by phase for display.

For the clinician pages: ``get_programme``, ``list_programmes``, ``get_programme_exercise``,
``get_phase``, ``suitable_exercises``, ``get_exercise_history``.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet

from facetcare.audit.actors import Actor
from facetcare.audit.models import RecordVersion
from facetcare.audit.selectors import list_versions
from facetcare.audit.services import log_access
from facetcare.core.rehab import (
    AIM_LABELS,
    CAUTIONS,
    Aim,
    Dosage,
    ExerciseLibrary,
    LibraryError,
    get_template,
)
from facetcare.core.rehab import Exercise as CoreExercise
from facetcare.errors import NotFound
from facetcare.pathway.models import Episode
from facetcare.rehab.access import require_reader
from facetcare.rehab.library import library_for, to_core
from facetcare.rehab.models import ExerciseLog, Programme, ProgrammeExercise, ProgrammePhase


def _log_read(user: Actor, patient_id: int, object_type: str, pk: int | None) -> None:
    log_access(
        user=user, action="read", patient_id=patient_id, object_type=object_type, object_id=pk
    )


def _with_plan() -> list[Prefetch[str]]:
    exercises = ProgrammeExercise.objects.select_related("custom_exercise").order_by("order", "pk")
    return [
        Prefetch(
            "phases",
            queryset=ProgrammePhase.objects.order_by("number").prefetch_related(
                Prefetch("exercises", queryset=exercises)
            ),
        )
    ]


def _programmes() -> QuerySet[Programme]:
    return Programme.objects.select_related(
        "patient", "clinic", "episode", "procedure", "created_by"
    ).prefetch_related(*_with_plan())


def get_programme(*, programme_id: int, acting_user: Actor) -> Programme:
    """One programme with its phases and exercises; NotFound, or Forbidden for a user who
    may not see it."""
    programme = _programmes().filter(pk=programme_id).first()
    if programme is None:
        raise NotFound(f"No programme {programme_id}")
    require_reader(acting_user, programme.patient_id)
    _log_read(acting_user, programme.patient_id, "programme", programme.pk)
    return programme


def get_current_programme(*, patient_id: int, acting_user: Actor) -> Programme | None:
    """The patient's active programme, the newest if several episodes have one, or None."""
    require_reader(acting_user, patient_id)
    programme = (
        _programmes()
        .filter(patient_id=patient_id, status=Programme.Status.ACTIVE)
        .order_by("-started_on", "-pk")
        .first()
    )
    if programme is not None:
        _log_read(acting_user, patient_id, "programme", programme.pk)
    return programme


def list_programmes(*, episode: Episode, acting_user: Actor) -> list[Programme]:
    """The episode's programmes, newest first (without their exercises)."""
    require_reader(acting_user, episode.patient_id)
    found = list(episode.rehab_programmes.order_by("-started_on", "-pk"))
    if found:
        _log_read(acting_user, episode.patient_id, "programme_list", episode.pk)
    return found


def get_programme_exercise(*, programme_exercise_id: int, acting_user: Actor) -> ProgrammeExercise:
    found = (
        ProgrammeExercise.objects.select_related(
            "phase__programme__patient", "phase__programme__clinic", "custom_exercise"
        )
        .filter(pk=programme_exercise_id)
        .first()
    )
    if found is None:
        raise NotFound(f"No programme exercise {programme_exercise_id}")
    patient_id = found.phase.programme.patient_id
    require_reader(acting_user, patient_id)
    _log_read(acting_user, patient_id, "programmeexercise", found.pk)
    return found


def get_phase(*, phase_id: int, acting_user: Actor) -> ProgrammePhase:
    found = (
        ProgrammePhase.objects.select_related("programme__patient", "programme__clinic")
        .filter(pk=phase_id)
        .first()
    )
    if found is None:
        raise NotFound(f"No programme phase {phase_id}")
    require_reader(acting_user, found.programme.patient_id)
    _log_read(acting_user, found.programme.patient_id, "programmephase", found.pk)
    return found


def get_exercise_history(
    *, programme_exercise: ProgrammeExercise, acting_user: Actor
) -> list[RecordVersion]:
    """Every version of a prescribed exercise, oldest first."""
    patient_id = programme_exercise.phase.programme.patient_id
    require_reader(acting_user, patient_id)
    _log_read(acting_user, patient_id, "programmeexercise_history", programme_exercise.pk)
    return list(list_versions(instance=programme_exercise))


@dataclass(frozen=True)
class ExerciseCard:
    """What a person reads about a prescribed exercise."""

    slug: str
    name: str
    steps: tuple[str, ...]
    equipment: tuple[str, ...]
    dose: str
    dosage: Dosage
    aims: tuple[str, ...]
    goals: tuple[str, ...]
    note: str


def _core_exercise(row: ProgrammeExercise, library: ExerciseLibrary) -> CoreExercise:
    if row.custom_exercise is not None:
        return to_core(row.custom_exercise)
    return library.get(row.exercise_slug)


def exercise_card(row: ProgrammeExercise, library: ExerciseLibrary | None = None) -> ExerciseCard:
    """The exercise as prescribed: the library's steps with this programme's dose and note."""
    try:
        exercise = _core_exercise(row, library or library_for(None))
    except LibraryError:
        # A shipped exercise retired from a later library: keep the record readable.
        return ExerciseCard(
            row.exercise_slug, row.exercise_slug, (), (), row.dosage.describe(), row.dosage,
            (), tuple(row.goals), row.clinician_note,
        )  # fmt: skip
    return ExerciseCard(
        slug=exercise.slug,
        name=exercise.name,
        steps=exercise.instructions,
        equipment=exercise.equipment,
        dose=row.dosage.describe(),
        dosage=row.dosage,
        aims=tuple(AIM_LABELS[a] for a in sorted(exercise.aims)),
        goals=tuple(row.goals),
        note=row.clinician_note,
    )


@dataclass(frozen=True)
class PrescribedCard:
    row: ProgrammeExercise
    card: ExerciseCard


@dataclass(frozen=True)
class PhaseCard:
    """A phase for display: its row, its active exercises, and aims none of them serves."""

    row: ProgrammePhase
    exercises: tuple[PrescribedCard, ...]
    uncovered: tuple[str, ...]
    is_current: bool


def programme_phases(programme: Programme) -> list[PhaseCard]:
    """The programme by phase, for a programme read through a selector here."""
    library = library_for(programme.clinic_id)
    cards = []
    for phase in programme.phases.all():
        active = [row for row in phase.exercises.all() if row.is_active]
        prescribed = tuple(PrescribedCard(row, exercise_card(row, library)) for row in active)
        served = {a for p in prescribed for a in _aims_of(p.row, library)}
        uncovered = tuple(AIM_LABELS[Aim(a)] for a in phase.aims if a not in served)
        cards.append(
            PhaseCard(phase, prescribed, uncovered, phase.number == programme.current_phase)
        )
    return cards


def _aims_of(row: ProgrammeExercise, library: ExerciseLibrary) -> frozenset[str]:
    try:
        return frozenset(a.value for a in _core_exercise(row, library).aims)
    except LibraryError:
        return frozenset()


def caution_labels(programme: Programme) -> list[str]:
    return [CAUTIONS.get(code, code) for code in programme.cautions]


def suitable_exercises(*, phase: ProgrammePhase) -> list[CoreExercise]:
    """Library exercises that could join ``phase`` (region, phase and cautions allow them,
    not already in it), those serving the patient's goals first, then by name."""
    programme = phase.programme
    template = get_template(programme.region, programme.pathway)
    in_force = frozenset(programme.cautions) | template.phase(phase.number).implied_cautions
    present = {
        row.custom_exercise.slug if row.custom_exercise else row.exercise_slug
        for row in phase.exercises.filter(removed_at__isnull=True).select_related("custom_exercise")
    }
    tags = {tag for goal in programme.goals for tag in goal.get("tags", [])}
    library = library_for(programme.clinic_id)
    offered = [
        e
        for e in library.suitable(template.region, phase.number, in_force)
        if e.slug not in present
    ]
    return sorted(offered, key=lambda e: (not (e.goal_tags & tags), e.name))


@dataclass(frozen=True)
class DueExercise:
    """An exercise due on a day, with that day's log and the week's count so far."""

    programme_exercise: ProgrammeExercise
    card: ExerciseCard
    log: ExerciseLog | None
    days_done_this_week: int

    @property
    def done(self) -> bool:
        return self.log is not None and self.log.sets_done > 0


def phase_in_force(programme: Programme, day: date) -> ProgrammePhase | None:
    """The phase a review had started by ``day`` (the latest), or None before the start."""
    found = None
    for phase in programme.phases.all():
        if phase.actual_start is not None and phase.actual_start <= day:
            found = phase
    return found


def list_exercises_due(*, programme: Programme, day: date) -> list[DueExercise]:
    """The exercises of the phase in force on ``day`` (the patient's local date), in order.

    Every exercise of the phase is due each day; one dosed per week shows how
    many days of the week (Monday to ``day``) it was done. One query for the
    logs; the phases and exercises come prefetched with the programme.
    """
    phase = phase_in_force(programme, day)
    if phase is None:
        return []
    rows = [row for row in phase.exercises.all() if row.is_active]
    monday = day - timedelta(days=day.weekday())
    logs = ExerciseLog.objects.filter(
        programme_exercise__in=[row.pk for row in rows], day__range=(monday, day)
    )
    by_row: dict[int, list[ExerciseLog]] = {}
    for log in logs:
        by_row.setdefault(log.programme_exercise_id, []).append(log)
    library = library_for(programme.clinic_id)
    due = []
    for row in rows:
        week = by_row.get(row.pk, [])
        today = next((log for log in week if log.day == day), None)
        done = sum(1 for log in week if log.sets_done > 0)
        due.append(DueExercise(row, exercise_card(row, library), today, done))
    return due
