"""A small clinical world: one London clinic, a cervical facet injection service, and
one user per role (the physiotherapist and consultant linked to practitioners).

Import the fixtures into a test package's conftest to use them there.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Clinic, Practitioner, Profession, Room, Service
from facetcare.pathway import services
from facetcare.pathway.models import Assessment, Episode
from facetcare.patients.models import Patient
from facetcare.web.roles import Role
from tests.factories import make_clinic, make_patient, make_practitioner, make_room, make_service
from tests.factories import make_staff as make_staff_with_token

RISKS = [
    "nerve_injury_with_weakness",
    "numbness",
    "post_dural_puncture_headache",
    "bleeding",
    "infection",
    "steroid_effects",
]

# The assessment of public case PC-38 (cervical axial pain, screened, no red flags).
PC38_ASSESSMENT: dict[str, Any] = {
    "symptom_pattern": "axial_with_somatic_referral",
    "red_flags_screened": True,
    "red_flags": [],
    "suspected_axspa": False,
    "radiculopathy": "none",
    "neuro_signs": [],
    "pain_duration_weeks": 30,
    "nrs_pain": 7,
    "disability_instrument": "NDI",
    "disability_score": Decimal("22"),
    "conservative_care_weeks": 10,
    "conservative_care_modalities": ["exercise_programme", "nsaids"],
    "conservative_care_failed": True,
    "functional_goals": ["turn my head to reverse the car"],
    "non_facet_pathology": "",
    "widespread_pain_condition": False,
    "prior_alif": False,
    "postmenopausal": False,
    "osteoporosis": False,
}


@dataclass
class ClinicalWorld:
    clinic: Clinic
    room: Room
    injection: Service
    physio: User
    consultant: User
    manager: User
    receptionist: User
    referrer: User
    consultant_practitioner: Practitioner
    patient: Patient
    tokens: dict[str, str]


def _user(role: Role) -> tuple[User, str]:
    return make_staff_with_token(role)


@pytest.fixture
def cw(db: None) -> ClinicalWorld:
    clinic = make_clinic()
    room = make_room(clinic, equipment=("fluoroscopy",))
    injection = make_service(
        name="Cervical facet joint injection",
        slug="cervical-facet-injection",
        category=Service.Category.PROCEDURE,
        procedure_type=Service.ProcedureType.IA_THERAPEUTIC,
        region=Service.Region.CERVICAL,
        required_profession=Profession.PAIN_CONSULTANT,
        duration_minutes=30,
        online_bookable=False,
    )
    users = {role: _user(role) for role in Role}
    physio_practitioner = make_practitioner(clinic)
    physio_practitioner.user = users[Role.PHYSIOTHERAPIST][0]
    physio_practitioner.save()
    consultant_practitioner = make_practitioner(
        clinic, injection, profession=Profession.PAIN_CONSULTANT
    )
    consultant_practitioner.user = users[Role.CONSULTANT][0]
    consultant_practitioner.save()
    patient = make_patient(first_name="Robin", last_name="Hale", date_of_birth=date(1973, 6, 1))
    patient.sex = Patient.Sex.MALE
    patient.save(update_fields=["sex"])
    return ClinicalWorld(
        clinic=clinic,
        room=room,
        injection=injection,
        physio=users[Role.PHYSIOTHERAPIST][0],
        consultant=users[Role.CONSULTANT][0],
        manager=users[Role.MANAGER][0],
        receptionist=users[Role.RECEPTIONIST][0],
        referrer=users[Role.REFERRER][0],
        consultant_practitioner=consultant_practitioner,
        patient=patient,
        tokens={role.value: raw for role, (_, raw) in users.items()},
    )


def open_cervical_episode(cw: ClinicalWorld, **fields: Any) -> Episode:
    values: dict[str, Any] = {
        "patient": cw.patient,
        "region": "cervical",
        "side": "right",
        "referral_source": "gp",
        "acting_user": cw.physio,
    }
    return services.open_episode(**(values | fields))


def assess(cw: ClinicalWorld, episode: Episode, **changes: Any) -> Assessment:
    return services.record_assessment(
        episode=episode, details=PC38_ASSESSMENT | changes, acting_user=cw.physio
    )


def make_appointment(cw: ClinicalWorld, start: datetime, service: Service | None = None) -> Any:
    service = service or cw.injection
    end = start + timedelta(minutes=service.duration_minutes)
    return Appointment.objects.create(
        patient=cw.patient,
        service=service,
        clinic=cw.clinic,
        practitioner=cw.consultant_practitioner,
        room=cw.room,
        start=start,
        end=end,
        occupied_start=start,
        occupied_end=end,
        session_key=f"appt-{start.isoformat()}",
        channel=Appointment.Channel.STAFF,
        price=Decimal("450.00"),
        currency="GBP",
    )


def procedure_details(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "type": "ia_therapeutic",
        "region": "cervical",
        "levels": ["C5-6"],
        "side": "right",
        "guidance": "fluoroscopy",
        "sedation": "none",
        "injectate": [
            {"agent": "methylprednisolone", "dose_mg": 40},
            {"agent": "bupivacaine", "dose_mg": 5},
        ],
        "steroid_mg_mpde": Decimal("40"),
        "consent_obtained": True,
        "risks_discussed": RISKS,
    }
    return values | changes


def bare_episode(cw: ClinicalWorld, state: str = "referred", **fields: Any) -> Episode:
    """An episode written straight to the table in ``state``: set-up for tests about
    what happens next, not about opening one."""
    from django.utils import timezone

    values: dict[str, Any] = {
        "patient": cw.patient,
        "region": "cervical",
        "side": "right",
        "referral_source": "gp",
        "policy_pack_id": "uk_nice_ng59_clinic",
        "policy_pack_version": "1",
        "state": state,
        "state_changed_at": timezone.now(),
        "opened_by": cw.physio,
        "opened_at": timezone.now(),
    }
    return Episode.objects.create(**(values | fields))
