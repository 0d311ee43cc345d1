"""A small clinical world for page and browser tests.

One London clinic with a fluoroscopy room; a consultant, a physiotherapist, a
receptionist and a manager; and two patients with lumbar episodes:

- ``new_patient``: referred, not yet assessed;
- ``injected_patient``: assessed (axial pain, no red flags, failed physiotherapy)
  after three steroid facet injections elsewhere in the last six months, with a
  procedure appointment booked today, so a fourth steroid injection meets the
  clinic's limit of three in six months (UK-STER-01).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Clinic, Practitioner, Profession, Room, Service
from facetcare.pathway.models import Episode
from facetcare.pathway.procedures import record_procedure
from facetcare.pathway.services import open_episode, record_assessment
from facetcare.patients.models import Patient
from facetcare.web.roles import Role
from tests.web.staff import make_staff

LONDON = ZoneInfo("Europe/London")


@dataclass
class ClinicalWorld:
    clinic: Clinic
    consultant: Any
    physio: Any
    receptionist: Any
    manager: Any
    new_patient: Patient
    new_episode: Episode
    injected_patient: Patient
    injected_episode: Episode
    procedure_appointment: Appointment


def _patient(first: str, last: str, born: date) -> Patient:
    return Patient.objects.create(
        first_name=first,
        last_name=last,
        date_of_birth=born,
        email=f"{first.lower()}.{last.lower()}@example.com",
        phone="+442079460123",
        sex=Patient.Sex.MALE,
    )


def _clinician(username: str, role: Role, first: str, last: str, profession: str) -> Any:
    user = make_staff(username, role, first_name=first, last_name=last)
    Practitioner.objects.create(user=user, first_name=first, last_name=last, profession=profession)
    return user


def _procedure_appointment(clinic: Clinic, patient: Patient, consultant: Any) -> Appointment:
    service = Service.objects.create(
        name="Lumbar facet joint injection",
        slug="lumbar-facet-injection",
        category=Service.Category.PROCEDURE,
        duration_minutes=30,
        price=Decimal("650"),
        required_profession=Profession.PAIN_CONSULTANT,
        procedure_type=Service.ProcedureType.IA_THERAPEUTIC,
        region=Service.Region.LUMBAR,
        online_bookable=False,
    )
    room = Room.objects.create(clinic=clinic, name="Theatre 1", equipment=["fluoroscopy"])
    start = datetime.combine(timezone.localdate(timezone=LONDON), time(8, 0), tzinfo=LONDON)
    end = start + timedelta(minutes=30)
    return Appointment.objects.create(
        patient=patient,
        service=service,
        clinic=clinic,
        practitioner=consultant.practitioner,
        room=room,
        start=start,
        end=end,
        occupied_start=start,
        occupied_end=end,
        session_key=f"procedure-{patient.pk}",
        channel=Appointment.Channel.STAFF,
        price=Decimal("650"),
        currency="GBP",
    )


BASELINE_ASSESSMENT: dict[str, Any] = {
    "symptom_pattern": "axial",
    "red_flags_screened": True,
    "red_flags": [],
    "radiculopathy": "none",
    "pain_duration_weeks": 40,
    "nrs_pain": 7,
    "disability_instrument": "ODI",
    "disability_score": Decimal("38"),
    "conservative_care_weeks": 16,
    "conservative_care_modalities": ["exercise_programme", "nsaids"],
    "conservative_care_failed": True,
    "functional_goals": ["Pick up my granddaughter"],
}


def _earlier_steroid_injection(episode: Episode, consultant: Any, days_ago: int) -> None:
    record_procedure(
        episode=episode,
        acting_user=consultant,
        performed_elsewhere="Another pain clinic",
        details={
            "performed_on": timezone.localdate() - timedelta(days=days_ago),
            "type": "ia_therapeutic",
            "region": "lumbar",
            "levels": ["L4-5"],
            "side": "bilateral",
            "guidance": "fluoroscopy",
            "injectate": [{"agent": "methylprednisolone", "dose_mg": 40}],
            "steroid_mg_mpde": Decimal("40"),
            "consent_obtained": True,
            "risks_discussed": ["infection", "bleeding", "steroid_effects"],
        },
    )


def build_clinical_world() -> ClinicalWorld:
    clinic = Clinic.objects.create(
        name="London Bridge",
        slug="london-bridge",
        address="1 Bridge Street, London",
        latitude=Decimal("51.5"),
        longitude=Decimal("-0.09"),
        phone="+442000000000",
        email="lb@clinic.example",
        time_zone="Europe/London",
    )
    consultant = _clinician("drpatel", Role.CONSULTANT, "Anil", "Patel", Profession.PAIN_CONSULTANT)
    physio = _clinician("sam", Role.PHYSIOTHERAPIST, "Sam", "Lee", Profession.PHYSIOTHERAPIST)
    receptionist = make_staff("rita", Role.RECEPTIONIST, first_name="Rita", last_name="Moss")
    manager = make_staff("maria", Role.MANAGER, first_name="Maria", last_name="Costa")

    new_patient = _patient("Nora", "Quinn", date(1968, 5, 2))
    new_episode = open_episode(
        patient=new_patient, region="lumbar", side="bilateral", referral_source="gp",
        acting_user=physio,
    )  # fmt: skip
    injected_patient = _patient("Oliver", "Reed", date(1961, 9, 14))
    injected_episode = open_episode(
        patient=injected_patient, region="lumbar", side="bilateral", referral_source="gp",
        acting_user=consultant,
    )  # fmt: skip
    record_assessment(episode=injected_episode, details=BASELINE_ASSESSMENT, acting_user=consultant)
    for days_ago in (150, 100, 50):
        _earlier_steroid_injection(injected_episode, consultant, days_ago)
    appointment = _procedure_appointment(clinic, injected_patient, consultant)
    return ClinicalWorld(
        clinic, consultant, physio, receptionist, manager, new_patient, new_episode,
        injected_patient, injected_episode, appointment,
    )  # fmt: skip
