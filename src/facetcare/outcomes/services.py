"""Writes for outcomes: scores, questionnaire answers, and questionnaires themselves.

Interface for other apps (the patient portal records through these):

- ``record_pain_score(*, patient, value, recorded_at, acting_user, source="patient",
  scale="NRS-11", episode=None, note="", now=None) -> PainScore``
- ``record_psfs(*, patient, answers, answered_at, acting_user, ...)``: answers keyed
  by the items' linkIds (``activity-1``...), 0-10 each
- ``record_global_change(*, patient, value, answered_at, acting_user, ...)``: 1-7
- ``record_questionnaire_response(*, patient, instrument_code, answers, answered_at,
  acting_user, ...)`` for any active instrument (a clinic's licensed ODI, NDI, ...)
- ``load_questionnaire(*, resource, code, kind, scoring, licence, acting_user, ...)``

Schedules and derived responses: ``outcomes.scheduling`` (``schedule_after_procedure``)
and ``outcomes.derivation`` (``derive_procedure_response``, ``confirm_derived_response``).

Every service is atomic and refuses bad input with InvalidInput naming the field
(``value``, ``recorded_at``, ``scale``, ``episode``, ``answers.<linkId>``,
``resource``) before writing anything. A score or response completes the
measure due that local day and, once committed, re-runs RD-1 for the patient's
procedures in that region (a task).
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from facetcare.audit.actors import Actor, authenticated
from facetcare.audit.services import log_access
from facetcare.core.outcomes.local_time import NonexistentLocalTime, instant_from_local
from facetcare.errors import Forbidden, InvalidInput, NotFound
from facetcare.outcomes import questionnaires as q
from facetcare.outcomes.access import require_recorder
from facetcare.outcomes.models import (
    DueMeasure,
    Instrument,
    PainScore,
    QuestionnaireResponse,
    Source,
)
from facetcare.outcomes.places import zone_for_patient
from facetcare.pathway.models import Episode
from facetcare.pathway.selectors import latest_assessment
from facetcare.pathway.states import OPEN_STATES
from facetcare.patients.models import Patient
from facetcare.web.roles import Role, has_role

# A device clock a little ahead of ours is not "the future".
CLOCK_SKEW = timedelta(minutes=5)
SCALE_MAXIMUM = {PainScore.Scale.NRS_11: 10, PainScore.Scale.VAS_100: 100}


def _instant(value: Any, patient: Patient, now: datetime, field: str) -> datetime:
    """An aware instant; a naive one is clinic-local (a skipped local time is refused)."""
    if not isinstance(value, datetime):
        raise InvalidInput("Give the date and time", field=field)
    if value.tzinfo is None or value.utcoffset() is None:
        try:
            value = instant_from_local(value, zone_for_patient(patient.pk))
        except NonexistentLocalTime:
            raise InvalidInput(
                "That time did not happen here: the clocks went forward. Check the time.",
                field=field,
            ) from None
    instant: datetime = value
    if instant > now + CLOCK_SKEW:
        raise InvalidInput("That time is in the future", field=field)
    return instant


def _episode(patient: Patient, episode: Episode | None) -> Episode | None:
    if episode is not None:
        if episode.patient_id != patient.pk:
            raise InvalidInput("The episode is another patient's", field="episode")
        return episode
    return (
        Episode.objects.filter(patient=patient, state__in=[s.value for s in OPEN_STATES])
        .order_by("-opened_at", "-id")
        .first()
    )


def _source(source: str, acting_user: Actor, patient: Patient) -> Source:
    if source not in Source.values:
        raise InvalidInput(f"source must be one of {', '.join(Source.values)}", field="source")
    require_recorder(acting_user, patient.pk, as_clinician=source == Source.CLINICIAN)
    return Source(source)


def _log_create(user: Actor, instance: PainScore | QuestionnaireResponse) -> None:
    log_access(
        user=user,
        action="create",
        patient_id=instance.patient_id,
        object_type=instance._meta.model_name or "",
        object_id=instance.pk,
    )


def _complete_due(
    patient: Patient, measure: str, at: datetime, now: datetime, **link: Any
) -> DueMeasure | None:
    """The measure open on ``at``'s local date, marked done; None if none was due."""
    day = at.astimezone(zone_for_patient(patient.pk)).date()
    due = (
        DueMeasure.objects.select_for_update()
        .filter(
            patient=patient,
            measure=measure,
            due_on__lte=day,
            closes_on__gte=day,
            completed_at__isnull=True,
        )
        .order_by("due_on", "pk")
        .first()
    )
    if due is not None:
        for name, value in link.items():
            setattr(due, name, value)
        due.completed_at = now
        due.save(update_fields=["completed_at", *link])
    return due


