"""Background work of outcomes (Django's Tasks API).

- ``rederive_responses(patient_id, region)``: queued on commit after a new pain
  score; re-runs RD-1 for the patient's facet procedures in that region.
- ``send_due_questionnaires()``: the worker's periodic sweep (``facetcare
  worker``, every minute beside the appointment reminders): emails each patient
  whose measures are due, once per measure (see ``reminders``).
"""

from django.tasks import task
from django.utils import timezone

from facetcare.core.outcomes.types import FACET_TYPES
from facetcare.outcomes.derivation import derive_procedure_response
from facetcare.outcomes.reminders import sweep_due_measures
from facetcare.pathway.models import ProcedureRecord


@task
def rederive_responses(patient_id: int, region: str) -> int:
    """Re-run RD-1 for every facet procedure of the patient in ``region``; how many."""
    procedures = ProcedureRecord.objects.filter(
        episode__patient_id=patient_id, region=region, type__in=FACET_TYPES
    )
    count = 0
    for procedure in procedures:
        derive_procedure_response(procedure=procedure)
        count += 1
    return count


@task
def send_due_questionnaires() -> int:
    """Email the measures now due; how many patients were emailed."""
    return sweep_due_measures(now=timezone.now())
