"""Who may see and change a rehabilitation programme, in one place.

Clinicians (physiotherapists, consultants) and managers read any programme, as
they read the clinical record; physiotherapists and consultants change them.
A patient signed in to the portal reads and logs their own programme only.
Receptionists and referrers see no programme.
"""

from facetcare.audit.actors import Actor
from facetcare.errors import Forbidden
from facetcare.pathway.access import CLINICAL_READERS
from facetcare.web.roles import CLINICAL_ROLES, has_role


def own_patient_id(user: Actor) -> int | None:
    """The patient a signed-in portal user is, or None for anyone else.

    Read through the reverse accessor of the portal's account link
    (``PortalAccount.user``, related name ``portal_account``), so this app needs
    no import of the portal app, which itself reads programmes from here.
    """
    if not user.is_authenticated:
        return None
    account = getattr(user, "portal_account", None)
    patient_id = getattr(account, "patient_id", None)
    return patient_id if isinstance(patient_id, int) else None


def can_read_programmes_of(user: Actor, patient_id: int) -> bool:
    if has_role(user, *CLINICAL_READERS):
        return True
    return own_patient_id(user) == patient_id


def require_reader(user: Actor, patient_id: int) -> None:
    if not can_read_programmes_of(user, patient_id):
        raise Forbidden("You may not see this patient's rehabilitation programme")


def require_clinician(user: Actor, *, doing: str) -> None:
    if not has_role(user, *CLINICAL_ROLES):
        raise Forbidden(f"Only a physiotherapist or consultant may {doing}")


def require_logger(user: Actor, patient_id: int) -> None:
    """A clinician, or the patient themself, may log an exercise."""
    if has_role(user, *CLINICAL_ROLES) or own_patient_id(user) == patient_id:
        return
    raise Forbidden("Only the patient or their clinician may log exercises")