@transaction.atomic
def record_pain_score(
    *,
    patient: Patient,
    value: int,
    recorded_at: datetime,
    acting_user: Actor,
    source: str = Source.PATIENT,
    scale: str = PainScore.Scale.NRS_11,
    episode: Episode | None = None,
    note: str = "",
    now: datetime | None = None,
) -> PainScore:
    """Record one index-pain score (see the module docstring for the rules)."""
    now = now or timezone.now()
    who = _source(source, acting_user, patient)
    if scale not in SCALE_MAXIMUM:
        raise InvalidInput("scale must be NRS-11 or VAS-100", field="scale")
    top = SCALE_MAXIMUM[PainScore.Scale(scale)]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise InvalidInput(f"A {scale} score is a whole number from 0 to {top}", field="value")
    if len(note) > 300:
        raise InvalidInput("Keep the note under 300 characters", field="note")
    at = _instant(recorded_at, patient, now, "recorded_at")
    found = _episode(patient, episode)
    score = PainScore.objects.create(
        patient=patient,
        episode=found,
        region=found.region if found else "",
        recorded_at=at,
        value=value,
        scale=scale,
        loinc="72514-3" if scale == PainScore.Scale.NRS_11 else "",
        source=who,
        recorded_by=authenticated(acting_user),
        entered_at=now,
        note=note.strip(),
    )
    _complete_due(patient, DueMeasure.Measure.PAIN, at, now, pain_score=score)
    _log_create(acting_user, score)
    if found is not None:
        from facetcare.outcomes.tasks import rederive_responses

        region, patient_id = found.region, patient.pk
        transaction.on_commit(lambda: rederive_responses.enqueue(patient_id, region))
    return score


def _active_instrument(code: str) -> Instrument:
    instrument = Instrument.objects.filter(code=code, is_active=True).first()
    if instrument is None:
        raise NotFound(f"No active questionnaire {code}")
    return instrument


def psfs_questions(
    patient: Patient, episode: Episode | None
) -> tuple[dict[str, Any], list[q.Question]]:
    """The patient's own PSFS resource and its questions, from the latest assessment's
    functional goals; InvalidInput (``answers``) if no goals are recorded."""
    template = _active_instrument(q.PSFS_CODE).resource
    assessment = latest_assessment(episode) if episode else None
    goals = list(assessment.functional_goals) if assessment else []
    resource = q.psfs_resource(template, goals)
    if not resource["item"]:
        raise InvalidInput(
            "No activities are recorded for this patient's PSFS yet; a clinician records "
            "their goals at the assessment",
            field="answers",
        )
    return resource, q.questions_of(resource)


