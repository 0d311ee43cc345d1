"""What the pathway tells outcomes: a procedure has been recorded here.

Once the record commits, its follow-up schedule is made (daily pain for 14 days,
weekly to 12 weeks, PSFS and disability at the set points), so the patient's
portal asks for the first score the next day without anyone pressing a button.
"""

from functools import partial

from django.db import transaction

from facetcare.pathway.models import ProcedureRecord


def follow_up_after_commit(procedure: ProcedureRecord) -> None:
    """After commit, give ``procedure`` its follow-up schedule (once; a repeat is a no-op)."""
    transaction.on_commit(partial(_schedule, procedure.pk), robust=True)


def _schedule(procedure_id: int) -> None:
    # Imported here: scheduling reads the pathway's records, whose service calls this module.
    from facetcare.outcomes.scheduling import schedule_after_procedure

    procedure = ProcedureRecord.objects.filter(pk=procedure_id).first()
    if procedure is not None:
        schedule_after_procedure(procedure=procedure)
