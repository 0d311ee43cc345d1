"""Reads of outcomes. Each takes the acting user, checks they may see the patient
(a clinician or manager; the patient themselves through the portal) and logs the read.

Interface for other apps (the patient portal reads through these):

- ``list_due_measures(*, patient_id, acting_user, day=None, now=None) -> list[DueNow]``:
  what is open on ``day`` (the patient's local date; from ``now`` if not given)
- ``get_questionnaire(*, patient_id, measure, acting_user) -> QuestionnaireView``: the
  questions to ask for a due measure (``PSFS`` built from the patient's own goals)
- ``pain_series(*, patient_id, acting_user, episode_id=None) -> PainSeries`` and
  ``psfs_series(...) -> list[GoalSeries]``, drawn by ``outcomes.charts``
- ``get_response_review(*, procedure_id, acting_user) -> ResponseReview``: the latest
  RD-1 derivation of a procedure, the confirmed one, and whether it needs re-review
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from facetcare.audit.actors import Actor
from facetcare.errors import NotFound
from facetcare.outcomes import questionnaires as q
from facetcare.outcomes.access import require_outcomes_reader
from facetcare.outcomes.models import (
    DerivedResponse,
    DueMeasure,
    Instrument,
    MeasureSchedule,
    PainScore,
    QuestionnaireResponse,
)
from facetcare.outcomes.phases import PhaseBand, phases_for
from facetcare.outcomes.places import zone_for_patient
from facetcare.outcomes.services import psfs_questions
from facetcare.pathway.models import Episode, ProcedureRecord
from facetcare.patients.models import Patient

MEASURE_INSTRUMENT = {
    DueMeasure.Measure.PAIN: "NRS-11",
    DueMeasure.Measure.PSFS: q.PSFS_CODE,
    DueMeasure.Measure.GLOBAL_CHANGE: "GROC",
}


@dataclass(frozen=True)
class DueNow:
    due_id: int
    measure: str
    title: str
    label: str
    due_on: date
    closes_on: date
    instrument_code: str


def _disability_instrument(region: str) -> Instrument | None:
    found = Instrument.objects.filter(kind=Instrument.Kind.DISABILITY, is_active=True)
    for instrument in found.order_by("code"):
        if not instrument.regions or region in instrument.regions:
            return instrument
    return None


def list_due_measures(
    *,
    patient_id: int,
    acting_user: Actor,
    day: date | None = None,
    now: datetime | None = None,
) -> list[DueNow]:
    """Measures open on local ``day`` and not yet done, earliest first. A disability
    measure appears only once the clinic has loaded a disability questionnaire for
    the episode's region (FacetCare ships none: they are licensed)."""
    require_outcomes_reader(acting_user, patient_id, "due_measures")
    if day is None:
        day = (now or timezone.now()).astimezone(zone_for_patient(patient_id)).date()
    rows = DueMeasure.objects.filter(
        patient_id=patient_id, due_on__lte=day, closes_on__gte=day, completed_at__isnull=True
    ).select_related("schedule__episode")
    found = []
    for row in rows:
        code = MEASURE_INSTRUMENT.get(DueMeasure.Measure(row.measure))
        if code is None:
            instrument = _disability_instrument(row.schedule.episode.region)
            if instrument is None:
                continue
            code = instrument.code
        found.append(
            DueNow(
                row.pk,
                row.measure,
                row.get_measure_display(),
                row.label,
                row.due_on,
                row.closes_on,
                code,
            )
        )
    return found


@dataclass(frozen=True)
class QuestionnaireView:
    code: str
    title: str
    description: str
    questions: list[q.Question]
    licence: str


def get_questionnaire(*, patient_id: int, measure: str, acting_user: Actor) -> QuestionnaireView:
    """The questions to ask for ``measure`` (a due measure's ``measure`` or an
    instrument code); NotFound if there is none."""
    require_outcomes_reader(acting_user, patient_id, "questionnaire")
    code = MEASURE_INSTRUMENT.get(measure, measure)  # type: ignore[call-overload]
    patient = Patient.objects.get(pk=patient_id)
    episode = _open_episode(patient_id)
    if measure == DueMeasure.Measure.DISABILITY:
        instrument = _disability_instrument(episode.region if episode else "")
        if instrument is None:
            raise NotFound("No disability questionnaire is loaded")
        code = instrument.code
    instrument = Instrument.objects.filter(code=code, is_active=True).first()
    if instrument is None:
        raise NotFound(f"No questionnaire {code}")
    resource = instrument.resource
    if code == q.PSFS_CODE:
        resource, _ = psfs_questions(patient, episode)
    return QuestionnaireView(
        instrument.code,
        instrument.title,
        str(resource.get("description", "")),
        q.questions_of(resource),
        instrument.licence,
    )


