"""Writes for procedures: the procedure record, its later response, and policy overrides."""

import zoneinfo
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from facetcare.audit.actors import Actor, authenticated
from facetcare.audit.services import record_version
from facetcare.booking.models import Appointment
from facetcare.clinics.models import Service
from facetcare.errors import Conflict, InvalidInput
from facetcare.outcomes import events as outcome_events
from facetcare.pathway.access import require_role
from facetcare.pathway.levels import validate_levels
from facetcare.pathway.models import Episode, PolicyOverride, ProcedureRecord
from facetcare.pathway.services import log_write, practitioner_for, transition_episode
from facetcare.pathway.states import EpisodeState
from facetcare.validation import full_clean_or_invalid
from facetcare.web.roles import CLINICAL_ROLES, Role

# Risks a consent discussion for a spinal injection must cover (the clinics'
# patient information); steroid effects only when a steroid is given.
REQUIRED_RISKS = (
    "nerve_injury_with_weakness",
    "numbness",
    "post_dural_puncture_headache",
    "bleeding",
    "infection",
)
STEROID_RISK = "steroid_effects"
KNOWN_RISKS = frozenset((*REQUIRED_RISKS, STEROID_RISK))
NON_SPINAL_TYPES = frozenset(
    {
        ProcedureRecord.Type.SACROILIAC_JOINT_INJECTION,
        ProcedureRecord.Type.PERIPHERAL_JOINT_INJECTION,
    }
)
PROCEDURE_FIELDS = frozenset(
    {
        "type", "region", "levels", "side", "guidance", "sedation", "injectate",
        "steroid_mg_mpde", "consent_obtained", "risks_discussed", "started_at", "ended_at",
        "complications", "pre_pain_nrs", "post_pain_nrs", "same_day_discharge", "aftercare",
        "performed_on",
    }
)  # fmt: skip


