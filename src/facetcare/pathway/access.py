"""Who may see and change which part of a patient's record, in one place.

Clinicians (physiotherapists, consultants) and managers see the clinical
record; receptionists see demographics and bookings only; a referrer sees only
the episodes they referred, and the demographics of those patients.
"""

from facetcare.audit.actors import Actor
from facetcare.errors import Forbidden
from facetcare.pathway.models import Episode
from facetcare.web.roles import CLINICAL_ROLES, Role, has_role

CLINICAL_READERS = (*CLINICAL_ROLES, Role.MANAGER)
DEMOGRAPHIC_READERS = (*CLINICAL_READERS, Role.RECEPTIONIST)


def can_read_episode(user: Actor, episode: Episode) -> bool:
    if has_role(user, *CLINICAL_READERS):
        return True
    return has_role(user, Role.REFERRER) and episode.referrer_id == user.pk


def can_read_demographics(user: Actor, patient_id: int) -> bool:
    if has_role(user, *DEMOGRAPHIC_READERS):
        return True
    return (
        has_role(user, Role.REFERRER)
        and Episode.objects.filter(patient_id=patient_id, referrer_id=user.pk).exists()
    )


def require_episode_reader(user: Actor, episode: Episode) -> None:
    if not can_read_episode(user, episode):
        raise Forbidden("You may not see this patient's clinical record")


def require_role(user: Actor, *roles: Role, doing: str) -> None:
    """Raise Forbidden unless ``user`` holds one of ``roles``; ``doing`` names the action."""
    if not has_role(user, *roles):
        names = " or ".join(role.value for role in roles)
        raise Forbidden(f"Only a {names} may {doing}")
