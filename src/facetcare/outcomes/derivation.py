"""RD-1 on the stored record: derive a procedure's relief facts, and confirm them.

``derive_procedure_response(*, procedure, now=None)`` gathers the patient's
index-pain scores for the procedure's region and the other facet procedures
there (attribution), runs ``core.outcomes.derive_response`` in the clinic's
zone and appends a ``DerivedResponse`` when the result differs from the last
one (same result: the last row is returned). It also works out what a
confirmation would write to the procedure record (``result["for_record"]``:
the duration at the threshold of the rule that reads it, see
``core.outcomes.procedure_facts``).

``confirm_derived_response(*, derived, acting_user, ...)`` is a clinician's
confirmation (or correction) of the latest derivation: only then are the facts
written to the procedure record (``pathway.response.record_confirmed_relief``),
so the policy engine reads confirmed values only. The confirmed value wins
over any later derivation; a later derivation whose facts differ is flagged
for re-review (``selectors.get_response_review``), never written by itself.
"""

import hashlib
import json
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from facetcare.audit.actors import Actor, authenticated
from facetcare.audit.services import record_version
from facetcare.core.outcomes import (
    DEFAULT_PARAMETERS,
    Derivation,
    Procedure,
    Scale,
    Score,
    derive_response,
    record_facts,
)
from facetcare.core.outcomes.types import FACET_TYPES
from facetcare.errors import Conflict, InvalidInput
from facetcare.outcomes.models import DerivedResponse, PainScore
from facetcare.outcomes.places import zone_for_procedure
from facetcare.pathway.access import require_role
from facetcare.pathway.models import ProcedureRecord
from facetcare.pathway.response import record_confirmed_relief
from facetcare.web.roles import CLINICAL_ROLES

# Scores older than this before a procedure cannot be its baseline (7 local days,
# plus a margin for the zone's offset).
BASELINE_REACH = timedelta(days=DEFAULT_PARAMETERS.therapeutic_baseline_lookback_days + 2)


def as_core(record: ProcedureRecord) -> Procedure:
    agent = "+".join(str(item.get("agent", "")) for item in record.injectate or [])
    return Procedure(record.pk, record.started_at, record.type, record.region, agent)


def _inputs(record: ProcedureRecord) -> tuple[list[Score], list[Procedure]]:
    others = ProcedureRecord.objects.filter(
        episode__patient_id=record.episode.patient_id,
        region=record.region,
        type__in=FACET_TYPES,
    ).exclude(pk=record.pk)
    scores = PainScore.objects.filter(
        patient_id=record.episode.patient_id, region=record.region
    ).order_by("recorded_at", "pk")
    if record.started_at is not None:
        scores = scores.filter(recorded_at__gte=record.started_at - BASELINE_REACH)
    core_scores = [Score(s.pk, s.recorded_at, s.value, Scale(s.scale)) for s in scores]
    return core_scores, [as_core(other) for other in others]


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _for_record(derivation: Derivation, record: ProcedureRecord) -> dict[str, Any] | None:
    if not derivation.derivable:
        return None
    facts = record_facts(
        derivation,
        pack_id=record.episode.policy_pack_id,
        procedure_type=record.type,
        region=record.region,
    )
    return {
        "relief_percent": str(derivation.relief_percent),
        "relief_duration_days": facts.relief_duration_days,
        "duration_threshold": facts.duration_threshold.label if facts.duration_threshold else None,
        "duration_rule": facts.duration_rule,
        "same_pain_scale_as_baseline": facts.same_pain_scale_as_baseline,
        "note": facts.note,
    }


@transaction.atomic
def derive_procedure_response(
    *, procedure: ProcedureRecord, now: datetime | None = None
) -> DerivedResponse:
    """Run RD-1 for ``procedure`` now; the new row, or the last one if unchanged."""
    record = (
        ProcedureRecord.objects.select_for_update(of=("self",))
        .select_related("episode", "appointment__clinic")
        .get(pk=procedure.pk)
    )
    scores, others = _inputs(record)
    derivation = derive_response(
        as_core(record), scores, zone=zone_for_procedure(record), region_procedures=others
    )
    result = derivation.as_dict() | {"for_record": _for_record(derivation, record)}
    facts = {k: v for k, v in result.items() if k not in {"series", "baseline", "relief_at"}}
    result_key, facts_key = _digest(result), _digest(facts)
    last = record.derived_responses.order_by("-computed_at", "-pk").first()
    if last is not None and last.result_key == result_key:
        return last
    return DerivedResponse.objects.create(
        procedure=record,
        parameters_version=DEFAULT_PARAMETERS.version,
        parameters=DEFAULT_PARAMETERS.as_dict(),
        kind=result["kind"] or "",
        derivable=derivation.derivable,
        reasons=result["reasons"],
        relief_percent=derivation.relief_percent,
        same_pain_scale_as_baseline=derivation.same_pain_scale_as_baseline,
        result=result,
        facts_key=facts_key,
        result_key=result_key,
        computed_at=now or timezone.now(),
    )


