"""FacetCare's rehabilitation programme planner: pure Python, no Django.

    from facetcare.core.rehab import get_template, plan_programme, advance_phase

    template = get_template("cervical", "post_injection")
    programme = plan_programme(
        template,
        goals=["Turn my head to reverse the car"],
        cautions=["osteoporosis"],
        start=date(2027, 3, 1),        # the procedure (or assessment) date
    )
    programme.phases[0].exercises      # chosen and ordered for the patient's goals
    programme.shortfalls               # aims no suitable exercise could serve, said aloud
    advance_phase(programme, reviewed_on=date(2027, 3, 17))

The exercise library is ``library.yaml`` (our own exercises and words); a clinic's
own exercises join it through ``ExerciseLibrary.extended``.
"""

from facetcare.core.rehab.errors import LibraryError, PlanningError, RehabError
from facetcare.core.rehab.exercises import (
    DOSAGE_BOUNDS,
    Dosage,
    Exercise,
    ExerciseLibrary,
    InvalidDosage,
    shipped_library,
)
from facetcare.core.rehab.goals import Goal, goal_tags, read_goals
from facetcare.core.rehab.planner import (
    PlannedPhase,
    Prescription,
    Programme,
    Shortfall,
    advance_phase,
    phase_dates,
    phase_on,
    plan_programme,
)
from facetcare.core.rehab.templates import (
    PhaseTemplate,
    ProgrammeTemplate,
    all_templates,
    get_template,
)
from facetcare.core.rehab.vocabulary import (
    AIM_LABELS,
    CAUTIONS,
    GOAL_TAGS,
    PATHWAY_LABELS,
    PHASES,
    REGION_LABELS,
    SPINAL_REGIONS,
    Aim,
    Pathway,
    Region,
    check_cautions,
)

__all__ = [
    "AIM_LABELS",
    "CAUTIONS",
    "DOSAGE_BOUNDS",
    "GOAL_TAGS",
    "PATHWAY_LABELS",
    "PHASES",
    "REGION_LABELS",
    "SPINAL_REGIONS",
    "Aim",
    "Dosage",
    "Exercise",
    "ExerciseLibrary",
    "Goal",
    "InvalidDosage",
    "LibraryError",
    "Pathway",
    "PhaseTemplate",
    "PlannedPhase",
    "PlanningError",
    "Prescription",
    "Programme",
    "ProgrammeTemplate",
    "Region",
    "RehabError",
    "Shortfall",
    "advance_phase",
    "all_templates",
    "check_cautions",
    "get_template",
    "goal_tags",
    "phase_dates",
    "phase_on",
    "plan_programme",
    "read_goals",
    "shipped_library",
]
