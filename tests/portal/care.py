"""A patient in care, as the portal sees them: a cervical facet injection a few days ago,
the rehab programme dated from it, the outcome schedule it started, and a portal account."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from facetcare.outcomes.scheduling import schedule_after_procedure
from facetcare.pathway.models import ProcedureRecord
from facetcare.pathway.procedures import record_procedure
from facetcare.patients.models import Patient
from facetcare.portal.models import PortalAccount
from facetcare.portal.services import open_portal_account
from facetcare.rehab.models import Programme, ProgrammeExercise
from facetcare.rehab.services import start_programme
from tests.pathway.world import (
    ClinicalWorld,
    assess,
    bare_episode,
    make_appointment,
    procedure_details,
)

GOALS = ["Turn my head to reverse the car", "Sit through a meeting"]


@dataclass
class InCare:
    account: PortalAccount
    programme: Programme
    procedure: ProcedureRecord

    def exercises_today(self) -> list[ProgrammeExercise]:
        phase = self.programme.phases.get(number=self.programme.current_phase)
        return list(phase.exercises.filter(removed_at__isnull=True).order_by("order", "pk"))


def injected_days_ago(
    cw: ClinicalWorld, days: int = 3, *, patient: Patient | None = None, now: datetime | None = None
) -> InCare:
    """``patient`` (the world's own by default) had a facet injection ``days`` ago; a
    physiotherapist started the post-injection programme from it."""
    patient = patient or cw.patient
    now = now or timezone.now()
    injected_at = now - timedelta(days=days)
    episode = bare_episode(cw, "procedure_considered", patient=patient)
    assess(cw, episode, functional_goals=GOALS)
    appointment = make_appointment(cw, injected_at)
    appointment.patient = patient
    appointment.save(update_fields=["patient"])
    procedure = record_procedure(
        episode=episode,
        appointment=appointment,
        details=procedure_details(
            started_at=injected_at, ended_at=injected_at + timedelta(minutes=20)
        ),
        acting_user=cw.consultant,
    )
    schedule_after_procedure(procedure=procedure, acting_user=cw.consultant, now=injected_at)
    programme = start_programme(
        episode=episode,
        pathway="post_injection",
        procedure=procedure,
        started_on=procedure.performed_on,
        goals=GOALS,
        cautions=[],
        clinic=cw.clinic,
        acting_user=cw.physio,
    )
    account = open_portal_account(patient=patient, now=now)
    return InCare(account=account, programme=programme, procedure=procedure)
