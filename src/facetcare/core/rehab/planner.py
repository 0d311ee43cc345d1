"""Planning a personalised, phased programme, and moving it on at a review.

    template = get_template("cervical", "post_injection")
    programme = plan_programme(
        template, goals=["Turn my head to reverse the car"], cautions={"osteoporosis"},
        start=date(2027, 3, 1),
    )
    programme = advance_phase(programme, reviewed_on=date(2027, 3, 17))

Pure and deterministic: the same inputs give the same programme, and nothing
reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from facetcare.core.rehab.errors import PlanningError
from facetcare.core.rehab.exercises import Dosage, Exercise, ExerciseLibrary, shipped_library
from facetcare.core.rehab.goals import Goal, read_goals
from facetcare.core.rehab.templates import PhaseTemplate, ProgrammeTemplate
from facetcare.core.rehab.vocabulary import (
    AIM_LABELS,
    CAUTIONS,
    PHASES,
    Aim,
    Region,
    check_cautions,
)

DEFAULT_PER_PHASE = 6
# A phase with fewer exercises than this is topped up from the best-ranked others.
MIN_PER_PHASE = 4


@dataclass(frozen=True, slots=True)
class Prescription:
    """One exercise in a phase: its dose, the phase aims it covers, the goals it serves."""

    exercise: Exercise
    dosage: Dosage
    aims: frozenset[Aim]
    goals: tuple[str, ...]

    @property
    def slug(self) -> str:
        return self.exercise.slug


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A phase aim no suitable exercise serves, and the cautions that ruled them all out."""

    phase: int
    aim: Aim
    excluded_by: tuple[str, ...]

    @property
    def message(self) -> str:
        what = AIM_LABELS[self.aim].lower()
        if self.excluded_by:
            why = ", ".join(CAUTIONS[c].lower() for c in self.excluded_by)
            return (
                f"Phase {self.phase}: no {what} exercise suits ({why}); "
                "choose one by hand or ask the clinic's lead physiotherapist."
            )
        return f"Phase {self.phase}: the library has no {what} exercise for this region."


@dataclass(frozen=True, slots=True)
class PlannedPhase:
    """A phase with its planned dates (inclusive), actual start, text and exercises."""

    template: PhaseTemplate
    planned_start: date
    planned_end: date
    actual_start: date | None
    exercises: tuple[Prescription, ...]
    shortfalls: tuple[Shortfall, ...]

    @property
    def number(self) -> int:
        return self.template.number


@dataclass(frozen=True, slots=True)
class Programme:
    """A patient's programme: four phases dated from ``start``, one of them current."""

    template: ProgrammeTemplate
    start: date
    goals: tuple[Goal, ...]
    cautions: frozenset[str]
    phases: tuple[PlannedPhase, ...]
    current_phase: int

    @property
    def shortfalls(self) -> tuple[Shortfall, ...]:
        return tuple(s for phase in self.phases for s in phase.shortfalls)

    def phase(self, number: int) -> PlannedPhase:
        return self.phases[number - 1]


def phase_dates(template: ProgrammeTemplate, start: date) -> tuple[tuple[date, date], ...]:
    """Each phase's planned first and last day: contiguous, in order, from ``start``."""
    return tuple(
        (
            start + timedelta(weeks=phase.start_week),
            start + timedelta(weeks=phase.end_week) - timedelta(days=1),
        )
        for phase in template.phases
    )


