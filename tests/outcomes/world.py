"""An injection with a pain diary: the outcome tests' small world on top of the
clinical one (``tests.pathway.world``)."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.test import TestCase

from facetcare.outcomes.services import record_pain_score
from facetcare.pathway.models import Episode, ProcedureRecord
from facetcare.pathway.procedures import record_procedure
from tests.pathway.world import (
    ClinicalWorld,
    assess,
    make_appointment,
    open_cervical_episode,
    procedure_details,
)

LONDON = ZoneInfo("Europe/London")
MEDICARE = "medicare_lcd_l38773"


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON).astimezone(UTC)


def injection(
    cw: ClinicalWorld, day: date, *, pack: str = MEDICARE, hour: int = 10, **details: Any
) -> ProcedureRecord:
    """A therapeutic cervical facet injection at ``hour`` local on ``day``, recorded
    by the consultant with its start time."""
    episode = open_cervical_episode(cw, policy_pack_id=pack)
    assess(
        cw, episode, functional_goals=["turn my head to reverse the car", "sit through a meeting"]
    )
    return injection_in(cw, episode, day, hour=hour, **details)


def injection_in(
    cw: ClinicalWorld, episode: Episode, day: date, *, hour: int = 10, **details: Any
) -> ProcedureRecord:
    start = at_local(day, hour)
    return record_procedure(
        episode=episode,
        appointment=make_appointment(cw, start),
        details=procedure_details(
            started_at=start, ended_at=start + timedelta(minutes=20), **details
        ),
        acting_user=cw.consultant,
    )


def diary(
    cw: ClinicalWorld,
    procedure: ProcedureRecord,
    values: dict[int, int],
    *,
    baseline: int = 8,
    hour: int = 20,
    now: datetime | None = None,
) -> None:
    """A baseline an hour before the procedure, then one score at ``hour`` local on
    each day index in ``values``, as the patient would record them."""
    assert procedure.started_at is not None
    day0 = procedure.started_at.astimezone(LONDON).date()
    late = now or at_local(day0 + timedelta(days=max(values, default=0) + 1), 23)
    # As on the site: each score's commit queues RD-1 again (run at once in tests).
    with TestCase.captureOnCommitCallbacks(execute=True):
        _record_all(cw, procedure, values, baseline=baseline, hour=hour, now=late)


def _record_all(
    cw: ClinicalWorld,
    procedure: ProcedureRecord,
    values: dict[int, int],
    *,
    baseline: int,
    hour: int,
    now: datetime,
) -> None:
    assert procedure.started_at is not None
    day0 = procedure.started_at.astimezone(LONDON).date()
    patient = procedure.episode.patient
    late = now
    record_pain_score(
        patient=patient,
        value=baseline,
        recorded_at=procedure.started_at - timedelta(hours=1),
        acting_user=cw.physio,
        source="clinician",
        episode=procedure.episode,
        now=late,
    )
    for k, value in sorted(values.items()):
        record_pain_score(
            patient=patient,
            value=value,
            recorded_at=at_local(day0 + timedelta(days=k), hour),
            acting_user=cw.physio,
            source="patient",
            episode=procedure.episode,
            now=late,
        )


# Two weeks after a steroid injection: relief starts on day 4 (the usual 3-5 days).
TWO_WEEKS = {
    1: 8,
    2: 7,
    3: 6,
    4: 3,
    5: 3,
    6: 2,
    7: 2,
    8: 3,
    9: 2,
    10: 2,
    11: 2,
    12: 3,
    13: 2,
    14: 2,
}
