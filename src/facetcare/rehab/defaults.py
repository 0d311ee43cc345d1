"""What the start-a-programme form offers first, read from the episode's record.

The start date is the latest procedure's date (the programme follows that
injection) or else the latest assessment's date; the goals are the assessment's
functional goals in the patient's words; an osteoporosis finding becomes a
caution; the clinic is where the injection was done, or one the clinician works at.
"""

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from django.utils import timezone

from facetcare.audit.actors import Actor, authenticated
from facetcare.booking.models import Appointment
from facetcare.clinics.models import Clinic, Practitioner
from facetcare.core.rehab import Pathway
from facetcare.pathway import selectors as pathway_selectors
from facetcare.pathway.models import Episode, ProcedureRecord


@dataclass(frozen=True)
class StartDefaults:
    pathway: Pathway
    procedure: ProcedureRecord | None
    started_on: date
    clinic: Clinic | None
    goals: list[str] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)


def _clinic(user: Actor, episode: Episode, procedure: ProcedureRecord | None) -> Clinic | None:
    if procedure is not None and procedure.appointment is not None:
        return procedure.appointment.clinic
    practitioner = Practitioner.objects.filter(user=authenticated(user)).first()
    if practitioner is not None:
        own = practitioner.clinics.filter(is_active=True).order_by("name").first()
        if own is not None:
            return own
    latest = (
        Appointment.objects.filter(patient_id=episode.patient_id)
        .select_related("clinic")
        .order_by("-start")
        .first()
    )
    return latest.clinic if latest is not None else None


def start_defaults(*, episode: Episode, acting_user: Actor) -> StartDefaults:
    """The form's first values for a programme in ``episode`` (reads are logged)."""
    procedures = pathway_selectors.list_procedures(episode=episode, acting_user=acting_user)
    procedure = procedures[0] if procedures else None
    assessments = pathway_selectors.list_assessments(episode=episode, acting_user=acting_user)
    assessment = assessments[0] if assessments else None
    clinic = _clinic(acting_user, episode, procedure)
    zone = ZoneInfo(clinic.time_zone) if clinic is not None else None
    if procedure is not None:
        started_on = procedure.performed_on
    elif assessment is not None:
        started_on = timezone.localdate(assessment.assessed_at, timezone=zone)
    else:
        started_on = timezone.localdate(timezone=zone)
    return StartDefaults(
        pathway=Pathway.POST_INJECTION if procedure is not None else Pathway.CONSERVATIVE,
        procedure=procedure,
        started_on=started_on,
        clinic=clinic,
        goals=list(assessment.functional_goals) if assessment is not None else [],
        cautions=["osteoporosis"] if assessment is not None and assessment.osteoporosis else [],
    )