@transaction.atomic
def record_questionnaire_response(
    *,
    patient: Patient,
    instrument_code: str,
    answers: Mapping[str, Any],
    answered_at: datetime,
    acting_user: Actor,
    source: str = Source.PATIENT,
    episode: Episode | None = None,
    now: datetime | None = None,
) -> QuestionnaireResponse:
    """Record answers to an instrument, scored as it says; completes the measure due."""
    now = now or timezone.now()
    who = _source(source, acting_user, patient)
    instrument = _active_instrument(instrument_code)
    found = _episode(patient, episode)
    if instrument.code == q.PSFS_CODE:
        _, questions = psfs_questions(patient, found)
    else:
        questions = q.questions_of(instrument.resource)
    if not isinstance(answers, Mapping):
        raise InvalidInput("Answers are given per question", field="answers")
    stored = q.checked_answers(questions, answers)
    at = _instant(answered_at, patient, now, "answered_at")
    response = QuestionnaireResponse.objects.create(
        patient=patient,
        episode=found,
        instrument=instrument,
        answered_at=at,
        answers=stored,
        total=q.score(instrument.scoring, questions, stored),
        source=who,
        recorded_by=authenticated(acting_user),
        entered_at=now,
    )
    measure = {
        Instrument.Kind.FUNCTION: DueMeasure.Measure.PSFS,
        Instrument.Kind.DISABILITY: DueMeasure.Measure.DISABILITY,
        Instrument.Kind.GLOBAL_CHANGE: DueMeasure.Measure.GLOBAL_CHANGE,
    }.get(Instrument.Kind(instrument.kind))
    if measure is not None:
        _complete_due(patient, measure, at, now, response=response)
    _log_create(acting_user, response)
    return response


def record_psfs(
    *,
    patient: Patient,
    answers: Mapping[str, Any],
    answered_at: datetime,
    acting_user: Actor,
    source: str = Source.PATIENT,
    episode: Episode | None = None,
    now: datetime | None = None,
) -> QuestionnaireResponse:
    """The PSFS: 0-10 for each of the patient's own activities (``activity-N``)."""
    return record_questionnaire_response(
        patient=patient,
        instrument_code=q.PSFS_CODE,
        answers=answers,
        answered_at=answered_at,
        acting_user=acting_user,
        source=source,
        episode=episode,
        now=now,
    )


def record_global_change(
    *,
    patient: Patient,
    value: int,
    answered_at: datetime,
    acting_user: Actor,
    source: str = Source.PATIENT,
    episode: Episode | None = None,
    now: datetime | None = None,
) -> QuestionnaireResponse:
    """The global rating of change: 1 (very much better) to 7 (very much worse)."""
    return record_questionnaire_response(
        patient=patient,
        instrument_code="GROC",
        answers={"change": value},
        answered_at=answered_at,
        acting_user=acting_user,
        source=source,
        episode=episode,
        now=now,
    )


@transaction.atomic
def load_questionnaire(
    *,
    resource: Any,
    code: str,
    kind: str,
    licence: str,
    acting_user: Actor,
    scoring: str = Instrument.Scoring.SUM,
    regions: list[str] | None = None,
    now: datetime | None = None,
) -> Instrument:
    """Load (or replace) a clinic's own questionnaire, e.g. a licensed ODI.

    The resource must be a FHIR Questionnaire in the accepted shape
    (``questionnaires`` module); ``licence`` states the clinic's right to use it.
    A shipped instrument cannot be replaced. Managers only.
    """
    if not has_role(acting_user, Role.MANAGER):
        raise Forbidden("Only a manager may load a questionnaire")
    code = code.strip()
    if not code or len(code) > 40:
        raise InvalidInput("Give the questionnaire a short code, e.g. ODI", field="code")
    if kind not in Instrument.Kind.values:
        raise InvalidInput(f"kind must be one of {', '.join(Instrument.Kind.values)}", field="kind")
    if scoring not in Instrument.Scoring.values:
        raise InvalidInput(
            f"scoring must be one of {', '.join(Instrument.Scoring.values)}", field="scoring"
        )
    if not licence.strip():
        raise InvalidInput("State the licence under which the clinic uses it", field="licence")
    q.questions_of(resource)
    if Instrument.objects.filter(code=code, shipped=True).exists():
        raise InvalidInput(f"{code} is shipped with FacetCare and cannot be replaced", field="code")
    instrument, _ = Instrument.objects.update_or_create(
        code=code,
        defaults={
            "title": resource["title"].strip(),
            "version": str(resource.get("version", "")),
            "kind": kind,
            "scoring": scoring,
            "regions": list(regions or []),
            "resource": resource,
            "licence": licence.strip(),
            "shipped": False,
            "is_active": True,
            "loaded_at": now or timezone.now(),
        },
    )
    return instrument
