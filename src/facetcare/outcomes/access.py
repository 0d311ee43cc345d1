"""Who may read and record a patient's outcomes.

Clinicians and managers (the clinical readers) for any patient; a patient, signed
in to the portal, for their own record only (their user's ``portal_account``).
Recording a score as the clinician's own observation needs a clinical role.
"""

from facetcare.audit.actors import Actor
from facetcare.audit.services import log_access
from facetcare.errors import Forbidden
from facetcare.pathway.access import CLINICAL_READERS
from facetcare.web.roles import CLINICAL_ROLES, has_role


def is_own_record(user: Actor, patient_id: int) -> bool:
    """Whether ``user`` is the portal account of patient ``patient_id``."""
    account = getattr(user, "portal_account", None) if user.is_authenticated else None
    return account is not None and account.patient_id == patient_id


def can_read_outcomes(user: Actor, patient_id: int) -> bool:
    return has_role(user, *CLINICAL_READERS) or is_own_record(user, patient_id)


def require_outcomes_reader(user: Actor, patient_id: int, object_type: str) -> None:
    """Refuse anyone else; log the read (a patient's own reads are logged too)."""
    if not can_read_outcomes(user, patient_id):
        raise Forbidden("You may not see this patient's outcomes")
    log_access(user=user, action="read", patient_id=patient_id, object_type=object_type)


def require_recorder(user: Actor, patient_id: int, *, as_clinician: bool) -> None:
    """A clinician may record for any patient; a patient only their own, as themselves."""
    if has_role(user, *CLINICAL_ROLES):
        return
    if not as_clinician and is_own_record(user, patient_id):
        return
    raise Forbidden("You may not record outcomes for this patient")