def plan_programme(
    template: ProgrammeTemplate,
    *,
    goals: Iterable[str],
    cautions: Iterable[str],
    start: date,
    library: ExerciseLibrary | None = None,
    per_phase: int = DEFAULT_PER_PHASE,
) -> Programme:
    """Choose and order exercises for every phase of ``template``.

    ``start`` is the procedure date (post-injection) or the assessment date.
    In each phase, only exercises that suit the region and phase and that no
    caution (the patient's, or one the phase implies) rules out are considered.
    First, every phase aim gets an exercise, the one serving most of the
    patient's goals winning; an aim nothing can serve is reported as a
    Shortfall, never dropped silently. The phase is then filled to
    ``per_phase`` exercises with those that serve the goals, and topped up to
    ``MIN_PER_PHASE`` from the best-ranked others. Exercises are ordered by
    goals served, then by aim, then by library order.

    Raises PlanningError for unknown cautions (field ``cautions``), a goal that
    is too long (``goals``) or ``per_phase`` smaller than a phase's aims.
    """
    library = shipped_library() if library is None else library
    patient_cautions = check_cautions(cautions)
    read = read_goals(goals)
    if per_phase < max(len(phase.aims) for phase in template.phases):
        raise PlanningError("Too few exercises per phase to cover its aims", field="per_phase")
    dates = phase_dates(template, start)
    phases = []
    for phase, (first, last) in zip(template.phases, dates, strict=True):
        every_caution = patient_cautions | phase.implied_cautions
        exercises, shortfalls = _plan_phase(
            template,
            phase,
            library=library,
            goals=read,
            cautions=every_caution,
            per_phase=per_phase,
        )
        phases.append(
            PlannedPhase(
                template=phase,
                planned_start=first,
                planned_end=last,
                actual_start=start if phase.number == PHASES[0] else None,
                exercises=exercises,
                shortfalls=shortfalls,
            )
        )
    return Programme(
        template=template,
        start=start,
        goals=read,
        cautions=patient_cautions,
        phases=tuple(phases),
        current_phase=PHASES[0],
    )


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A suitable exercise with what ranks it, worked out once per phase."""

    exercise: Exercise
    goals: tuple[str, ...]
    key: tuple[int, int, int, int, int]


def _candidates(
    exercises: tuple[Exercise, ...],
    goals: tuple[Goal, ...],
    phase: PhaseTemplate,
    region: Region,
    library: ExerciseLibrary,
) -> list[_Candidate]:
    """The exercises ranked: most goals served, then most goal tags matched, then the
    earliest phase aim served, then one for the region before a whole-body one, then
    library order."""
    ranked = []
    for exercise in exercises:
        served = tuple(goal.text for goal in goals if goal.tags & exercise.goal_tags)
        tags = sum(len(goal.tags & exercise.goal_tags) for goal in goals)
        first_aim = next(
            (i for i, aim in enumerate(phase.aims) if aim in exercise.aims), len(phase.aims)
        )
        general = 0 if region in exercise.regions else 1
        key = (-len(served), -tags, first_aim, general, library.rank(exercise.slug))
        ranked.append(_Candidate(exercise, served, key))
    ranked.sort(key=lambda candidate: candidate.key)
    return ranked


def _plan_phase(
    template: ProgrammeTemplate,
    phase: PhaseTemplate,
    *,
    library: ExerciseLibrary,
    goals: tuple[Goal, ...],
    cautions: frozenset[str],
    per_phase: int,
) -> tuple[tuple[Prescription, ...], tuple[Shortfall, ...]]:
    suitable = library.suitable(template.region, phase.number, cautions)
    ranked = _candidates(suitable, goals, phase, template.region, library)
    chosen: list[_Candidate] = []
    shortfalls: list[Shortfall] = []
    for aim in phase.aims:
        if any(aim in c.exercise.aims for c in chosen):
            continue
        serving = next((c for c in ranked if aim in c.exercise.aims), None)
        if serving is None:
            shortfalls.append(_shortfall(template, phase, library, aim, cautions))
        else:
            chosen.append(serving)
    _cover_goals(chosen, ranked, goals, per_phase)
    _fill(chosen, (c for c in ranked if c.goals), per_phase)
    _fill(chosen, ranked, min(MIN_PER_PHASE, per_phase))
    chosen.sort(key=lambda c: c.key)
    aims = frozenset(phase.aims)
    prescriptions = tuple(
        Prescription(
            exercise=c.exercise,
            dosage=c.exercise.dosage,
            aims=c.exercise.aims & aims,
            goals=c.goals,
        )
        for c in chosen
    )
    return prescriptions, tuple(shortfalls)


def _cover_goals(
    chosen: list[_Candidate], ranked: list[_Candidate], goals: tuple[Goal, ...], limit: int
) -> None:
    """Give every goal an exercise of its own where one fits, the closest match first."""
    for goal in goals:
        if len(chosen) >= limit or any(goal.text in c.goals for c in chosen):
            continue
        closest = min(
            (c for c in ranked if goal.text in c.goals),
            key=lambda c: (-len(goal.tags & c.exercise.goal_tags), c.key),
            default=None,
        )
        if closest is not None:
            chosen.append(closest)


def _fill(chosen: list[_Candidate], offered: Iterable[_Candidate], limit: int) -> None:
    """Add ``offered`` candidates, in order, not yet chosen, until ``limit`` are chosen."""
    for candidate in offered:
        if len(chosen) >= limit:
            return
        if candidate not in chosen:
            chosen.append(candidate)


def _shortfall(
    template: ProgrammeTemplate,
    phase: PhaseTemplate,
    library: ExerciseLibrary,
    aim: Aim,
    cautions: frozenset[str],
) -> Shortfall:
    """Which cautions ruled out every exercise that could serve ``aim`` here."""
    possible = [
        e for e in library.suitable(template.region, phase.number, frozenset()) if aim in e.aims
    ]
    excluded = sorted({c for e in possible for c in e.avoid_with & cautions})
    return Shortfall(phase=phase.number, aim=aim, excluded_by=tuple(excluded))


def advance_phase(programme: Programme, *, reviewed_on: date) -> Programme:
    """The programme moved to its next phase, started on ``reviewed_on``.

    Progress follows the review, not the calendar: the next phase may start
    before or after its planned date. Raises PlanningError (field
    ``reviewed_on``) if the programme is in its last phase or the review is
    dated before the current phase began.
    """
    current = programme.phase(programme.current_phase)
    if programme.current_phase == PHASES[-1]:
        raise PlanningError("The programme is already in its last phase", field="reviewed_on")
    began = current.actual_start or current.planned_start
    if reviewed_on < began:
        raise PlanningError(
            f"The review cannot be dated before phase {current.number} began ({began})",
            field="reviewed_on",
        )
    following = programme.current_phase + 1
    phases = tuple(
        replace(phase, actual_start=reviewed_on) if phase.number == following else phase
        for phase in programme.phases
    )
    return replace(programme, phases=phases, current_phase=following)


def phase_on(programme: Programme, day: date) -> int | None:
    """The number of the phase in force on ``day`` (by actual starts), or None before the
    programme began. Phases not yet started by a review are not in force."""
    found = None
    for phase in programme.phases:
        if phase.actual_start is not None and phase.actual_start <= day:
            found = phase.number
    return found