def _typed_relief(value: Any) -> Decimal:
    try:
        relief = Decimal(str(value).strip())
    except InvalidOperation:
        relief = Decimal(-1)
    if (
        not relief.is_finite()
        or not 0 <= relief <= 100
        or relief != relief.quantize(Decimal("0.1"))
    ):
        raise InvalidInput(
            "Relief is a percentage from 0 to 100, to one decimal place", field="relief_percent"
        )
    return relief.quantize(Decimal("0.1"))


def _confirmed_values(
    derived: DerivedResponse,
    *,
    relief_percent: Any,
    relief_duration_days: int | None,
    duration_concordant_with_agent: bool | None,
) -> dict[str, Any]:
    proposed = derived.result["for_record"]
    relief = Decimal(proposed["relief_percent"])
    days = proposed["relief_duration_days"]
    corrected = False
    if relief_percent not in (None, ""):
        typed = _typed_relief(relief_percent)
        corrected, relief = corrected or typed != relief, typed
    if relief_duration_days is not None:
        if isinstance(relief_duration_days, bool) or not 0 <= relief_duration_days <= 3650:
            raise InvalidInput("Days of relief: 0 to 3650", field="relief_duration_days")
        corrected, days = corrected or relief_duration_days != days, relief_duration_days
    if derived.kind != "diagnostic" and duration_concordant_with_agent is not None:
        raise InvalidInput(
            "Concordance with the agent is judged for diagnostic blocks only",
            field="duration_concordant_with_agent",
        )
    return {
        "relief_percent": str(relief),
        "relief_duration_days": days,
        "duration_threshold": proposed["duration_threshold"],
        "duration_rule": proposed["duration_rule"],
        "duration_concordant_with_agent": duration_concordant_with_agent,
        "same_pain_scale_as_baseline": proposed["same_pain_scale_as_baseline"],
        "source": "corrected" if corrected else "derived",
        "derived": proposed,
    }


@transaction.atomic
def confirm_derived_response(
    *,
    derived: DerivedResponse,
    acting_user: Actor,
    duration_concordant_with_agent: bool | None = None,
    relief_percent: Any = None,
    relief_duration_days: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> DerivedResponse:
    """A clinician confirms (or corrects) the latest derivation of a procedure; the
    values are written to the procedure record. Conflict for a stale, underivable
    or already confirmed derivation; InvalidInput naming the field for a bad value."""
    require_role(acting_user, *CLINICAL_ROLES, doing="confirm a procedure's response")
    row = (
        DerivedResponse.objects.select_for_update(of=("self",))
        .select_related("procedure")
        .get(pk=derived.pk)
    )
    latest = row.procedure.derived_responses.order_by("-computed_at", "-pk").first()
    if latest is None or latest.pk != row.pk:
        raise Conflict("Newer scores changed this derivation: review the latest one")
    if not row.derivable or row.result.get("for_record") is None:
        raise Conflict("Nothing was derived to confirm")
    if row.confirmed_at is not None:
        raise Conflict("This derivation is confirmed already")
    values = _confirmed_values(
        row,
        relief_percent=relief_percent,
        relief_duration_days=relief_duration_days,
        duration_concordant_with_agent=duration_concordant_with_agent,
    )
    record_confirmed_relief(
        procedure=row.procedure,
        relief_percent=Decimal(values["relief_percent"]),
        relief_duration_days=values["relief_duration_days"],
        duration_concordant_with_agent=duration_concordant_with_agent,
        same_pain_scale_as_baseline=bool(values["same_pain_scale_as_baseline"]),
        acting_user=acting_user,
    )
    row.confirmed_by = authenticated(acting_user)
    row.confirmed_at = now or timezone.now()
    row.confirmed = values
    row.confirmation_note = note.strip()
    row.save(update_fields=["confirmed_by", "confirmed_at", "confirmed", "confirmation_note"])
    record_version(instance=row, changed_by=acting_user, reason="RD-1 derivation confirmed")
    return row
