"""The red-flag taxonomy and what each category demands, in one place.

Codes and categories follow the shared triage block of the policy packs
(Gloucestershire G-Care red flags, NICE NG59 1.1.1, NICE NG65 for axial
spondyloarthritis). Plain data and functions: the assessment model, the
services, the API and the pages all read the same table.
"""

from dataclasses import dataclass
from enum import StrEnum


class Urgency(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"


@dataclass(frozen=True)
class RedFlagCategory:
    key: str
    label: str
    urgency: Urgency
    action: str
    codes: tuple[str, ...]


CATEGORIES: tuple[RedFlagCategory, ...] = (
    RedFlagCategory(
        "cauda_equina",
        "Suspected cauda equina syndrome",
        Urgency.EMERGENCY,
        "Emergency: same-day referral to the emergency department / on-call spinal team",
        (
            "saddle_anaesthesia",
            "urinary_retention",
            "new_urinary_incontinence",
            "new_faecal_incontinence",
            "new_bilateral_leg_neuro_symptoms",
            "new_sexual_dysfunction",
        ),
    ),
    RedFlagCategory(
        "malignancy",
        "Suspected spinal malignancy / metastatic spinal cord compression",
        Urgency.URGENT,
        "Urgent: refer on the MSCC pathway (same day if there are neurological signs)",
        (
            "history_of_cancer_with_new_spinal_pain",
            "unexplained_weight_loss",
            "progressive_non_mechanical_night_pain",
            "suspected_metastatic_cord_compression",
        ),
    ),
    RedFlagCategory(
        "infection",
        "Suspected spinal infection",
        Urgency.EMERGENCY,
        "Emergency: same-day referral for suspected discitis or epidural abscess",
        (
            "fever_or_rigors",
            "iv_drug_use_with_new_pain",
            "immunosuppression_with_new_pain",
            "recent_spinal_procedure_with_fever_or_wound_signs",
        ),
    ),
    RedFlagCategory(
        "fracture",
        "Suspected vertebral fracture",
        Urgency.URGENT,
        "Urgent: imaging and assessment for a suspected vertebral fracture",
        (
            "significant_trauma",
            "minor_trauma_with_osteoporosis",
            "sudden_pain_on_long_term_corticosteroids",
            "new_structural_deformity",
        ),
    ),
    RedFlagCategory(
        "neurological",
        "Progressive or severe neurological deficit",
        Urgency.URGENT,
        "Urgent: specialist spinal referral (emergency if rapidly progressive)",
        (
            "progressive_motor_deficit",
            "severe_motor_deficit",
            "myelopathy_signs",
            "widespread_neuro_deficit",
        ),
    ),
)

AXSPA = RedFlagCategory(
    "axspa",
    "Suspected axial spondyloarthritis",
    Urgency.ROUTINE,
    "Refer to rheumatology (not an emergency); not a facet procedure candidate",
    (),
)

# Most urgent first, so a banner leads with what must happen now.
_ORDER = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 2}

CATEGORY_OF_CODE: dict[str, RedFlagCategory] = {
    code: category for category in CATEGORIES for code in category.codes
}
ALL_CODES: tuple[str, ...] = tuple(CATEGORY_OF_CODE)


@dataclass(frozen=True)
class Banner:
    category: str
    label: str
    urgency: Urgency
    action: str
    codes: tuple[str, ...]


def unknown_codes(codes: list[str] | tuple[str, ...]) -> list[str]:
    """The codes that are not in the taxonomy, in the order given."""
    return [code for code in codes if code not in CATEGORY_OF_CODE]


def banners_for(codes: list[str] | tuple[str, ...], *, suspected_axspa: bool) -> list[Banner]:
    """One banner per red-flag category present, most urgent first.

    Raises ValueError naming any code outside the taxonomy, because a flag the
    system cannot categorise would otherwise be shown to nobody.
    """
    unknown = unknown_codes(codes)
    if unknown:
        raise ValueError(f"Unknown red-flag codes: {', '.join(unknown)}")
    banners = [
        Banner(c.key, c.label, c.urgency, c.action, tuple(x for x in c.codes if x in codes))
        for c in CATEGORIES
        if any(code in codes for code in c.codes)
    ]
    if suspected_axspa:
        banners.append(Banner(AXSPA.key, AXSPA.label, AXSPA.urgency, AXSPA.action, ()))
    return sorted(banners, key=lambda banner: _ORDER[banner.urgency])
