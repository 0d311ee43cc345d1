"""The demo's outcome data: a follow-up schedule and a pain diary after the latest
facet injection of an episode, recorded through the outcomes services.

Call from ``demo/loader.py`` once the clinical cases exist, e.g. for the cervical
case (``case.key == "steroid_limit"``):

    from facetcare.demo.outcomes import load_scores
    load_scores(episode=case.episode, physio=users["physio"], now=now)

The diary is the usual course after a steroid injection: a baseline an hour
before it, daily scores for 14 days with relief starting on day 4, then weekly
while the date allows (up to 12 weeks, and never after ``now``). RD-1 runs on
each score's commit; the derived response waits for a clinician to confirm it
on the patient's outcomes page. A procedure without a recorded start time gets
the schedule and the scores, and RD-1 says why it derives nothing. Loading
twice adds nothing.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import User

from facetcare.core.outcomes.types import FACET_TYPES
from facetcare.outcomes.models import PainScore
from facetcare.outcomes.places import zone_for_procedure
from facetcare.outcomes.scheduling import procedure_instant, schedule_after_procedure
from facetcare.outcomes.services import record_pain_score
from facetcare.pathway.models import Episode

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from facetcare.demo.clinical import Case
    from facetcare.patients.models import Patient

BASELINE = 7
DAILY = (7, 6, 5, 3, 3, 2, 2, 3, 2, 2, 2, 2, 3, 2)
WEEKLY = (2, 2, 3, 3, 3, 4, 4, 5, 5, 6)  # weeks 3 to 12: relief wearing off


def load_scores(*, episode: Episode, physio: User, now: datetime) -> int:
    """Schedule and diary for the episode's latest facet procedure; scores written."""
    procedure = (
        episode.procedures.filter(type__in=FACET_TYPES)
        .select_related("appointment__clinic", "episode")
        .order_by("-performed_on", "-pk")
        .first()
    )
    if procedure is None:
        return 0
    schedule_after_procedure(procedure=procedure, now=now)
    if PainScore.objects.filter(patient_id=episode.patient_id, region=episode.region).exists():
        return 0
    zone = zone_for_procedure(procedure)
    start = procedure_instant(procedure, zone)
    day0 = start.astimezone(zone)
    entries = [(start - timedelta(hours=1), BASELINE, "clinician")]
    entries += [
        (day0.replace(hour=20, minute=0) + timedelta(days=k), value, "patient")
        for k, value in enumerate(DAILY, start=1)
    ]
    entries += [
        (day0.replace(hour=20, minute=0) + timedelta(weeks=week), value, "patient")
        for week, value in enumerate(WEEKLY, start=3)
    ]
    written = 0
    for at, value, source in entries:
        if at > now:
            break
        record_pain_score(
            patient=episode.patient,
            value=value,
            recorded_at=at,
            acting_user=physio,
            source=source,
            episode=episode,
            now=now,
        )
        written += 1
    return written


def load_case_scores(*, cases: Sequence["Case"], now: datetime) -> int:
    """The pain diary of the cervical case (Martin Birtwistle, ``data.STEROID_LIMIT``) after
    his latest injection; the physiotherapy login records the baseline's follow-up."""
    from facetcare.demo import clinical_data as data

    physio = User.objects.get(username="physio")
    return sum(
        load_scores(episode=case.episode, physio=physio, now=now)
        for case in cases
        if case.key == data.STEROID_LIMIT.key
    )


def wipe_scores(patients: "QuerySet[Patient]") -> None:
    """Delete the demo patients' outcome rows (``demo --reset`` only: they are fiction),
    children first."""
    from facetcare.outcomes import models as outcomes

    for model in (
        outcomes.DueMeasure,
        outcomes.MeasureSchedule,
        outcomes.DerivedResponse,
        outcomes.QuestionnaireResponse,
        outcomes.PainScore,
    ):
        owner = "procedure__episode__patient__in" if model is outcomes.DerivedResponse else ""
        model.objects.filter(**{owner or "patient__in": patients}).delete()