def _clean_injectate(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise InvalidInput("injectate must be a list of {agent, dose_mg}", field="injectate")
    cleaned = []
    for item in value:
        agent = item.get("agent", "") if isinstance(item, dict) else ""
        try:
            dose = Decimal(str(item.get("dose_mg")))
        except (InvalidOperation, AttributeError):
            dose = Decimal(-1)
        if not isinstance(agent, str) or not agent.strip() or not dose.is_finite() or dose < 0:
            raise InvalidInput(
                "Each injectate needs an agent and a dose in mg of zero or more",
                field="injectate",
            )
        cleaned.append({"agent": agent.strip(), "dose_mg": float(dose)})
    return cleaned


def _check_consent(record: ProcedureRecord) -> None:
    if not record.consent_obtained:
        raise InvalidInput("A procedure cannot be recorded without consent", field="consent")
    risks = record.risks_discussed
    if not isinstance(risks, list) or set(risks) - KNOWN_RISKS:
        raise InvalidInput(
            f"risks_discussed must be a list drawn from {', '.join(sorted(KNOWN_RISKS))}",
            field="risks_discussed",
        )
    required = set(REQUIRED_RISKS)
    if Decimal(record.steroid_mg_mpde) > 0:
        required.add(STEROID_RISK)
    missing = sorted(required - set(risks))
    if missing:
        raise InvalidInput(
            f"The consent discussion must cover: {', '.join(missing)}", field="risks_discussed"
        )


def _check_appointment(episode: Episode, appointment: Appointment) -> None:
    if appointment.patient_id != episode.patient_id:
        raise InvalidInput("The appointment is for another patient", field="appointment")
    if appointment.service.category != Service.Category.PROCEDURE:
        raise InvalidInput("The appointment is not for a procedure", field="appointment")
    if not appointment.is_live:
        raise InvalidInput("The appointment was cancelled", field="appointment")
    if ProcedureRecord.objects.filter(appointment=appointment).exists():
        raise Conflict(
            "A procedure is already recorded for this appointment; amend it instead",
            field="appointment",
        )


def _fill(record: ProcedureRecord, details: Mapping[str, Any]) -> None:
    unknown = sorted(set(details) - PROCEDURE_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown procedure fields: {', '.join(unknown)}", field=unknown[0])
    for name, value in details.items():
        setattr(record, name, value)
    record.injectate = _clean_injectate(record.injectate)
    if record.type in NON_SPINAL_TYPES:
        record.region = ProcedureRecord.ProcedureRegion.OTHER
        record.levels = []
    else:
        if record.region == ProcedureRecord.ProcedureRegion.OTHER or not isinstance(
            record.levels, list
        ):
            raise InvalidInput(
                "A spinal procedure needs a spinal region and levels", field="region"
            )
        try:
            record.levels = validate_levels(record.levels, region=record.region)
        except ValueError as error:
            raise InvalidInput(str(error), field="levels") from None


@transaction.atomic
def record_procedure(
    *,
    episode: Episode,
    details: Mapping[str, Any],
    acting_user: Actor,
    appointment: Appointment | None = None,
    performed_elsewhere: str = "",
) -> ProcedureRecord:
    """Record a procedure done at a booked appointment by the acting consultant, or one
    done elsewhere (history that frequency and steroid limits must count).

    A procedure here needs consent and the risks discussed; its date is the local
    date at the appointment's clinic. Moves a ``procedure_considered`` episode on.
    """
    if appointment is None and not performed_elsewhere.strip():
        raise InvalidInput("Name the appointment, or where it was done", field="appointment")
    here = appointment is not None
    if here:
        require_role(acting_user, Role.CONSULTANT, doing="record a procedure")
    else:
        require_role(acting_user, *CLINICAL_ROLES, doing="record an earlier procedure")
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    record = ProcedureRecord(
        episode=locked,
        region=locked.region,
        side=locked.side,
        recorded_by=authenticated(acting_user),
        recorded_at=timezone.now(),
        performed_elsewhere=performed_elsewhere.strip(),
    )
    if appointment is not None:
        _check_appointment(locked, appointment)
        record.appointment = appointment
        record.operator = practitioner_for(acting_user)
        zone = zoneinfo.ZoneInfo(appointment.clinic.time_zone)
        record.performed_on = appointment.start.astimezone(zone).date()
    _fill(record, details)
    if here:
        _check_consent(record)
    full_clean_or_invalid(record)
    record.save()
    record_version(instance=record, changed_by=acting_user, reason="recorded")
    log_write(acting_user, "create", record, locked.patient_id)
    if here:
        outcome_events.follow_up_after_commit(record)
    if here and locked.state == EpisodeState.PROCEDURE_CONSIDERED:
        transition_episode(episode=locked, to_state=EpisodeState.PROCEDURE, acting_user=acting_user)
    return record


@transaction.atomic
def record_procedure_response(
    *,
    procedure: ProcedureRecord,
    relief_percent: int,
    same_pain_scale_as_baseline: bool,
    acting_user: Actor,
    relief_duration_days: int | None = None,
    duration_concordant_with_agent: bool | None = None,
    reason: str = "response recorded",
) -> ProcedureRecord:
    """Record (or correct) the response to a procedure as a new version of its record."""
    require_role(acting_user, *CLINICAL_ROLES, doing="record a procedure response")
    record = ProcedureRecord.objects.select_for_update().get(pk=procedure.pk)
    if not 0 <= relief_percent <= 100:
        raise InvalidInput("relief_percent must be 0 to 100", field="relief_percent")
    record.relief_percent = relief_percent
    record.relief_duration_days = relief_duration_days
    record.duration_concordant_with_agent = duration_concordant_with_agent
    record.same_pain_scale_as_baseline = same_pain_scale_as_baseline
    record.response_recorded_at = timezone.now()
    full_clean_or_invalid(record)
    record.save()
    record_version(instance=record, changed_by=acting_user, reason=reason or "response")
    log_write(acting_user, "amend", record, record.episode.patient_id)
    return record


@transaction.atomic
def record_policy_override(
    *,
    episode: Episode,
    requested: Mapping[str, Any],
    reason: str,
    acting_user: Actor,
) -> PolicyOverride:
    """A consultant's override of the policy's decision for one requested procedure type.

    The decision is re-evaluated now and stored with the override. A red-flag
    decision (refer_urgently) cannot be overridden here: the screen must be
    amended instead, so that the record says why the flag no longer stands.
    """
    from facetcare.pathway.facts import get_policy_decision

    require_role(acting_user, Role.CONSULTANT, doing="override a policy decision")
    if not reason.strip():
        raise InvalidInput("An override needs the consultant's reason", field="reason")
    decision = get_policy_decision(episode=episode, requested=requested, acting_user=acting_user)
    if decision.decision == "eligible":
        raise Conflict("The policy allows this procedure; there is nothing to override")
    if decision.decision == "refer_urgently":
        raise Conflict(
            "A red-flag decision cannot be overridden; amend the assessment if the flag is wrong"
        )
    override = PolicyOverride.objects.create(
        episode=episode,
        procedure_type=str(requested.get("type", "")),
        requested=dict(requested),
        overridden_decision=decision.decision,
        deciding_rules=list(decision.deciding_rules),
        policy_pack_id=episode.policy_pack_id,
        # The version actually evaluated: an override answers those rules, and
        # the booking gate ignores it once the pack changes.
        policy_pack_version=decision.pack_version,
        consultant=authenticated(acting_user),
        reason=reason.strip(),
        created_at=timezone.now(),
    )
    record_version(instance=override, changed_by=acting_user, reason="override")
    log_write(acting_user, "create", override, episode.patient_id)
    return override
