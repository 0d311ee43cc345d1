"""Writes to the clinical record. Each is atomic, versions the record and logs the access."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from facetcare.audit.actors import Actor, authenticated
from facetcare.audit.services import log_access, record_version
from facetcare.clinics.models import Practitioner
from facetcare.errors import Conflict, InvalidInput
from facetcare.pathway import engine, red_flags
from facetcare.pathway.access import require_episode_reader, require_role
from facetcare.pathway.facts import REQUEST_FIELDS
from facetcare.pathway.levels import validate_levels
from facetcare.pathway.models import Assessment, Episode
from facetcare.pathway.states import EpisodeState, allowed_targets
from facetcare.patients.models import Patient
from facetcare.validation import full_clean_or_invalid
from facetcare.web.roles import CLINICAL_ROLES, Role, has_role, is_staff_member

ASSESSMENT_FIELDS = frozenset(
    f.name for f in Assessment._meta.concrete_fields if f.name not in {"id", "episode"}
) - {"assessed_by"}


def practitioner_for(user: Actor) -> Practitioner:
    practitioner = Practitioner.objects.filter(user=authenticated(user), is_active=True).first()
    if practitioner is None:
        raise InvalidInput("Your account is not linked to an active practitioner", field="user")
    return practitioner


def log_write(user: Actor, action: str, instance: Any, patient_id: int) -> None:
    log_access(
        user=user,
        action=action,
        patient_id=patient_id,
        object_type=instance._meta.model_name,
        object_id=instance.pk,
    )


@transaction.atomic
def open_episode(
    *,
    patient: Patient,
    region: str,
    side: str,
    referral_source: str,
    acting_user: Actor,
    onset_date: date | None = None,
    referrer: Actor | None = None,
    referral_note: str = "",
    policy_pack_id: str | None = None,
) -> Episode:
    """Open an episode in ``referred``, pinning the policy pack and its version now.

    A referrer opens an episode only as its own referrer; staff may name one.
    """
    require_role(
        acting_user,
        *CLINICAL_ROLES,
        Role.MANAGER,
        Role.RECEPTIONIST,
        Role.REFERRER,
        doing="open an episode",
    )
    if not is_staff_member(acting_user):
        referrer = acting_user
    referrer_account = authenticated(referrer) if referrer is not None else None
    pack_id = policy_pack_id or engine.default_pack_id()
    now = timezone.now()
    episode = Episode(
        patient=patient,
        region=region,
        side=side,
        referral_source=referral_source,
        onset_date=onset_date,
        referrer=referrer_account,
        referral_note=referral_note,
        policy_pack_id=pack_id,
        policy_pack_version=engine.pack_version(pack_id),
        state=EpisodeState.REFERRED,
        state_changed_at=now,
        opened_by=authenticated(acting_user),
        opened_at=now,
    )
    full_clean_or_invalid(episode)
    episode.save()
    record_version(instance=episode, changed_by=acting_user, reason="opened")
    log_write(acting_user, "create", episode, patient.pk)
    return episode


def _lock_episode(episode: Episode) -> Episode:
    # Re-read under a row lock so two clinicians moving one episode at once
    # cannot both pass the transition check against the same old state.
    return Episode.objects.select_for_update().get(pk=episode.pk)


@transaction.atomic
def transition_episode(
    *, episode: Episode, to_state: str, acting_user: Actor, reason: str = ""
) -> Episode:
    """Move an episode along the pathway; Conflict if the table does not allow the move.

    Referring on (a red flag, a non-facet diagnosis) is allowed from every open
    state and needs a reason.
    """
    require_role(acting_user, *CLINICAL_ROLES, doing="move an episode along the pathway")
    if to_state not in {state.value for state in EpisodeState}:
        raise InvalidInput(f"{to_state!r} is not a pathway state", field="to_state")
    current = _lock_episode(episode)
    if EpisodeState(to_state) not in allowed_targets(current.state):
        allowed = ", ".join(sorted(allowed_targets(current.state))) or "none (episode closed)"
        raise Conflict(
            f"An episode cannot move from {current.state} to {to_state}; allowed: {allowed}",
            field="to_state",
        )
    if to_state == EpisodeState.REFERRED_ON and not reason.strip():
        raise InvalidInput("Say why the patient is referred on", field="reason")
    current.state = to_state
    current.state_changed_at = timezone.now()
    current.state_reason = reason.strip()
    current.save(update_fields=["state", "state_changed_at", "state_reason"])
    record_version(instance=current, changed_by=acting_user, reason=f"to {to_state}: {reason}")
    log_write(acting_user, "amend", current, current.patient_id)
    episode.refresh_from_db()
    return current


def _apply_assessment_fields(assessment: Assessment, details: Mapping[str, Any]) -> None:
    unknown = sorted(set(details) - ASSESSMENT_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown assessment fields: {', '.join(unknown)}", field=unknown[0])
    for name, value in details.items():
        setattr(assessment, name, value)
    codes = assessment.red_flags
    if not isinstance(codes, list) or red_flags.unknown_codes(codes):
        raise InvalidInput(
            f"Unknown red-flag codes: {', '.join(red_flags.unknown_codes(codes or []))}",
            field="red_flags",
        )
    if codes and not assessment.red_flags_screened:
        raise InvalidInput("Red flags were recorded, so the screen was done", field="red_flags")
    for name in ("neuro_signs", "conservative_care_modalities", "functional_goals"):
        value = getattr(assessment, name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidInput(f"{name} must be a list of text", field=name)


@transaction.atomic
def record_assessment(
    *, episode: Episode, details: Mapping[str, Any], acting_user: Actor
) -> Assessment:
    """Record an assessment by the acting clinician; moves a ``referred`` episode to ``assessed``.

    ``details`` holds Assessment field values by name; unknown names are refused.
    """
    require_role(acting_user, *CLINICAL_ROLES, doing="record an assessment")
    current = _lock_episode(episode)
    if not current.is_open:
        raise Conflict("The episode is closed", field="episode")
    assessment = Assessment(episode=current, assessed_by=practitioner_for(acting_user))
    assessment.assessed_at = timezone.now()
    _apply_assessment_fields(assessment, details)
    full_clean_or_invalid(assessment)
    assessment.save()
    record_version(instance=assessment, changed_by=acting_user, reason="recorded")
    log_write(acting_user, "create", assessment, current.patient_id)
    if current.state == EpisodeState.REFERRED:
        transition_episode(episode=current, to_state=EpisodeState.ASSESSED, acting_user=acting_user)
    return assessment


@transaction.atomic
def amend_assessment(
    *,
    assessment: Assessment,
    changes: Mapping[str, Any],
    reason: str,
    acting_user: Actor,
) -> Assessment:
    """Amend an assessment; the earlier version stays in the audit trail with who and when."""
    require_role(acting_user, *CLINICAL_ROLES, doing="amend an assessment")
    if not reason.strip():
        raise InvalidInput("Say why the assessment is amended", field="reason")
    if not changes:
        raise InvalidInput("Nothing to amend", field="changes")
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    require_episode_reader(acting_user, current.episode)
    _apply_assessment_fields(current, {k: v for k, v in changes.items() if k != "assessed_at"})
    full_clean_or_invalid(current)
    current.save()
    record_version(instance=current, changed_by=acting_user, reason=reason.strip())
    log_write(acting_user, "amend", current, current.episode.patient_id)
    return current


def can_override(user: Actor) -> bool:
    return has_role(user, Role.CONSULTANT)


PLAN_FIELDS = REQUEST_FIELDS - {"type", "region", "date"}


@transaction.atomic
def plan_procedure(*, episode: Episode, plan: Mapping[str, Any], acting_user: Actor) -> Episode:
    """Record the procedure being considered, which the booking gate checks.

    ``plan`` holds policy request facts other than type, region and date (those
    come from the booked service and time): levels (required), side (the
    episode's by default), guidance, sedation, injectate, steroid_mg_mpde (required,
    0 for none, because the steroid limits count it) and the documentation fields.
    """
    require_role(acting_user, *CLINICAL_ROLES, doing="plan a procedure")
    unknown = sorted(set(plan) - PLAN_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown plan fields: {', '.join(unknown)}", field=unknown[0])
    if plan.get("steroid_mg_mpde") is None:
        raise InvalidInput("State the planned steroid dose (0 for none)", field="steroid_mg_mpde")
    current = _lock_episode(episode)
    try:
        levels = validate_levels(list(plan.get("levels") or []), region=current.region)
    except ValueError as error:
        raise InvalidInput(str(error), field="levels") from None
    current.procedure_plan = {**plan, "levels": levels, "side": plan.get("side", current.side)}
    current.save(update_fields=["procedure_plan"])
    record_version(instance=current, changed_by=acting_user, reason="procedure planned")
    log_write(acting_user, "amend", current, current.patient_id)
    return current
