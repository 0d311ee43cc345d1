"""The demo's clinical cases as data: who the patients are, what was found, what is planned.

The assessments follow the public policy cases: PC-38 (cervical axial pain after
two positive diagnostic blocks) and PC-01 (lumbar axial pain before a first
diagnostic medial branch block). People and numbers are fictional; phone numbers
come from Ofcom's drama range and the US 555-01xx block.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from facetcare.demo.people import PATIENT_EMAIL_DOMAIN


@dataclass(frozen=True)
class CasePatient:
    key: str
    first_name: str
    last_name: str
    born: date
    sex: str
    phone: str

    @property
    def email(self) -> str:
        return f"{self.first_name}.{self.last_name}.case-{self.key}@{PATIENT_EMAIL_DOMAIN}".lower()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


NEWLY_REFERRED = CasePatient(
    "a", "Harriet", "Ainscough", date(1979, 3, 14), "female", "+441614960901"
)
RED_FLAGGED = CasePatient("b", "Graham", "Postlethwaite", date(1961, 9, 2), "male", "+441614960902")
STEROID_LIMIT = CasePatient("c", "Martin", "Birtwistle", date(1973, 6, 1), "male", "+441614960903")
FIRST_BLOCK = CasePatient("d", "Alan", "Sowerbutts", date(1967, 11, 20), "male", "+441614960904")
US_REFERRAL = CasePatient("e", "Rosa", "Villanueva", date(1956, 4, 9), "female", "+18185550177")

# PC-38's assessment: cervical axial pain, screened, no red flags, failed care.
CERVICAL_ASSESSMENT: dict[str, Any] = {
    "symptom_pattern": "axial_with_somatic_referral",
    "red_flags_screened": True,
    "red_flags": [],
    "radiculopathy": "none",
    "neuro_signs": [],
    "pain_duration_weeks": 30,
    "nrs_pain": 7,
    "disability_instrument": "NDI",
    "disability_score": Decimal("22"),
    "conservative_care_weeks": 10,
    "conservative_care_modalities": ["exercise_programme", "nsaids"],
    "conservative_care_failed": True,
    "functional_goals": ["Turn my head to reverse the car", "Work a full day at the screen"],
    "impression": "Right C5-6 facet joint pain; paraspinal tenderness, Spurling negative.",
    "plan": "Diagnostic medial branch blocks C5-6 right.",
}

# PC-01's assessment: lumbar axial pain after sixteen weeks of failed care.
LUMBAR_ASSESSMENT: dict[str, Any] = {
    "symptom_pattern": "axial_with_somatic_referral",
    "red_flags_screened": True,
    "red_flags": [],
    "radiculopathy": "none",
    "neuro_signs": [],
    "pain_duration_weeks": 40,
    "nrs_pain": 7,
    "disability_instrument": "ODI",
    "disability_score": Decimal("38"),
    "conservative_care_weeks": 16,
    "conservative_care_modalities": ["exercise_programme", "nsaids", "manual_therapy"],
    "conservative_care_failed": True,
    "functional_goals": ["Lift my grandson", "Walk the dog for half an hour"],
    "impression": "Lumbar facet pain L4-S1; pain on extension-rotation, SLR negative.",
    "plan": "Consultant review for diagnostic medial branch blocks.",
}

# A suspected cauda equina syndrome found at assessment: the banner's case.
CAUDA_EQUINA_ASSESSMENT: dict[str, Any] = {
    **LUMBAR_ASSESSMENT,
    "symptom_pattern": "mixed_radicular_dominant",
    "red_flags": ["saddle_anaesthesia", "urinary_retention"],
    "neuro_signs": ["Reduced perianal sensation", "Bilateral leg numbness"],
    "pain_duration_weeks": 3,
    "conservative_care_weeks": 0,
    "conservative_care_modalities": [],
    "conservative_care_failed": None,
    "functional_goals": ["Get back to driving the bus"],
    "impression": "Possible cauda equina syndrome.",
    "plan": "Same-day referral to the on-call spinal team.",
}

CONSENT_RISKS = [
    "nerve_injury_with_weakness",
    "numbness",
    "post_dural_puncture_headache",
    "bleeding",
    "infection",
    "steroid_effects",
]

CERVICAL_PLAN: dict[str, Any] = {
    "levels": ["C5-6"],
    "side": "right",
    "guidance": "fluoroscopy",
    "sedation": "none",
    "injectate": ["local_anaesthetic", "corticosteroid"],
    "agent": "methylprednisolone + bupivacaine",
    "steroid_mg_mpde": 40,
    "not_rfa_candidate_reason": "Implantable cardioverter-defibrillator; cardiology declined RF",
}

FIRST_BLOCK_PLAN: dict[str, Any] = {
    "levels": ["L4-5", "L5-S1"],
    "side": "bilateral",
    "guidance": "fluoroscopy",
    "sedation": "none",
    "injectate": ["local_anaesthetic"],
    "agent": "lidocaine",
    "steroid_mg_mpde": 0,
}

# (days before today, type, local anaesthetic, relief %, relief days) for the
# cervical patient's procedures here; the injections carry 40 mg methylprednisolone.
CERVICAL_HISTORY: tuple[tuple[int, str, str, int, int | None], ...] = (
    (215, "mbb_diagnostic", "lidocaine", 85, None),
    (200, "mbb_diagnostic", "bupivacaine", 90, None),
    (145, "ia_therapeutic", "bupivacaine", 70, 50),
    (90, "ia_therapeutic", "bupivacaine", 60, 45),
)
EPIDURAL_ELSEWHERE_DAYS_AGO = 40
