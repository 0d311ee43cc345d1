"""The planner's vocabulary: regions, pathways, phases, aims, cautions and goal tags.

Each controlled word has a plain label for pages and handouts. Unknown words are
refused wherever they enter (an exercise, a template, a request to plan), so a
misspelt caution can never let an unsuitable exercise through.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from types import MappingProxyType

from facetcare.core.rehab.errors import PlanningError


class Region(StrEnum):
    """Where an exercise works; ``GENERAL`` suits a programme for any spinal region."""

    CERVICAL = "cervical"
    THORACIC = "thoracic"
    LUMBAR = "lumbar"
    GENERAL = "general"


SPINAL_REGIONS = (Region.CERVICAL, Region.THORACIC, Region.LUMBAR)


class Pathway(StrEnum):
    """What a programme follows: a facet injection or block, or physiotherapy alone."""

    POST_INJECTION = "post_injection"
    CONSERVATIVE = "conservative"


class Aim(StrEnum):
    """What an exercise is for; each phase must serve a set of aims."""

    PAIN_RELIEF = "pain_relief"
    MOBILITY = "mobility"
    STRENGTH = "strength"
    STABILITY = "stability"
    FITNESS = "fitness"


# Phase numbers: 1 weeks 0-2, 2 weeks 2-6, 3 weeks 6-12, 4 from week 12.
PHASES = (1, 2, 3, 4)

REGION_LABELS = MappingProxyType(
    {
        Region.CERVICAL: "Neck (cervical)",
        Region.THORACIC: "Mid back (thoracic)",
        Region.LUMBAR: "Low back (lumbar)",
        Region.GENERAL: "Whole body",
    }
)
PATHWAY_LABELS = MappingProxyType(
    {
        Pathway.POST_INJECTION: "After a facet joint injection or block",
        Pathway.CONSERVATIVE: "Physiotherapy without an injection",
    }
)
AIM_LABELS = MappingProxyType(
    {
        Aim.PAIN_RELIEF: "Pain relief",
        Aim.MOBILITY: "Mobility",
        Aim.STRENGTH: "Strength",
        Aim.STABILITY: "Stability and control",
        Aim.FITNESS: "General fitness",
    }
)

# Conditions that rule an exercise out. The record supplies them (the assessment's
# osteoporosis flag) or the clinician adds them when starting a programme.
CAUTIONS = MappingProxyType(
    {
        "osteoporosis": "Osteoporosis",
        "recent_fracture": "Fracture in the last three months",
        "pregnancy": "Pregnancy",
        "shoulder_injury": "Shoulder injury or painful shoulder",
        "balance_problems": "Balance problems or falls",
        "post_injection_24h": "First day after an injection",
        "dizziness_on_neck_movement": "Dizziness when moving the neck",
        "wrist_pain": "Wrist or hand pain (no weight through the hands)",
        "knee_pain": "Knee pain (no deep bending or kneeling)",
    }
)

# What a patient wants to be able to do again, as tags an exercise can serve.
GOAL_TAGS = MappingProxyType(
    {
        "turning_head": "Turning the head",
        "driving": "Driving",
        "sitting_tolerance": "Sitting for longer",
        "desk_work": "Desk and screen work",
        "standing_tolerance": "Standing for longer",
        "walking": "Walking",
        "lifting": "Lifting and carrying",
        "bending": "Bending down",
        "reaching_overhead": "Reaching overhead",
        "rotation": "Twisting and turning the trunk",
        "golf": "Golf",
        "running": "Running",
        "swimming": "Swimming",
        "cycling": "Cycling",
        "gardening": "Gardening",
        "housework": "Housework",
        "stairs": "Stairs",
        "sleep": "Sleeping comfortably",
        "breathing": "Breathing deeply",
    }
)


def parse_region(value: str) -> Region:
    """``value`` as a Region; PlanningError (field ``region``) if it is not one."""
    try:
        return Region(value)
    except ValueError:
        raise PlanningError(f"Unknown region {value!r}", field="region") from None


def parse_pathway(value: str) -> Pathway:
    """``value`` as a Pathway; PlanningError (field ``pathway``) if it is not one."""
    try:
        return Pathway(value)
    except ValueError:
        raise PlanningError(f"Unknown pathway {value!r}", field="pathway") from None


def check_cautions(values: Iterable[str]) -> frozenset[str]:
    """The cautions as a frozenset; PlanningError (field ``cautions``) naming any unknown."""
    if isinstance(values, str):
        raise PlanningError("Cautions must be a list of caution codes", field="cautions")
    found = frozenset(values)
    unknown = sorted(found - CAUTIONS.keys())
    if unknown:
        raise PlanningError(f"Unknown cautions: {', '.join(unknown)}", field="cautions")
    return found
