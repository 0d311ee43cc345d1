"""The booking gate: a procedure is booked only if the policy allows it or a consultant
overrode the decision with a reason."""

import zoneinfo
from datetime import datetime
from typing import Any

from django.utils import timezone

from facetcare.audit.actors import Actor
from facetcare.audit.services import log_access
from facetcare.clinics.models import Clinic, Service
from facetcare.errors import InvalidInput, PolicyRefused
from facetcare.pathway.facts import decide
from facetcare.pathway.models import Episode, PolicyOverride
from facetcare.pathway.states import OPEN_STATES
from facetcare.patients.models import Patient
from facetcare.web.roles import Role, has_role


def open_episode_for(patient: Patient, region: str) -> Episode:
    """The patient's open episode, preferring one in ``region``; PolicyRefused if none."""
    episodes = Episode.objects.filter(patient=patient, state__in=list(OPEN_STATES))
    episode = episodes.filter(region=region).first() if region else None
    episode = episode or episodes.first()
    if episode is None:
        raise PolicyRefused(
            "A procedure needs an open episode with an assessment before it is booked",
            field="service",
        )
    return episode


def valid_override(
    episode: Episode, procedure_type: str, *, current_version: str
) -> PolicyOverride | None:
    """The latest override for this episode and procedure type that still stands: made by
    a consultant, with a reason, against ``current_version`` (the pack version in force now)."""
    for override in episode.overrides.filter(procedure_type=procedure_type).select_related(
        "consultant"
    ):
        if (
            override.reason.strip()
            and has_role(override.consultant, Role.CONSULTANT)
            and override.policy_pack_version == current_version
        ):
            return override
    return None


def local_date(start: datetime, clinic: Clinic | None) -> str:
    """The calendar date of ``start`` where it happens: the clinic's zone if known.

    Rolling windows count calendar days, so a 00:30 BST appointment is on the
    next day from UTC's point of view; the clinic's date is the clinical one.
    """
    if timezone.is_naive(start):
        raise InvalidInput("The start time needs a time zone", field="start")
    zone = zoneinfo.ZoneInfo(clinic.time_zone) if clinic else timezone.get_current_timezone()
    return start.astimezone(zone).date().isoformat()


def check_procedure_booking(
    *,
    patient: Patient,
    service: Service,
    start: datetime,
    acting_user: Actor,
    episode: Episode | None = None,
    clinic: Clinic | None = None,
) -> None:
    """Raise PolicyRefused unless booking ``service`` at ``start`` is allowed.

    Services that are not procedures pass. For a procedure, the policy is
    evaluated for the patient's open episode (or ``episode``) with the request
    type = the service's procedure type, region = the service's region or the
    episode's, the rest (levels, side, injectate, steroid dose, ...) from the
    episode's procedure plan, and date = the local date of ``start`` at ``clinic``.
    It passes if eligible, or if a consultant's override with a reason stands for
    this episode and type (never against a red-flag decision).
    """
    if service.category != Service.Category.PROCEDURE:
        return
    if not service.procedure_type:
        raise PolicyRefused("This procedure service has no procedure type", field="service")
    region = service.region or (episode.region if episode else "")
    episode = episode or open_episode_for(patient, region)
    requested = {
        **planned_request(episode),
        "type": service.procedure_type,
        "region": region or episode.region,
        "date": local_date(start, clinic),
    }
    # A receptionist booking by phone may not read the clinical record, but the
    # check must still run on it: it is the system's check, logged as such.
    log_access(
        user=acting_user,
        action="read",
        patient_id=patient.pk,
        object_type="policy_check",
        object_id=episode.pk,
    )
    decision = decide(episode, requested)
    if decision.decision == "eligible" or (
        decision.decision != "refer_urgently"
        and valid_override(episode, service.procedure_type, current_version=decision.pack_version)
        is not None
    ):
        return
    reasons = [rule.message for rule in decision.rules if rule.id in decision.deciding_rules]
    raise PolicyRefused(
        f"The policy decision is {decision.decision} ({', '.join(decision.deciding_rules)}): "
        + " ".join(reasons),
        field="service",
    )


def planned_request(episode: Episode) -> dict[str, Any]:
    """The episode's procedure plan; PolicyRefused if it is missing what a check needs."""
    plan = dict(episode.procedure_plan)
    if not plan.get("levels") or plan.get("steroid_mg_mpde") is None:
        raise PolicyRefused(
            "Record the procedure plan (levels and planned steroid dose) before booking",
            field="service",
        )
    return plan
