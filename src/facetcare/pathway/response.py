"""A clinician's confirmation of derived relief facts, written to the procedure record.

Relief facts derived from the patient's scores (method RD-1, ``facetcare.outcomes``)
reach the policy engine only through here, once a clinician confirms them: the
record gets a new version (``record_procedure_response``), so the history shows
what was there before and who confirmed what.

The record holds ``relief_percent`` as a whole number while RD-1 gives one
decimal place; ``integer_for_record`` keeps the record on the same side of every
threshold as the exact relief (79.8 is written 79, so it still fails >=80).
"""

from decimal import Decimal
from fractions import Fraction

from django.db import transaction

from facetcare.audit.actors import Actor
from facetcare.core.outcomes import integer_for_record
from facetcare.errors import InvalidInput
from facetcare.pathway.access import require_role
from facetcare.pathway.models import ProcedureRecord
from facetcare.pathway.procedures import record_procedure_response
from facetcare.web.roles import CLINICAL_ROLES


@transaction.atomic
def record_confirmed_relief(
    *,
    procedure: ProcedureRecord,
    relief_percent: Decimal,
    same_pain_scale_as_baseline: bool,
    acting_user: Actor,
    relief_duration_days: int | None = None,
    duration_concordant_with_agent: bool | None = None,
    method: str = "RD-1",
) -> ProcedureRecord:
    """Write confirmed relief facts (``relief_percent`` to one decimal place, 0-100) to
    ``procedure`` as a new version of its record; InvalidInput naming the field."""
    require_role(acting_user, *CLINICAL_ROLES, doing="confirm a procedure's response")
    if not relief_percent.is_finite() or not 0 <= relief_percent <= 100:
        raise InvalidInput("relief_percent must be 0 to 100", field="relief_percent")
    if relief_duration_days is not None and relief_duration_days < 0:
        raise InvalidInput("relief_duration_days cannot be negative", field="relief_duration_days")
    return record_procedure_response(
        procedure=procedure,
        relief_percent=integer_for_record(Fraction(relief_percent)),
        relief_duration_days=relief_duration_days,
        duration_concordant_with_agent=duration_concordant_with_agent,
        same_pain_scale_as_baseline=same_pain_scale_as_baseline,
        acting_user=acting_user,
        reason=f"{method} relief facts confirmed ({relief_percent}% relief)",
    )
