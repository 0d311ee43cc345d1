"""Programme templates: for each spinal region and pathway, four phases with their goals,
what the physiotherapist may include, and the aims every phase must serve.

The phases follow the course the clinics describe after a facet injection:
settle the pain and start moving (weeks 0-2), build strength and fitness
(weeks 2-6), specific strength, stability and function (weeks 6-12), then the
patient's own goals and self-management (from week 12). The text is ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from facetcare.core.rehab.errors import PlanningError
from facetcare.core.rehab.vocabulary import (
    PATHWAY_LABELS,
    PHASES,
    REGION_LABELS,
    SPINAL_REGIONS,
    Aim,
    Pathway,
    Region,
)


@dataclass(frozen=True, slots=True)
class PhaseTemplate:
    """One phase as planned: weeks ``start_week`` up to (not including) ``end_week``.

    ``aims`` are served in the order given (each by at least one exercise);
    ``implied_cautions`` hold for the whole phase whatever the record says
    (the first day after an injection, for phase 1 of that pathway).
    """

    number: int
    title: str
    start_week: int
    end_week: int
    goals: str
    interventions: tuple[str, ...]
    aims: tuple[Aim, ...]
    implied_cautions: frozenset[str] = frozenset()

    @property
    def weeks_label(self) -> str:
        """'Weeks 2 to 6', or 'From week 12' for the open-ended last phase."""
        if self.number == PHASES[-1]:
            return f"From week {self.start_week}"
        return f"Weeks {self.start_week} to {self.end_week}"


@dataclass(frozen=True, slots=True)
class ProgrammeTemplate:
    """The four phases of a programme for one region and pathway."""

    region: Region
    pathway: Pathway
    title: str
    summary: str
    phases: tuple[PhaseTemplate, ...]

    def phase(self, number: int) -> PhaseTemplate:
        return self.phases[number - 1]


# Where each region's strengthening is aimed, and what daily life asks of it.
_AREAS = MappingProxyType(
    {
        Region.CERVICAL: "neck, shoulder blades and upper back",
        Region.THORACIC: "upper back, chest and shoulder girdle",
        Region.LUMBAR: "trunk, hips and legs",
    }
)
_DAILY = MappingProxyType(
    {
        Region.CERVICAL: "turning to reverse the car, screen work and sleeping comfortably",
        Region.THORACIC: "reaching, twisting, deep breaths and sitting at a desk",
        Region.LUMBAR: "sitting, bending, lifting and walking",
    }
)

PHASE_AIMS: MappingProxyType[int, tuple[Aim, ...]] = MappingProxyType(
    {
        1: (Aim.PAIN_RELIEF, Aim.MOBILITY),
        2: (Aim.MOBILITY, Aim.STRENGTH, Aim.FITNESS),
        3: (Aim.STRENGTH, Aim.STABILITY, Aim.FITNESS, Aim.MOBILITY),
        4: (Aim.STRENGTH, Aim.STABILITY, Aim.FITNESS),
    }
)
PHASE_WEEKS = MappingProxyType({1: (0, 2), 2: (2, 6), 3: (6, 12), 4: (12, 26)})

_SETTLE_COMMON = (
    "Ice or heat, whichever eases your pain more, for 15 to 20 minutes at a time, "
    "with a cloth between the pack and your skin",
    "Gentle movement within comfort, and movements your physiotherapist does for you",
    "Soft-tissue massage to help tight, guarding muscles let go",
    "Pain relief as your doctor or pharmacist advises, so you can keep moving",
    "Advice on comfortable positions for sitting, sleeping and moving about",
)


def _settle_phase(region: Region, pathway: Pathway) -> PhaseTemplate:
    if pathway is Pathway.POST_INJECTION:
        goals = (
            "Let the injection settle, calm the pain and get moving again. Some people feel "
            "easier within hours, while the local anaesthetic works; the steroid usually starts "
            "to help 3 to 5 days after the injection, so do not judge the result in the first "
            "few days. Keep the injection site clean and dry and take things easy on the first "
            "day; start the gentle exercises after that."
        )
        implied = frozenset({"post_injection_24h"})
    else:
        goals = (
            "Calm the pain and get moving again. Sore facet joints are common and usually "
            "settle with the right movement; gentle, regular exercise helps more than rest. "
            f"We look at how the pain affects {_DAILY[region]}, and set your starting point."
        )
        implied = frozenset()
    return PhaseTemplate(
        number=1,
        title="Settle the pain and start moving",
        start_week=PHASE_WEEKS[1][0],
        end_week=PHASE_WEEKS[1][1],
        goals=goals,
        interventions=_SETTLE_COMMON,
        aims=PHASE_AIMS[1],
        implied_cautions=implied,
    )


def _later_phases(region: Region) -> tuple[PhaseTemplate, ...]:
    area = _AREAS[region]
    return (
        PhaseTemplate(
            number=2,
            title="Build strength and fitness",
            start_week=PHASE_WEEKS[2][0],
            end_week=PHASE_WEEKS[2][1],
            goals=(
                f"Strengthen the muscles of your {area}, ease stiff joints, lengthen tight "
                "muscles and build your general fitness back up."
            ),
            interventions=(
                f"Strengthening exercises for your {area}",
                "Stretches for muscles that have tightened",
                "Graded joint mobilisation by your physiotherapist to ease stiffness",
                "Fitness work such as walking, swimming or an exercise bike",
                "A look at how you sit, work and lift, at home and at work",
            ),
            aims=PHASE_AIMS[2],
        ),
        PhaseTemplate(
            number=3,
            title="Specific strength, control and function",
            start_week=PHASE_WEEKS[3][0],
            end_week=PHASE_WEEKS[3][1],
            goals=(
                "Train the muscles that support your spine for strength and control, "
                f"including your deep trunk muscles, and practise the things you most want "
                f"to do again, such as {_DAILY[region]}."
            ),
            interventions=(
                "Strength work for back and tummy muscles with bands or weights",
                "Core stability training",
                "Continued aerobic exercise such as walking, swimming or cycling",
                "Stretching through your full range",
                "Practice of the movements your work, hobbies or sport need",
            ),
            aims=PHASE_AIMS[3],
        ),
        PhaseTemplate(
            number=4,
            title="Your own goals and looking after yourself",
            start_week=PHASE_WEEKS[4][0],
            end_week=PHASE_WEEKS[4][1],
            goals=(
                "Reach the goals you set at your assessment, keep your strength and fitness "
                "on your own, know how to handle a flare-up, and lower the chance of the pain "
                "coming back."
            ),
            interventions=(
                "Working towards the goals you named, step by step",
                "Continued strengthening and fitness, on your own or in a class such as Pilates",
                "A plan for flare-ups: what to do yourself and when to get in touch",
                "Keeping active for the long term",
            ),
            aims=PHASE_AIMS[4],
        ),
    )


@cache
def get_template(region: Region | str, pathway: Pathway | str) -> ProgrammeTemplate:
    """The template for a spinal ``region`` and ``pathway``.

    Raises PlanningError (field ``region`` or ``pathway``) for an unknown value or
    for ``general``, which is an exercise region, not a programme's.
    """
    try:
        region = Region(region)
    except ValueError:
        raise PlanningError(f"Unknown region {region!r}", field="region") from None
    if region not in SPINAL_REGIONS:
        raise PlanningError("A programme is for the neck, mid back or low back", field="region")
    try:
        pathway = Pathway(pathway)
    except ValueError:
        raise PlanningError(f"Unknown pathway {pathway!r}", field="pathway") from None
    return ProgrammeTemplate(
        region=region,
        pathway=pathway,
        title=f"{REGION_LABELS[region]}: {PATHWAY_LABELS[pathway].lower()}",
        summary=(
            "Four phases, each started when your physiotherapist reviews your progress; the "
            "dates are a guide, not a deadline."
        ),
        phases=(_settle_phase(region, pathway), *_later_phases(region)),
    )


def all_templates() -> tuple[ProgrammeTemplate, ...]:
    """Every shipped template, region by region."""
    return tuple(get_template(r, p) for r in SPINAL_REGIONS for p in Pathway)
