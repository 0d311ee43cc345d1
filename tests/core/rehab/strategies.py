"""Hypothesis strategies for the planner: requests to plan, and small random libraries."""

from datetime import date

from hypothesis import strategies as st

from facetcare.core.rehab import (
    CAUTIONS,
    GOAL_TAGS,
    PHASES,
    SPINAL_REGIONS,
    Aim,
    Dosage,
    Exercise,
    ExerciseLibrary,
    Pathway,
    Region,
)

GOAL_TEXTS = (
    "Turn my head to reverse the car",
    "Sit through a meeting",
    "Play golf again",
    "Lift my grandson",
    "Walk the dog for half an hour",
    "Work a full day at the screen",
    "Sleep through the night",
    "Hang out the washing",
    "Get back to work",
    "Run a parkrun",
    "Tie my shoelaces",
    "Swim twice a week",
)

regions = st.sampled_from(SPINAL_REGIONS)
pathways = st.sampled_from(tuple(Pathway))
cautions = st.frozensets(st.sampled_from(sorted(CAUTIONS)))
goals = st.lists(st.one_of(st.sampled_from(GOAL_TEXTS), st.text(max_size=60)), max_size=5)
starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))

_dosages = st.builds(
    Dosage,
    sets=st.integers(1, 5),
    reps=st.integers(1, 20),
    per_day=st.integers(1, 3),
)


@st.composite
def libraries(draw: st.DrawFn) -> ExerciseLibrary:
    """A small library of random exercises (no progressions), often with gaps."""
    count = draw(st.integers(0, 25))
    exercises = [
        Exercise(
            slug=f"exercise-{index}",
            name=f"Exercise {index}",
            regions=draw(st.frozensets(st.sampled_from(tuple(Region)), min_size=1)),
            phases=draw(st.frozensets(st.sampled_from(PHASES), min_size=1)),
            aims=draw(st.frozensets(st.sampled_from(tuple(Aim)), min_size=1)),
            dosage=draw(_dosages),
            instructions=("Do it slowly.",),
            goal_tags=draw(st.frozensets(st.sampled_from(sorted(GOAL_TAGS)), max_size=3)),
            avoid_with=draw(st.frozensets(st.sampled_from(sorted(CAUTIONS)), max_size=2)),
        )
        for index in range(count)
    ]
    return ExerciseLibrary(tuple(exercises))
