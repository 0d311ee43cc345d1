"""Reads of the clinical record. Each takes the acting user, enforces what that user may
see, and logs the access (the audited ``access_*`` pattern)."""

from typing import Any

from django.db.models import QuerySet

from facetcare.audit.actors import Actor
from facetcare.audit.models import RecordVersion
from facetcare.audit.selectors import list_versions
from facetcare.audit.services import log_access
from facetcare.errors import Forbidden, NotFound
from facetcare.pathway import red_flags
from facetcare.pathway.access import CLINICAL_READERS, require_episode_reader
from facetcare.pathway.models import Assessment, Episode, PolicyOverride, ProcedureRecord
from facetcare.web.roles import Role, has_role


def _log_read(user: Actor, patient_id: int, object_type: str, pk: int | None) -> None:
    log_access(
        user=user, action="read", patient_id=patient_id, object_type=object_type, object_id=pk
    )


def _read_episode_part(user: Actor, episode: Episode, object_type: str, pk: int | None) -> None:
    """Refuse a user who may not read ``episode``; log the read otherwise."""
    require_episode_reader(user, episode)
    _log_read(user, episode.patient_id, object_type, pk)


def get_episode(*, episode_id: int, acting_user: Actor) -> Episode:
    episode = Episode.objects.select_related("patient", "referrer").filter(pk=episode_id).first()
    if episode is None:
        raise NotFound(f"No episode {episode_id}")
    _read_episode_part(acting_user, episode, "episode", episode.pk)
    return episode


def list_episodes(*, patient_id: int, acting_user: Actor) -> list[Episode]:
    """A patient's episodes the user may see, newest first (a referrer: those they referred)."""
    episodes = Episode.objects.filter(patient_id=patient_id).select_related("patient")
    if not has_role(acting_user, *CLINICAL_READERS):
        if not has_role(acting_user, Role.REFERRER):
            raise Forbidden("You may not see this patient's clinical record")
        episodes = episodes.filter(referrer_id=acting_user.pk)
    found = list(episodes)
    if found:
        _log_read(acting_user, patient_id, "episode_list", None)
    return found


def get_assessment(*, assessment_id: int, acting_user: Actor) -> Assessment:
    assessment = (
        Assessment.objects.select_related("episode", "assessed_by").filter(pk=assessment_id).first()
    )
    if assessment is None:
        raise NotFound(f"No assessment {assessment_id}")
    _read_episode_part(acting_user, assessment.episode, "assessment", assessment.pk)
    return assessment


def list_assessments(*, episode: Episode, acting_user: Actor) -> list[Assessment]:
    _read_episode_part(acting_user, episode, "assessment_list", episode.pk)
    return list(episode.assessments.select_related("assessed_by"))


def latest_assessment(episode: Episode) -> Assessment | None:
    """The episode's most recent assessment, for callers that already checked access."""
    return episode.assessments.order_by("-assessed_at", "-id").first()


def red_flag_banners(assessment: Assessment) -> list[red_flags.Banner]:
    return red_flags.banners_for(
        list(assessment.red_flags), suspected_axspa=assessment.suspected_axspa
    )


def get_procedure(*, procedure_id: int, acting_user: Actor) -> ProcedureRecord:
    procedure = (
        ProcedureRecord.objects.select_related("episode", "operator", "appointment")
        .filter(pk=procedure_id)
        .first()
    )
    if procedure is None:
        raise NotFound(f"No procedure {procedure_id}")
    _read_episode_part(acting_user, procedure.episode, "procedurerecord", procedure.pk)
    return procedure


def list_procedures(*, episode: Episode, acting_user: Actor) -> list[ProcedureRecord]:
    _read_episode_part(acting_user, episode, "procedure_list", episode.pk)
    return list(episode.procedures.select_related("operator"))


def patient_procedure_history(patient_id: int) -> QuerySet[ProcedureRecord]:
    """Every procedure recorded for a patient, in any episode, oldest first (for the
    policy facts; callers check access)."""
    return ProcedureRecord.objects.filter(episode__patient_id=patient_id).order_by(
        "performed_on", "id"
    )


def list_overrides(*, episode: Episode, acting_user: Actor) -> list[PolicyOverride]:
    _read_episode_part(acting_user, episode, "override_list", episode.pk)
    return list(episode.overrides.select_related("consultant"))


def get_record_history(*, record: Any, acting_user: Actor) -> list[RecordVersion]:
    """Every version of an episode, assessment, procedure or override, oldest first."""
    episode = record if isinstance(record, Episode) else record.episode
    _read_episode_part(acting_user, episode, f"{record._meta.model_name}_history", record.pk)
    return list(list_versions(instance=record))
