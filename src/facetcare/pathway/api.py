"""Clinical pathway API: episodes, assessments, procedures, policy decisions, overrides.

Staff bearer token; what each role may do is the services' and selectors' call,
so this API and the staff pages refuse the same things.
"""

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Query, Router, Status

from facetcare.booking.models import Appointment
from facetcare.errors import InvalidInput, NotFound
from facetcare.pathway import procedures, selectors, services
from facetcare.pathway import schemas as s
from facetcare.pathway.facts import get_policy_decision
from facetcare.patients.records import get_patient
from facetcare.web.auth import StaffToken

router = Router(tags=["pathway"], auth=StaffToken())


def _user(request: HttpRequest) -> Any:
    return request.user


@router.get("/patients/{patient_id}/episodes", response=list[s.EpisodeOut])
def list_episodes(request: HttpRequest, patient_id: s.Id) -> Any:
    get_patient(patient_id=patient_id, acting_user=_user(request))
    return selectors.list_episodes(patient_id=patient_id, acting_user=_user(request))


@router.post("/patients/{patient_id}/episodes", response={201: s.EpisodeOut})
def open_episode(request: HttpRequest, patient_id: s.Id, payload: s.EpisodeIn) -> Any:
    patient = get_patient(patient_id=patient_id, acting_user=_user(request))
    data = payload.dict(exclude={"referrer_id"})
    referrer = None
    if payload.referrer_id is not None:
        referrer = User.objects.filter(pk=payload.referrer_id, is_active=True).first()
        if referrer is None:
            raise InvalidInput("No such referrer account", field="referrer_id")
    episode = services.open_episode(
        patient=patient, referrer=referrer, acting_user=_user(request), **data
    )
    return Status(201, episode)


@router.get("/episodes/{episode_id}", response=s.EpisodeOut)
def get_episode(request: HttpRequest, episode_id: s.Id) -> Any:
    return selectors.get_episode(episode_id=episode_id, acting_user=_user(request))


@router.post("/episodes/{episode_id}/transition", response=s.EpisodeOut)
def transition(request: HttpRequest, episode_id: s.Id, payload: s.TransitionIn) -> Any:
    episode = selectors.get_episode(episode_id=episode_id, acting_user=_user(request))
    return services.transition_episode(
        episode=episode, to_state=payload.to_state, reason=payload.reason,
        acting_user=_user(request),
    )  # fmt: skip


@router.put("/episodes/{episode_id}/plan", response=s.EpisodeOut)
def plan(request: HttpRequest, episode_id: s.Id, payload: s.PlanIn) -> Any:
    episode = selectors.get_episode(episode_id=episode_id, acting_user=_user(request))
    plan = payload.dict(exclude_none=True)
    return services.plan_procedure(episode=episode, plan=plan, acting_user=_user(request))


@router.post("/episodes/{episode_id}/assessments", response={201: s.AssessmentOut})
def record_assessment(request: HttpRequest, episode_id: s.Id, payload: s.AssessmentIn) -> Any:
    episode = selectors.get_episode(episode_id=episode_id, acting_user=_user(request))
    assessment = services.record_assessment(
        episode=episode, details=payload.dict(), acting_user=_user(request)
    )
    return Status(201, assessment)


@router.get("/assessments/{assessment_id}", response=s.AssessmentOut)
def get_assessment(request: HttpRequest, assessment_id: s.Id) -> Any:
    return selectors.get_assessment(assessment_id=assessment_id, acting_user=_user(request))


@router.post("/assessments/{assessment_id}/amendments", response=s.AssessmentOut)
def amend_assessment(request: HttpRequest, assessment_id: s.Id, payload: s.AmendmentIn) -> Any:
    assessment = selectors.get_assessment(assessment_id=assessment_id, acting_user=_user(request))
    return services.amend_assessment(
        assessment=assessment, changes=payload.changes, reason=payload.reason,
        acting_user=_user(request),
    )  # fmt: skip


@router.get("/assessments/{assessment_id}/versions", response=list[s.VersionOut])
def assessment_versions(request: HttpRequest, assessment_id: s.Id) -> Any:
    assessment = selectors.get_assessment(assessment_id=assessment_id, acting_user=_user(request))
    return selectors.get_record_history(record=assessment, acting_user=_user(request))


@router.post("/episodes/{episode_id}/procedures", response={201: s.ProcedureOut})
def record_procedure(request: HttpRequest, episode_id: s.Id, payload: s.ProcedureIn) -> Any:
    episode = selectors.get_episode(episode_id=episode_id, acting_user=_user(request))
    appointment = None
    if payload.appointment_id is not None:
        appointment = (
            Appointment.objects.select_related("clinic", "service")
            .filter(pk=payload.appointment_id)
            .first()
        )
        if appointment is None:
            raise NotFound(f"No appointment {payload.appointment_id}", field="appointment_id")
    details = payload.dict(exclude={"appointment_id", "performed_elsewhere"})
    details["injectate"] = [item.dict() for item in payload.injectate]
    if details["performed_on"] is None:
        del details["performed_on"]
    record = procedures.record_procedure(
        episode=episode, details=details, appointment=appointment,
        performed_elsewhere=payload.performed_elsewhere, acting_user=_user(request),
    )  # fmt: skip
    return Status(201, record)


@router.get("/procedures/{procedure_id}", response=s.ProcedureOut)
def get_procedure(request: HttpRequest, procedure_id: s.Id) -> Any:
    return selectors.get_procedure(procedure_id=procedure_id, acting_user=_user(request))


@router.post("/procedures/{procedure_id}/response", response=s.ProcedureOut)
def record_response(request: HttpRequest, procedure_id: s.Id, payload: s.ResponseIn) -> Any:
    record = selectors.get_procedure(procedure_id=procedure_id, acting_user=_user(request))
    return procedures.record_procedure_response(
        procedure=record, acting_user=_user(request), **payload.dict()
    )


@router.get("/episodes/{episode_id}/policy", response=dict[str, Any])
def policy_decision(request: HttpRequest, episode_id: s.Id, query: Query[s.PolicyQuery]) -> Any:
    episode = selectors.get_episode(episode_id=episode_id, acting_user=_user(request))
    decision = get_policy_decision(
        episode=episode,
        requested=query.as_request(episode_region=episode.region),
        acting_user=_user(request),
    )
    return {
        **decision.to_dict(),
        "episode_id": episode.pk,
        "episode_pack_version": episode.policy_pack_version,
    }


@router.post("/episodes/{episode_id}/overrides", response={201: s.OverrideOut})
def record_override(request: HttpRequest, episode_id: s.Id, payload: s.OverrideIn) -> Any:
    episode = selectors.get_episode(episode_id=episode_id, acting_user=_user(request))
    override = procedures.record_policy_override(
        episode=episode, requested=payload.requested.dict(exclude_none=True),
        reason=payload.reason, acting_user=_user(request),
    )  # fmt: skip
    return Status(201, override)