def _open_episode(patient_id: int) -> Episode | None:
    from facetcare.pathway.states import OPEN_STATES

    return (
        Episode.objects.filter(patient_id=patient_id, state__in=[s.value for s in OPEN_STATES])
        .order_by("-opened_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class PainPoint:
    score_id: int
    local: datetime
    value: int
    scale: str
    source: str


@dataclass(frozen=True)
class ProcedureMark:
    procedure_id: int
    local_date: date
    label: str


@dataclass(frozen=True)
class PainSeries:
    patient_id: int
    zone: ZoneInfo
    points: list[PainPoint]
    procedures: list[ProcedureMark]
    phases: list[PhaseBand] = field(default_factory=list)

    @property
    def scale(self) -> str:
        scales = [p.scale for p in self.points]
        return max(set(scales), key=scales.count) if scales else PainScore.Scale.NRS_11


def pain_series(
    *, patient_id: int, acting_user: Actor, episode_id: int | None = None
) -> PainSeries:
    """Every pain score of the patient (of one episode if given), oldest first, in the
    clinic's local time, with procedures and rehab phases to mark."""
    require_outcomes_reader(acting_user, patient_id, "pain_series")
    zone = zone_for_patient(patient_id)
    scores = PainScore.objects.filter(patient_id=patient_id)
    procedures = ProcedureRecord.objects.filter(episode__patient_id=patient_id)
    if episode_id is not None:
        scores = scores.filter(episode_id=episode_id)
        procedures = procedures.filter(episode_id=episode_id)
    points = [
        PainPoint(s.pk, s.recorded_at.astimezone(zone), s.value, s.scale, s.source)
        for s in scores.order_by("recorded_at", "pk")
    ]
    marks = [
        ProcedureMark(p.pk, p.performed_on, _procedure_label(p))
        for p in procedures.order_by("performed_on", "pk")
    ]
    return PainSeries(patient_id, zone, points, marks, phases_for(patient_id))


SHORT_TYPE = {
    "ia_diagnostic": "IA block",
    "mbb_diagnostic": "MBB",
    "ia_therapeutic": "Facet injection",
    "mbb_therapeutic": "MBB (therapeutic)",
    "rfa": "RF ablation",
    "epidural_steroid": "Epidural",
    "sacroiliac_joint_injection": "SI joint injection",
    "peripheral_joint_injection": "Joint injection",
}


def _procedure_label(procedure: ProcedureRecord) -> str:
    levels = "/".join(procedure.levels)
    return f"{SHORT_TYPE.get(procedure.type, procedure.type)} {levels}".strip()


@dataclass(frozen=True)
class GoalSeries:
    goal: str
    points: list[tuple[datetime, int]]


def psfs_series(
    *, patient_id: int, acting_user: Actor, episode_id: int | None = None
) -> list[GoalSeries]:
    """The PSFS per activity (the patient's own words), each answer in local time."""
    require_outcomes_reader(acting_user, patient_id, "psfs_series")
    zone = zone_for_patient(patient_id)
    responses = QuestionnaireResponse.objects.filter(
        patient_id=patient_id, instrument__code=q.PSFS_CODE
    )
    if episode_id is not None:
        responses = responses.filter(episode_id=episode_id)
    by_goal: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    for response in responses.order_by("answered_at", "pk"):
        for answer in response.answers:
            by_goal[answer["text"]].append((response.answered_at.astimezone(zone), answer["value"]))
    return [GoalSeries(goal, points) for goal, points in by_goal.items()]


@dataclass(frozen=True)
class ResponseReview:
    procedure: ProcedureRecord
    latest: DerivedResponse | None
    confirmed: DerivedResponse | None

    @property
    def needs_review(self) -> bool:
        """A later derivation whose facts differ from the confirmed ones."""
        return (
            self.confirmed is not None
            and self.latest is not None
            and self.latest.pk != self.confirmed.pk
            and self.latest.facts_key != self.confirmed.facts_key
        )

    @property
    def can_confirm(self) -> bool:
        return (
            self.latest is not None
            and self.latest.derivable
            and self.latest.confirmed_at is None
            and (self.confirmed is None or self.needs_review)
        )

    @property
    def for_record(self) -> dict[str, Any] | None:
        return self.latest.result.get("for_record") if self.latest else None


def review_of(procedure: ProcedureRecord) -> ResponseReview:
    """The review of one procedure, for callers that checked access already."""
    rows = list(procedure.derived_responses.order_by("computed_at", "pk"))
    confirmed = [row for row in rows if row.confirmed_at is not None]
    return ResponseReview(
        procedure, rows[-1] if rows else None, confirmed[-1] if confirmed else None
    )


def get_response_review(*, procedure_id: int, acting_user: Actor) -> ResponseReview:
    procedure = (
        ProcedureRecord.objects.select_related("episode", "episode__patient")
        .filter(pk=procedure_id)
        .first()
    )
    if procedure is None:
        raise NotFound(f"No procedure {procedure_id}")
    require_outcomes_reader(acting_user, procedure.episode.patient_id, "derived_response")
    return review_of(procedure)


@dataclass(frozen=True)
class PatientOutcomes:
    patient: Patient
    pain: PainSeries
    psfs: list[GoalSeries]
    reviews: list[ResponseReview]
    schedules: list[MeasureSchedule]
    due: list[DueMeasure]
    unscheduled: list[ProcedureRecord]


def get_patient_outcomes(*, patient_id: int, acting_user: Actor, today: date) -> PatientOutcomes:
    """Everything the clinician's outcomes page shows for one patient."""
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise NotFound(f"No patient {patient_id}")
    pain = pain_series(patient_id=patient_id, acting_user=acting_user)
    procedures = list(
        ProcedureRecord.objects.filter(episode__patient_id=patient_id)
        .select_related("episode", "measure_schedule")
        .prefetch_related("derived_responses")
        .order_by("-performed_on", "-pk")
    )
    schedules = list(
        MeasureSchedule.objects.filter(patient_id=patient_id).select_related("procedure")
    )
    due = list(
        DueMeasure.objects.filter(
            patient_id=patient_id, closes_on__gte=today, completed_at__isnull=True
        ).order_by("due_on", "measure")[:8]
    )
    scheduled = {s.procedure_id for s in schedules}
    return PatientOutcomes(
        patient,
        pain,
        psfs_series(patient_id=patient_id, acting_user=acting_user),
        [review_of(p) for p in procedures],
        schedules,
        due,
        [p for p in procedures if p.pk not in scheduled],
    )
